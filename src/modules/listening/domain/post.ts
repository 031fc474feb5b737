/**
 * Posts as connectors hand them over (`RawPost`), the checks every item passes before it is
 * stored (a malformed item is skipped and counted, never fatal), and the analysis every post
 * gets once: plain text, language, sentiment, keywords, places and topic.
 */
import {
  detectLanguage,
  extractKeywords,
  findPlaces,
  type Gazetteer,
  sentiment,
} from '../../../platform/text/index.js'
import { htmlToText } from './html.js'
import { hostOf } from './query/index.js'

/** Connector types; `network` on a post and `source:` in queries. */
export const SOURCE_TYPES = ['mastodon', 'mastodon-stream', 'bluesky', 'rss', 'import', 'webhook'] as const
export type SourceType = (typeof SOURCE_TYPES)[number]

export function isSourceType(value: unknown): value is SourceType {
  return typeof value === 'string' && (SOURCE_TYPES as readonly string[]).includes(value)
}

/** The network name a source type stores on its posts (`source:mastodon` finds both Mastodon kinds). */
export function networkOf(type: SourceType): string {
  return type === 'mastodon-stream' ? 'mastodon' : type
}

/** A post as a connector found it. Either `text` or `html`. */
export interface RawPost {
  readonly externalId: string
  readonly url?: string | null
  readonly author?: string | null
  readonly authorName?: string | null
  readonly text?: string | null
  readonly html?: string | null
  /** Language the network reports (BCP 47), if any. */
  readonly lang?: string | null
  /** ISO-8601. */
  readonly publishedAt: string
  readonly hashtags?: readonly string[]
  readonly mentions?: readonly string[]
}

/** Longest text analysed and stored per post (articles are cut). */
export const MAX_POST_TEXT = 10_000

const str = (v: unknown): v is string => typeof v === 'string'

/**
 * Checks an item from a webhook, a file or a network: a non-empty id, text or HTML, and a valid
 * date. Returns the post, or null when the item is malformed (the caller counts it).
 */
export function validateRawPost(value: unknown): RawPost | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null
  const v = value as Record<string, unknown>
  const id = v['externalId'] ?? v['id']
  const externalId = typeof id === 'number' ? String(id) : id
  if (!str(externalId) || externalId.trim() === '' || externalId.length > 500) return null
  const text = v['text']
  const html = v['html']
  if (!(str(text) && text.trim() !== '') && !(str(html) && html.trim() !== '')) return null
  const published = v['publishedAt'] ?? v['published_at'] ?? v['createdAt']
  if (!str(published)) return null
  const date = new Date(published)
  if (Number.isNaN(date.getTime())) return null
  const list = (x: unknown): string[] | undefined =>
    Array.isArray(x)
      ? x.filter(str).slice(0, 50)
      : str(x) && x.trim()
        ? x.split(/[\s,]+/).filter(Boolean)
        : undefined
  const hashtags = list(v['hashtags'])
  const mentions = list(v['mentions'])
  const optional = (k: string): string | null =>
    str(v[k]) && (v[k] as string).trim() ? (v[k] as string) : null
  return {
    externalId: externalId.trim(),
    url: optional('url'),
    author: optional('author'),
    authorName: optional('authorName'),
    ...(str(text) && text.trim() !== '' ? { text } : {}),
    ...(str(html) && html.trim() !== '' ? { html } : {}),
    lang: optional('lang'),
    publishedAt: date.toISOString(),
    ...(hashtags ? { hashtags } : {}),
    ...(mentions ? { mentions } : {}),
  }
}

/** A post with its analysis, ready to store. */
export interface AnalysedPost {
  readonly externalId: string
  readonly url: string | null
  readonly site: string | null
  readonly author: string | null
  readonly authorName: string | null
  readonly text: string
  readonly lang: string
  readonly publishedAt: string
  readonly sentiment: 'negative' | 'neutral' | 'positive'
  readonly sentimentScore: number
  readonly keywords: readonly string[]
  readonly places: readonly string[]
  readonly hashtags: readonly string[]
  readonly mentions: readonly string[]
  readonly topic: string | null
}

export interface AnalyseOptions {
  /** The council's own place names (wards, streets, community councils). */
  readonly gazetteer?: Gazetteer | readonly string[]
}

const HASHTAG = /(?:^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu
const MENTION = /(?:^|[^\p{L}\p{N}_.@/])@([\p{L}\p{N}_]+(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?)/gu

/** Lower-cased, without a leading `#` / `@`, each once: the network's list first, then the text's. */
function uniqueLower(
  reported: readonly string[] | undefined,
  text: string,
  pattern: RegExp,
  mark: string,
): string[] {
  const seen = new Set<string>()
  if (reported) for (const item of reported) addLower(seen, item)
  // Most posts have no `#` or `@` at all: no need to run the pattern over them.
  if (text.includes(mark)) for (const m of text.matchAll(pattern)) addLower(seen, m[1]!)
  return [...seen]
}

function addLower(seen: Set<string>, item: string): void {
  const c = item.charCodeAt(0)
  const v = (c === 35 || c === 64 ? item.slice(1) : item).toLowerCase()
  if (v) seen.add(v)
}

/** The analysis every post gets once, before it is stored. */
export function analysePost(raw: RawPost, options: AnalyseOptions = {}): AnalysedPost {
  let text = raw.html ? htmlToText(raw.html) : (raw.text ?? '').trim()
  if (text.length > MAX_POST_TEXT) text = text.slice(0, MAX_POST_TEXT)
  const detected = detectLanguage(text)
  // Detection knows English and Welsh; for other text the network's own tag is the better guess.
  const reported = raw.lang ? raw.lang.toLowerCase().replace(/_/g, '-') : null
  const lang = detected.language !== 'und' ? detected.language : (reported ?? 'und')
  const mood = sentiment(text, { language: detected.language === 'cy' ? 'cy' : 'en' })
  const keywords = extractKeywords(text, {
    language: detected.language,
    limit: 5,
  }).map((k) => k.term)
  const places = findPlaces(text, options.gazetteer ? { gazetteer: options.gazetteer } : {}).map(
    (p) => p.name,
  )
  const hashtags = uniqueLower(raw.hashtags, text, HASHTAG, '#')
  const mentions = uniqueLower(raw.mentions, text, MENTION, '@')
  return {
    externalId: raw.externalId,
    url: raw.url ?? null,
    site: hostOf(raw.url ?? null),
    author: raw.author ?? null,
    authorName: raw.authorName ?? null,
    text,
    lang,
    publishedAt: raw.publishedAt,
    sentiment: mood.label,
    sentimentScore: mood.score,
    keywords,
    places: [...new Set(places)],
    hashtags,
    mentions,
    topic: keywords[0] ?? null,
  }
}
