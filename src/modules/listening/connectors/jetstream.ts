/**
 * Bluesky through Jetstream (JSON over WebSocket; https://github.com/bluesky-social/jetstream):
 * `app.bsky.feed.post` commit events, filtered here with a listening query (Jetstream cannot
 * filter by words). The cursor is the last handled event's `time_us`; a reconnect asks for
 * events from a little before it, so nothing falls in the gap, and the unique index drops the
 * repeats.
 */
import type { RawPost } from '../domain/post.js'
import { type CompiledQuery, compileQuery, parseQuery } from '../domain/query/index.js'
import type { StreamConnector, StreamMessage } from './stream.js'

export const JETSTREAM_DEFAULT = 'wss://jetstream2.us-east.bsky.network'
/** Replayed on reconnect: 2 seconds of events before the cursor. */
export const REWIND_US = 2_000_000

export interface JetstreamConfig {
  readonly endpoint: string
  /** A listening query; only matching posts are kept. */
  readonly filter: string
}

export function jetstreamConfig(config: Readonly<Record<string, unknown>>): JetstreamConfig {
  const endpoint = String(config['endpoint'] ?? JETSTREAM_DEFAULT).replace(/\/+$/, '')
  if (!/^wss?:\/\/[^/\s]+/.test(endpoint)) throw new Error('endpoint must be a ws:// or wss:// address')
  const filter = String(config['filter'] ?? '').trim()
  if (!filter) throw new Error('filter must be a listening query, e.g. bins OR #binday')
  parseQuery(filter)
  return { endpoint, filter }
}

interface Facet {
  features?: { $type?: unknown; tag?: unknown; did?: unknown; uri?: unknown }[]
}

/** One Jetstream message as a post, a deletion, nothing of interest, or malformed (null). */
export function jetstreamMessage(data: string, filter: CompiledQuery | null): StreamMessage | null {
  let event: unknown
  try {
    event = JSON.parse(data)
  } catch {
    return null
  }
  if (!event || typeof event !== 'object') return null
  const e = event as { did?: unknown; time_us?: unknown; kind?: unknown; commit?: Record<string, unknown> }
  if (typeof e.time_us !== 'number' || typeof e.did !== 'string') return null
  const cursor = e.time_us
  if (e.kind !== 'commit') return { cursor }
  const c = e.commit
  if (!c || typeof c !== 'object' || typeof c['rkey'] !== 'string' || typeof c['collection'] !== 'string')
    return null
  if (c['collection'] !== 'app.bsky.feed.post') return { cursor }
  const externalId = `at://${e.did}/app.bsky.feed.post/${c['rkey']}`
  if (c['operation'] === 'delete') return { cursor, deleted: [externalId] }
  if (c['operation'] !== 'create') return { cursor }
  const record = c['record'] as Record<string, unknown> | undefined
  if (!record || typeof record['text'] !== 'string' || typeof record['createdAt'] !== 'string') return null
  if (Number.isNaN(Date.parse(record['createdAt']))) return null
  if (record['text'].trim() === '') return { cursor }
  const hashtags: string[] = []
  const mentions: string[] = []
  for (const f of (Array.isArray(record['facets']) ? record['facets'] : []) as Facet[])
    for (const feature of Array.isArray(f?.features) ? f.features : []) {
      if (feature?.$type === 'app.bsky.richtext.facet#tag' && typeof feature.tag === 'string')
        hashtags.push(feature.tag)
      if (feature?.$type === 'app.bsky.richtext.facet#mention' && typeof feature.did === 'string')
        mentions.push(feature.did)
    }
  const langs = Array.isArray(record['langs'])
    ? record['langs'].filter((l): l is string => typeof l === 'string')
    : []
  const post: RawPost = {
    externalId,
    url: `https://bsky.app/profile/${e.did}/post/${c['rkey']}`,
    author: e.did,
    text: record['text'],
    lang: langs[0] ?? null,
    publishedAt: new Date(record['createdAt']).toISOString(),
    hashtags,
    mentions,
  }
  if (filter) {
    const keep = filter({
      text: post.text!,
      author: post.author ?? null,
      lang: post.lang ?? null,
      source: 'bluesky',
      site: 'bsky.app',
      places: [],
      hashtags,
      mentions,
    })
    if (!keep) return { cursor }
  }
  return { cursor, posts: [post] }
}

export const jetstreamConnector: StreamConnector = {
  url(source) {
    const { endpoint } = jetstreamConfig(source.config)
    const url = new URL(`${endpoint}/subscribe`)
    url.searchParams.set('wantedCollections', 'app.bsky.feed.post')
    const cursor = source.state['cursor']
    if (typeof cursor === 'number' && cursor > 0)
      url.searchParams.set('cursor', String(Math.max(0, cursor - REWIND_US)))
    return url.toString()
  },
  parser(source) {
    const filter = compileQuery(parseQuery(jetstreamConfig(source.config).filter))
    return (data) => jetstreamMessage(data, filter)
  },
  stateFor(state, message) {
    return typeof message.cursor === 'number' ? { ...state, cursor: message.cursor } : state
  },
}
