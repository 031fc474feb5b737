/**
 * Evaluates a parsed query against posts in memory: the reference meaning of the language, used for
 * previews, tests and small data sets, and the yardstick for any faster database version.
 */
import type { FieldNode, QueryNode, TextLeaf } from './ast.js'
import { describeQuery } from './describe.js'
import {
  compileToken,
  compileWord,
  foldAccents,
  normaliseFieldValue,
  normaliseText,
  type PatternKind,
  type TextToken,
  type TokenMatcher,
  tokenizePattern,
  tokenizeText,
  tokenMatches,
  type WordMatcher,
} from './text.js'

/** What the matcher needs of a post. */
export interface MatchablePost {
  readonly text: string
  /** Handle or name, e.g. `leedscc@mastodon.social` or `Leeds City Council`. */
  readonly author: string | null
  /** Language code, e.g. `en` or `en-GB`. */
  readonly lang: string | null
  /** The connector it came from, e.g. `mastodon`, `bluesky`, `rss`. */
  readonly source: string
  /** Host of the post's URL, e.g. `www.bbc.co.uk` (see `hostOf`). */
  readonly site: string | null
  /** Place names or codes the post is linked to. */
  readonly places: readonly string[]
  /** Hashtags the network reports for the post (with or without `#`), in addition to those in the text. */
  readonly hashtags: readonly string[]
  /** Accounts the network reports as mentioned (with or without `@`), in addition to those in the text. */
  readonly mentions: readonly string[]
}

/** A character range of `post.text` that matched, for highlighting. */
export interface Highlight {
  readonly start: number
  readonly end: number
}

export interface MatchResult {
  readonly matched: boolean
  /** The query's terms that took part in the match, as written in the normalised query, e.g. `council*`, `"bin day"`, `site:bbc.co.uk`. */
  readonly terms: readonly string[]
  /** Where in the text those terms were found, sorted and merged. */
  readonly highlights: readonly Highlight[]
}

/** A query ready to run: call it with a post to test it; `matchPost` also says what matched. */
export interface CompiledQuery {
  (post: MatchablePost): boolean
  readonly ast: QueryNode
  /** The normalised query text. */
  readonly query: string
}

/** The host name of a URL (`https://www.bbc.co.uk/news` → `www.bbc.co.uk`), or null. */
export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null
  const simple = simpleHost(url)
  if (simple !== null) return simple
  try {
    return new URL(url).hostname.toLowerCase() || null
  } catch {
    return null
  }
}

/**
 * The host of a plain `http(s)://name.example/…` URL without the URL parser (which was ~3% of
 * bench/listening): lower-case ASCII letters, digits, hyphens and dots only, no port, user or
 * IP address, no punycode label. Anything else returns null and goes to `new URL`.
 */
function simpleHost(url: string): string | null {
  const from = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1
  if (from < 0) return null
  let end = from
  let labelStart = from
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end)
    if (c === 47 || c === 63 || c === 35) break // / ? #
    if (c === 46) {
      // An empty label ("a..b", ".a") is left to the URL parser.
      if (end === labelStart) return null
      labelStart = end + 1
      continue
    }
    const lowerLetter = c >= 97 && c <= 122
    if (!lowerLetter && !(c >= 48 && c <= 57) && c !== 45) return null
  }
  // A trailing dot, an empty host, or a last label that could be a number (IPv4) is left to it too.
  if (end === labelStart) return null
  const last = url.charCodeAt(labelStart)
  if (last < 97 || last > 122) return null
  const host = url.slice(from, end)
  if (host.startsWith('xn--') || host.includes('.xn--')) return null
  return host
}

/** A post prepared once for evaluating every node of a query. */
interface Doc {
  readonly tokens: readonly TextToken[]
  readonly hashtags: readonly { text: string; folded: string }[]
  readonly mentions: readonly { text: string; folded: string; local: string; localFolded: string }[]
  readonly author: string | null
  readonly lang: string | null
  readonly source: string
  readonly site: string | null
  readonly places: readonly string[]
}

const norm = (s: string): { text: string; folded: string } => {
  const text = normaliseText(s)
  return { text, folded: foldAccents(text) }
}

