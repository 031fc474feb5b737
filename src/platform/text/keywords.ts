/**
 * Keywords and keyphrases, for English and Welsh.
 *
 * For one text, in the manner of RAKE (Rose et al., 2010): stop words and punctuation cut the
 * text into runs of content words, and every run of up to three words is a candidate. A
 * candidate scores its number of occurrences times the mean weight of its words (1 + log of
 * the word's frequency in the text, times its inverse document frequency when a collection's
 * `DocumentFrequencies` is given, so words common to every text such as "council" sink),
 * with a bonus per extra word. Candidates are taken best first, skipping any that overlaps
 * one already taken.
 *
 * For a collection, `corpusKeywords` ranks terms and two- and three-word phrases by how many
 * texts use them, preferring a phrase over its words when the phrase accounts for most uses.
 */
import type { LanguageCode } from './language.js'
import {
  type ContentWord,
  contentPhrases,
  displayForm,
  formOf,
  resolveLanguage,
  type TermLanguage,
  termKey,
} from './terms.js'

export interface Keyword {
  /** The keyword as it is best shown ("bin collection", "Cardiff", "#BikeLane"). */
  readonly term: string
  /** Matching key, stemmed and lower case. */
  readonly key: string
  readonly score: number
  /** Occurrences in the text, or number of texts for `corpusKeywords`. */
  readonly count: number
  readonly words: number
}

export interface KeywordOptions {
  /** Most keywords returned. Default 10. */
  readonly limit?: number
  /** Language of the text; 'auto' (default) detects it. 'und' uses English and Welsh stop words. */
  readonly language?: TermLanguage | LanguageCode
  /** Longest phrase, in words. Default 3. */
  readonly maxWords?: number
  /** Document frequencies of a collection, to weight words by rarity. */
  readonly frequencies?: DocumentFrequencies
}

/**
 * Counts in how many texts each term occurs, for IDF weighting.
 *
 * @example
 * const df = new DocumentFrequencies()
 * for (const post of posts) df.add(post)
 * extractKeywords(post, { frequencies: df })
 */
export class DocumentFrequencies {
  #counts = new Map<string, number>()
  #documents = 0
  readonly #language: TermLanguage | LanguageCode

  constructor(language: TermLanguage | LanguageCode = 'auto') {
    this.#language = language
  }

