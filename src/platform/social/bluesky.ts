/**
 * Bluesky over the AT Protocol (docs.bsky.app): a session from the app password
 * (com.atproto.server.createSession), posts as app.bsky.feed.post records
 * (com.atproto.repo.createRecord), images as blobs, engagement from app.bsky.feed.getPosts and
 * mentions from app.bsky.notification.listNotifications. The session is cached per process and
 * re-created once when the server answers 401 ExpiredToken.
 */
import { createHash } from 'node:crypto'
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

interface Session {
  readonly accessJwt: string
  readonly did: string
  readonly handle: string
}

/** Keyed by service, identifier and a hash of the password: never the password itself. */
const sessions = new Map<string, Session>()

function sessionKey(creds: SocialCredentials): string {
  const h = createHash('sha256').update(creds.secret).digest('hex').slice(0, 16)
  return `${base(creds)}|${creds.identifier}|${h}`
}

/** Forgets cached sessions (tests; or after credentials were replaced). */
export function clearBlueskySessions(): void {
  sessions.clear()
}

function base(creds: SocialCredentials): string {
  return creds.serviceUrl.replace(/\/+$/, '')
}

async function send(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  what: string,
  secrets: string[],
): Promise<Response> {
  try {
    return await fetchImpl(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (err) {
    throw networkError(what, err, secrets)
  }
}

async function createSession(creds: SocialCredentials, fetchImpl: FetchLike, now: Date): Promise<Session> {
  const res = await send(
    fetchImpl,
    `${base(creds)}/xrpc/com.atproto.server.createSession`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ identifier: creds.identifier, password: creds.secret }),
    },
    'Bluesky sign-in',
    [creds.secret],
  )
  if (!res.ok) throw await errorFromResponse(res, 'Bluesky sign-in', [creds.secret], now)
  const body = (await res.json()) as Record<string, unknown>
  if (typeof body['accessJwt'] !== 'string' || typeof body['did'] !== 'string') {
    throw new PublishError('social.bad_answer', 'Bluesky sign-in: answer without a session', {
      retryable: true,
    })
  }
  const session = {
    accessJwt: body['accessJwt'],
    did: body['did'],
    handle: typeof body['handle'] === 'string' ? body['handle'] : creds.identifier,
  }
  sessions.set(sessionKey(creds), session)
  return session
}

async function isExpired(res: Response): Promise<boolean> {
  if (res.status !== 401 && res.status !== 400) return false
  try {
    const body = (await res.clone().json()) as { error?: unknown }
    return body.error === 'ExpiredToken' || body.error === 'InvalidToken'
  } catch {
    return false
  }
}

/** Calls an XRPC method with the session, signing in first and once more when it expired. */
async function xrpc(
  creds: SocialCredentials,
  fetchImpl: FetchLike,
  what: string,
  path: string,
  init: (session: Session) => RequestInit,
  now: Date,
): Promise<{ res: Response; session: Session }> {
  let session = sessions.get(sessionKey(creds)) ?? (await createSession(creds, fetchImpl, now))
  for (let attempt = 0; ; attempt++) {
    const i = init(session)
    const res = await send(
      fetchImpl,
      `${base(creds)}/xrpc/${path}`,
      {
        ...i,
        headers: { accept: 'application/json', ...i.headers, authorization: `Bearer ${session.accessJwt}` },
      },
      what,
      [creds.secret, session.accessJwt],
    )
    if (attempt === 0 && (await isExpired(res))) {
      await res.body?.cancel()
      sessions.delete(sessionKey(creds))
      session = await createSession(creds, fetchImpl, now)
      continue
    }
    if (!res.ok) throw await errorFromResponse(res, what, [creds.secret, session.accessJwt], now)
    return { res, session }
  }
}

/** Links in the text as richtext facets (byte offsets in UTF-8, as the lexicon requires). */
export function linkFacets(text: string): Record<string, unknown>[] {
  const facets: Record<string, unknown>[] = []
  const encoder = new TextEncoder()
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g)) {
    const byteStart = encoder.encode(text.slice(0, m.index)).length
    const byteEnd = byteStart + encoder.encode(m[0]).length
    facets.push({
      index: { byteStart, byteEnd },
      features: [{ $type: 'app.bsky.richtext.facet#link', uri: m[0] }],
    })
  }
  return facets
}

function rkeyOf(uri: string): string {
  return uri.split('/').pop() ?? ''
}

