/**
 * Language detection for short texts: English, Welsh, or "und" (undetermined).
 *
 * A naive Bayes model over character trigrams of words (" mae", "dd ", "the") and whole
 * words, with profiles built at start-up from the hand-written samples in
 * `language-samples.ts` plus the stop-word lists. Decoy profiles for a few other European
 * languages let text that is neither English nor Welsh fall to "und" instead of being
 * forced into one of them.
 */
import { ENGLISH_SAMPLE, OTHER_SAMPLES, WELSH_SAMPLE } from './language-samples.js'
import { ENGLISH_STOP_WORDS, WELSH_STOP_WORDS } from './stopwords.js'
import { splitHashtag, tokenize } from './tokenize.js'

export type LanguageCode = 'en' | 'cy' | 'und'

export interface LanguageGuess {
  /** 'en', 'cy', or 'und' when the text is too short, in another language, or unclear. */
  readonly language: LanguageCode
  /** Probability of `language` (for 'und', of the best profile among all). */
  readonly confidence: number
  /** Probability of English, Welsh and anything else; they add up to 1. */
  readonly scores: Readonly<{ en: number; cy: number; other: number }>
  /** The closest profile, which may be a decoy language ('fr', 'de', …); null for text without letters. */
  readonly closest: string | null
  /** True when the text has clear English and clear Welsh parts (bilingual council posts). */
  readonly bilingual: boolean
}

export interface DetectLanguageOptions {
  /** Texts with fewer letters than this are 'und'. Default 3. */
  readonly minLetters?: number
  /** Minimum probability for 'en' or 'cy'; below it the answer is 'und'. Default 0.6. */
  readonly threshold?: number
}

interface Profile {
  readonly code: string
  readonly trigrams: Map<string, number>
  readonly words: Map<string, number>
  readonly trigramTotal: number
  readonly wordTotal: number
  /** Log prior: decoys start a little behind, as they are rare in the platform's input. */
  readonly prior: number
}

const ALPHA = 0.5
const WORD_WEIGHT = 1.5
const TEMPERATURE = 0.35

function lettersOnly(word: string): string {
  // ASCII letters and apostrophes only (most words): lower case is the only change.
  if (isAsciiLetters(word)) return word.toLowerCase()
  return word
    .toLowerCase()
    .normalize('NFC')
    .replace(/[’‘]/g, "'")
    .replace(/[^\p{L}']/gu, '')
}

/** `/^[A-Za-z']*$/.test(word)`, without the regex. */
function isAsciiLetters(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i)
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39)) return false
  }
  return true
}

/** The words of a text that say something about its language. */
function languageWords(text: string): string[] {
  return languageWordsBySegment(text, [])[0]!
}

/**
 * The language words of a text, split into the segments that start at `breaks` (ascending
 * offsets), from one tokenisation of the whole text (shared with sentiment, keywords and places).
 */
function languageWordsBySegment(text: string, breaks: readonly number[]): string[][] {
  const segments: string[][] = [[]]
  let next = 0
  for (const t of tokenize(text)) {
    while (next < breaks.length && t.start >= breaks[next]!) {
      segments.push([])
      next++
    }
    const into = segments[segments.length - 1]!
    if (t.type === 'word') {
      const w = lettersOnly(t.text)
      if (w.length > 0) into.push(w)
    } else if (t.type === 'hashtag') {
      for (const part of splitHashtag(t.text)) {
        const w = lettersOnly(part)
        if (w.length > 0) into.push(w)
      }
    }
  }
  return segments
}

/** JavaScript's `\s`: white space and line terminators. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13)
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/**
 * Where bilingual posts put the two versions apart: new lines, sentence ends, " / " or " | ".
 * The offsets just after each match of `/\n+|\s[/|•]\s|(?<=[.!?])\s+/g`, found by one pass over
 * the text instead of the expression (whose look-behind was tried at every character): the same
 * alternatives in the same order, each search starting where the last match ended.
 */
function segmentBreaks(text: string): number[] {
  const out: number[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 10) {
      // \n+
      let j = i + 1
      while (j < n && text.charCodeAt(j) === 10) j++
      out.push(j)
      i = j
      continue
    }
    if (isSpace(c)) {
      // \s[/|•]\s
      if (i + 2 < n) {
        const d = text.charCodeAt(i + 1)
        if ((d === 47 || d === 124 || d === 0x2022) && isSpace(text.charCodeAt(i + 2))) {
          out.push(i + 3)
          i += 3
          continue
        }
      }
      // (?<=[.!?])\s+
      const p = i > 0 ? text.charCodeAt(i - 1) : 0
      if (p === 46 || p === 33 || p === 63) {
        let j = i + 1
        while (j < n && isSpace(text.charCodeAt(j))) j++
        out.push(j)
        i = j
        continue
      }
    }
    i++
  }
  return out
}

function trigramsOf(word: string, into: (g: string) => void): void {
  // Apostrophes split clitics off: "mae'r" gives " mae " and " r ".
  for (const part of word.split("'")) {
    if (part === '') continue
    const padded = ` ${part} `
    for (let i = 0; i + 3 <= padded.length; i++) into(padded.slice(i, i + 3))
  }
}

function buildProfile(code: string, sample: string, stopWords: ReadonlySet<string>, prior: number): Profile {
  const trigrams = new Map<string, number>()
  const words = new Map<string, number>()
  const addWord = (w: string, n: number): void => {
    words.set(w, (words.get(w) ?? 0) + n)
    trigramsOf(w, (g) => trigrams.set(g, (trigrams.get(g) ?? 0) + n))
  }
  for (const w of languageWords(sample)) addWord(w, 1)
  for (const w of stopWords) addWord(lettersOnly(w), 1)
  let trigramTotal = 0
  for (const n of trigrams.values()) trigramTotal += n
  let wordTotal = 0
  for (const n of words.values()) wordTotal += n
  return { code, trigrams, words, trigramTotal, wordTotal, prior }
}

