/**
 * Sentiment of short English social text: negative, neutral or positive, with a score.
 *
 * The model is a multinomial logistic regression (softmax) over hashed features: word
 * unigrams with negation scope marking, word bigrams, character n-grams of words, and a few
 * counts (emoji and emoticon polarity, opinion words from `lexicon.ts`, elongated words,
 * capitals, "!" and "?"). It is trained by `trainSentimentModel` (AdaGrad with weight
 * averaging and a fixed seed, so a run is reproducible) on the SemEval 2013–2016 tweets:
 * `scripts/train-sentiment.ts` does that and writes `model/sentiment.json`, which is loaded
 * on first use. Nothing is downloaded at run time.
 *
 * Welsh text is routed to a small lexicon scorer (`welshLexiconSentiment`), since the model
 * has only seen English.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { SRC } from '../paths.js'
import {
  baseEmoji,
  ENGLISH_NEGATIVE_WORDS,
  ENGLISH_POSITIVE_WORDS,
  isEnglishNegator,
  symbolPolarity,
  WELSH_NEGATIVE_WORDS,
  WELSH_NEGATORS,
  WELSH_POSITIVE_WORDS,
} from './lexicon.js'
import { seededRandom } from './random.js'
import { decodeEntities, isAscii, isElongated, splitHashtag, squeezeRepeats, tokenize } from './tokenize.js'

export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number]

export function isSentimentLabel(value: unknown): value is SentimentLabel {
  return typeof value === 'string' && (SENTIMENT_LABELS as readonly string[]).includes(value)
}

/** A text with its label; `weight` (default 1) makes an example count more in training. */
export interface LabelledText {
  readonly text: string
  readonly label: SentimentLabel
  readonly weight?: number
}

export interface SentimentResult {
  readonly label: SentimentLabel
  /** From -1 (surely negative) to +1 (surely positive): P(positive) − P(negative). */
  readonly score: number
  /** Probability of the chosen label. */
  readonly confidence: number
  readonly probabilities: Readonly<Record<SentimentLabel, number>>
  /** `model` for the trained English model, `lexicon` for the Welsh word-list scorer. */
  readonly method: 'model' | 'lexicon'
}

/** Where the shipped model lives. */
export const DEFAULT_SENTIMENT_MODEL_PATH = join(SRC, 'platform', 'text', 'model', 'sentiment.json')

const MODEL_FORMAT = 'townsquare-sentiment/1'
const K = SENTIMENT_LABELS.length

// ---------------------------------------------------------------------------------------
// Features

/** Feature settings; stored in the model file so a model is always read the way it was trained. */
export interface FeatureSettings {
  /** Hash table size is 2^bits. */
  readonly bits: number
  /** Character n-gram lengths, inclusive. 0 turns them off. */
  readonly charMin: number
  readonly charMax: number
  /** Weight of one character n-gram relative to one word. */
  readonly charWeight: number
  readonly wordBigrams: boolean
  readonly wordTrigrams: boolean
}

export const DEFAULT_FEATURES: FeatureSettings = {
  bits: 20,
  charMin: 2,
  charMax: 5,
  charWeight: 0.5,
  wordBigrams: true,
  wordTrigrams: false,
}

// Hashing. Every feature is a string such as `w:council` or `b:bins missed`, hashed with 32-bit
// FNV-1a over its UTF-16 code units. The strings are never built: the hash runs over the parts
// (a prefix state, the word, a separator) one after the other, which gives the same number.

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** FNV-1a state `h` continued over the code units of `s`. */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME)
  return h
}

/** 32-bit FNV-1a over UTF-16 code units. */
function hash(s: string): number {
  return fnv(FNV_OFFSET, s) >>> 0
}

const H_WORD = fnv(FNV_OFFSET, 'w:')
const H_EXTRA = fnv(FNV_OFFSET, 'x:')
const H_BIGRAM = fnv(FNV_OFFSET, 'b:')
const H_CHAR = fnv(FNV_OFFSET, 'c:')
const H_BIGRAM_START = fnv(fnv(H_BIGRAM, '<s>'), ' ')
const NEG_SUFFIX = '_NEG'
const SPACE = 32
const LT = 60
const GT = 62

