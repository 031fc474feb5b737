/**
 * Local fake Mastodon and Bluesky servers that implement the real endpoints and payloads the
 * connectors in src/platform/social use. They check the bearer token / JWT (401 otherwise),
 * record every request, and have knobs to fail the next n requests with 500 or 429.
 *
 * Mastodon: POST /api/v1/statuses (JSON or form; Idempotency-Key; scheduled_at → ScheduledStatus),
 * POST /api/v2/media (multipart file + description), GET /api/v1/statuses/:id,
 * GET /api/v1/notifications?types[]=mention&since_id=.
 * Bluesky: com.atproto.server.createSession, com.atproto.repo.createRecord, uploadBlob,
 * app.bsky.feed.getPosts, app.bsky.notification.listNotifications.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The raw body as text (binary bodies as latin1). */
  readonly body: string
}

interface Failure {
  times: number
  status: 500 | 429
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

abstract class FakeBase {
  url = ''
  requests: RecordedRequest[] = []
  /** Answer the next `times` requests with `status` (500, or 429 with Retry-After: 1). */
  failNext: Failure = { times: 0, status: 500 }
  #server: Server

  constructor() {
    this.#server = createServer((req, res) => {
      this.#dispatch(req, res).catch((err: unknown) => {
        json(res, 500, { error: 'InternalServerError', message: String(err) })
      })
    })
  }

  /** Makes the next n requests fail. */
  fail(times: number, status: 500 | 429 = 500): void {
    this.failNext = { times, status }
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const path = req.url ?? '/'
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      headers: { ...req.headers },
      body: raw.toString('latin1'),
    })
    if (this.failNext.times > 0) {
      this.failNext.times--
      if (this.failNext.status === 429) {
        json(res, 429, { error: 'RateLimitExceeded', message: 'Too many requests' }, { 'retry-after': '1' })
      } else {
        json(res, 500, { error: 'InternalServerError', message: 'boom' })
      }
      return
    }
    await this.route(req, res, new URL(path, this.url), raw)
  }

  protected abstract route(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<void>

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

export interface FakeMastodonStatus {
  id: string
  content: string
  text: string
  in_reply_to_id: string | null
  media_ids: string[]
  language: string | null
  visibility: string
  created_at: string
  url: string
  account: { acct: string; display_name: string; url: string }
  replies_count: number
  reblogs_count: number
  favourites_count: number
}

export interface FakeMastodonMedia {
  id: string
  description: string
  mimeType: string
  size: number
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}

export class FakeMastodonApi extends FakeBase {
  readonly token: string
  readonly acct: string
  statuses: FakeMastodonStatus[] = []
  scheduled: { id: string; scheduled_at: string; params: Record<string, unknown> }[] = []
  media: FakeMastodonMedia[] = []
  notifications: { id: string; type: string; created_at: string; status: FakeMastodonStatus }[] = []
  #nextId = 110_000_000_000_000_000n
  #idempotency = new Map<string, unknown>()

  constructor(options: { token?: string; acct?: string } = {}) {
    super()
    this.token = options.token ?? `tok-${randomBytes(12).toString('hex')}`
    this.acct = options.acct ?? 'council'
  }

  static async start(options: { token?: string; acct?: string } = {}): Promise<FakeMastodonApi> {
    const fake = new FakeMastodonApi(options)
    await fake.listen()
    return fake
  }

  #id(): string {
    this.#nextId += 1n
    return String(this.#nextId)
  }

  /** Statuses the account itself posted (not planted mentions). */
  get posted(): FakeMastodonStatus[] {
    return this.statuses.filter((s) => s.account.acct === this.acct)
  }

  #status(text: string, acct: string, extra: Partial<FakeMastodonStatus> = {}): FakeMastodonStatus {
    const id = this.#id()
    const status: FakeMastodonStatus = {
      id,
      content: `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
      text,
      in_reply_to_id: null,
      media_ids: [],
      language: 'en',
      visibility: 'public',
      created_at: new Date().toISOString(),
      url: `${this.url}/@${acct}/${id}`,
      account: { acct, display_name: acct === this.acct ? 'The Council' : acct, url: `${this.url}/@${acct}` },
      replies_count: 0,
      reblogs_count: 0,
      favourites_count: 0,
      ...extra,
    }
    this.statuses.push(status)
    return status
  }

  /** Plants a mention of the account (a status by someone else + a mention notification). */
  addMention(input: {
    text: string
    acct?: string
    displayName?: string
    inReplyToId?: string | null
    language?: string
    createdAt?: string
  }): FakeMastodonStatus {
    const acct = input.acct ?? 'resident@fake.example'
    const status = this.#status(input.text, acct, {
      in_reply_to_id: input.inReplyToId ?? null,
      language: input.language ?? 'en',
      created_at: input.createdAt ?? new Date().toISOString(),
    })
    if (input.displayName) status.account.display_name = input.displayName
    if (status.in_reply_to_id) {
      const parent = this.statuses.find((s) => s.id === status.in_reply_to_id)
      if (parent) parent.replies_count++
    }
    this.notifications.push({ id: this.#id(), type: 'mention', created_at: status.created_at, status })
    return status
  }

  /** Sets the engagement counts of a status, as if people had replied, boosted and favourited. */
  setEngagement(id: string, counts: { replies?: number; boosts?: number; favourites?: number }): void {
    const s = this.statuses.find((x) => x.id === id)
    if (!s) throw new Error(`no status ${id}`)
    if (counts.replies !== undefined) s.replies_count = counts.replies
    if (counts.boosts !== undefined) s.reblogs_count = counts.boosts
    if (counts.favourites !== undefined) s.favourites_count = counts.favourites
  }

  protected async route(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<void> {
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      json(res, 401, { error: 'The access token is invalid' })
      return
    }
    const method = req.method ?? 'GET'
    if (method === 'POST' && url.pathname === '/api/v2/media') {
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': String(req.headers['content-type']) },
      }).formData()
      const file = form.get('file')
      if (!(file instanceof Blob)) {
        json(res, 422, { error: 'Validation failed: File can\u2019t be blank' })
        return
      }
      const media = {
        id: this.#id(),
        description: String(form.get('description') ?? ''),
        mimeType: file.type,
        size: file.size,
      }
      this.media.push(media)
      json(res, 200, {
        id: media.id,
        type: 'image',
        url: `${this.url}/media/${media.id}`,
        description: media.description,
      })
      return
    }
    if (method === 'POST' && url.pathname === '/api/v1/statuses') {
      const params = this.#params(req, raw)
      const key = req.headers['idempotency-key']
      if (typeof key === 'string' && this.#idempotency.has(key)) {
        json(res, 200, this.#idempotency.get(key))
        return
      }
      const text = typeof params['status'] === 'string' ? params['status'] : ''
      if (text.trim() === '' && !(Array.isArray(params['media_ids']) && params['media_ids'].length > 0)) {
        json(res, 422, { error: "Validation failed: Text can't be blank" })
        return
      }
      if ([...text].length > 500) {
        json(res, 422, { error: 'Validation failed: Text character limit of 500 exceeded' })
        return
      }
      let answer: unknown
      if (typeof params['scheduled_at'] === 'string') {
        const scheduled = {
          id: this.#id(),
          scheduled_at: params['scheduled_at'],
          params: { ...params, text },
          media_attachments: [],
        }
        this.scheduled.push(scheduled)
        answer = scheduled
      } else {
        const inReplyTo = typeof params['in_reply_to_id'] === 'string' ? params['in_reply_to_id'] : null
        if (inReplyTo && !this.statuses.some((s) => s.id === inReplyTo)) {
          json(res, 404, { error: 'Record not found' })
          return
        }
        const status = this.#status(text, this.acct, {
          in_reply_to_id: inReplyTo,
          media_ids: Array.isArray(params['media_ids']) ? (params['media_ids'] as string[]) : [],
          language: typeof params['language'] === 'string' ? params['language'] : null,
          visibility: typeof params['visibility'] === 'string' ? params['visibility'] : 'public',
        })
        if (inReplyTo) {
          const parent = this.statuses.find((s) => s.id === inReplyTo)
          if (parent) parent.replies_count++
        }
        answer = status
      }
      if (typeof key === 'string') this.#idempotency.set(key, answer)
      json(res, 200, answer)
      return
    }
    const statusMatch = /^\/api\/v1\/statuses\/([^/]+)$/.exec(url.pathname)
    if (method === 'GET' && statusMatch) {
      const s = this.statuses.find((x) => x.id === statusMatch[1])
      if (!s) json(res, 404, { error: 'Record not found' })
      else json(res, 200, s)
      return
    }
    if (method === 'GET' && url.pathname === '/api/v1/notifications') {
      const types = url.searchParams.getAll('types[]')
      const since = url.searchParams.get('since_id')
      const limit = Math.min(80, Number(url.searchParams.get('limit') ?? 40))
      const list = this.notifications
        .filter((n) => types.length === 0 || types.includes(n.type))
        .filter((n) => since === null || BigInt(n.id) > BigInt(since))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
        .slice(0, limit)
      json(res, 200, list)
      return
    }
    json(res, 404, { error: 'Record not found' })
  }

  /** Mastodon takes JSON or form-encoded parameters (`media_ids[]` repeated). */
  #params(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
    const type = String(req.headers['content-type'] ?? '')
    if (type.includes('application/json'))
      return JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>
    const form = new URLSearchParams(raw.toString('utf8'))
    const out: Record<string, unknown> = {}
    for (const [k, v] of form) {
      if (!k.endsWith('[]')) {
        out[k] = v
        continue
      }
      const list = (out[k.slice(0, -2)] as string[] | undefined) ?? []
      list.push(v)
      out[k.slice(0, -2)] = list
    }
    return out
  }
}

export interface FakeBlueskyPost {
  uri: string
  cid: string
  author: { did: string; handle: string; displayName: string }
  record: Record<string, unknown>
  indexedAt: string
  replyCount: number
  repostCount: number
  likeCount: number
}

export class FakeBlueskyPds extends FakeBase {
  readonly handle: string
  readonly did: string
  readonly appPassword: string
  posts: FakeBlueskyPost[] = []
  blobs: { cid: string; mimeType: string; size: number }[] = []
  notifications: { uri: string; cid: string; reason: string; indexedAt: string; post: FakeBlueskyPost }[] = []
  sessionsCreated = 0
  #tokens = new Set<string>()
  #seq = 0

  constructor(options: { handle?: string; appPassword?: string } = {}) {
    super()
    this.handle = options.handle ?? 'council.bsky.social'
    this.did = `did:plc:${randomBytes(8).toString('hex')}`
    this.appPassword = options.appPassword ?? `app-${randomBytes(8).toString('hex')}`
  }

  static async start(options: { handle?: string; appPassword?: string } = {}): Promise<FakeBlueskyPds> {
    const fake = new FakeBlueskyPds(options)
    await fake.listen()
    return fake
  }

  /** Every access token issued so far stops working (answers 401 ExpiredToken). */
  expireSessions(): void {
    this.#tokens.clear()
  }

  /** Posts the account itself made. */
  get posted(): FakeBlueskyPost[] {
    return this.posts.filter((p) => p.author.did === this.did)
  }

  #tid(): string {
    this.#seq++
    return `3k${Date.now().toString(36)}${this.#seq.toString(36).padStart(4, '0')}`
  }

  #cid(): string {
    return `bafyrei${randomBytes(16).toString('hex')}`
  }

  #indexedAt(): string {
    // Strictly increasing, so cursors by indexedAt never skip or repeat.
    const last = this.posts.at(-1)?.indexedAt
    const now = new Date().toISOString()
    return last && now <= last ? new Date(Date.parse(last) + 1).toISOString() : now
  }

  /** Plants a mention or reply from someone else, with its notification. */
  addMention(input: {
    text: string
    handle?: string
    displayName?: string
    replyTo?: { uri: string; cid: string; rootUri?: string; rootCid?: string }
    langs?: string[]
  }): FakeBlueskyPost {
    const handle = input.handle ?? 'resident.bsky.social'
    const did = `did:plc:${handle.replace(/\W/g, '')}`
    const record: Record<string, unknown> = {
      $type: 'app.bsky.feed.post',
      text: input.text,
      createdAt: new Date().toISOString(),
      langs: input.langs ?? ['en'],
    }
    if (input.replyTo) {
      record['reply'] = {
        root: {
          uri: input.replyTo.rootUri ?? input.replyTo.uri,
          cid: input.replyTo.rootCid ?? input.replyTo.cid,
        },
        parent: { uri: input.replyTo.uri, cid: input.replyTo.cid },
      }
      const parent = this.posts.find((p) => p.uri === input.replyTo?.uri)
      if (parent) parent.replyCount++
    }
    const post: FakeBlueskyPost = {
      uri: `at://${did}/app.bsky.feed.post/${this.#tid()}`,
      cid: this.#cid(),
      author: { did, handle, displayName: input.displayName ?? handle },
      record,
      indexedAt: this.#indexedAt(),
      replyCount: 0,
      repostCount: 0,
      likeCount: 0,
    }
    this.posts.push(post)
    this.notifications.push({
      uri: post.uri,
      cid: post.cid,
      reason: input.replyTo ? 'reply' : 'mention',
      indexedAt: post.indexedAt,
      post,
    })
    return post
  }

  setEngagement(uri: string, counts: { replies?: number; reposts?: number; likes?: number }): void {
    const p = this.posts.find((x) => x.uri === uri)
    if (!p) throw new Error(`no post ${uri}`)
    if (counts.replies !== undefined) p.replyCount = counts.replies
    if (counts.reposts !== undefined) p.repostCount = counts.reposts
    if (counts.likes !== undefined) p.likeCount = counts.likes
  }

  protected async route(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<void> {
    const nsid = url.pathname.replace(/^\/xrpc\//, '')
    const method = req.method ?? 'GET'
    if (method === 'POST' && nsid === 'com.atproto.server.createSession') {
      const body = JSON.parse(raw.toString('utf8') || '{}') as { identifier?: string; password?: string }
      if (
        (body.identifier !== this.handle && body.identifier !== this.did) ||
        body.password !== this.appPassword
      ) {
        json(res, 401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' })
        return
      }
      const accessJwt = `eyJ.${randomBytes(16).toString('base64url')}.sig`
      this.#tokens.add(accessJwt)
      this.sessionsCreated++
      json(res, 200, {
        accessJwt,
        refreshJwt: `eyJ.${randomBytes(16).toString('base64url')}.ref`,
        did: this.did,
        handle: this.handle,
        active: true,
      })
      return
    }
    const auth = String(req.headers.authorization ?? '')
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : ''
    if (!this.#tokens.has(token)) {
      json(
        res,
        401,
        token === ''
          ? { error: 'AuthMissing', message: 'Authentication Required' }
          : { error: 'ExpiredToken', message: 'Token has expired' },
      )
      return
    }
    if (method === 'POST' && nsid === 'com.atproto.repo.uploadBlob') {
      const blob = {
        cid: this.#cid(),
        mimeType: String(req.headers['content-type'] ?? 'application/octet-stream'),
        size: raw.length,
      }
      this.blobs.push(blob)
      json(res, 200, {
        blob: { $type: 'blob', ref: { $link: blob.cid }, mimeType: blob.mimeType, size: blob.size },
      })
      return
    }
    if (method === 'POST' && nsid === 'com.atproto.repo.createRecord') {
      const body = JSON.parse(raw.toString('utf8') || '{}') as {
        repo?: string
        collection?: string
        record?: Record<string, unknown>
      }
      if (body.repo !== this.did && body.repo !== this.handle) {
        json(res, 400, { error: 'InvalidRequest', message: 'repo does not match the session' })
        return
      }
      const record = body.record ?? {}
      if (
        body.collection !== 'app.bsky.feed.post' ||
        record['$type'] !== 'app.bsky.feed.post' ||
        typeof record['text'] !== 'string'
      ) {
        json(res, 400, { error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record' })
        return
      }
      const graphemes = [
        ...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(record['text']),
      ].length
      if (graphemes > 300) {
        json(res, 400, {
          error: 'InvalidRequest',
          message: 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes',
        })
        return
      }
      const reply = record['reply'] as { parent?: { uri?: string } } | undefined
      if (reply?.parent?.uri) {
        const parent = this.posts.find((p) => p.uri === reply.parent?.uri)
        if (parent) parent.replyCount++
      }
      const post: FakeBlueskyPost = {
        uri: `at://${this.did}/app.bsky.feed.post/${this.#tid()}`,
        cid: this.#cid(),
        author: { did: this.did, handle: this.handle, displayName: 'The Council' },
        record,
        indexedAt: this.#indexedAt(),
        replyCount: 0,
        repostCount: 0,
        likeCount: 0,
      }
      this.posts.push(post)
      json(res, 200, { uri: post.uri, cid: post.cid, validationStatus: 'valid' })
      return
    }
    if (method === 'GET' && nsid === 'app.bsky.feed.getPosts') {
      const uris = url.searchParams.getAll('uris')
      const posts = this.posts
        .filter((p) => uris.includes(p.uri))
        .map((p) => ({
          uri: p.uri,
          cid: p.cid,
          author: p.author,
          record: p.record,
          indexedAt: p.indexedAt,
          replyCount: p.replyCount,
          repostCount: p.repostCount,
          likeCount: p.likeCount,
          quoteCount: 0,
        }))
      json(res, 200, { posts })
      return
    }
    if (method === 'GET' && nsid === 'app.bsky.notification.listNotifications') {
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 50))
      const cursor = url.searchParams.get('cursor')
      const sorted = [...this.notifications].sort((a, b) => b.indexedAt.localeCompare(a.indexedAt))
      const start = cursor === null ? 0 : sorted.findIndex((n) => n.indexedAt < cursor)
      const page = start < 0 ? [] : sorted.slice(start, start + limit)
      const notifications = page.map((n) => ({
        uri: n.uri,
        cid: n.cid,
        author: n.post.author,
        reason: n.reason,
        record: n.post.record,
        isRead: false,
        indexedAt: n.indexedAt,
      }))
      const next = start >= 0 && start + limit < sorted.length ? page.at(-1)?.indexedAt : undefined
      json(res, 200, next ? { notifications, cursor: next } : { notifications })
      return
    }
    json(res, 501, { error: 'MethodNotImplemented', message: `Method not implemented: ${nsid}` })
  }
}
