import type { Migration } from 'kysely'
import * as core from './2026_11_29_1600_petitions_core.js'
import * as signatures from './2026_11_29_1610_petitions_signatures.js'
import * as moderation from './2026_11_29_1620_petitions_moderation.js'
import * as notifications from './2026_11_29_1630_petitions_notifications.js'
import * as fraud from './2026_11_29_1640_petitions_fraud.js'

export const petitionsMigrations: Record<string, Migration> = {
  '2026_11_29_1600_petitions_core': core,
  '2026_11_29_1610_petitions_signatures': signatures,
  '2026_11_29_1620_petitions_moderation': moderation,
  '2026_11_29_1630_petitions_notifications': notifications,
  '2026_11_29_1640_petitions_fraud': fraud,
}
