import type { CreateTableBuilder, Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * Helpers that migrations use. FROZEN: migrations that already ran depend on exactly what these
 * produce, so never change their output; add a new helper instead.
 */

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter'
}

/** An auto-incrementing integer primary key named `id`, on either dialect. */
export function withId<T extends string>(
  db: Kysely<any>,
  table: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

/**
 * Makes a table append-only: UPDATE and DELETE raise an error in the database itself, so no
 * code path (or console session) can rewrite history. `allowColumns` may still be updated
 * (used for pseudonymisation when a retention period ends).
 */
export async function makeAppendOnly(db: Kysely<any>, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql`CREATE OR REPLACE FUNCTION ${sql.raw(table)}_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION '${sql.raw(table)} is append-only'; END; $$ LANGUAGE plpgsql`.execute(db)
    await sql`CREATE TRIGGER ${sql.raw(table)}_no_update BEFORE UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION ${sql.raw(table)}_append_only()`.execute(db)
  } else {
    await sql`CREATE TRIGGER ${sql.raw(table)}_no_update BEFORE UPDATE ON ${sql.table(table)}
      BEGIN SELECT RAISE(ABORT, '${sql.raw(table)} is append-only'); END`.execute(db)
    await sql`CREATE TRIGGER ${sql.raw(table)}_no_delete BEFORE DELETE ON ${sql.table(table)}
      BEGIN SELECT RAISE(ABORT, '${sql.raw(table)} is append-only'); END`.execute(db)
  }
}
