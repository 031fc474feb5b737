import type { DbOrTrx } from '../db/database.js'
import '../db/tables.js'

/** Raw key → JSON settings held in the database, so every process sees one value. */
export async function readSetting<T>(db: DbOrTrx, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  return row ? (JSON.parse(row.value) as T) : undefined
}

export async function writeSetting(
  db: DbOrTrx,
  key: string,
  value: unknown,
  now: Date = new Date(),
): Promise<void> {
  const json = JSON.stringify(value)
  await db
    .insertInto('settings')
    .values({ key, value: json, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now.toISOString() }))
    .execute()
}

/** Writes `value` only if the key is absent, then returns what is stored: the first process to boot wins. */
export async function ensureSetting<T>(
  db: DbOrTrx,
  key: string,
  value: T,
  now: Date = new Date(),
): Promise<T> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  return (await readSetting<T>(db, key)) as T
}
