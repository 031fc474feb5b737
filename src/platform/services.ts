import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import pino, { type Logger } from 'pino'
import type { Config } from '../config.js'
import { modules } from '../modules/index.js'
import { connect, type DbHandle } from './db/connect.js'
import type { Db, DbOrTrx, Dialect } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { type Catalogue, type Locale, loadCatalogues } from './i18n/i18n.js'
import { createJobs, type Jobs } from './jobs/jobs.js'
import { createMailer, type Mailer } from './mail/mail.js'
import { SRC } from './paths.js'
import { type Limiter, memoryLimiter, redisLimiter } from './security/limiter.js'
import { DEFAULT_ORGANISATION, type OrganisationSettings, organisationName } from './settings/organisation.js'
import { ensureSetting, readSetting, writeSetting } from './settings/settings.js'

/**
 * The composition root (hmpps-template's `services()`): everything a route, command or job needs,
 * built once per process and passed down, never imported as a global.
 */
export interface Services {
  readonly config: Config
  readonly db: Db
  readonly dialect: Dialect
  readonly logger: Logger
  readonly jobs: Jobs
  readonly mailer: Mailer
  readonly limiter: Limiter
  readonly redis: Redis | null
  readonly catalogues: Record<Locale, Catalogue>
  /** The key that encrypts session cookies: from SESSION_SECRET, else generated once and kept in the database. */
  readonly sessionKey: Buffer
  /** The organisation's settings; pass the open transaction when inside one (SQLite has one connection). */
  organisation(db?: DbOrTrx): Promise<OrganisationSettings>
  /** Forgets cached settings (after an admin saves them). */
  invalidateSettings(): void
  close(): Promise<void>
}

export function catalogueDirs(): string[] {
  return [
    join(SRC, 'platform', 'i18n', 'locales'),
    // Shared services with strings of their own (the policy checker runs in inbox and publishing).
    join(SRC, 'platform', 'policy', 'locales'),
    ...modules.map((m) => join(SRC, 'modules', m.key, 'locales')),
  ].filter((d) => existsSync(d))
}

export interface CreateServicesOptions {
  readonly logger?: Logger
  /** An already-open database (tests hand in SQLite or PGlite). */
  readonly handle?: DbHandle
  readonly migrate?: boolean
  readonly jobsTickMs?: number
  /** Run queued jobs in-process from the job table even on PostgreSQL (tests drain it themselves). */
  readonly localJobs?: boolean
}

const SETTINGS_TTL_MS = 2000
export const HEARTBEAT_MS = 5000

export async function createServices(config: Config, options: CreateServicesOptions = {}): Promise<Services> {
  const logger = options.logger ?? pino({ level: config.logLevel })
  const handle =
    options.handle ?? connect(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous })
  if (options.migrate !== false) await migrateToLatest(handle.db)
  const catalogues = loadCatalogues(catalogueDirs())
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false })
    : null
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis error'))

  let orgCache: { value: OrganisationSettings; at: number } | null = null
  async function organisation(db: DbOrTrx = handle.db): Promise<OrganisationSettings> {
    if (orgCache && Date.now() - orgCache.at < SETTINGS_TTL_MS) return orgCache.value
    const stored = await readSetting<Partial<OrganisationSettings>>(db, 'organisation')
    const value = { ...DEFAULT_ORGANISATION, ...stored }
    orgCache = { value, at: Date.now() }
    return value
  }

  const sessionKey = config.sessionSecret
    ? Buffer.from(config.sessionSecret).subarray(0, 32)
    : Buffer.from(
        await ensureSetting(handle.db, 'platform.session_key', randomBytes(32).toString('hex')),
        'hex',
      )

  const jobs = createJobs({
    db: handle.db,
    logger,
    postgresUrl:
      !options.localJobs && handle.dialect === 'postgres' && handle.url.startsWith('postgres')
        ? handle.url
        : null,
    ...(options.jobsTickMs ? { tickMs: options.jobsTickMs } : {}),
  })
  const mailer = createMailer({
    db: handle.db,
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    publicUrl: config.publicUrl,
    catalogues,
    organisationName: async (locale, db) => organisationName(await organisation(db), locale),
    logger,
  })

  const services: Services = {
    config,
    db: handle.db,
    dialect: handle.dialect,
    logger,
    jobs,
    mailer,
    limiter: redis ? redisLimiter(redis) : memoryLimiter(),
    redis,
    catalogues,
    sessionKey,
    organisation,
    invalidateSettings: () => {
      orgCache = null
    },
    async close() {
      await jobs.stop()
      mailer.close()
      redis?.disconnect()
      await handle.close()
    },
  }

  // Mail that failed to send is retried every minute, by one process at a time.
  jobs.every('platform.mail.retry', 60_000, async () => {
    await mailer.deliverPending()
  })
  // A heartbeat the dashboard shows ("background jobs last ran …"), claimed by one process per period.
  jobs.every('platform.heartbeat', HEARTBEAT_MS, async (periodStart) => {
    await writeSetting(handle.db, 'platform.jobs.heartbeat', {
      at: periodStart.toISOString(),
      worker: jobs.workerId,
    })
  })
  // Old claims are only needed to stop a period running twice; keep a week for diagnosis.
  jobs.every('platform.jobs.prune', 3_600_000, async (periodStart) => {
    const cutoff = new Date(periodStart.getTime() - 7 * 86_400_000).toISOString()
    await handle.db.deleteFrom('recurring_job_runs').where('period_start', '<', cutoff).execute()
    await handle.db
      .deleteFrom('job_queue')
      .where('status', '=', 'done')
      .where('created_at', '<', cutoff)
      .execute()
    await handle.db.deleteFrom('email_tokens').where('expires_at', '<', cutoff).execute()
  })
  for (const mod of modules) mod.registerJobs?.(services)
  return services
}
