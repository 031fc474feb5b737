/**
 * Similarity of short texts: TF-IDF vectors and cosine similarity, with nearest-neighbour
 * search through an inverted index. Used for "similar petitions" before submitting, duplicate
 * detection in moderation, statement similarity in deliberation, and as the input to topic
 * clustering.
 *
 * Terms are content words (stemmed for English) and pairs of adjacent content words, so
 * "bin collection" matches "bin collections" and counts more than "bin" and "collection"
 * apart. With `subwords`, character 4-grams are added at a lower weight, which catches
 * spelling variants ("pot-holes", "potholes", "pothole's") at some cost in speed.
 */
import type { LanguageCode } from './language.js'
import { contentPhrases, formOf, resolveLanguage, type TermLanguage } from './terms.js'

/** A sparse vector: term ids ascending, with their weights; L2 norm 1 unless empty. */
export interface SparseVector {
  readonly ids: Uint32Array
  readonly weights: Float64Array
}

export interface VectorizerOptions {
  /** Language of the texts; 'auto' (default) detects each text's language. */
  readonly language?: TermLanguage | LanguageCode
  /** Add pairs of adjacent content words. Default true. */
  readonly bigrams?: boolean
  /** Add character 4-grams of words at weight 0.3. Default false. */
  readonly subwords?: boolean
}

export interface Neighbour<Id> {
  readonly id: Id
  readonly score: number
}

const BIGRAM_WEIGHT = 0.7
const SUBWORD_WEIGHT = 0.3

/** Terms of one text with raw weights, plus the forms seen for display. */
function termsOf(
  text: string,
  options: VectorizerOptions,
): { counts: Map<string, number>; forms: Array<[string, string]> } {
  const language = resolveLanguage(text, options.language)
  const counts = new Map<string, number>()
  const forms: Array<[string, string]> = []
  const add = (term: string, w: number): void => {
    counts.set(term, (counts.get(term) ?? 0) + w)
  }
  for (const phrase of contentPhrases(text, language)) {
    for (let i = 0; i < phrase.length; i++) {
      const w = phrase[i]!
      add(w.key, 1)
      forms.push([w.key, formOf(w)])
      if (options.subwords && !w.hashtag) {
        const padded = `<${w.key}>`
        for (let j = 0; j + 4 <= padded.length; j++) add('~' + padded.slice(j, j + 4), SUBWORD_WEIGHT)
      }
      if ((options.bigrams ?? true) && i + 1 < phrase.length) {
        const next = phrase[i + 1]!
        const key = w.key + ' ' + next.key
        add(key, BIGRAM_WEIGHT)
        forms.push([key, formOf(w) + ' ' + formOf(next)])
      }
    }
  }
  return { counts, forms }
}

/**
 * A collection of texts with TF-IDF vectors, for similarity and nearest-neighbour search.
 * IDF is computed from the texts in the index; adding texts updates it.
 *
 * @example
 * const index = new TextIndex<number>()
 * for (const p of petitions) index.add(p.id, p.action + ' ' + p.background)
 * index.nearest('Fix the potholes on our roads', { k: 5, minScore: 0.3 })
 */
export class TextIndex<Id = number> {
  readonly #options: VectorizerOptions
  readonly #termIds = new Map<string, number>()
  readonly #terms: string[] = []
  readonly #df: number[] = []
  readonly #ids: Id[] = []
  readonly #positions = new Map<Id, number>()
  readonly #raw: Array<Map<number, number>> = []
  readonly #forms = new Map<number, Map<string, number>>()
  #vectors: SparseVector[] | null = null
  #postings: Array<Array<[number, number]>> | null = null

  constructor(options: VectorizerOptions = {}) {
    this.#options = options
  }

  get size(): number {
    return this.#ids.length
  }

  get ids(): readonly Id[] {
    return this.#ids
  }

  /** Adds a text under an id. Adding an id twice throws. */
  add(id: Id, text: string): void {
    if (this.#positions.has(id)) throw new Error(`TextIndex: id ${String(id)} added twice`)
    const { counts, forms } = termsOf(text, this.#options)
    const raw = new Map<number, number>()
    for (const [term, c] of counts) {
      let tid = this.#termIds.get(term)
      if (tid === undefined) {
        tid = this.#terms.length
        this.#termIds.set(term, tid)
        this.#terms.push(term)
        this.#df.push(0)
      }
      this.#df[tid]!++
      raw.set(tid, c)
    }
    for (const [term, form] of forms) {
      const tid = this.#termIds.get(term)!
      const m = this.#forms.get(tid) ?? new Map<string, number>()
      m.set(form, (m.get(form) ?? 0) + 1)
      this.#forms.set(tid, m)
    }
    this.#positions.set(id, this.#ids.length)
    this.#ids.push(id)
    this.#raw.push(raw)
    this.#vectors = null
    this.#postings = null
  }

  /** Smoothed IDF of a term id: log((1 + N) / (1 + df)) + 1. */
  #idf(tid: number): number {
    return Math.log((1 + this.#ids.length) / (1 + (this.#df[tid] ?? 0))) + 1
  }

  #weigh(raw: ReadonlyMap<number, number>): SparseVector {
    const entries = [...raw.entries()].sort((a, b) => a[0] - b[0])
    const ids = new Uint32Array(entries.length)
    const weights = new Float64Array(entries.length)
    let norm = 0
    entries.forEach(([tid, c], j) => {
      // Sublinear term frequency: a word said three times is not three times as relevant.
      // (Bigrams and subwords arrive with fractional counts below 1, kept as they are.)
      const w = (c > 1 ? 1 + Math.log(c) : c) * this.#idf(tid)
      ids[j] = tid
      weights[j] = w
      norm += w * w
    })
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
    for (let j = 0; j < weights.length; j++) weights[j]! *= scale
    return { ids, weights }
  }

  #ensure(): { vectors: SparseVector[]; postings: Array<Array<[number, number]>> } {
    if (!this.#vectors || !this.#postings) {
      this.#vectors = this.#raw.map((r) => this.#weigh(r))
      const postings: Array<Array<[number, number]>> = this.#terms.map(() => [])
      this.#vectors.forEach((v, doc) => {
        for (let j = 0; j < v.ids.length; j++) postings[v.ids[j]!]!.push([doc, v.weights[j]!])
      })
      this.#postings = postings
    }
    return { vectors: this.#vectors, postings: this.#postings }
  }