  add(text: string): void {
    const language = resolveLanguage(text, this.#language)
    const keys = new Set<string>()
    for (const phrase of contentPhrases(text, language)) for (const w of phrase) keys.add(w.key)
    for (const k of keys) this.#counts.set(k, (this.#counts.get(k) ?? 0) + 1)
    this.#documents++
  }

  get documents(): number {
    return this.#documents
  }

  /** Smoothed inverse document frequency, log((1 + N) / (1 + df)) + 1. */
  idf(key: string): number {
    return Math.log((1 + this.#documents) / (1 + (this.#counts.get(key) ?? 0))) + 1
  }
}

/**
 * Keywords and keyphrases of one text, best first.
 *
 * @example
 * extractKeywords('Bin collection in Splott missed again. Third missed bin collection this month!')
 * // [{ term: 'bin collection', … }, { term: 'missed', … }, { term: 'Splott', … }, …]
 */
export function extractKeywords(text: string, options: KeywordOptions = {}): Keyword[] {
  const limit = options.limit ?? 10
  const maxWords = options.maxWords ?? 3
  const language = resolveLanguage(text, options.language)
  const phrases = contentPhrases(text, language)

  const tf = new Map<string, number>()
  for (const phrase of phrases) for (const w of phrase) tf.set(w.key, (tf.get(w.key) ?? 0) + 1)
  const frequencies = options.frequencies

  // Candidates: every run of up to `maxWords` content words (a connector such as the "y" in
  // "Heol y Frenhines" never starts or ends one).
  const candidates = new Map<string, Candidate>()
  for (const phrase of phrases) {
    // Each word's weight, form and connector flag, once per position rather than per run.
    const len = phrase.length
    const weights = new Array<number>(len)
    const forms = new Array<string>(len)
    const connector = new Array<boolean>(len)
    for (let j = 0; j < len; j++) {
      const w = phrase[j]!
      weights[j] = (1 + Math.log(tf.get(w.key) ?? 1)) * (frequencies ? frequencies.idf(w.key) : 1)
      forms[j] = formOf(w)
      connector[j] = isConnector(w)
    }
    // Each run grows one word at a time from its first word, so its key and form are built
    // incrementally rather than sliced and joined for every length.
    for (let i = 0; i < phrase.length; i++) {
      if (connector[i]) continue
      let key = ''
      let form = ''
      for (let n = 1; n <= maxWords && i + n <= phrase.length; n++) {
        const w = phrase[i + n - 1]!
        key = n === 1 ? w.key : `${key} ${w.key}`
        form = n === 1 ? forms[i]! : `${form} ${forms[i + n - 1]!}`
        if (n > 1 && connector[i + n - 1]) continue
        const e = candidates.get(key)
        if (e === undefined) {
          // The parts' weights are summed in the order of the parts, as a mean of them always was.
          const parts: string[] = []
          let weightSum = 0
          for (let j = i; j < i + n; j++) {
            if (connector[j]) continue
            parts.push(phrase[j]!.key)
            weightSum += weights[j]!
          }
          candidates.set(key, {
            count: 1,
            words: n,
            firstForm: form,
            firstCount: 1,
            forms: null,
            parts,
            weightSum,
          })
        } else {
          e.count++
          addForm(e, form)
        }
      }
    }
  }
  // Score: occurrences × mean word weight. A phrase that recurs, or a name ("Cowbridge Road
  // East", "#BikeLane"), gets a bonus per word; a one-off run of three ordinary words a small
  // penalty, so "cyclist nearly came" does not beat "cyclist".
  const scored: Scored[] = []
  for (const [key, e] of candidates) {
    const mean = e.weightSum / Math.max(1, e.parts.length)
    const form = candidateForm(e)
    const name = form.charCodeAt(0) === HASH || startsUpper(form)
    const extra = e.parts.length - 1
    const shape = e.count > 1 || name ? 1 + 0.3 * extra : 1 - 0.15 * Math.max(0, extra - 1)
    scored.push({ key, e, form, score: e.count * mean * shape * (name ? 1.2 : 1) })
  }
  scored.sort(byScore)
  // Greedy selection without overlap: skip a candidate inside, or containing, one already taken.
  // A hashtag and the same word written plainly ("#bins", "bins") are one keyword.
  const taken: Keyword[] = []
  const takenPadded: string[] = []
  const takenWords: (readonly string[] | null)[] = []
  for (const { key, e, form, score } of scored) {
    if (taken.length >= limit) break
    const plainKey = plainKeyOf(key, language)
    const padded = ` ${plainKey} `
    let overlaps = false
    for (const k of takenPadded) {
      if (k.includes(padded) || padded.includes(k)) {
        overlaps = true
        break
      }
    }
    if (overlaps) continue
    // Nor may a phrase straddle one already taken ("collection missed" after "bin collection").
    if (e.parts.length > 1 && takenWords.some((ws) => ws?.some((w) => e.parts.includes(w)))) continue
    taken.push({
      term: form,
      key,
      score: round(score),
      count: e.count,
      words: e.parts.length,
    })
    takenPadded.push(padded)
    takenWords.push(e.parts.length > 1 ? plainKey.split(' ') : null)
  }
  return taken
}

interface Candidate {
  count: number
  readonly words: number
  /** The first form seen and its count; `forms` takes over once a second form turns up. */
  readonly firstForm: string
  firstCount: number
  forms: Map<string, number> | null
  readonly parts: string[]
  /** The sum of the parts' weights. */
  readonly weightSum: number
}

interface Scored {
  readonly key: string
  readonly e: Candidate
  readonly form: string
  readonly score: number
}

const HASH = 35

function byScore(a: Scored, b: Scored): number {
  return b.score - a.score || b.e.words - a.e.words || a.key.localeCompare(b.key)
}

function addForm(e: Candidate, form: string): void {
  if (e.forms === null) {
    if (form === e.firstForm) {
      e.firstCount++
      return
    }
    e.forms = new Map([[e.firstForm, e.firstCount]])
  }
  e.forms.set(form, (e.forms.get(form) ?? 0) + 1)
}

/** `displayForm` of the candidate's forms, without building a map for the usual single form. */
function candidateForm(e: Candidate): string {
  if (e.forms !== null) return displayForm(e.forms)
  const form = e.firstForm
  if (form.charCodeAt(0) === HASH) return form
  return startsUpper(form) ? form : form.toLowerCase()
}

/** `/^\p{Lu}/u.test(s)`, without the regex for the usual ASCII first letter. */
function startsUpper(s: string): boolean {
  const c = s.charCodeAt(0)
  if (c < 128) return c >= 65 && c <= 90
  return /^\p{Lu}/u.test(s)
}

/** A key as compared for overlaps: a hashtag's key is that of the word written plainly. */
function plainKeyOf(key: string, language: LanguageCode): string {
  return key.charCodeAt(0) === HASH ? termKey(key.slice(1), language) : key
}

function isConnector(w: ContentWord): boolean {
  // The set first: it rules out almost every word without lower-casing it.
  return NAME_CONNECTOR_KEYS.has(w.key) && w.key === w.surface.toLowerCase()
}

const NAME_CONNECTOR_KEYS: ReadonlySet<string> = new Set([
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

export interface CorpusKeywordOptions {
  readonly limit?: number
  readonly language?: TermLanguage | LanguageCode
  /** Longest phrase, in words. Default 3. */
  readonly maxWords?: number
  /** Terms used by fewer texts are dropped. Default 2. */
  readonly minCount?: number
}

/**
 * The terms a collection of texts talks about most, best first: each term is scored by the
 * number of texts using it, with multi-word phrases preferred when they carry most of their
 * words' uses ("bin collection" rather than "bin" and "collection").
 */
export function corpusKeywords(texts: readonly string[], options: CorpusKeywordOptions = {}): Keyword[] {
  const limit = options.limit ?? 20
  const maxWords = options.maxWords ?? 3
  const minCount = options.minCount ?? 2
  const df = new Map<string, { count: number; words: number; forms: Map<string, number> }>()
  for (const text of texts) {
    const language = resolveLanguage(text, options.language)
    const seen = new Map<string, { words: number; form: string }>()
    for (const phrase of contentPhrases(text, language)) {
      for (let n = 1; n <= maxWords; n++) {
        for (let i = 0; i + n <= phrase.length; i++) {
          const slice = phrase.slice(i, i + n)
          seen.set(slice.map((w) => w.key).join(' '), { words: n, form: slice.map(formOf).join(' ') })
        }
      }
    }
    for (const [key, { words, form }] of seen) {
      const e = df.get(key) ?? { count: 0, words, forms: new Map<string, number>() }
      e.count++
      e.forms.set(form, (e.forms.get(form) ?? 0) + 1)
      df.set(key, e)
    }
  }
  // For each term, the most texts that use a longer phrase containing it.
  const containing = new Map<string, number>()
  for (const [key, e] of df) {
    if (e.words < 2 || e.count < minCount) continue
    const parts = key.split(' ')
    for (let n = 1; n < parts.length; n++) {
      for (let i = 0; i + n <= parts.length; i++) {
        const sub = parts.slice(i, i + n).join(' ')
        containing.set(sub, Math.max(containing.get(sub) ?? 0, e.count))
      }
    }
  }
  const kept: Keyword[] = []
  for (const [key, e] of df) {
    if (e.count < minCount) continue
    const inLonger = containing.get(key) ?? 0
    // A word used (almost) only inside a longer phrase is represented by that phrase; so is
    // a phrase whose longer version is used by exactly the same texts.
    if (e.words === 1 ? inLonger >= 0.8 * e.count : inLonger >= e.count) continue
    let score = e.count * (1 + 0.5 * (e.words - 1))
    if (e.words === 1 && inLonger >= 0.5 * e.count) score *= 0.5
    kept.push({ term: displayForm(e.forms), key, score: round(score), count: e.count, words: e.words })
  }
  return kept
    .sort((a, b) => b.score - a.score || b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, limit)
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}