function prepare(post: MatchablePost): Doc {
  return {
    tokens: tokenizeText(post.text),
    hashtags: post.hashtags.map((h) => norm(h.replace(/^#/, ''))),
    mentions: post.mentions.map((m) => {
      const full = norm(m.replace(/^@/, ''))
      const local = norm(full.text.split('@')[0]!)
      return { ...full, local: local.text, localFolded: local.folded }
    }),
    author: post.author ? normaliseText(post.author).replace(/^@/, '') : null,
    lang: post.lang ? normaliseText(post.lang).replace(/_/g, '-') : null,
    source: normaliseText(post.source),
    site: post.site ? normaliseFieldValue('site', normaliseText(post.site)) : null,
    places: post.places.map(normaliseText),
  }
}

/** Consecutive text tokens [start, end] (token indices, inclusive) matched by some leaves. */
interface Span {
  readonly start: number
  readonly end: number
  readonly terms: readonly string[]
  readonly highlights: readonly Highlight[]
}

interface Explanation {
  readonly terms: readonly string[]
  readonly highlights: readonly Highlight[]
}

interface Evaluator {
  test(doc: Doc): boolean
  /** Null when the node does not match; otherwise what took part. */
  explain(doc: Doc): Explanation | null
}

/** An evaluator for nodes that stand for words at positions in the text. */
interface PositionalEvaluator extends Evaluator {
  spans(doc: Doc): readonly Span[]
}

const NONE: Explanation = Object.freeze({ terms: [], highlights: [] })

function union<T>(lists: readonly (readonly T[])[]): T[] {
  return [...new Set(lists.flat())]
}

function compileLeaf(node: TextLeaf): PositionalEvaluator {
  const label = describeQuery(node)
  const kind: PatternKind = node.kind === 'hashtag' ? 'hashtag' : node.kind === 'mention' ? 'mention' : 'any'
  // A term like `e-petition` is two words in a row, like a phrase; `#tag` and `@name` are one token.
  const patterns: TokenMatcher[] =
    kind === 'any'
      ? tokenizePattern(node.value).map((p) => compileToken(p.kind, p.text))
      : [compileToken(kind, node.value)]

  const spans = (doc: Doc): Span[] => {
    const out: Span[] = []
    const n = patterns.length
    for (let i = 0; i + n <= doc.tokens.length; i++) {
      let ok = true
      for (let j = 0; j < n && ok; j++) ok = tokenMatches(patterns[j]!, doc.tokens[i + j]!)
      if (ok) {
        out.push({
          start: i,
          end: i + n - 1,
          terms: [label],
          highlights: [{ start: doc.tokens[i]!.start, end: doc.tokens[i + n - 1]!.end }],
        })
      }
    }
    return out
  }

  // Hashtags and mentions the network reports outside the text also count (but have no position).
  const inMetadata = (doc: Doc): boolean => {
    const word = patterns[0]!.word
    if (kind === 'hashtag') return doc.hashtags.some((h) => word.test(h.text, h.folded))
    if (kind === 'mention') {
      return doc.mentions.some(
        (m) => word.test(m.text, m.folded) || (!word.text.includes('@') && word.test(m.local, m.localFolded)),
      )
    }
    return false
  }

  // Whether some span exists, without building any: most posts do not match most queries.
  const anySpan = (doc: Doc): boolean => {
    const n = patterns.length
    const tokens = doc.tokens
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true
      for (let j = 0; j < n && ok; j++) ok = tokenMatches(patterns[j]!, tokens[i + j]!)
      if (ok) return true
    }
    return false
  }

  return {
    spans,
    test: (doc) => anySpan(doc) || inMetadata(doc),
    explain(doc) {
      const found = spans(doc)
      if (found.length > 0) return { terms: [label], highlights: found.flatMap((s) => s.highlights) }
      return inMetadata(doc) ? { terms: [label], highlights: [] } : null
    },
  }
}

function fieldTest(node: FieldNode): (doc: Doc) => boolean {
  const values = node.values.map((v) => ({ raw: v, word: compileWord(v) }))
  const is = (w: WordMatcher, value: string | null): boolean =>
    value !== null && w.test(value, foldAccents(value))
  switch (node.field) {
    case 'author':
      // `author:leedscc` also matches `leedscc@mastodon.social`.
      return (doc) =>
        values.some(
          ({ word }) =>
            is(word, doc.author) || (!word.text.includes('@') && is(word, doc.author?.split('@')[0] ?? null)),
        )
    case 'lang':
      // `lang:en` matches `en` and `en-gb`; `lang:en-gb` only `en-gb`.
      return (doc) =>
        values.some(({ raw }) => doc.lang !== null && (doc.lang === raw || doc.lang.startsWith(`${raw}-`)))
    case 'site':
      // `site:bbc.co.uk` matches `bbc.co.uk` and every subdomain such as `news.bbc.co.uk`.
      return (doc) =>
        values.some(({ raw }) => doc.site !== null && (doc.site === raw || doc.site.endsWith(`.${raw}`)))
    case 'source':
      return (doc) => values.some(({ word }) => is(word, doc.source))
    case 'place':
      return (doc) => values.some(({ word }) => doc.places.some((p) => is(word, p)))
  }
}

/** NEAR: pairs of spans from both sides that do not overlap and have at most `distance` tokens between them. */
function nearSpans(
  left: readonly Span[],
  right: readonly Span[],
  distance: number,
  ordered: boolean,
): Span[] {
  const byRange = new Map<string, Span>()
  // Only right spans starting within reach of each left span can pair with it: sort by start and
  // look at that window alone, so long texts with frequent words stay fast.
  const sorted = [...right].sort((x, y) => x.start - y.start)
  const longest = sorted.reduce((m, b) => Math.max(m, b.end - b.start), 0)
  for (const a of left) {
    const from = a.start - distance - 1 - longest
    let lo = 0
    let hi = sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (sorted[mid]!.start < from) lo = mid + 1
      else hi = mid
    }
    for (let i = lo; i < sorted.length && sorted[i]!.start <= a.end + distance + 1; i++) {
      const b = sorted[i]!
      let gap: number
      if (a.end < b.start) gap = b.start - a.end - 1
      else if (!ordered && b.end < a.start) gap = a.start - b.end - 1
      else continue
      if (gap > distance) continue
      const key = `${Math.min(a.start, b.start)}:${Math.max(a.end, b.end)}`
      const old = byRange.get(key)
      byRange.set(key, {
        start: Math.min(a.start, b.start),
        end: Math.max(a.end, b.end),
        terms: union([old?.terms ?? [], a.terms, b.terms]),
        highlights: [...(old?.highlights ?? []), ...a.highlights, ...b.highlights],
      })
    }
  }
  return [...byRange.values()]
}

function positional(e: Evaluator): PositionalEvaluator {
  if (!('spans' in e)) throw new TypeError('NEAR operands must be words, phrases, hashtags or mentions')
  return e as PositionalEvaluator
}

function compileNode(node: QueryNode): Evaluator {
  switch (node.kind) {
    case 'term':
    case 'phrase':
    case 'hashtag':
    case 'mention':
      return compileLeaf(node)
    case 'field': {
      const label = describeQuery(node)
      const test = fieldTest(node)
      return { test, explain: (doc) => (test(doc) ? { terms: [label], highlights: [] } : null) }
    }
    case 'not': {
      const inner = compileNode(node.operand)
      return { test: (doc) => !inner.test(doc), explain: (doc) => (inner.test(doc) ? null : NONE) }
    }
    case 'and': {
      const parts = node.operands.map(compileNode)
      return {
        test: (doc) => parts.every((p) => p.test(doc)),
        explain(doc) {
          const found: Explanation[] = []
          for (const p of parts) {
            const e = p.explain(doc)
            if (!e) return null
            found.push(e)
          }
          return { terms: union(found.map((e) => e.terms)), highlights: found.flatMap((e) => e.highlights) }
        },
      }
    }
    case 'or': {
      const parts = node.operands.map(compileNode)
      const or: Evaluator = {
        test: (doc) => parts.some((p) => p.test(doc)),
        explain(doc) {
          const found = parts.map((p) => p.explain(doc)).filter((e): e is Explanation => e !== null)
          if (found.length === 0) return null
          return { terms: union(found.map((e) => e.terms)), highlights: found.flatMap((e) => e.highlights) }
        },
      }
      if (!parts.every((p) => 'spans' in p)) return or
      const spans = (doc: Doc): Span[] => parts.flatMap((p) => positional(p).spans(doc))
      // Inside NEAR an OR of words has positions; on its own it also counts hashtags and mentions outside the text.
      const orWithSpans: PositionalEvaluator = { ...or, spans }
      return orWithSpans
    }
    case 'near': {
      const left = positional(compileNode(node.left))
      const right = positional(compileNode(node.right))
      const spans = (doc: Doc): Span[] => {
        const l = left.spans(doc)
        return l.length === 0 ? [] : nearSpans(l, right.spans(doc), node.distance, node.ordered)
      }
      const nearEvaluator: PositionalEvaluator = {
        spans,
        test: (doc) => spans(doc).length > 0,
        explain(doc) {
          const found = spans(doc)
          if (found.length === 0) return null
          return { terms: union(found.map((s) => s.terms)), highlights: found.flatMap((s) => s.highlights) }
        },
      }
      return nearEvaluator
    }
  }
}

function mergeHighlights(list: readonly Highlight[]): Highlight[] {
  const sorted = [...list].sort((a, b) => a.start - b.start || a.end - b.end)
  const out: Highlight[] = []
  for (const h of sorted) {
    const last = out.at(-1)
    if (last && h.start <= last.end)
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, h.end) }
    else out.push({ start: h.start, end: h.end })
  }
  return out
}

