/**
 * Local fake servers that speak the real formats, for connector tests: a Mastodon server
 * (REST timelines with min_id / max_id paging and Link headers, 429 with X-RateLimit-Reset, the
 * streaming API over WebSocket) and a Jetstream server (v1 commit events, cursor replay).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'

export interface FakeServer {
  readonly url: string
  close(): Promise<void>
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

export function mastodonStatus(
  id: number,
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: String(id),
    uri: `https://fake.example/users/someone/statuses/${id}`,
    url: `https://fake.example/@someone/${id}`,
    created_at: new Date(Date.UTC(2026, 11, 1, 9, 0, id % 60)).toISOString(),
    content: `<p>${text} <a href="https://fake.example/tags/bins" class="mention hashtag" rel="tag">#<span>bins</span></a></p>`,
    spoiler_text: '',
    language: 'en',
    visibility: 'public',
    reblog: null,
    account: { acct: 'someone', display_name: 'Some One', url: 'https://fake.example/@someone' },
    tags: [{ name: 'bins', url: 'https://fake.example/tags/bins' }],
    mentions: [],
    ...extra,
  }
}

export class FakeMastodon implements FakeServer {
  statuses: Record<string, unknown>[] = []
  requests: string[] = []
  /** Answer the next n requests with 429 and X-RateLimit-Reset this many seconds ahead. */
  rateLimit = { times: 0, resetSeconds: 60 }
  /** Fail with 500 from this request number on (1-based), for crash tests. */
  failFrom: number | null = null
  sockets = new Set<WebSocket>()
  url = ''
  #server: Server
  #wss: WebSocketServer

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res))
    this.#wss = new WebSocketServer({ server: this.#server, path: '/api/v1/streaming' })
    this.#wss.on('connection', (ws) => {
      this.sockets.add(ws)
      ws.on('close', () => this.sockets.delete(ws))
    })
  }

  async start(): Promise<this> {
    this.url = await listen(this.#server)
    return this
  }

  /** Sends a status to every streaming client, as the streaming API does. */
  stream(status: Record<string, unknown>): void {
    this.statuses.push(status)
    const msg = JSON.stringify({
      stream: ['hashtag', 'bins'],
      event: 'update',
      payload: JSON.stringify(status),
    })
    for (const ws of this.sockets) ws.send(msg)
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req.url ?? '')
    const url = new URL(req.url ?? '/', this.url)
    if (this.failFrom !== null && this.requests.length >= this.failFrom) {
      res.writeHead(500).end('{"error":"boom"}')
      return
    }
    if (this.rateLimit.times > 0) {
      this.rateLimit.times--
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-ratelimit-limit': '300',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': new Date(Date.now() + this.rateLimit.resetSeconds * 1000).toISOString(),
      })
      res.end('{"error":"Too many requests"}')
      return
    }
    if (!url.pathname.startsWith('/api/v1/timelines/')) {
      res.writeHead(404).end('{"error":"Record not found"}')
      return
    }
    const limit = Math.min(40, Number(url.searchParams.get('limit') ?? 20))
    const num = (s: unknown): number => Number(s)
    const valid = this.statuses.filter((s) => /^\d+$/.test(String(s['id'])))
    const minId = url.searchParams.get('min_id')
    const maxId = url.searchParams.get('max_id')
    let page: Record<string, unknown>[]
    if (minId !== null) {
      // The statuses immediately newer than min_id, newest first (Mastodon's min_id paging).
      page = valid
        .filter((s) => num(s['id']) > Number(minId))
        .sort((a, b) => num(a['id']) - num(b['id']))
        .slice(0, limit)
        .reverse()
    } else {
      page = valid
        .filter((s) => maxId === null || num(s['id']) < Number(maxId))
        .sort((a, b) => num(b['id']) - num(a['id']))
        .slice(0, limit)
    }
    // Malformed items ride along on the page of their neighbours.
    const malformed = this.statuses.filter(
      (s) => !/^\d+$/.test(String(s['id'])) && page.some((p) => p['id'] === s['after']),
    )
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
    if (page.length > 0) {
      const base = `${this.url}${url.pathname}?limit=${limit}`
      headers['link'] =
        `<${base}&max_id=${page.at(-1)!['id']}>; rel="next", <${base}&min_id=${page[0]!['id']}>; rel="prev"`
    }
    res.writeHead(200, headers)
    res.end(JSON.stringify([...page, ...malformed.map(({ after: _a, ...rest }) => rest)]))
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate()
    this.#wss.close()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

export interface JetstreamEvent {
  readonly time_us: number
  readonly data: string
}

export function jetstreamPost(
  timeUs: number,
  rkey: string,
  text: string,
  extra: Record<string, unknown> = {},
): JetstreamEvent {
  return {
    time_us: timeUs,
    data: JSON.stringify({
      did: 'did:plc:abc123',
      time_us: timeUs,
      kind: 'commit',
      commit: {
        rev: `rev${timeUs}`,
        operation: 'create',
        collection: 'app.bsky.feed.post',
        rkey,
        record: {
          $type: 'app.bsky.feed.post',
          createdAt: new Date(timeUs / 1000).toISOString(),
          langs: ['en'],
          text,
          ...extra,
        },
        cid: `cid${rkey}`,
      },
    }),
  }
}

/** Jetstream: replays stored events from `cursor` (time_us) on connect, then sends new ones live. */
export class FakeJetstream implements FakeServer {
  events: JetstreamEvent[] = []
  connections: string[] = []
  /** Refuse the next n upgrades with 429 and Retry-After (seconds). */
  refuse = { times: 0, retryAfter: 1 }
  url = ''
  sockets = new Set<WebSocket>()
  #server: Server
  #wss: WebSocketServer

  constructor() {
    this.#server = createServer((_req, res) => res.writeHead(404).end())
    this.#wss = new WebSocketServer({ noServer: true })
    this.#server.on('upgrade', (req, socket, head) => {
      this.connections.push(req.url ?? '')
      if (this.refuse.times > 0) {
        this.refuse.times--
        socket.end(
          `HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${this.refuse.retryAfter}\r\nContent-Length: 0\r\n\r\n`,
        )
        return
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws)
        ws.on('close', () => this.sockets.delete(ws))
        const cursor = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('cursor') ?? 0)
        for (const e of this.events) if (!cursor || e.time_us >= cursor) ws.send(e.data)
      })
    })
  }

  async start(): Promise<this> {
    this.url = (await listen(this.#server)).replace('http', 'ws')
    return this
  }

  push(event: JetstreamEvent): void {
    this.events.push(event)
    for (const ws of this.sockets) ws.send(event.data)
  }

  /** Drops every connection (as a server restart would). */
  dropAll(): void {
    for (const ws of this.sockets) ws.terminate()
  }

  async close(): Promise<void> {
    this.dropAll()
    this.#wss.close()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}