const PROFILES: readonly Profile[] = [
  buildProfile('en', ENGLISH_SAMPLE, ENGLISH_STOP_WORDS, 0),
  buildProfile('cy', WELSH_SAMPLE, WELSH_STOP_WORDS, 0),
  ...Object.entries(OTHER_SAMPLES).map(([code, sample]) =>
    buildProfile(code, sample, new Set(), Math.log(0.3)),
  ),
]

const TRIGRAM_VOCAB = new Set(PROFILES.flatMap((p) => [...p.trigrams.keys()])).size + 1000
const WORD_VOCAB = new Set(PROFILES.flatMap((p) => [...p.words.keys()])).size + 5000

interface RawScores {
  readonly codes: string[]
  readonly logScores: number[]
  readonly letters: number
}

const CODES = PROFILES.map((p) => p.code)
const P = PROFILES.length

/**
 * What one word adds to each profile's log score: its trigrams plus the word itself. Words
 * repeat a lot across posts, so the sums are kept (up to `WORD_CACHE_LIMIT` words, then the
 * cache starts again) and a text costs one lookup per word.
 */
const wordCache = new Map<string, Float64Array>()
const WORD_CACHE_LIMIT = 50_000
const T_DEN = PROFILES.map((p) => Math.log(p.trigramTotal + ALPHA * TRIGRAM_VOCAB))
const W_DEN = PROFILES.map((p) => Math.log(p.wordTotal + ALPHA * WORD_VOCAB))

function wordScores(word: string): Float64Array {
  let scores = wordCache.get(word)
  if (scores) return scores
  scores = new Float64Array(P)
  const trigrams: string[] = []
  trigramsOf(word, (g) => trigrams.push(g))
  for (let k = 0; k < P; k++) {
    const p = PROFILES[k]!
    let s = 0
    for (const g of trigrams) s += Math.log((p.trigrams.get(g) ?? 0) + ALPHA) - T_DEN[k]!
    s += WORD_WEIGHT * (Math.log((p.words.get(word) ?? 0) + ALPHA) - W_DEN[k]!)
    scores[k] = s
  }
  if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear()
  wordCache.set(word, scores)
  return scores
}

function rawScores(words: readonly string[]): RawScores {
  let letters = 0
  const sums = new Float64Array(P)
  for (const w of words) {
    letters += w.includes("'") ? w.replace(/'/g, '').length : w.length
    const s = wordScores(w)
    for (let k = 0; k < P; k++) sums[k]! += s[k]!
  }
  // Trigrams of one word are far from independent, so the raw sum is overconfident:
  // temper it, so a two-word text reads as "probably", not "certainly".
  const logScores = PROFILES.map((p, k) => sums[k]! * TEMPERATURE + p.prior)
  return { codes: CODES, logScores, letters }
}

function softmax(xs: readonly number[]): number[] {
  const m = Math.max(...xs)
  const e = xs.map((x) => Math.exp(x - m))
  const s = e.reduce((a, b) => a + b, 0)
  return e.map((x) => x / s)
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}

function guessWords(
  words: readonly string[],
  options: DetectLanguageOptions,
): Omit<LanguageGuess, 'bilingual'> {
  const minLetters = options.minLetters ?? 3
  const threshold = options.threshold ?? 0.6
  const { codes, logScores, letters } = rawScores(words)
  if (letters < minLetters || words.length === 0) {
    return { language: 'und', confidence: 0, scores: { en: 0, cy: 0, other: 1 }, closest: null }
  }
  const p = softmax(logScores)
  const en = p[codes.indexOf('en')]!
  const cy = p[codes.indexOf('cy')]!
  let best = 0
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i
  const closest = codes[best]!
  const scores = { en: round(en), cy: round(cy), other: round(1 - en - cy) }
  if ((closest === 'en' || closest === 'cy') && p[best]! >= threshold) {
    return { language: closest, confidence: round(p[best]!), scores, closest }
  }
  return { language: 'und', confidence: round(p[best]!), scores, closest }
}

/**
 * Detects whether a text is English or Welsh.
 *
 * @example
 * detectLanguage('Diolch yn fawr am eich help heddiw!').language // 'cy'
 * detectLanguage('Thanks so much for your help today!').language // 'en'
 * detectLanguage('👍👍').language // 'und'
 */
export function detectLanguage(text: string, options: DetectLanguageOptions = {}): LanguageGuess {
  // Bilingual posts put the two versions in separate lines or sentences, or split them with "/" or "|".
  const breaks = segmentBreaks(text)
  const bySegment = languageWordsBySegment(text, breaks)
  const whole = guessWords(bySegment.length === 1 ? bySegment[0]! : bySegment.flat(), options)
  const segments = bySegment.filter((ws) => ws.length >= 2)
  let sawEn = false
  let sawCy = false
  if (segments.length >= 2) {
    for (const ws of segments) {
      const g = guessWords(ws, { ...options, threshold: 0.8 })
      if (g.language === 'en') sawEn = true
      if (g.language === 'cy') sawCy = true
    }
  }
  const bilingual = sawEn && sawCy
  if (bilingual && whole.language === 'und') {
    // Both halves are clear: report the larger one, as the whole text is not "undetermined".
    const language = whole.scores.cy > whole.scores.en ? 'cy' : 'en'
    return { ...whole, language, confidence: whole.scores[language], bilingual }
  }
  return { ...whole, bilingual }
}
