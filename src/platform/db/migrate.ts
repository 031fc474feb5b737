import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely'
import { modules } from '../../modules/index.js'
import { platformMigrations } from '../migrations/index.js'
import type { Database } from './database.js'

/** All migrations of the platform and of every module, merged; each owner keeps its own folder. */
export function allMigrations(): Record<string, Migration> {
  const merged: Record<string, Migration> = { ...platformMigrations }
  for (const mod of modules) {
    for (const [name, migration] of Object.entries(mod.migrations)) {
      if (name in merged) throw new Error(`migration name ${name} is used twice (module ${mod.key})`)
      merged[name] = migration
    }
  }
  return merged
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const migrations = allMigrations()
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Modules are developed in parallel, so a module's older-dated migration may arrive later.
    allowUnorderedMigrations: true,
  })
  const result = await migrator.migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const err = new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`)
    ;(err as Error & { cause?: unknown }).cause = result.error
    throw err
  }
  return result
}
