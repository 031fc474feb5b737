import type { Migration } from 'kysely'
import * as core from './2026_11_29_1650_deliberation_core.js'

/** The deliberation module's migrations, by name (frozen once released). */
export const deliberationMigrations: Record<string, Migration> = {
  '2026_11_29_1650_deliberation_core': core,
}
