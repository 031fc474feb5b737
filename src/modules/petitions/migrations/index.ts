import type { Migration } from 'kysely'
import * as core from './2026_11_29_1600_petitions_core.js'

export const petitionsMigrations: Record<string, Migration> = {
  '2026_11_29_1600_petitions_core': core,
}
