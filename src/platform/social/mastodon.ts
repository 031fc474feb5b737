/**
 * Mastodon REST API (docs.joinmastodon.org/methods): statuses, media, notifications.
 * One attempt per call: the caller (a job) decides when to retry, and sends the same
 * Idempotency-Key so a retry after a lost answer never posts twice.
 */
import { htmlToText } from '../../modules/listening/domain/html.js'
import { errorFromResponse, networkError, PublishError } from './errors.js'
import type {
  Engagement,
  FetchLike,
  IncomingMention,
  OutgoingPost,
  PublishedPost,
  SocialCredentials,
} from './types.js'

const TIMEOUT_MS = 20_000

function base(creds: SocialCredentials): string {
  return creds.serviceUrl.replace(/\/+$/, '')
}

async function call(
  creds: SocialCredentials,
  fetchImpl: FetchLike,
  what: string,
  path: string,
  init: RequestInit,
  now: Date,
): Promise<Response> {
  let res: Response
  try {
    res = await fetchImpl(`${base(creds)}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${creds.secret}`, accept: 'application/json', ...init.headers },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (err) {
    throw networkError(what, err, [creds.secret])
  }
  if (!res.ok) throw await errorFromResponse(res, what, [creds.secret], now)
  return res
}

async function uploadMedia(
  creds: SocialCredentials,
  fetchImpl: FetchLike,
  media: NonNullable<OutgoingPost['media']>[number],
  index: number,
  now: Date,
): Promise<string> {
  const form = new FormData()
  const ext = media.mimeType.split('/')[1] ?? 'bin'
  form.append(
    'file',
    new Blob([new Uint8Array(media.data)], { type: media.mimeType }),
    `image-${index + 1}.${ext}`,
  )
  // The description is the alt text screen readers announce (Mastodon API: media description).
  form.append('description', media.altText)
  const res = await call(
    creds,
    fetchImpl,
    'Mastodon media upload',
    '/api/v2/media',
    { method: 'POST', body: form },
    now,
  )
  const body = (await res.json()) as { id?: unknown }
  if (typeof body.id !== 'string') {
    throw new PublishError('social.bad_answer', 'Mastodon media upload: answer without an id', {
      retryable: true,
    })
  }
  return body.id
}

export async function mastodonPublish(
  creds: SocialCredentials,
  post: OutgoingPost,
  fetchImpl: FetchLike,
  now: Date,
): Promise<PublishedPost> {
  const mediaIds: string[] = []
  for (const [i, m] of (post.media ?? []).entries())
    mediaIds.push(await uploadMedia(creds, fetchImpl, m, i, now))
  const payload: Record<string, unknown> = { status: post.text, visibility: 'public' }
  if (post.inReplyTo) payload['in_reply_to_id'] = post.inReplyTo.id
  if (mediaIds.length > 0) payload['media_ids'] = mediaIds
  if (post.language) payload['language'] = post.language
  if (post.scheduledAt) payload['scheduled_at'] = post.scheduledAt.toISOString()
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (post.idempotencyKey) headers['idempotency-key'] = post.idempotencyKey
  const res = await call(
    creds,
    fetchImpl,
    'Mastodon post',
    '/api/v1/statuses',
    { method: 'POST', headers, body: JSON.stringify(payload) },
    now,
  )
  const body = (await res.json()) as { id?: unknown; url?: unknown; uri?: unknown; scheduled_at?: unknown }
  if (typeof body.id !== 'string') {
    throw new PublishError('social.bad_answer', 'Mastodon post: answer without an id', { retryable: false })
  }
  // A ScheduledStatus (scheduled_at set) has no public URL until the server publishes it.
  const url = typeof body.scheduled_at === 'string' ? null : typeof body.url === 'string' ? body.url : null
  return { id: body.id, url }
}

export async function mastodonEngagement(
  creds: SocialCredentials,
  post: PublishedPost,
  fetchImpl: FetchLike,
): Promise<Engagement> {
  const res = await call(
    creds,
    fetchImpl,
    'Mastodon status',
    `/api/v1/statuses/${encodeURIComponent(post.id)}`,
    { method: 'GET' },
    new Date(),
  )
  const s = (await res.json()) as Record<string, unknown>
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
  return {
    replies: n(s['replies_count']),
    boosts: n(s['reblogs_count']),
    favourites: n(s['favourites_count']),
  }
}

interface MastodonNotification {
  id?: unknown
  type?: unknown
  status?: Record<string, unknown> | null
}

function toMention(status: Record<string, unknown>): IncomingMention | null {
  const account = (status['account'] ?? {}) as Record<string, unknown>
  if (typeof status['id'] !== 'string' || typeof account['acct'] !== 'string') return null
  return {
    network: 'mastodon',
    id: status['id'],
    inReplyToId: typeof status['in_reply_to_id'] === 'string' ? status['in_reply_to_id'] : null,
    authorHandle: account['acct'],
    authorName:
      typeof account['display_name'] === 'string' && account['display_name'] !== ''
        ? account['display_name']
        : null,
    text: htmlToText(typeof status['content'] === 'string' ? status['content'] : ''),
    language: typeof status['language'] === 'string' ? status['language'] : null,
    url: typeof status['url'] === 'string' ? status['url'] : null,
    createdAt:
      typeof status['created_at'] === 'string'
        ? new Date(status['created_at']).toISOString()
        : new Date(0).toISOString(),
  }
}

/** Mention notifications newer than the cursor (a notification id), oldest first. */
export async function mastodonMentions(
  creds: SocialCredentials,
  cursor: string | null,
  fetchImpl: FetchLike,
  now: Date,
): Promise<{ mentions: IncomingMention[]; cursor: string | null }> {
  const params = new URLSearchParams()
  params.append('types[]', 'mention')
  params.set('limit', '40')
  if (cursor !== null) params.set('since_id', cursor)
  const res = await call(
    creds,
    fetchImpl,
    'Mastodon notifications',
    `/api/v1/notifications?${params}`,
    { method: 'GET' },
    now,
  )
  const list = (await res.json()) as unknown
  if (!Array.isArray(list)) return { mentions: [], cursor }
  const mentions: IncomingMention[] = []
  let next = cursor
  for (const item of list as MastodonNotification[]) {
    if (typeof item.id !== 'string') continue
    // Notification ids are snowflakes: compare as numbers when they are, as text otherwise.
    if (next === null || compareIds(item.id, next) > 0) next = item.id
    if (item.type !== 'mention' || !item.status) continue
    const m = toMention(item.status)
    if (m) mentions.push(m)
  }
  mentions.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  return { mentions, cursor: next }
}

function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a)
    const y = BigInt(b)
    return x > y ? 1 : x < y ? -1 : 0
  }
  return a.localeCompare(b)
}
