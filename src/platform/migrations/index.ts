import type { Migration } from 'kysely'
import * as platformCore from './2026_11_29_1400_platform_core.js'
import * as platformElections from './2026_11_29_1900_platform_elections.js'
import * as platformOutboxHeaders from './2026_11_29_1905_platform_outbox_headers.js'

/** Platform migrations, by name. Names start with an ISO timestamp; all owners' lists are merged in name order. */
export const platformMigrations: Record<string, Migration> = {
  '2026_11_29_1400_platform_core': platformCore,
  '2026_11_29_1900_platform_elections': platformElections,
  '2026_11_29_1905_platform_outbox_headers': platformOutboxHeaders,
}
