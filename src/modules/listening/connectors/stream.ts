/**
 * Long-lived streaming connectors (Mastodon streaming, Bluesky Jetstream) on `ws`. A worker
 * holds a lease on its source (so one process runs a stream), buffers what arrives, and stores it
 * every second (or every 500 posts) with the cursor that covers it, in one transaction. It
 * reconnects with exponential back-off and jitter, honouring a server's Retry-After, and counts
 * malformed messages instead of failing on them.
 */
import WebSocket from 'ws'
import type { Db } from '../../../platform/db/database.js'
import {
  type BackoffOptions,
  backoffMs,
  type FetchLike,
  retryAfterMs,
} from '../../../platform/http/outbound.js'
import type { RawPost } from '../domain/post.js'
import { ingestPosts } from '../services/ingest.js'
import type { ListeningSource } from '../store/source-store.js'
import { claimLease, releaseLease } from '../store/source-store.js'
import type { PollConnector } from './types.js'

/** What one message brought: posts, deleted posts' external ids, and the cursor after it. */
export interface StreamMessage {
  readonly posts?: readonly RawPost[]
  readonly deleted?: readonly string[]
  readonly cursor?: number | string
}

export interface StreamConnector {
  url(source: ListeningSource): string
  headers?(source: ListeningSource): Record<string, string>
  /** A parser for one source: a message's text → what it brought, or null when malformed. */
  parser(source: ListeningSource): (data: string) => StreamMessage | null
  /** The source state after a message. */
  stateFor(
    state: Readonly<Record<string, unknown>>,
    message: StreamMessage,
  ): Readonly<Record<string, unknown>>
  /** Read what was missed while disconnected (streams without replay). */
  readonly catchUp?: PollConnector
}

export interface StreamWorkerOptions {
  readonly db: Db
  readonly source: ListeningSource
  readonly connector: StreamConnector
  /** Who holds the lease (process id). */
  readonly owner: string
  readonly fetch?: FetchLike
  readonly flushMs?: number
  readonly maxBuffer?: number
  readonly leaseMs?: number
  readonly backoff?: BackoffOptions
  readonly log?: (msg: string, details?: Record<string, unknown>) => void
}

export interface StreamStats {
  connects: number
  messages: number
  stored: number
  skipped: number
  errors: number
  lastDelayMs: number | null
}

export class StreamWorker {
  readonly stats: StreamStats = {
    connects: 0,
    messages: 0,
    stored: 0,
    skipped: 0,
    errors: 0,
    lastDelayMs: null,
  }
  #state: Readonly<Record<string, unknown>>
  #buffer: RawPost[] = []
  #deleted: string[] = []
  #skipped = 0
  #dirty = false
  #attempt = 0
  #ws: WebSocket | null = null
  #stopped = false
  #catchingUp = false
  #queue: string[] = []
  #flushing: Promise<void> = Promise.resolve()
  #timers = new Set<NodeJS.Timeout>()
  #parse: (data: string) => StreamMessage | null
  readonly #o: StreamWorkerOptions

  constructor(options: StreamWorkerOptions) {
    this.#o = options
    this.#state = options.source.state
    this.#parse = options.connector.parser(options.source)
  }

  get running(): boolean {
    return !this.#stopped
  }

  get state(): Readonly<Record<string, unknown>> {
    return this.#state
  }

