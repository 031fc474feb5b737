/**
 * The text engine: tokenising, language detection, keywords, places, similarity, topics and
 * sentiment, all local and offline. Every module reads text through these functions.
 *
 * @example
 * import { analyseText } from '../platform/text/index.js'
 * const a = analyseText('Bins not collected in Splott again 😡 #bins')
 * a.language.language // 'en'
 * a.sentiment.label // 'negative'
 */
import { extractKeywords, type Keyword, type KeywordOptions } from './keywords.js'
import { type DetectLanguageOptions, detectLanguage, type LanguageGuess } from './language.js'
import { type FindPlacesOptions, findPlaces, type PlaceMatch } from './places.js'
import {
  defaultSentimentModel,
  type SentimentModel,
  type SentimentResult,
  welshLexiconSentiment,
} from './sentiment.js'

export {
  type CorpusKeywordOptions,
  corpusKeywords,
  DocumentFrequencies,
  extractKeywords,
  type Keyword,
  type KeywordOptions,
} from './keywords.js'
export {
  type DetectLanguageOptions,
  detectLanguage,
  type LanguageCode,
  type LanguageGuess,
} from './language.js'
export { type ClassificationReport, evaluateLabels } from './metrics.js'
export {
  type FindPlacesOptions,
  findPlaces,
  Gazetteer,
  type PlaceEntry,
  type PlaceMatch,
  UK_PLACES,
  ukGazetteer,
  welshMutations,
} from './places.js'
export {
  adaptSentimentModel,
  DEFAULT_SENTIMENT_MODEL_PATH,
  defaultSentimentModel,
  isSentimentLabel,
  type LabelledText,
  loadSentimentModel,
  parseSentimentModel,
  SENTIMENT_LABELS,
  type SentimentLabel,
  SentimentModel,
  type SentimentResult,
  serializeSentimentModel,
  type TrainSentimentOptions,
  trainSentimentModel,
  welshLexiconSentiment,
} from './sentiment.js'
export {
  cosine,
  type Neighbour,
  type SparseVector,
  TextIndex,
  textSimilarity,
  type VectorizerOptions,
} from './similarity.js'
export { ENGLISH_STOP_WORDS, isStopWord, stopWordsFor, WELSH_STOP_WORDS } from './stopwords.js'
export {
  decodeEntities,
  isElongated,
  normalizeToken,
  splitHashtag,
  squeezeRepeats,
  stem,
  type Token,
  type TokenizeOptions,
  type TokenType,
  tokenize,
  words,
} from './tokenize.js'
export {
  AGGLOMERATIVE_LIMIT,
  type ClusterOptions,
  clusterTopics,
  type Topic,
  type TopicResult,
} from './topics.js'

export interface SentimentOptions {
  /** Use this model instead of the shipped one (for example one retrained with staff corrections). */
  readonly model?: SentimentModel
  /** Skip detection when the language is known (Mastodon and Bluesky posts carry one). */
  readonly language?: 'en' | 'cy' | 'und'
}

/**
 * Sentiment of a text, routed by language: Welsh goes to the Welsh word-list scorer,
 * everything else to the trained English model.
 *
 * @example
 * sentiment('Gwasanaeth ardderchog, diolch!').label // 'positive' (method 'lexicon')
 */
export function sentiment(text: string, options: SentimentOptions = {}): SentimentResult {
  const language = options.language ?? detectLanguage(text).language
  if (language === 'cy') return welshLexiconSentiment(text)
  return (options.model ?? defaultSentimentModel()).predict(text)
}

export interface TextAnalysis {
  readonly language: LanguageGuess
  readonly sentiment: SentimentResult
  readonly keywords: readonly Keyword[]
  readonly places: readonly PlaceMatch[]
}

export interface AnalyseOptions {
  readonly language?: DetectLanguageOptions
  readonly keywords?: Omit<KeywordOptions, 'language'>
  readonly places?: FindPlacesOptions
  readonly model?: SentimentModel
}

/**
 * Everything about one text at once: language, sentiment, keywords and places. Keywords
 * use the detected language's stop words.
 */
export function analyseText(text: string, options: AnalyseOptions = {}): TextAnalysis {
  const language = detectLanguage(text, options.language)
  return {
    language,
    sentiment: sentiment(text, {
      language: language.language,
      ...(options.model ? { model: options.model } : {}),
    }),
    keywords: extractKeywords(text, { ...options.keywords, language: language.language }),
    places: findPlaces(text, options.places),
  }
}