/** A sparse, L2-normalised feature vector. */
export interface FeatureVector {
  readonly indices: Int32Array
  readonly values: Float32Array
}

/**
 * Feature counts of one text: an open-addressing hash table from feature index to count that keeps
 * first-insertion order (the order of the old `Map`, so sums come out bit for bit the same). One
 * table is reused for every text: nothing is allocated per feature.
 */
class FeatureCounts {
  keys = new Int32Array(4096).fill(-1)
  counts = new Float64Array(4096)
  /** Slots in first-insertion order. */
  order = new Int32Array(2048)
  size = 0

  add(index: number, weight: number): void {
    const mask = this.keys.length - 1
    let slot = (index ^ (index >>> 11)) & mask
    for (;;) {
      const k = this.keys[slot]!
      if (k === index) {
        this.counts[slot]! += weight
        return
      }
      if (k === -1) break
      slot = (slot + 1) & mask
    }
    this.keys[slot] = index
    this.counts[slot] = weight
    this.order[this.size++] = slot
    if (this.size * 2 >= this.keys.length) this.#grow()
  }

  #grow(): void {
    const oldKeys = this.keys
    const oldCounts = this.counts
    const oldOrder = this.order
    const n = this.size
    this.keys = new Int32Array(oldKeys.length * 2).fill(-1)
    this.counts = new Float64Array(oldKeys.length * 2)
    this.order = new Int32Array(oldKeys.length)
    this.size = 0
    for (let j = 0; j < n; j++) this.add(oldKeys[oldOrder[j]!]!, oldCounts[oldOrder[j]!]!)
  }

  clear(): void {
    for (let j = 0; j < this.size; j++) this.keys[this.order[j]!] = -1
    this.size = 0
  }
}

const CLAUSE_END = /^[.,!?;:]+$|^\.\.+$|^…$/

/** True when some code unit appears three times in a row (a cheap test before the regexes). */
function hasTripleOrSurrogate(s: string): boolean {
  let prev = -1
  let run = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdfff) return true
    if (c === prev) {
      if (++run >= 2) return true
    } else {
      prev = c
      run = 0
    }
  }
  return false
}

/** The model's token sequence of one text, in reused buffers. */
interface SentimentTokens {
  /** Lower case, elongations squeezed, links, mentions and numbers replaced by placeholders. */
  readonly plain: string[]
  /** 1 where the word is inside a negation scope (its unigram gets `_NEG`). */
  negated: Uint8Array
  readonly extra: string[]
}

const TOKENS: SentimentTokens = { plain: [], negated: new Uint8Array(256), extra: [] }

/**
 * The token sequence the model reads: lower case, elongations squeezed, links, mentions and
 * numbers replaced by placeholders, words inside a negation scope flagged for a `_NEG` suffix.
 */
