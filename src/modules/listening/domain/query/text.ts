/**
 * Splitting text into words, shared by the parser (for query terms) and the matcher (for posts), so
 * both sides agree on what a word is.
 *
 * A word is a run of Unicode letters, digits and combining marks; everything else separates words
 * (`council's` is `council` + `s`, `e-petition` is `e` + `petition`). `#tag` is a hashtag when the
 * `#` does not follow a letter; `@name` (also `@name@instance.social`) is a mention when the `@`
 * does not follow a letter, so e-mail addresses stay plain words. Words are compared lower-cased
 * and NFC-normalised; a query word without accents also matches accented text (`cafe` finds `café`),
 * while a word with accents only matches them exactly, as in Brandwatch.
 */

import type { QueryField } from './ast.js'

const W = '\\p{L}\\p{N}\\p{M}'

function tokenPattern(extra: string): RegExp {
  const c = `${W}${extra}`
  return new RegExp(
    [
      `(?<![${c}_&])#([${c}_]+)`,
      `(?<![${c}_])@([${c}_]+(?:[.\\-][${c}_]+)*(?:@[${c}_\\-]+(?:\\.[${c}_\\-]+)+)?)`,
      `[${c}]+`,
    ].join('|'),
    'gu',
  )
}

const TEXT_TOKEN = tokenPattern('')
const QUERY_TOKEN = tokenPattern('*?')

export type TextTokenKind = 'word' | 'hashtag' | 'mention'

/** A word of a post's text. Hashtags and mentions are stored without their `#` / `@`. */
export interface TextToken {
  readonly kind: TextTokenKind
  readonly text: string
  /** `text` without accents. */
  readonly folded: string
  /** For mentions, the name before any `@instance`; otherwise `text`. */
  readonly local: string
  readonly localFolded: string
  /** Character offsets (JavaScript string indices) in the original text, `#`/`@` included. */
  readonly start: number
  readonly end: number
}

// Most words of most posts are plain ASCII, which neither normalisation nor accent folding can
// change: testing for that first keeps the matcher's per-word cost low (bench/listening).
const NON_ASCII = /[\u0080-\uffff]/

export const normaliseWord = (s: string): string =>
  NON_ASCII.test(s) ? s.normalize('NFC').toLowerCase() : s.toLowerCase()

export const foldAccents = (s: string): string =>
  NON_ASCII.test(s) ? s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC') : s

/** Lower case, NFC, runs of white space made one space, trimmed. */
export const normaliseText = (s: string): string =>
  isPlainAscii(s) ? s.toLowerCase() : normaliseWord(s).replace(/\s+/gu, ' ').trim()

/** ASCII without white space (place names, languages, hosts): only lower case can change. */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 127 || c === 32 || (c >= 9 && c <= 13)) return false
  }
  return true
}

function localPart(handle: string): string {
  const at = handle.indexOf('@')
  return at < 0 ? handle : handle.slice(0, at)
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false
  return true
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)
}

export function tokenizeText(text: string): TextToken[] {
  const out: TextToken[] = []
  const n = text.length
  let pos = 0
  while (pos < n) {
    const c = text.charCodeAt(pos)
    if (c < 128) {
      // Plain ASCII runs of letters and digits are words as `TEXT_TOKEN` would find them (no
      // hashtag or mention starts with a letter); other ASCII, bar `#` and `@`, starts nothing.
      if (isAsciiAlnum(c)) {
        let j = pos + 1
        while (j < n && isAsciiAlnum(text.charCodeAt(j))) j++
        if (j === n || text.charCodeAt(j) < 128) {
          const value = text.slice(pos, j).toLowerCase()
          out.push({
            kind: 'word',
            text: value,
            folded: value,
            local: value,
            localFolded: value,
            start: pos,
            end: j,
          })
          pos = j
          continue
        }
      } else if (c !== 35 && c !== 64) {
        pos++
        continue
      }
    }
    TEXT_TOKEN.lastIndex = pos
    const m = TEXT_TOKEN.exec(text)
    if (m === null) break
    const kind: TextTokenKind = m[1] !== undefined ? 'hashtag' : m[2] !== undefined ? 'mention' : 'word'
    const raw = m[1] ?? m[2] ?? m[0]
    const start = m.index
    const end = start + m[0].length
    pos = end
    if (isAscii(raw)) {
      // Plain ASCII (most words): lower case is the whole normalisation, and there are no accents.
      const value = raw.toLowerCase()
      const local = kind === 'mention' ? localPart(value) : value
      out.push({ kind, text: value, folded: value, local, localFolded: local, start, end })
      continue
    }
    const value = normaliseWord(raw)
    const local = kind === 'mention' ? localPart(value) : value
    out.push({
      kind,
      text: value,
      folded: foldAccents(value),
      local,
      localFolded: foldAccents(local),
      start,
      end,
    })
  }
  return out
}

