import type { Migration } from 'kysely'
import * as core from './2026_11_29_1800_inbox_core.js'

export const inboxMigrations: Record<string, Migration> = {
  '2026_11_29_1800_inbox_core': core,
}
