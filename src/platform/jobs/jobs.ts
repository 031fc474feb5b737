import { hostname } from 'node:os'
import PgBoss from 'pg-boss'
import type { Logger } from 'pino'
import type { Db } from '../db/database.js'
import '../db/tables.js'

export type JobHandler<T> = (payload: T) => Promise<void>
export type RecurringHandler = (periodStart: Date) => Promise<void>

/**
 * Background work. Queued jobs run once each; recurring jobs run once per period across every
 * process sharing the database.
 *
 * - Queued jobs: on PostgreSQL, pg-boss (shared by all app processes, SKIP LOCKED claims); on
 *   SQLite (one process), a `job_queue` table polled in-process, so an accepted job survives a crash.
 * - Recurring jobs: each process ticks; the first to insert the `(name, period_start)` row into
 *   `recurring_job_runs` runs the period, the others' inserts conflict and they skip it.
 */
export interface Jobs {
  define<T>(name: string, handler: JobHandler<T>): void
  enqueue<T extends object>(name: string, payload: T, options?: { runAt?: Date }): Promise<void>
  every(name: string, periodMs: number, handler: RecurringHandler): void
  /** Runs the recurring jobs whose current period nobody has claimed yet; returns the names run. */
  runDueRecurring(now?: Date): Promise<string[]>
  /** Runs queued local jobs that are due (tests and the SQLite poller). */
  drainLocal(now?: Date): Promise<number>
  start(): Promise<void>
  stop(): Promise<void>
  readonly backend: 'local' | 'pg-boss'
  readonly workerId: string
}

export interface JobsOptions {
  readonly db: Db
  readonly logger: Logger
  /** A postgres:// URL makes queued jobs use pg-boss; null keeps them in the local table. */
  readonly postgresUrl: string | null
  readonly tickMs?: number
  readonly workerId?: string
}

const MAX_ATTEMPTS = 5

