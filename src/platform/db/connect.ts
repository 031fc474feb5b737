import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import type { Database, Dialect } from './database.js'

export interface DbHandle {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  readonly url: string
  close(): Promise<void>
}

export interface ConnectOptions {
  readonly sqliteSynchronous?: 'NORMAL' | 'FULL'
  readonly poolSize?: number
}

/**
 * Opens the database named by a `DATABASE_URL`: `sqlite:<path>` (`sqlite::memory:` for tests)
 * or `postgres://…`. SQLite runs in WAL mode so readers never wait for the writer.
 */
export function connect(url: string, options: ConnectOptions = {}): DbHandle {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length)
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true })
    const sqlite = new SQLite(path)
    sqlite.pragma('journal_mode = WAL')
    // NORMAL in WAL mode loses nothing when the process dies (the WAL is written before the
    // commit returns); FULL also survives power loss at the price of an fsync per commit.
    sqlite.pragma(`synchronous = ${options.sqliteSynchronous ?? 'NORMAL'}`)
    sqlite.pragma('busy_timeout = 10000')
    sqlite.pragma('foreign_keys = ON')
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
    return { db, dialect: 'sqlite', url, close: () => db.destroy() }
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, dialect: 'postgres', url, close: () => db.destroy() }
  }
  throw new Error(`unsupported database URL: ${url}`)
}