const evaluators = new WeakMap<CompiledQuery, Evaluator>()

/** Compiles a query tree into a function testing one post. */
export function compileQuery(ast: QueryNode): CompiledQuery {
  const evaluator = compileNode(ast)
  const compiled = Object.assign((post: MatchablePost) => evaluator.test(prepare(post)), {
    ast,
    query: describeQuery(ast),
  }) as CompiledQuery
  evaluators.set(compiled, evaluator)
  return Object.freeze(compiled)
}

/** Tests a post and says which of the query's terms matched and where, for highlighting. */
export function matchPost(compiled: CompiledQuery, post: MatchablePost): MatchResult {
  const evaluator = evaluators.get(compiled) ?? compileNode(compiled.ast)
  const found = evaluator.explain(prepare(post))
  if (!found) return { matched: false, terms: [], highlights: [] }
  return { matched: true, terms: found.terms, highlights: mergeHighlights(found.highlights) }
}

/**
 * A post prepared once (tokenised, normalised) for testing against many queries: the ingest
 * pipeline matches every new post against every saved query, and preparing is most of the cost.
 */
export interface PreparedPost {
  readonly doc: unknown
  readonly text: string
}

export function preparePost(post: MatchablePost): PreparedPost {
  return { doc: prepare(post), text: post.text }
}