  /** Claims the lease and connects; false when another process holds the stream. */
  async start(): Promise<boolean> {
    const leaseMs = this.#o.leaseMs ?? 60_000
    const now = new Date()
    if (
      !(await claimLease(
        this.#o.db,
        this.#o.source.id,
        this.#o.owner,
        now,
        new Date(now.getTime() + leaseMs),
      ))
    )
      return false
    this.#every(Math.max(1000, leaseMs / 3), async () => {
      const at = new Date()
      const held = await claimLease(
        this.#o.db,
        this.#o.source.id,
        this.#o.owner,
        at,
        new Date(at.getTime() + leaseMs),
      ).catch(() => false)
      if (!held) await this.stop({ flush: false })
    })
    this.#every(this.#o.flushMs ?? 1000, () => this.flush())
    this.#connect()
    return true
  }

  #every(ms: number, fn: () => Promise<void>): void {
    const timer = setInterval(() => {
      fn().catch((err: unknown) => this.#log('stream timer failed', { err: String(err) }))
    }, ms)
    timer.unref()
    this.#timers.add(timer)
  }

  #log(msg: string, details: Record<string, unknown> = {}): void {
    this.#o.log?.(msg, { source: this.#o.source.id, ...details })
  }

  #connect(): void {
    if (this.#stopped) return
    const source = { ...this.#o.source, state: this.#state }
    const ws = new WebSocket(this.#o.connector.url(source), {
      headers: this.#o.connector.headers?.(source) ?? {},
      handshakeTimeout: 15_000,
    })
    this.#ws = ws
    let serverDelay: number | null = null
    ws.on('unexpected-response', (_req, res) => {
      const headers = new Headers()
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v)
      serverDelay =
        res.statusCode === 429 || res.statusCode === 503 ? retryAfterMs(headers, new Date()) : null
      this.stats.errors++
      this.#log('stream refused', { status: res.statusCode })
      res.resume()
      ws.terminate()
    })
    ws.on('open', () => {
      this.stats.connects++
      if (this.#o.connector.catchUp) void this.#runCatchUp()
    })
    ws.on('message', (data) => {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8')
      if (this.#catchingUp) this.#queue.push(text)
      else this.#handle(text)
    })
    ws.on('error', (err) => {
      this.stats.errors++
      this.#log('stream error', { err: err.message })
    })
    ws.on('close', () => {
      if (this.#ws !== ws) return
      this.#ws = null
      if (this.#stopped) return
      void this.flush()
      this.#attempt++
      const delay = backoffMs(
        this.#attempt,
        { baseMs: 1000, maxMs: 300_000, ...this.#o.backoff },
        serverDelay,
      )
      this.stats.lastDelayMs = delay
      const timer = setTimeout(() => {
        this.#timers.delete(timer)
        this.#connect()
      }, delay)
      timer.unref()
      this.#timers.add(timer)
    })
  }

  async #runCatchUp(): Promise<void> {
    const catchUp = this.#o.connector.catchUp
    if (!catchUp) return
    this.#catchingUp = true
    try {
      await this.flush()
      for await (const batch of catchUp(
        { config: this.#o.source.config, secrets: this.#o.source.secrets, state: this.#state },
        { fetch: this.#o.fetch ?? fetch, now: new Date() },
      )) {
        const r = await ingestPosts(this.#o.db, this.#o.source, batch.posts, {
          state: batch.state,
          skipped: batch.skipped,
        })
        this.stats.stored += r.stored
        this.stats.skipped += batch.skipped
        this.#state = batch.state
      }
    } catch (err) {
      this.stats.errors++
      this.#log('catch-up failed', { err: String(err) })
    } finally {
      this.#catchingUp = false
      for (const text of this.#queue.splice(0)) this.#handle(text)
    }
  }

  #handle(text: string): void {
    this.stats.messages++
    const msg = this.#parse(text)
    if (msg === null) {
      this.#skipped++
      this.stats.skipped++
      return
    }
    this.#attempt = 0
    if (msg.posts) this.#buffer.push(...msg.posts)
    if (msg.deleted) this.#deleted.push(...msg.deleted)
    this.#state = this.#o.connector.stateFor(this.#state, msg)
    this.#dirty = true
    if (this.#buffer.length >= (this.#o.maxBuffer ?? 500)) void this.flush()
  }

  /** Stores what is buffered with the cursor that covers it. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      if (!this.#dirty && this.#skipped === 0) return
      const posts = this.#buffer.splice(0)
      const deleted = this.#deleted.splice(0)
      const skipped = this.#skipped
      this.#skipped = 0
      this.#dirty = false
      const state = this.#state
      try {
        const r = await ingestPosts(this.#o.db, this.#o.source, posts, { state, skipped })
        this.stats.stored += r.stored
        if (deleted.length > 0) {
          await this.#o.db
            .deleteFrom('listening_posts')
            .where('source_id', '=', this.#o.source.id)
            .where('external_id', 'in', deleted)
            .execute()
        }
      } catch (err) {
        // Put it back: the next flush tries again (the cursor was not saved either).
        this.#buffer.unshift(...posts)
        this.#deleted.unshift(...deleted)
        this.#skipped += skipped
        this.#dirty = true
        this.stats.errors++
        this.#log('stream flush failed', { err: String(err) })
      }
    })
    return this.#flushing
  }

  /** Stops: by default stores what is buffered and gives the lease back. */
  async stop(options: { flush?: boolean } = {}): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    for (const t of this.#timers) clearInterval(t)
    this.#timers.clear()
    this.#ws?.terminate()
    this.#ws = null
    if (options.flush !== false) {
      await this.flush()
      await releaseLease(this.#o.db, this.#o.source.id, this.#o.owner).catch(() => undefined)
    }
  }
}