export function createJobs(options: JobsOptions): Jobs {
  const { db, logger } = options
  const workerId =
    options.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`
  const handlers = new Map<string, JobHandler<unknown>>()
  const recurring = new Map<string, { periodMs: number; handler: RecurringHandler }>()
  const tickMs = options.tickMs ?? 1000
  let boss: PgBoss | null = null
  let timer: NodeJS.Timeout | null = null
  let ticking: Promise<void> | null = null
  let started = false
  let sender: Promise<PgBoss> | null = null

  async function runRecurring(now: Date): Promise<string[]> {
    const ran: string[] = []
    for (const [name, { periodMs, handler }] of recurring) {
      const periodStart = new Date(Math.floor(now.getTime() / periodMs) * periodMs)
      const claim = await db
        .insertInto('recurring_job_runs')
        .values({
          name,
          period_start: periodStart.toISOString(),
          claimed_by: workerId,
          claimed_at: now.toISOString(),
        })
        .onConflict((oc) => oc.columns(['name', 'period_start']).doNothing())
        .executeTakeFirst()
      if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) continue
      let error: string | null = null
      try {
        await handler(periodStart)
      } catch (err) {
        error = String((err as Error).stack ?? err).slice(0, 2000)
        logger.error({ job: name, err }, 'recurring job failed')
      }
      await db
        .updateTable('recurring_job_runs')
        .set({ finished_at: new Date().toISOString(), error })
        .where('name', '=', name)
        .where('period_start', '=', periodStart.toISOString())
        .execute()
      ran.push(name)
    }
    return ran
  }

  async function drainLocal(now: Date = new Date()): Promise<number> {
    let done = 0
    for (;;) {
      const due = await db
        .selectFrom('job_queue')
        .select('id')
        .where('status', '=', 'queued')
        .where('run_at', '<=', now.toISOString())
        .orderBy('id')
        .limit(1)
        .executeTakeFirst()
      if (!due) return done
      const job = await db
        .updateTable('job_queue')
        .set((eb) => ({
          status: 'running',
          locked_by: workerId,
          locked_at: now.toISOString(),
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', '=', due.id)
        .where('status', '=', 'queued')
        .returningAll()
        .executeTakeFirst()
      if (!job) continue
      const handler = handlers.get(job.name)
      try {
        if (!handler) throw new Error(`no handler for job ${job.name}`)
        await handler(JSON.parse(job.payload) as unknown)
        await db
          .updateTable('job_queue')
          .set({ status: 'done', last_error: null })
          .where('id', '=', job.id)
          .execute()
      } catch (err) {
        const attempts = Number(job.attempts)
        const retryAt = new Date(now.getTime() + 2 ** attempts * 1000)
        await db
          .updateTable('job_queue')
          .set({
            status: attempts >= MAX_ATTEMPTS ? 'failed' : 'queued',
            run_at: retryAt.toISOString(),
            last_error: String((err as Error).message).slice(0, 2000),
          })
          .where('id', '=', job.id)
          .execute()
        logger.error({ job: job.name, id: job.id, err }, 'job failed')
      }
      done++
    }
  }

  async function tick(): Promise<void> {
    ticking ??= (async () => {
      try {
        await runRecurring(new Date())
        if (!boss) await drainLocal(new Date())
      } catch (err) {
        logger.error({ err }, 'job tick failed')
      } finally {
        ticking = null
      }
    })()
    return ticking
  }

  return {
    backend: options.postgresUrl ? 'pg-boss' : 'local',
    workerId,
    define(name, handler) {
      if (handlers.has(name)) throw new Error(`job ${name} is defined twice`)
      handlers.set(name, handler as JobHandler<unknown>)
      if (boss) void workPgBoss(boss, name, handler as JobHandler<unknown>)
    },
    async enqueue(name, payload, opts = {}) {
      if (options.postgresUrl) {
        // A process that runs no jobs (JOBS=false, the CLI) still hands its jobs to the shared
        // queue, so the processes that do run jobs pick them up.
        const b = boss ?? (await senderBoss())
        await b.createQueue(name)
        await b.send(name, payload, opts.runAt ? { startAfter: opts.runAt } : {})
        return
      }
      const now = new Date()
      await db
        .insertInto('job_queue')
        .values({
          name,
          payload: JSON.stringify(payload),
          run_at: (opts.runAt ?? now).toISOString(),
          status: 'queued',
          created_at: now.toISOString(),
        })
        .execute()
    },
    every(name, periodMs, handler) {
      if (recurring.has(name)) throw new Error(`recurring job ${name} is defined twice`)
      if (periodMs < 1000) throw new Error('a recurring period is at least one second')
      recurring.set(name, { periodMs, handler })
    },
    runDueRecurring: (now = new Date()) => runRecurring(now),
    drainLocal,
    async start() {
      if (started) return
      started = true
      if (options.postgresUrl) {
        boss = new PgBoss({ connectionString: options.postgresUrl, schema: 'pgboss', max: 3 })
        boss.on('error', (err: Error) => logger.error({ err }, 'pg-boss error'))
        await boss.start()
        for (const [name, handler] of handlers) await workPgBoss(boss, name, handler)
      }
      timer = setInterval(() => void tick(), tickMs)
      timer.unref()
    },
    async stop() {
      if (sender) await (await sender).stop({ graceful: true, wait: true, timeout: 5000 })
      sender = null
      if (timer) clearInterval(timer)
      timer = null
      if (ticking) await ticking
      if (boss) await boss.stop({ graceful: true, wait: true, timeout: 5000 })
      boss = null
      started = false
    },
  }

  /** pg-boss for sending only: no maintenance, no schedules, no workers. */
  function senderBoss(): Promise<PgBoss> {
    sender ??= (async () => {
      const b = new PgBoss({
        connectionString: options.postgresUrl!,
        schema: 'pgboss',
        max: 2,
        supervise: false,
        schedule: false,
      })
      b.on('error', (err: Error) => logger.error({ err }, 'pg-boss error'))
      await b.start()
      return b
    })()
    return sender
  }

  async function workPgBoss(b: PgBoss, name: string, handler: JobHandler<unknown>): Promise<void> {
    await b.createQueue(name)
    // Batches of ten keep latency low; a failure retries the whole batch, so handlers are idempotent.
    await b.work(name, { pollingIntervalSeconds: 1, batchSize: 10 }, async (jobs) => {
      for (const job of jobs) await handler(job.data)
    })
  }
}