  /** The vector of a text in this index's term space (terms the index has never seen are dropped). */
  vectorize(text: string): SparseVector {
    const { counts } = termsOf(text, this.#options)
    const raw = new Map<number, number>()
    for (const [term, c] of counts) {
      const tid = this.#termIds.get(term)
      if (tid !== undefined) raw.set(tid, c)
    }
    return this.#weigh(raw)
  }

  /** The stored vector of an indexed text. */
  vectorOf(id: Id): SparseVector {
    const pos = this.#positions.get(id)
    if (pos === undefined) throw new Error(`TextIndex: unknown id ${String(id)}`)
    return this.#ensure().vectors[pos]!
  }

  /** All stored vectors, in the order the texts were added. */
  vectors(): readonly SparseVector[] {
    return this.#ensure().vectors
  }

  /** A term's text and best display form ("bin collection"). */
  term(tid: number): { readonly key: string; readonly display: string } {
    const key = this.#terms[tid]
    if (key === undefined) throw new Error(`TextIndex: unknown term ${tid}`)
    const forms = this.#forms.get(tid)
    let display = key
    if (forms) {
      let best = -1
      let allCapitalised = true
      for (const [form, n] of forms) {
        if (n > best || (n === best && form < display)) {
          display = form
          best = n
        }
        if (!/^[#\p{Lu}]/u.test(form)) allCapitalised = false
      }
      if (!allCapitalised) display = display.toLowerCase()
    }
    return { key, display }
  }

  /** Number of indexed texts containing a term id. */
  documentFrequency(tid: number): number {
    return this.#df[tid] ?? 0
  }

  /** Cosine similarity of two texts, weighted by this index's IDF. */
  similarity(a: string, b: string): number {
    return cosine(this.vectorize(a), this.vectorize(b))
  }

  /**
   * The indexed texts most similar to a query text (or to an indexed id), best first.
   * `minScore` drops weak matches; `exclude` drops ids (the query itself, say).
   */
  nearest(
    query: string | { readonly id: Id },
    options: { readonly k?: number; readonly minScore?: number; readonly exclude?: (id: Id) => boolean } = {},
  ): Neighbour<Id>[] {
    const k = options.k ?? 5
    const minScore = options.minScore ?? 0
    const { postings } = this.#ensure()
    let selfPos = -1
    let v: SparseVector
    if (typeof query === 'string') v = this.vectorize(query)
    else {
      selfPos = this.#positions.get(query.id) ?? -1
      v = this.vectorOf(query.id)
    }
    const scores = new Map<number, number>()
    for (let j = 0; j < v.ids.length; j++) {
      const qw = v.weights[j]!
      for (const [doc, w] of postings[v.ids[j]!]!) scores.set(doc, (scores.get(doc) ?? 0) + qw * w)
    }
    const out: Neighbour<Id>[] = []
    for (const [doc, score] of scores) {
      if (doc === selfPos || score < minScore || score <= 0) continue
      const id = this.#ids[doc]!
      if (options.exclude?.(id)) continue
      out.push({ id, score: Math.round(score * 10000) / 10000 })
    }
    out.sort((a, b) => b.score - a.score || this.#positions.get(a.id)! - this.#positions.get(b.id)!)
    return out.slice(0, k)
  }

  /**
   * Pairs of indexed texts at least `threshold` similar: candidate duplicates. Each pair once,
   * the earlier-added id first, best first.
   */
  similarPairs(threshold = 0.5): Array<{ readonly a: Id; readonly b: Id; readonly score: number }> {
    const out: Array<{ a: Id; b: Id; score: number }> = []
    for (let i = 0; i < this.#ids.length; i++) {
      const id = this.#ids[i]!
      for (const n of this.nearest({ id }, { k: this.#ids.length, minScore: threshold })) {
        if (this.#positions.get(n.id)! > i) out.push({ a: id, b: n.id, score: n.score })
      }
    }
    return out.sort((x, y) => y.score - x.score)
  }
}

/** Cosine similarity of two L2-normalised sparse vectors (a merge of the sorted ids). */
export function cosine(a: SparseVector, b: SparseVector): number {
  let i = 0
  let j = 0
  let s = 0
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!
    const y = b.ids[j]!
    if (x === y) {
      s += a.weights[i]! * b.weights[j]!
      i++
      j++
    } else if (x < y) i++
    else j++
  }
  return Math.round(s * 10000) / 10000
}

/**
 * Similarity of two texts on their own, from 0 to 1: cosine of their term vectors with the
 * two texts as the whole collection. For many comparisons against one collection, build a
 * `TextIndex`, whose IDF is more telling.
 *
 * @example
 * textSimilarity('Fix the potholes on Church Road', 'Pothole on Church Road needs fixing') // ≈ 0.64
 */
export function textSimilarity(a: string, b: string, options: VectorizerOptions = {}): number {
  const index = new TextIndex<number>(options)
  index.add(0, a)
  index.add(1, b)
  return cosine(index.vectorOf(0), index.vectorOf(1))
}
