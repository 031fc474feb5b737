/**
 * RSS 2.0 and Atom feeds: fetched with `If-None-Match` / `If-Modified-Since` (a 304 costs
 * nothing), parsed by @extractus/feed-extractor from the text we fetched, each entry a post keyed
 * by its guid / id (or link). The unique index keeps an entry seen before from being stored twice.
 */
import { extractFromXml, type FeedEntry } from '@extractus/feed-extractor'
import { getOk } from '../../../platform/http/outbound.js'
import type { RawPost } from '../domain/post.js'
import type { PollConnector } from './types.js'

export function feedConfig(config: Readonly<Record<string, unknown>>): { url: string } {
  const url = String(config['url'] ?? '')
  if (!/^https?:\/\/\S+$/.test(url)) throw new Error('url must be the http(s) address of an RSS or Atom feed')
  return { url }
}

/** Entries of a feed document as posts, with the number of malformed entries. */
export function feedToPosts(
  xml: string,
  now: Date,
): { posts: RawPost[]; skipped: number; title: string | null } {
  const feed = extractFromXml(xml, {
    descriptionMaxLen: 0,
    useISODateFormat: true,
    getExtraEntryFields: (entry) => {
      const e = entry as Record<string, unknown>
      const author = e['author'] ?? e['dc:creator']
      const name =
        typeof author === 'string'
          ? author
          : author && typeof author === 'object'
            ? (author as { name?: unknown }).name
            : null
      const guid = e['guid']
      const guidText =
        typeof guid === 'string'
          ? guid
          : guid && typeof guid === 'object'
            ? (guid as { '#text'?: unknown })['#text']
            : null
      return {
        authorName: typeof name === 'string' ? name : null,
        guid: typeof guidText === 'string' ? guidText : null,
      }
    },
  })
  const posts: RawPost[] = []
  let skipped = 0
  for (const entry of (feed.entries ?? []) as (FeedEntry & {
    authorName?: string | null
    guid?: string | null
  })[]) {
    const id = entry.guid || entry.id || entry.link
    const title = typeof entry.title === 'string' ? entry.title.trim() : ''
    const body = typeof entry.description === 'string' ? entry.description.trim() : ''
    if (!id || (!title && !body)) {
      skipped++
      continue
    }
    const published =
      entry.published && !Number.isNaN(Date.parse(entry.published)) ? entry.published : now.toISOString()
    const text = title && body && !body.startsWith(title) ? `${title}\n\n${body}` : title || body
    posts.push({
      externalId: String(id).slice(0, 500),
      url: entry.link ?? null,
      author: entry.authorName ?? null,
      authorName: entry.authorName ?? null,
      text,
      lang: typeof feed.language === 'string' && feed.language ? feed.language : null,
      publishedAt: new Date(published).toISOString(),
    })
  }
  return { posts, skipped, title: typeof feed.title === 'string' ? feed.title : null }
}

export const pollFeed: PollConnector = async function* (source, ctx) {
  const { url } = feedConfig(source.config)
  const etag = typeof source.state['etag'] === 'string' ? (source.state['etag'] as string) : null
  const lastModified =
    typeof source.state['lastModified'] === 'string' ? (source.state['lastModified'] as string) : null
  const res = await getOk(ctx.fetch, url, {
    headers: {
      accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8',
      ...(etag ? { 'if-none-match': etag } : {}),
      ...(lastModified ? { 'if-modified-since': lastModified } : {}),
    },
    now: ctx.now,
    allow304: true,
  })
  if (res.status === 304) return
  const xml = await res.text()
  let parsed: ReturnType<typeof feedToPosts>
  try {
    parsed = feedToPosts(xml, ctx.now)
  } catch (err) {
    // A document that is not a feed at all: one malformed payload, counted; the cursor stays.
    yield { posts: [], skipped: 1, state: source.state }
    throw new Error(`not an RSS or Atom feed: ${(err as Error).message}`)
  }
  yield {
    posts: parsed.posts,
    skipped: parsed.skipped,
    state: {
      ...(res.headers.get('etag') ? { etag: res.headers.get('etag') } : {}),
      ...(res.headers.get('last-modified') ? { lastModified: res.headers.get('last-modified') } : {}),
    },
  }
}