/** `matchPost` on a prepared post. */
export function matchPrepared(compiled: CompiledQuery, prepared: PreparedPost): MatchResult {
  const evaluator = evaluators.get(compiled) ?? compileNode(compiled.ast)
  // `test` says the same as `explain` (matched or not) without collecting terms and highlights;
  // most posts match few of the saved queries, so ask it first.
  if (!evaluator.test(prepared.doc as Doc)) return { matched: false, terms: [], highlights: [] }
  const found = evaluator.explain(prepared.doc as Doc)
  if (!found) return { matched: false, terms: [], highlights: [] }
  return { matched: true, terms: found.terms, highlights: mergeHighlights(found.highlights) }
}

/** The compiled query's test on a prepared post. */
export function testPrepared(compiled: CompiledQuery, prepared: PreparedPost): boolean {
  const evaluator = evaluators.get(compiled) ?? compileNode(compiled.ast)
  return evaluator.test(prepared.doc as Doc)
}

export interface MatchPreview<P extends MatchablePost> {
  /** Posts looked at. */
  readonly total: number
  /** Posts that match. */
  readonly matched: number
  /** The first few matching posts with what matched in each. */
  readonly samples: readonly { readonly post: P; readonly result: MatchResult }[]
}

/** Runs a query over posts in memory: how many match, with a few examples (the preview before saving). */
export function previewMatches<P extends MatchablePost>(
  compiled: CompiledQuery,
  posts: Iterable<P>,
  sampleSize = 5,
): MatchPreview<P> {
  let total = 0
  let matched = 0
  const samples: { post: P; result: MatchResult }[] = []
  for (const post of posts) {
    total++
    if (samples.length < sampleSize) {
      const result = matchPost(compiled, post)
      if (result.matched) {
        matched++
        samples.push({ post, result })
      }
    } else if (compiled(post)) {
      matched++
    }
  }
  return { total, matched, samples }
}
