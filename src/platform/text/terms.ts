/**
 * Content terms: the words of a text that say what it is about, with stop words, links,
 * mentions, numbers and punctuation turned into phrase breaks. Keywords, similarity and
 * topics all read text through this one function, so they agree on what a term is.
 */
import { detectLanguage, type LanguageCode } from './language.js'
import { stopWordsFor } from './stopwords.js'
import { splitHashtag, squeezeRepeats, stem, tokenize } from './tokenize.js'

export interface ContentWord {
  /** Matching key: lower case, clitic removed, English plurals stemmed ("potholes" → "pothole"). */
  readonly key: string
  /** The word as written, clitic removed ("Council's" → "Council"). */
  readonly surface: string
  readonly start: number
  readonly end: number
  /** True for the first word of a sentence, whose capital letter says nothing. */
  readonly sentenceStart: boolean
  /** Set for a whole hashtag kept as one term ("#BikeLane"). */
  readonly hashtag?: true
}

/** A run of content words with no stop word or punctuation between them. */
export type Phrase = readonly ContentWord[]

export type TermLanguage = 'en' | 'cy' | 'auto'

/** English possessive and Welsh clitics that hang off a word: "council's", "ffonio'r", "biniau'n". */
const CLITIC = /['’](s|r|n|i|u|m|th|ch|w|ll|re|ve|d)$/i

/** Resolves 'auto' to the detected language ('und' when unclear). */
export function resolveLanguage(
  text: string,
  language: TermLanguage | LanguageCode | undefined,
): LanguageCode {
  if (language === 'en' || language === 'cy' || language === 'und') return language
  return detectLanguage(text).language
}

/** The matching key of one word in a language. */
export function termKey(word: string, language: LanguageCode): string {
  // Remembered per language: the same few thousand words make up most of what people write.
  const cache = language === 'cy' ? welshKeys : otherKeys
  const cached = cache.get(word)
  if (cached !== undefined) return cached
  if (cache.size >= TERM_KEY_CACHE) cache.clear()
  const key = termKeyUncached(word, language)
  cache.set(word, key)
  return key
}

const TERM_KEY_CACHE = 50_000
const welshKeys = new Map<string, string>()
const otherKeys = new Map<string, string>()

function termKeyUncached(word: string, language: LanguageCode): string {
  const lower = squeezeRepeats(word.toLowerCase().replace(/[’‘]/g, "'")).replace(CLITIC, '')
  return language === 'cy' ? lower : stem(lower)
}

/**
 * Splits a text into phrases of content words.
 *
 * @example
 * contentPhrases('The bins in Splott were not collected again', 'en')
 * // [[bins], [Splott], [collected]] (keys "bin", "splott", "collected")
 */
export function contentPhrases(text: string, language: LanguageCode): Phrase[] {
  const stops = stopWordsFor(language)
  const phrases: ContentWord[][] = []
  let current: ContentWord[] = []
  const flush = (): void => {
    if (current.length > 0) phrases.push(current)
    current = []
  }
  const tokens = tokenize(text)
  let sentenceStart: boolean = true
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    const startsSentence: boolean = sentenceStart
    sentenceStart = t.type === 'punct' && /[.!?…]/.test(t.text)
    if (t.type === 'hashtag') {
      flush()
      const parts = splitHashtag(t.text).filter((p) => !stops.has(p))
      if (parts.length > 0) {
        const key = '#' + t.norm.slice(1)
        phrases.push([
          { key, surface: t.text, start: t.start, end: t.end, sentenceStart: false, hashtag: true },
        ])
      }
      continue
    }
    if (t.type !== 'word') {
      if (t.type === 'emoji' || t.type === 'emoticon' || t.type === 'url') sentenceStart = startsSentence
      flush()
      continue
    }
    const lower = t.norm
    // Only a word with an apostrophe can carry a clitic; most have none.
    const apostrophe = hasApostrophe(t.text)
    const bare = apostrophe ? lower.replace(CLITIC, '') : lower
    const surface = apostrophe ? t.text.replace(CLITIC, '') : t.text
    const word: ContentWord = {
      key: termKey(lower, language),
      surface,
      start: t.start,
      end: t.start + surface.length,
      sentenceStart: startsSentence,
    }
    if (stops.has(lower) || stops.has(bare) || bare.length < 2 || startsWithNumber(bare)) {
      // "Heol y Frenhines", "Vale of Glamorgan": a connector between two capitalised words
      // belongs to the name.
      const prev = current.at(-1)
      const next = tokens[i + 1]
      const joinsName =
        NAME_CONNECTORS.has(lower) &&
        prev !== undefined &&
        isCapitalised(prev.surface) &&
        next?.type === 'word' &&
        isCapitalised(next.text) &&
        next.start === t.end + 1
      if (joinsName) current.push({ ...word, key: lower })
      else flush()
      continue
    }
    current.push(word)
  }
  flush()
  return phrases
}

const NAME_CONNECTORS: ReadonlySet<string> = new Set([
  'y',
  'yr',
  'ar',
  "'r",
  'of',
  'upon',
  'de',
  'du',
  'la',
  'le',
])

/** `/^\p{N}/u.test(word)`, without the regex for an ASCII first character. */
function startsWithNumber(word: string): boolean {
  const c = word.charCodeAt(0)
  if (c < 128) return c >= 48 && c <= 57
  return /^\p{N}/u.test(word)
}

function hasApostrophe(word: string): boolean {
  return word.includes("'") || word.includes('’') || word.includes('‘')
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word)
}

/** The form of a word to count for display: sentence-initial capitals are dropped. */
export function formOf(word: ContentWord): string {
  return word.sentenceStart ? word.surface.toLowerCase() : word.surface
}

/**
 * Picks the form to show for a term from the forms seen: the most common one, in lower case
 * unless the word is always capitalised (a name such as "Cardiff" or "Heol y Frenhines").
 */
export function displayForm(forms: ReadonlyMap<string, number>): string {
  let best = ''
  let bestCount = -1
  let allCapitalised = true
  for (const [form, count] of forms) {
    if (count > bestCount || (count === bestCount && form < best)) {
      best = form
      bestCount = count
    }
    if (!/^\p{Lu}/u.test(form)) allCapitalised = false
  }
  if (best.startsWith('#')) return best
  return allCapitalised ? best : best.toLowerCase()
}
