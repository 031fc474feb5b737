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
export const normaliseText = (s: string): string => normaliseWord(s).replace(/\s+/gu, ' ').trim()

function localPart(handle: string): string {
  const at = handle.indexOf('@')
  return at < 0 ? handle : handle.slice(0, at)
}

export function tokenizeText(text: string): TextToken[] {
  const out: TextToken[] = []
  for (const m of text.matchAll(TEXT_TOKEN)) {
    const kind: TextTokenKind = m[1] !== undefined ? 'hashtag' : m[2] !== undefined ? 'mention' : 'word'
    const value = normaliseWord(m[1] ?? m[2] ?? m[0])
    const local = kind === 'mention' ? localPart(value) : value
    out.push({
      kind,
      text: value,
      folded: foldAccents(value),
      local,
      localFolded: foldAccents(local),
      start: m.index,
      end: m.index + m[0].length,
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