function sentimentTokens(text: string): SentimentTokens {
  const { plain, extra } = TOKENS
  plain.length = 0
  extra.length = 0
  let negated = false
  let pos = 0
  let neg = 0
  let emojiPos = 0
  let emojiNeg = 0
  let lastPolarity = 0
  let exclaim = 0
  let question = 0
  let elongated = 0
  let capitals = 0
  const source = text.includes('&') ? decodeEntities(text) : text
  for (const t of tokenize(source, { splitContractions: false })) {
    let w: string
    const type = t.type
    switch (type) {
      case 'url':
        w = '<url>'
        break
      case 'email':
        w = '<email>'
        break
      case 'mention':
        w = '@user'
        break
      case 'number': {
        const c0 = t.text.charCodeAt(0)
        w =
          c0 === 0xa3 || c0 === 0x24 || c0 === 0x20ac
            ? '<money>'
            : t.text.endsWith('%')
              ? '<percent>'
              : '<num>'
        break
      }
      case 'emoji': {
        w = baseEmoji(t.text)
        const p = symbolPolarity(t.text)
        if (p > 0) emojiPos++
        if (p < 0) emojiNeg++
        lastPolarity = p
        break
      }
      case 'emoticon': {
        w = t.text.includes('-') ? t.text.replace(/-/g, '').toLowerCase() : t.text.toLowerCase()
        const p = symbolPolarity(t.text)
        if (p > 0) emojiPos++
        if (p < 0) emojiNeg++
        lastPolarity = p
        break
      }
      case 'hashtag':
        w = hasTripleOrSurrogate(t.norm) ? squeezeRepeats(t.norm) : t.norm
        for (const part of splitHashtag(t.text)) extra.push(part)
        break
      case 'punct':
        w = t.text.length > 1 && /^[!?]+$/.test(t.text) ? t.text.slice(0, 2) : t.text
        if (t.text.includes('!')) exclaim++
        if (t.text.includes('?')) question++
        break
      default: {
        const norm = t.norm
        if (hasTripleOrSurrogate(norm)) {
          if (isElongated(norm)) elongated++
          w = squeezeRepeats(norm)
        } else {
          w = norm
        }
        // An ASCII text equal to its lower-case form has no capitals (some other letters, such as
        // 𝒳, are capitals without a lower-case form, so only ASCII takes the shortcut).
        if (
          t.text.length >= 3 &&
          (t.text !== norm || !isAscii(t.text)) &&
          t.text === t.text.toUpperCase() &&
          /\p{Lu}/u.test(t.text)
        )
          capitals++
      }
    }
    const isWord = type === 'word' || type === 'hashtag'
    if (isWord) {
      let bare = w
      if (bare.charCodeAt(0) === 35) bare = bare.slice(1)
      if (bare.includes("'")) bare = bare.replace(/'/g, '')
      const polarity = ENGLISH_POSITIVE_WORDS.has(bare) ? 1 : ENGLISH_NEGATIVE_WORDS.has(bare) ? -1 : 0
      const effective = negated ? -polarity : polarity
      if (effective > 0) pos++
      if (effective < 0) neg++
    }
    const i = plain.length
    if (i >= TOKENS.negated.length) {
      const grown = new Uint8Array(TOKENS.negated.length * 2)
      grown.set(TOKENS.negated)
      TOKENS.negated = grown
    }
    plain.push(w)
    TOKENS.negated[i] = negated && isWord ? 1 : 0
    if (type === 'punct') {
      if (CLAUSE_END.test(t.text)) negated = false
    } else if (type === 'word') {
      const norm = t.norm
      if (
        norm.includes("'")
          ? isEnglishNegator(norm.replace(/'/g, '')) || isEnglishNegator(norm)
          : isEnglishNegator(norm)
      )
        negated = true
      else if (norm === 'but') negated = false
    }
  }
  extra.push(LEX_POS[Math.min(pos, 3)]!, LEX_NEG[Math.min(neg, 3)]!)
  if (pos > neg) extra.push('LEX>')
  if (neg > pos) extra.push('LEX<')
  extra.push(EMO_POS[Math.min(emojiPos, 3)]!, EMO_NEG[Math.min(emojiNeg, 3)]!)
  if (lastPolarity !== 0) extra.push(`EMO_LAST=${lastPolarity}`)
  extra.push(EXCL[Math.min(exclaim, 2)]!, QUES[Math.min(question, 2)]!)
  if (elongated > 0) extra.push('ELONG')
  if (capitals > 0) extra.push(CAPS[Math.min(capitals, 2)]!)
  return TOKENS
}

// The count features' names, built once rather than for every text.
const names = (prefix: string, max: number): readonly string[] =>
  Array.from({ length: max + 1 }, (_, i) => `${prefix}=${i}`)
const LEX_POS = names('LEX_POS', 3)
const LEX_NEG = names('LEX_NEG', 3)
const EMO_POS = names('EMO_POS', 3)
const EMO_NEG = names('EMO_NEG', 3)
const EXCL = names('EXCL', 2)
const QUES = names('QUES', 2)
const CAPS = names('CAPS', 2)

// Scratch space for character n-grams: the padded word's code units, code point starts, and the
// hashes of the n-grams starting at each code point (rows by length).
let units = new Uint16Array(64)
let starts = new Int32Array(64)
let gramHashes = new Int32Array(64 * 8)
let gramOut = new Int32Array(256)

/** The character n-gram hashes of one word (`<word>`, by length then position, as always). */
function charGrams(w: string, settings: FeatureSettings): Int32Array {
  const len = w.length + 2
  if (len > units.length) {
    units = new Uint16Array(len * 2)
    starts = new Int32Array(len * 2 + 1)
  }
  units[0] = LT
  for (let i = 0; i < w.length; i++) units[i + 1] = w.charCodeAt(i)
  units[len - 1] = GT
  // Code point starts (a surrogate pair is one character, as with Array.from).
  let cps = 0
  for (let i = 0; i < len; i++) {
    const c = units[i]!
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = units[i - 1]!
      if (p >= 0xd800 && p <= 0xdbff) continue
    }
    starts[cps++] = i
  }
  starts[cps] = len
  const { charMin, charMax } = settings
  const rows = charMax + 1
  if (cps * rows > gramHashes.length) gramHashes = new Int32Array(cps * rows * 2)
  if (cps * rows > gramOut.length) gramOut = new Int32Array(cps * rows * 2)
  // Hash the n-grams starting at each code point, growing one character at a time.
  for (let i = 0; i < cps; i++) {
    let h = H_CHAR
    for (let n = 1; n <= charMax && i + n <= cps; n++) {
      for (let u = starts[i + n - 1]!; u < starts[i + n]!; u++) h = Math.imul(h ^ units[u]!, FNV_PRIME)
      gramHashes[i * rows + n] = h
    }
  }
  let count = 0
  for (let n = charMin; n <= charMax; n++)
    for (let i = 0; i + n <= cps; i++) gramOut[count++] = gramHashes[i * rows + n]!
  return gramOut.slice(0, count)
}

/**
 * What one word of the model's token sequence contributes, whatever its neighbours: the hash of
 * its unigram, the bigram hash state after it, and its character n-gram hashes. The same few
 * thousand words make up most posts, so these are remembered (per feature settings, up to
 * `WORD_FEATURE_CACHE` words, then the cache starts again); the counts and sums are still made
 * per text, in the same order, so the answers are the same bit for bit.
 */
interface WordFeatures {
  readonly unigram: number
  readonly bigramState: number
  readonly grams: Int32Array
}

const NO_GRAMS = new Int32Array(0)
const WORD_FEATURE_CACHE = 50_000
let wordFeatureSettings: FeatureSettings | null = null
const wordFeatureCache = new Map<string, WordFeatures>()

function wordFeatures(w: string, settings: FeatureSettings): WordFeatures {
  if (wordFeatureSettings !== settings) {
    wordFeatureCache.clear()
    wordFeatureSettings = settings
  }
  let f = wordFeatureCache.get(w)
  if (f !== undefined) return f
  const skipGrams = settings.charMin <= 0 || w.length < 2 || w.charCodeAt(0) === LT || w === '@user'
  f = {
    unigram: fnv(H_WORD, w),
    bigramState: Math.imul(fnv(H_BIGRAM, w) ^ SPACE, FNV_PRIME),
    grams: skipGrams ? NO_GRAMS : charGrams(w, settings),
  }
  if (wordFeatureCache.size >= WORD_FEATURE_CACHE) wordFeatureCache.clear()
  wordFeatureCache.set(w, f)
  return f
}

const COUNTS = new FeatureCounts()
let wordBuffer: WordFeatures[] = []

/** Fills the reused `COUNTS` table with the features of a text. */
function countFeatures(text: string, settings: FeatureSettings): FeatureCounts {
  const mask = (1 << settings.bits) - 1
  const counts = COUNTS
  counts.clear()
  const { plain, negated, extra } = sentimentTokens(text)
  const n = plain.length
  if (wordBuffer.length < n) wordBuffer = new Array<WordFeatures>(n * 2)
  const feats = wordBuffer
  for (let i = 0; i < n; i++) {
    const f = wordFeatures(plain[i]!, settings)
    feats[i] = f
    let h = f.unigram
    if (negated[i] === 1) h = fnv(h, NEG_SUFFIX)
    counts.add(h & mask, 1)
  }
  for (const x of extra) counts.add(fnv(H_EXTRA, x) & mask, 1)
  if (settings.wordBigrams) {
    let prev = H_BIGRAM_START
    for (let i = 0; i < n; i++) {
      counts.add(fnv(prev, plain[i]!) & mask, 1)
      prev = feats[i]!.bigramState
    }
    counts.add(fnv(prev, '</s>') & mask, 1)
  }
  if (settings.wordTrigrams) {
    const seq = ['<s>', ...plain, '</s>']
    for (let i = 0; i + 3 <= seq.length; i++)
      counts.add(hash('t:' + seq[i] + ' ' + seq[i + 1] + ' ' + seq[i + 2]) & mask, 1)
  }
  if (settings.charMin > 0) {
    const charWeight = settings.charWeight
    for (let i = 0; i < n; i++) {
      const grams = feats[i]!.grams
      for (let j = 0; j < grams.length; j++) counts.add(grams[j]! & mask, charWeight)
    }
  }
  return counts
}

/**
 * Turns a text into the model's hashed feature vector.
 */
export function sentimentFeatures(text: string, settings: FeatureSettings = DEFAULT_FEATURES): FeatureVector {
  const c = countFeatures(text, settings)
  const n = c.size
  const indices = new Int32Array(n)
  const values = new Float32Array(n)
  let norm = 0
  for (let j = 0; j < n; j++) {
    const slot = c.order[j]!
    const v = c.counts[slot]!
    indices[j] = c.keys[slot]!
    values[j] = v
    norm += v * v
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
  for (let k = 0; k < n; k++) values[k]! *= scale
  return { indices, values }
}

// ---------------------------------------------------------------------------------------
// Model

export interface SentimentModelInfo {
  readonly trainedAt?: string
  readonly trainingExamples?: number
  readonly extraExamples?: number
  readonly validation?: { readonly accuracy: number; readonly macroRecall: number; readonly examples: number }
  readonly notes?: string
}

/** A trained model. Create one with `trainSentimentModel`, or load one with `loadSentimentModel`. */
export class SentimentModel {
  readonly features: FeatureSettings
  /** Weights, `index * 3 + class`. */
  readonly weights: Float32Array
  readonly bias: Float32Array
  readonly info: SentimentModelInfo

  constructor(
    features: FeatureSettings,
    weights: Float32Array,
    bias: Float32Array,
    info: SentimentModelInfo = {},
  ) {
    if (weights.length !== (1 << features.bits) * K)
      throw new Error('sentiment model: weights do not match bits')
    this.features = features
    this.weights = weights
    this.bias = bias
    this.info = info
  }

  /** Class probabilities in the order of `SENTIMENT_LABELS`. */
  probabilities(text: string): [number, number, number] {
    return softmax(this.#scores(text))
  }

  /**
   * The three class scores, straight from the feature counts: no feature vector is built. The
   * arithmetic is that of `sentimentFeatures` followed by the dot products (float32 values, the
   * same order), so the answers are the same bit for bit.
   */
  #scores(text: string): [number, number, number] {
    const c = countFeatures(text, this.features)
    const { order, counts, keys } = c
    const n = c.size
    let norm = 0
    for (let j = 0; j < n; j++) {
      const v = counts[order[j]!]!
      norm += v * v
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
    const w = this.weights
    let z0 = this.bias[0]!
    let z1 = this.bias[1]!
    let z2 = this.bias[2]!
    for (let j = 0; j < n; j++) {
      const slot = order[j]!
      const v = Math.fround(Math.fround(counts[slot]!) * scale)
      const base = keys[slot]! * K
      z0 += w[base]! * v
      z1 += w[base + 1]! * v
      z2 += w[base + 2]! * v
    }
    return [z0, z1, z2]
  }

  /**
   * Label and score for one text.
   *
   * @example
   * model.predict('Bins not collected again, third week running 😡').label // 'negative'
   */
  predict(text: string): SentimentResult {
    return resultFrom(this.probabilities(text), 'model')
  }

  predictLabel(text: string): SentimentLabel {
    // The largest score has the largest probability: no exponentials needed.
    const z = this.#scores(text)
    return SENTIMENT_LABELS[argmax(z)]!
  }
}

function softmax(z: [number, number, number]): [number, number, number] {
  const m = Math.max(z[0], z[1], z[2])
  const e0 = Math.exp(z[0] - m)
  const e1 = Math.exp(z[1] - m)
  const e2 = Math.exp(z[2] - m)
  const s = e0 + e1 + e2
  return [e0 / s, e1 / s, e2 / s]
}

function argmax(p: readonly number[]): number {
  let best = 0
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i
  return best
}

function resultFrom(p: readonly [number, number, number], method: 'model' | 'lexicon'): SentimentResult {
  const best = argmax(p)
  return {
    label: SENTIMENT_LABELS[best]!,
    score: round(p[2] - p[0]),
    confidence: round(p[best]!),
    probabilities: { negative: round(p[0]), neutral: round(p[1]), positive: round(p[2]) },
    method,
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000
}

// ---------------------------------------------------------------------------------------
// Training

export interface TrainSentimentOptions {
  /** Passes over the data. Default 6. */
  readonly epochs?: number
  /** Seed of the shuffling order. Default 20261129. */
  readonly seed?: number
  /** AdaGrad base step. Default 0.1. */
  readonly learningRate?: number
  /**
   * Class weighting: each class's loss is scaled by (N / (3 n_c))^power. The default, 1, weighs
   * the classes equally, which is what macro-averaged recall rewards; 0 turns weighting off.
   */
  readonly classWeightPower?: number
  readonly features?: FeatureSettings
  /**
   * Extra labelled examples, e.g. staff corrections of a label. They are added to the
   * training data with `extraWeight` (default 3), so a correction counts more than one tweet.
   */
  readonly extra?: readonly LabelledText[]
  readonly extraWeight?: number
  /** Called after each epoch with the mean training loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void
  readonly info?: SentimentModelInfo
}

/**
 * Trains a model from labelled texts. Deterministic: the same data, order and options give
 * the same weights.
 *
 * @example
 * const model = trainSentimentModel(tweets, { extra: staffCorrections })
 * writeFileSync(path, serializeSentimentModel(model))
 */
export function trainSentimentModel(
  examples: readonly LabelledText[],
  options: TrainSentimentOptions = {},
): SentimentModel {
  const features = options.features ?? DEFAULT_FEATURES
  const extraWeight = options.extraWeight ?? 3
  const all: LabelledText[] = [...examples]
  for (const e of options.extra ?? []) all.push({ ...e, weight: (e.weight ?? 1) * extraWeight })
  if (all.length === 0) throw new Error('trainSentimentModel: no examples')
  const size = 1 << features.bits
  return runAdaGrad(all, new Float32Array(size * K), new Float32Array(K), features, options)
}

/**
 * Adapts an existing model to new examples (staff corrections) without the original
 * training data: a few gentle passes over the corrections starting from the model's
 * weights. Use `trainSentimentModel` with `extra` when the full data is at hand.
 */
export function adaptSentimentModel(
  model: SentimentModel,
  corrections: readonly LabelledText[],
  options: TrainSentimentOptions = {},
): SentimentModel {
  if (corrections.length === 0) return model
  return runAdaGrad(
    corrections,
    Float32Array.from(model.weights),
    Float32Array.from(model.bias),
    model.features,
    {
      epochs: 3,
      learningRate: 0.1,
      classWeightPower: 0,
      ...options,
      info: { ...model.info, ...options.info },
    },
  )
}

function runAdaGrad(
  data: readonly LabelledText[],
  w: Float32Array,
  b: Float32Array,
  features: FeatureSettings,
  options: TrainSentimentOptions,
): SentimentModel {
  const epochs = options.epochs ?? 6
  const lr = options.learningRate ?? 0.1
  const power = options.classWeightPower ?? 1
  const random = seededRandom(options.seed ?? 20261129)

  const xs = data.map((e) => sentimentFeatures(e.text, features))
  const ys = data.map((e) => SENTIMENT_LABELS.indexOf(e.label))
  if (ys.some((y) => y < 0)) throw new Error('trainSentimentModel: unknown label')
  const counts = [0, 0, 0]
  for (const y of ys) counts[y]!++
  const classWeight = counts.map((n) => (n > 0 ? (data.length / (K * n)) ** power : 1))

  // AdaGrad state, plus Daumé's trick for the running average of the weights:
  // w̄ = w − u / c, where every update Δ made at step c adds c·Δ to u.
  const g2 = new Float32Array(w.length)
  const u = new Float32Array(w.length)
  const gb = new Float64Array(K)
  const ub = new Float64Array(K)
  let c = 1
  const order = Array.from(data.keys())
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const tmp = order[i]!
      order[i] = order[j]!
      order[j] = tmp
    }
    let loss = 0
    for (const n of order) {
      const x = xs[n]!
      const y = ys[n]!
      const weight = classWeight[y]! * (data[n]!.weight ?? 1)
      const z: [number, number, number] = [b[0]!, b[1]!, b[2]!]
      for (let j = 0; j < x.indices.length; j++) {
        const base = x.indices[j]! * K
        const v = x.values[j]!
        z[0] += w[base]! * v
        z[1] += w[base + 1]! * v
        z[2] += w[base + 2]! * v
      }
      const p = softmax(z)
      loss -= weight * Math.log(Math.max(p[y]!, 1e-12))
      for (let k = 0; k < K; k++) {
        const g = weight * (p[k]! - (k === y ? 1 : 0))
        if (g === 0) continue
        gb[k]! += g * g
        const db = (-lr * g) / Math.sqrt(gb[k]! + 1e-8)
        b[k]! += db
        ub[k]! += c * db
        for (let j = 0; j < x.indices.length; j++) {
          const idx = x.indices[j]! * K + k
          const gi = g * x.values[j]!
          g2[idx]! += gi * gi
          const d = (-lr * gi) / Math.sqrt(g2[idx]! + 1e-8)
          w[idx]! += d
          u[idx]! += c * d
        }
      }
      c++
    }
    options.onEpoch?.(epoch, loss / order.length)
  }
  for (let i = 0; i < w.length; i++) w[i]! -= u[i]! / c
  for (let k = 0; k < K; k++) b[k]! -= ub[k]! / c
  return new SentimentModel(features, w, b, options.info ?? {})
}

// ---------------------------------------------------------------------------------------
// Model file

/** The JSON shape of `model/sentiment.json`. */
export interface SentimentModelFile {
  readonly format: typeof MODEL_FORMAT
  readonly labels: readonly SentimentLabel[]
  readonly features: FeatureSettings
  readonly bias: readonly number[]
  /** Weights as int8 = round(w / scale), the scale mapping the largest |w| to 127; raw-deflated; base64. */
  readonly scale: number
  readonly weights: string
  readonly info: SentimentModelInfo
}

/**
 * Serialises a model as compact JSON: weights quantised to 8 bits and deflated.
 * On the shipped model the 8-bit weights give the same validation figures as the float ones.
 */
export function serializeSentimentModel(
  model: SentimentModel,
  info: SentimentModelInfo = model.info,
): string {
  const w = model.weights
  let maxAbs = 0
  for (let i = 0; i < w.length; i++) maxAbs = Math.max(maxAbs, Math.abs(w[i]!))
  const scale = maxAbs > 0 ? maxAbs / 127 : 1
  const q = new Int8Array(w.length)
  for (let i = 0; i < w.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i]! / scale)))
  const packed = deflateRawSync(Buffer.from(q.buffer), { level: 9 }).toString('base64')
  const file: SentimentModelFile = {
    format: MODEL_FORMAT,
    labels: [...SENTIMENT_LABELS],
    features: model.features,
    bias: Array.from(model.bias, (v) => Number(v.toPrecision(6))),
    scale: Number(scale.toPrecision(8)),
    weights: packed,
    info,
  }
  return JSON.stringify(file) + '\n'
}

/** Reads a model from the JSON text written by `serializeSentimentModel`. */
export function parseSentimentModel(json: string): SentimentModel {
  const file = JSON.parse(json) as Partial<SentimentModelFile>
  if (file.format !== MODEL_FORMAT) throw new Error(`sentiment model: expected format ${MODEL_FORMAT}`)
  if (!file.features || typeof file.weights !== 'string' || typeof file.scale !== 'number' || !file.bias)
    throw new Error('sentiment model: missing fields')
  const bytes = inflateRawSync(Buffer.from(file.weights, 'base64'))
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const w = new Float32Array(q.length)
  const scale = file.scale
  for (let i = 0; i < q.length; i++) w[i] = q[i]! * scale
  return new SentimentModel(file.features, w, Float32Array.from(file.bias), file.info ?? {})
}

/** Loads a model file (default: the shipped `model/sentiment.json`). */
export function loadSentimentModel(path: string = DEFAULT_SENTIMENT_MODEL_PATH): SentimentModel {
  return parseSentimentModel(readFileSync(path, 'utf8'))
}

let shipped: SentimentModel | undefined

/** The shipped model, loaded once on first use. */
export function defaultSentimentModel(): SentimentModel {
  shipped ??= loadSentimentModel()
  return shipped
}

// ---------------------------------------------------------------------------------------
// Welsh

/**
 * A word-list scorer for Welsh: counts opinion words (with their common mutated forms) and
 * emoji, and flips a word after "ddim", "nid", "heb" and similar within three words.
 * Cruder than the English model, and marked `method: 'lexicon'`.
 */
export function welshLexiconSentiment(text: string): SentimentResult {
  let score = 0
  let recentNegator = -10
  const tokens = tokenize(decodeEntities(text))
  tokens.forEach((t, i) => {
    if (t.type === 'emoji' || t.type === 'emoticon') {
      score += symbolPolarity(t.text)
      return
    }
    if (t.type !== 'word' && t.type !== 'hashtag') return
    // "mae'n", "sy'n", "i'r": the clitic is not part of the opinion word.
    const w = t.norm.replace(/^#/, '').replace(/'.*$/, '')
    if (WELSH_NEGATORS.has(w)) {
      recentNegator = i
      return
    }
    const polarity = WELSH_POSITIVE_WORDS.has(w) ? 1 : WELSH_NEGATIVE_WORDS.has(w) ? -1 : 0
    score += i - recentNegator <= 3 ? -polarity : polarity
  })
  // Map the integer score to pseudo-probabilities: 0 → neutral (60 %); ±1 → 55 % for the
  // leaning side, ±2 → 72.5 %, ±3 → 81 %, approaching 90 %.
  const strength = 1 - 0.5 ** Math.abs(score)
  const lean = 0.2 + 0.7 * strength
  const rest = (1 - lean) / 2
  const p: [number, number, number] =
    score > 0 ? [rest, rest, lean] : score < 0 ? [lean, rest, rest] : [0.2, 0.6, 0.2]
  return resultFrom(p, 'lexicon')
}
