/**
 * Mastodon: hashtag and public timelines over the REST API, paged with `min_id` (forwards, so a
 * restart resumes where the last stored page ended) and `Link` headers (backwards, for the first
 * backfill); statuses arrive as Mastodon Status JSON with HTML `content`.
 * https://docs.joinmastodon.org/methods/timelines/ · https://docs.joinmastodon.org/entities/Status/
 */

import { getOk, linkRel } from '../../../platform/http/outbound.js'
import type { RawPost } from '../domain/post.js'
import type { PollBatch, PollConnector, PollContext, PollSource } from './types.js'

export interface MastodonConfig {
  /** e.g. https://mastodon.social */
  readonly instance: string
  readonly timeline: 'hashtag' | 'public'
  readonly hashtag?: string
  /** Public timeline: only the instance's own posts. */
  readonly local?: boolean
  /** Older pages read on the very first run. Default 2. */
  readonly backfillPages?: number
  /** Most pages per run (the rest follows next run). Default 20. */
  readonly maxPages?: number
}

export function mastodonConfig(config: Readonly<Record<string, unknown>>): MastodonConfig {
  const instance = String(config['instance'] ?? '').replace(/\/+$/, '')
  if (!/^https?:\/\/[^/\s]+$/.test(instance))
    throw new Error('instance must be a URL such as https://mastodon.social')
  const timeline = config['timeline'] === 'public' ? 'public' : 'hashtag'
  const hashtag = String(config['hashtag'] ?? '').replace(/^#/, '')
  if (timeline === 'hashtag' && !/^[\p{L}\p{N}_]+$/u.test(hashtag))
    throw new Error('hashtag must be letters, digits or _')
  return {
    instance,
    timeline,
    ...(timeline === 'hashtag' ? { hashtag } : {}),
    local: config['local'] === true,
    backfillPages: Number(config['backfillPages'] ?? 2),
    maxPages: Number(config['maxPages'] ?? 20),
  }
}

/** The REST path of a timeline; the streaming API uses the same choice. */
export function timelineUrl(c: MastodonConfig): string {
  const path =
    c.timeline === 'hashtag'
      ? `/api/v1/timelines/tag/${encodeURIComponent(c.hashtag!)}`
      : '/api/v1/timelines/public'
  const url = new URL(c.instance + path)
  url.searchParams.set('limit', '40')
  if (c.local) url.searchParams.set('local', 'true')
  return url.toString()
}

/** Mastodon ids are decimal strings that grow with time: compare by length, then text. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}

interface Status {
  id?: unknown
  uri?: unknown
  url?: unknown
  created_at?: unknown
  content?: unknown
  spoiler_text?: unknown
  language?: unknown
  reblog?: unknown
  visibility?: unknown
  account?: { acct?: unknown; display_name?: unknown; url?: unknown } | null
  tags?: { name?: unknown }[]
  mentions?: { acct?: unknown }[]
}

const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

/**
 * A Mastodon Status as a post, or null when it is malformed (no id, date or content) or not an
 * original public post (boosts repeat someone else's post).
 */
export function statusToPost(status: unknown, instanceHost: string): RawPost | 'skip' | null {
  if (!status || typeof status !== 'object') return null
  const st = status as Status
  const id = s(st.id)
  const uri = s(st.uri) ?? s(st.url)
  const created = s(st.created_at)
  if (!id || !uri || !created || Number.isNaN(Date.parse(created)) || typeof st.content !== 'string')
    return null
  if (st.reblog) return 'skip'
  if (st.visibility && st.visibility !== 'public' && st.visibility !== 'unlisted') return 'skip'
  const acct = s(st.account?.acct)
  const author = acct ? (acct.includes('@') ? acct : `${acct}@${instanceHost}`) : null
  const spoiler = s(st.spoiler_text)
  const html = spoiler ? `<p>${spoiler}</p>${st.content}` : st.content
  if (html.trim() === '') return null
  return {
    externalId: uri,
    url: s(st.url) ?? uri,
    author,
    authorName: s(st.account?.display_name),
    html,
    lang: s(st.language),
    publishedAt: new Date(created).toISOString(),
    hashtags: (Array.isArray(st.tags) ? st.tags : [])
      .map((t) => s(t?.name))
      .filter((t): t is string => t !== null),
    mentions: (Array.isArray(st.mentions) ? st.mentions : [])
      .map((m) => s(m?.acct))
      .filter((m): m is string => m !== null),
  }
}

/** Statuses of one page as posts, with the number of malformed ones and the highest id. */
export function pageToPosts(
  page: unknown,
  instanceHost: string,
): { posts: RawPost[]; skipped: number; maxId: string | null; minId: string | null } {
  const posts: RawPost[] = []
  let skipped = 0
  let maxId: string | null = null
  let minId: string | null = null
  for (const item of Array.isArray(page) ? page : []) {
    const id = s((item as Status | null)?.id)
    if (id && /^\d+$/.test(id)) {
      if (!maxId || compareIds(id, maxId) > 0) maxId = id
      if (!minId || compareIds(id, minId) < 0) minId = id
    }
    const post = statusToPost(item, instanceHost)
    if (post === null) skipped++
    else if (post !== 'skip') posts.push(post)
  }
  return { posts, skipped, maxId, minId }
}

async function getPage(
  ctx: PollContext,
  url: string,
  token: string | undefined,
): Promise<{ body: unknown; link: string | null }> {
  const res = await getOk(ctx.fetch, url, {
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    now: ctx.now,
  })
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = null
  }
  return { body, link: res.headers.get('link') }
}

/**
 * Polls a timeline. With a cursor (`minId`), reads forward page by page from it, each page
 * saved with its own cursor; without one (first run), reads the newest page and backfills a few
 * older ones through the `Link: rel="next"` header.
 */
export const pollMastodon: PollConnector = async function* (source: PollSource, ctx: PollContext) {
  const config = mastodonConfig(source.config)
  const host = new URL(config.instance).host
  const token = source.secrets['accessToken'] || undefined
  const base = timelineUrl(config)
  let minId = typeof source.state['minId'] === 'string' ? (source.state['minId'] as string) : null
  if (minId === null) {
    const first = await getPage(ctx, base, token)
    if (!Array.isArray(first.body)) throw new Error('timeline answer is not a JSON array')
    const page = pageToPosts(first.body, host)
    const cursor = page.maxId
    yield {
      posts: page.posts,
      skipped: page.skipped,
      state: cursor ? { minId: cursor } : {},
    } satisfies PollBatch
    let next = linkRel(first.link, 'next')
    for (let i = 0; i < (config.backfillPages ?? 2) && next; i++) {
      const older = await getPage(ctx, next, token)
      const p = pageToPosts(older.body, host)
      if (p.posts.length === 0 && p.skipped === 0) break
      yield { posts: p.posts, skipped: p.skipped, state: cursor ? { minId: cursor } : {} }
      next = linkRel(older.link, 'next')
    }
    return
  }
  for (let i = 0; i < (config.maxPages ?? 20); i++) {
    const url = new URL(base)
    url.searchParams.set('min_id', minId)
    const { body } = await getPage(ctx, url.toString(), token)
    if (!Array.isArray(body)) throw new Error('timeline answer is not a JSON array')
    const page = pageToPosts(body, host)
    if (page.maxId === null || compareIds(page.maxId, minId) <= 0) {
      if (page.skipped > 0) yield { posts: [], skipped: page.skipped, state: { minId } }
      return
    }
    minId = page.maxId
    yield { posts: page.posts, skipped: page.skipped, state: { minId } }
    if (body.length < 40) return
  }
}
