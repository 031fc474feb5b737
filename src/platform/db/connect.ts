import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely'
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

/** Distinct SQL texts kept prepared; a query builder makes few, parameters carry the values. */
const STATEMENT_CACHE_SIZE = 1000

/**
 * Kysely's SQLite driver calls `prepare(sql)` for every query, and preparing (parsing and
 * planning) was ~5% of the server's time under a signing load (bench/petitions, node
 * --cpu-prof). Statements are reusable, so keep them by SQL text; one still iterating (a
 * streamed select) is `busy` and then a fresh one is prepared. SQLite re-prepares a cached
 * statement itself after a schema change.
 */
function statementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = statements.get(sql)
      if (cached && !cached.busy) return cached
      const stmt = sqlite.prepare(sql)
      if (!cached) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear()
        statements.set(sql, stmt)
      }
      return stmt
    },
  }
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
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statementCache(sqlite) }) })
    return { db, dialect: 'sqlite', url, close: () => db.destroy() }
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 })
    // An idle client ended by the server (a restart, a failover, DROP DATABASE … FORCE in tests)
    // emits 'error' on the pool; unhandled, that would kill the process. The pool replaces it,
    // and a query in flight still gets its own error.
    pool.on('error', () => {})
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, dialect: 'postgres', url, close: () => db.destroy() }
  }
  throw new Error(`unsupported database URL: ${url}`)
}
