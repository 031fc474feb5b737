import type { Migration } from 'kysely'
import * as platformCore from './2026_11_29_1400_platform_core.js'

/** Platform migrations, by name. Names start with an ISO timestamp; all owners' lists are merged in name order. */
export const platformMigrations: Record<string, Migration> = {
  '2026_11_29_1400_platform_core': platformCore,
}