export async function blueskyPublish(
  creds: SocialCredentials,
  post: OutgoingPost,
  fetchImpl: FetchLike,
  now: Date,
): Promise<PublishedPost> {
  const images: Record<string, unknown>[] = []
  for (const m of post.media ?? []) {
    const { res } = await xrpc(
      creds,
      fetchImpl,
      'Bluesky image upload',
      'com.atproto.repo.uploadBlob',
      () => ({ method: 'POST', headers: { 'content-type': m.mimeType }, body: new Uint8Array(m.data) }),
      now,
    )
    const body = (await res.json()) as { blob?: unknown }
    if (!body.blob)
      throw new PublishError('social.bad_answer', 'Bluesky image upload: answer without a blob', {
        retryable: true,
      })
    images.push({ alt: m.altText, image: body.blob })
  }
  const record: Record<string, unknown> = {
    $type: 'app.bsky.feed.post',
    text: post.text,
    createdAt: now.toISOString(),
  }
  if (post.language) record['langs'] = [post.language]
  const facets = linkFacets(post.text)
  if (facets.length > 0) record['facets'] = facets
  if (images.length > 0) record['embed'] = { $type: 'app.bsky.embed.images', images }
  if (post.inReplyTo) {
    const t = post.inReplyTo
    if (!t.cid)
      throw new PublishError('social.rejected', 'Bluesky reply: the post replied to has no cid', {
        retryable: false,
      })
    record['reply'] = {
      root: { uri: t.rootId ?? t.id, cid: t.rootCid ?? t.cid },
      parent: { uri: t.id, cid: t.cid },
    }
  }
  const { res, session } = await xrpc(
    creds,
    fetchImpl,
    'Bluesky post',
    'com.atproto.repo.createRecord',
    (s) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repo: s.did, collection: 'app.bsky.feed.post', record }),
    }),
    now,
  )
  const body = (await res.json()) as { uri?: unknown; cid?: unknown }
  if (typeof body.uri !== 'string')
    throw new PublishError('social.bad_answer', 'Bluesky post: answer without a uri', { retryable: false })
  return {
    id: body.uri,
    ...(typeof body.cid === 'string' ? { cid: body.cid } : {}),
    url: `https://bsky.app/profile/${session.handle}/post/${rkeyOf(body.uri)}`,
  }
}

export async function blueskyEngagement(
  creds: SocialCredentials,
  post: PublishedPost,
  fetchImpl: FetchLike,
): Promise<Engagement> {
  const { res } = await xrpc(
    creds,
    fetchImpl,
    'Bluesky posts',
    `app.bsky.feed.getPosts?${new URLSearchParams({ uris: post.id })}`,
    () => ({ method: 'GET' }),
    new Date(),
  )
  const body = (await res.json()) as { posts?: Record<string, unknown>[] }
  const p = (body.posts ?? []).find((x) => x['uri'] === post.id) ?? {}
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
  return {
    replies: n(p['replyCount']),
    boosts: n(p['repostCount']) + n(p['quoteCount']),
    favourites: n(p['likeCount']),
  }
}

function toMention(n: Record<string, unknown>): IncomingMention | null {
  const author = (n['author'] ?? {}) as Record<string, unknown>
  const record = (n['record'] ?? {}) as Record<string, unknown>
  if (typeof n['uri'] !== 'string' || typeof author['handle'] !== 'string') return null
  const reply = record['reply'] as
    | { root?: { uri?: string; cid?: string }; parent?: { uri?: string } }
    | undefined
  const langs = Array.isArray(record['langs']) ? (record['langs'] as unknown[]) : []
  const createdAt =
    typeof record['createdAt'] === 'string' ? record['createdAt'] : String(n['indexedAt'] ?? '')
  const at = Date.parse(createdAt)
  return {
    network: 'bluesky',
    id: n['uri'],
    ...(typeof n['cid'] === 'string' ? { cid: n['cid'] } : {}),
    ...(reply?.root?.uri ? { rootId: reply.root.uri } : {}),
    ...(reply?.root?.cid ? { rootCid: reply.root.cid } : {}),
    inReplyToId: reply?.parent?.uri ?? null,
    authorHandle: author['handle'],
    authorName:
      typeof author['displayName'] === 'string' && author['displayName'] !== ''
        ? author['displayName']
        : null,
    text: typeof record['text'] === 'string' ? record['text'] : '',
    language: typeof langs[0] === 'string' ? langs[0] : null,
    url: `https://bsky.app/profile/${author['handle']}/post/${rkeyOf(n['uri'])}`,
    createdAt: Number.isNaN(at) ? new Date(0).toISOString() : new Date(at).toISOString(),
  }
}

/**
 * Mentions and replies indexed after the cursor. Bluesky's own cursor pages backwards in time,
 * so our cursor is the newest `indexedAt` seen; we page back until we reach it (at most 5 pages).
 */
export async function blueskyMentions(
  creds: SocialCredentials,
  cursor: string | null,
  fetchImpl: FetchLike,
  now: Date,
): Promise<{ mentions: IncomingMention[]; cursor: string | null }> {
  const mentions: IncomingMention[] = []
  let newest = cursor
  let page: string | null = null
  for (let i = 0; i < (cursor === null ? 1 : 5); i++) {
    const params = new URLSearchParams({ limit: cursor === null ? '40' : '50' })
    if (page) params.set('cursor', page)
    const { res } = await xrpc(
      creds,
      fetchImpl,
      'Bluesky notifications',
      `app.bsky.notification.listNotifications?${params}`,
      () => ({ method: 'GET' }),
      now,
    )
    const body = (await res.json()) as { notifications?: Record<string, unknown>[]; cursor?: unknown }
    const list = body.notifications ?? []
    let reachedCursor = false
    for (const n of list) {
      const indexedAt = typeof n['indexedAt'] === 'string' ? n['indexedAt'] : ''
      if (cursor !== null && indexedAt <= cursor) {
        reachedCursor = true
        continue
      }
      if (newest === null || indexedAt > newest) newest = indexedAt
      if (n['reason'] !== 'mention' && n['reason'] !== 'reply') continue
      const m = toMention(n)
      if (m) mentions.push(m)
    }
    page = typeof body.cursor === 'string' ? body.cursor : null
    if (reachedCursor || !page || list.length === 0) break
  }
  mentions.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  return { mentions, cursor: newest }
}
