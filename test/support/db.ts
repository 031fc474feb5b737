import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { Kysely } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import { connect, type DbHandle } from '../../src/platform/db/connect.js'
import type { Database } from '../../src/platform/db/database.js'
import { migrateToLatest } from '../../src/platform/db/migrate.js'

/**
 * Every store test runs once per dialect (kysely's own test set-up): SQLite, and PostgreSQL —
 * the real server when TEST_DATABASE_URL is set (as in CI), otherwise PGlite in-process.
 */
export const TEST_DIALECTS = ['sqlite', 'postgres'] as const
export type TestDialect = (typeof TEST_DIALECTS)[number]

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || null

export function postgresLabel(): string {
  return TEST_DATABASE_URL ? 'postgres (server)' : 'postgres (PGlite)'
}

export function dialectLabel(dialect: TestDialect): string {
  return dialect === 'sqlite' ? 'sqlite' : postgresLabel()
}

/**
 * A new, empty database on the PostgreSQL server of TEST_DATABASE_URL (a database rather than a
 * schema: Kysely's migrator looks for its tables in every schema, so parallel files would clash).
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set')
  const name = `townsquare_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`)
  await admin.end()
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL! })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

/**
 * A fresh, migrated database for one test file. On a PostgreSQL server each gets its own schema,
 * dropped on close, so test files running in parallel never see each other's rows.
 */
export async function openTestDb(
  dialect: TestDialect,
  options: { migrate?: boolean; file?: string } = {},
): Promise<DbHandle> {
  let handle: DbHandle
  if (dialect === 'sqlite') {
    handle = connect(options.file ? `sqlite:${options.file}` : 'sqlite::memory:')
  } else if (TEST_DATABASE_URL) {
    const { url, drop } = await createTestDatabase()
    const inner = connect(url, { poolSize: 5 })
    handle = {
      ...inner,
      async close() {
        await inner.close()
        await drop()
      },
    }
  } else {
    const pglite = new PGlite()
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
    handle = { db, dialect: 'postgres', url: 'pglite:memory', close: () => db.destroy() }
  }
  if (options.migrate !== false) await migrateToLatest(handle.db)
  return handle
}