export type PatternKind = 'any' | 'hashtag' | 'mention'

/** One word of a query term or phrase, possibly with wildcards. */
export interface PatternToken {
  readonly kind: PatternKind
  /** Lower-cased, without `#` / `@`. */
  readonly text: string
  /** Offset of the token (its `#` / `@` included) in the string given to `tokenizePattern`. */
  readonly start: number
  /** Offset of `text` itself, after any `#` / `@`. */
  readonly bodyStart: number
}

/** Splits a query term or phrase into words the way `tokenizeText` splits posts, keeping `*` and `?`. */
export function tokenizePattern(text: string): PatternToken[] {
  const out: PatternToken[] = []
  for (const m of text.matchAll(QUERY_TOKEN)) {
    const kind: PatternKind = m[1] !== undefined ? 'hashtag' : m[2] !== undefined ? 'mention' : 'any'
    out.push({
      kind,
      text: normaliseWord(m[1] ?? m[2] ?? m[0]),
      start: m.index,
      bodyStart: kind === 'any' ? m.index : m.index + 1,
    })
  }
  return out
}

/** A compiled word pattern: exact, or with `*` (any run of characters) and `?` (one character). */
export interface WordMatcher {
  readonly text: string
  /** Matches a normalised value; `folded` is the same value without accents. */
  test(value: string, folded: string): boolean
}

export function compileWord(text: string): WordMatcher {
  const ignoreAccents = foldAccents(text) === text
  if (!/[*?]/.test(text)) {
    return { text, test: (value, folded) => (ignoreAccents ? folded === text : value === text) }
  }
  // `word*` (the usual wildcard): a prefix test, the same as the pattern /^word.*$/s.
  const star = text.indexOf('*')
  if (star === text.length - 1 && !text.includes('?')) {
    const prefix = text.slice(0, -1)
    return {
      text,
      test: (value, folded) => (ignoreAccents ? folded : value).startsWith(prefix),
    }
  }
  const source = Array.from(text, (ch) =>
    ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'),
  ).join('')
  const re = new RegExp(`^${source}$`, 'su')
  return { text, test: (value, folded) => re.test(ignoreAccents ? folded : value) }
}

/** A compiled query word, bound to its kind: hashtags only match hashtags, mentions only mentions. */
export interface TokenMatcher {
  readonly kind: PatternKind
  readonly word: WordMatcher
}

export function compileToken(kind: PatternKind, text: string): TokenMatcher {
  return { kind, word: compileWord(text) }
}

/**
 * Whether a query word matches a word of the text. A plain word also matches a hashtag with that
 * exact name (`bins` finds `#bins`) and a mention's name (`leedscc` finds `@leedscc@mastodon.social`);
 * `#bins` only finds the hashtag and `@leedscc` only the mention.
 */
export function tokenMatches(m: TokenMatcher, t: TextToken): boolean {
  switch (m.kind) {
    case 'hashtag':
      return t.kind === 'hashtag' && m.word.test(t.text, t.folded)
    case 'mention':
      return (
        t.kind === 'mention' &&
        (m.word.test(t.text, t.folded) || (!m.word.text.includes('@') && m.word.test(t.local, t.localFolded)))
      )
    default:
      return t.kind === 'mention' ? m.word.test(t.local, t.localFolded) : m.word.test(t.text, t.folded)
  }
}

/** Field values as compared: `@` dropped from authors, `www.` and `https://` from sites, `_` → `-` in languages. */
export function normaliseFieldValue(name: QueryField, value: string): string {
  switch (name) {
    case 'author':
      return value.replace(/^@/, '')
    case 'lang':
      return value.replace(/_/g, '-')
    case 'site':
      return value
        .replace(/^[a-z]+:\/\//, '')
        .replace(/^www\./, '')
        .replace(/[/.]+$/, '')
    default:
      return value
  }
}
