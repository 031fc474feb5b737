/**
 * Running connectors: polling ones (Mastodon REST, RSS/Atom) as recurring jobs, streaming ones
 * (Mastodon streaming, Jetstream) as long-lived workers, each held by one process through a lease
 * on its source row.
 */
import type { Db } from '../../../platform/db/database.js'
import { backoffMs, type FetchLike, RateLimitedError, redact } from '../../../platform/http/outbound.js'
import { pollFeed } from '../connectors/feed.js'
import { jetstreamConnector } from '../connectors/jetstream.js'
import { pollMastodon } from '../connectors/mastodon.js'
import { mastodonStreamConnector } from '../connectors/mastodon-stream.js'
import { type StreamConnector, StreamWorker } from '../connectors/stream.js'
import type { PollConnector } from '../connectors/types.js'
import type { SourceType } from '../domain/post.js'
import {
  findSource,
  type ListeningSource,
  listSources,
  recordSourceFailure,
  recordSourceSuccess,
} from '../store/source-store.js'
import { type ActiveQuery, ingestPosts, loadActiveQueries, loadGazetteer } from './ingest.js'

export const POLL_CONNECTORS: Partial<Record<SourceType, PollConnector>> = {
  mastodon: pollMastodon,
  rss: pollFeed,
}
export const STREAM_CONNECTORS: Partial<Record<SourceType, StreamConnector>> = {
  'mastodon-stream': mastodonStreamConnector,
  bluesky: jetstreamConnector,
}

export interface RunOutcome {
  readonly status: 'ran' | 'waiting' | 'disabled' | 'failed' | 'not-polling'
  readonly stored: number
  readonly skipped: number
  readonly error?: string
  readonly nextRunAt?: string
}

export interface RunOptions {
  readonly fetch?: FetchLike
  readonly now?: Date
  readonly random?: () => number
  readonly queries?: readonly ActiveQuery[]
  /** Run even if the back-off time has not come. */
  readonly force?: boolean
}

/**
 * One run of a polling source: every batch is stored with its cursor in one transaction, so a
 * crash between batches resumes from the last stored one. A failure (rate limit, HTTP error,
 * unreadable answer) sets the next run by exponential back-off with jitter, or the server's wait.
 */
export async function runPollSource(db: Db, sourceId: number, options: RunOptions = {}): Promise<RunOutcome> {
  const now = options.now ?? new Date()
  const source = await findSource(db, sourceId)
  if (!source?.enabled) return { status: 'disabled', stored: 0, skipped: 0 }
  const connector = POLL_CONNECTORS[source.type]
  if (!connector) return { status: 'not-polling', stored: 0, skipped: 0 }
  if (!options.force && source.nextRunAt && source.nextRunAt > now.toISOString())
    return { status: 'waiting', stored: 0, skipped: 0, nextRunAt: source.nextRunAt }
  const queries = options.queries ?? (await loadActiveQueries(db))
  const gazetteer = await loadGazetteer(db)
  let stored = 0
  let skipped = 0
  try {
    for await (const batch of connector(source, { fetch: options.fetch ?? fetch, now })) {
      const r = await ingestPosts(db, source, batch.posts, {
        queries,
        gazetteer,
        now,
        state: batch.state,
        skipped: batch.skipped,
      })
      stored += r.stored
      skipped += batch.skipped
    }
  } catch (err) {
    const serverMs = err instanceof RateLimitedError ? err.retryAfterMs : null
    const delay = backoffMs(source.errorCount + 1, options.random ? { random: options.random } : {}, serverMs)
    const next = new Date(now.getTime() + delay)
    const message = redact(String((err as Error).message ?? err))
    await recordSourceFailure(db, source.id, message, next, now)
    return { status: 'failed', stored, skipped, error: message, nextRunAt: next.toISOString() }
  }
  await recordSourceSuccess(db, source.id, now)
  return { status: 'ran', stored, skipped }
}

/** Polls every enabled polling source whose interval has passed (the recurring job). */
export async function pollDueSources(
  db: Db,
  pollMinutes: number,
  options: RunOptions = {},
): Promise<Map<number, RunOutcome>> {
  const now = options.now ?? new Date()
  const out = new Map<number, RunOutcome>()
  const queries = options.queries ?? (await loadActiveQueries(db))
  for (const s of await listSources(db)) {
    if (!s.enabled || !POLL_CONNECTORS[s.type]) continue
    if (s.nextRunAt && s.nextRunAt > now.toISOString()) continue
    if (s.lastRunAt && !s.nextRunAt && Date.parse(s.lastRunAt) + pollMinutes * 60_000 > now.getTime() + 1000)
      continue
    out.set(s.id, await runPollSource(db, s.id, { ...options, now, queries }))
  }
  return out
}

/** The streaming workers this process runs, by database. */
const workers = new WeakMap<Db, Map<number, StreamWorker>>()

export function runningStreams(db: Db): ReadonlyMap<number, StreamWorker> {
  return workers.get(db) ?? new Map()
}

/**
 * Starts a worker for every enabled streaming source whose lease is free, and stops the workers
 * of sources switched off or removed. Called by a recurring job in every process that runs jobs.
 */
export async function ensureStreams(
  db: Db,
  owner: string,
  options: { fetch?: FetchLike; log?: (msg: string, details?: Record<string, unknown>) => void } = {},
): Promise<number[]> {
  let mine = workers.get(db)
  if (!mine) {
    mine = new Map()
    workers.set(db, mine)
  }
  const sources = await listSources(db)
  const wanted = new Map<number, ListeningSource>()
  for (const s of sources) if (s.enabled && STREAM_CONNECTORS[s.type]) wanted.set(s.id, s)
  for (const [id, w] of mine) {
    if (!wanted.has(id) || !w.running) {
      await w.stop()
      mine.delete(id)
    }
  }
  const started: number[] = []
  for (const [id, s] of wanted) {
    if (mine.has(id)) continue
    const worker = new StreamWorker({
      db,
      source: s,
      connector: STREAM_CONNECTORS[s.type]!,
      owner,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.log ? { log: options.log } : {}),
    })
    try {
      if (await worker.start()) {
        mine.set(id, worker)
        started.push(id)
      }
    } catch (err) {
      options.log?.('stream start failed', { source: id, err: String(err) })
    }
  }
  return started
}

export async function stopStreams(db: Db): Promise<void> {
  const mine = workers.get(db)
  if (!mine) return
  for (const w of mine.values()) await w.stop()
  mine.clear()
}
