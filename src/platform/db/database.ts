import type { Kysely, Transaction } from 'kysely'

/**
 * Every table's row type. Each module adds its own tables by declaration merging
 * (`declare module '../../platform/db/database.js' { interface Database extends MyTables {} }`),
 * so the platform never imports a module to know its tables.
 *
 * Cross-dialect rules (SQLite and PostgreSQL run the same queries):
 * - timestamps are ISO-8601 UTC strings (`Date#toISOString()`), which sort as text;
 * - booleans are integers 0 / 1;
 * - JSON is text.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface Database {}

export type Db = Kysely<Database>
export type Trx = Transaction<Database>
/** A store function accepts either the database or an open transaction. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>

export type Dialect = 'sqlite' | 'postgres'
