import { Type } from 'typebox'
import type { DbOrTrx } from '../../platform/db/database.js'
import { readSetting } from '../../platform/settings/settings.js'

/** What councils can change at /admin/settings (module "listening"). */
export const listeningSettingsSchema = Type.Object({
  /** The council's own place names (wards, streets, community councils) for the place finder. */
  gazetteer: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 5000 }),
  /** Who gets the weekly summary (HTML email + CSV) every Monday morning. */
  weeklyReportRecipients: Type.Array(Type.String({ minLength: 3, maxLength: 320 }), { maxItems: 50 }),
  /** Retention for new sources, in days. */
  defaultRetentionDays: Type.Integer({ minimum: 1, maximum: 3650 }),
  /** How often polling connectors (Mastodon REST, RSS) run, in minutes. */
  pollMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
})

export interface ListeningSettings {
  readonly gazetteer: readonly string[]
  readonly weeklyReportRecipients: readonly string[]
  readonly defaultRetentionDays: number
  readonly pollMinutes: number
}

export const DEFAULT_LISTENING_SETTINGS: ListeningSettings = {
  gazetteer: [],
  weeklyReportRecipients: [],
  defaultRetentionDays: 90,
  pollMinutes: 5,
}

export async function listeningSettings(db: DbOrTrx): Promise<ListeningSettings> {
  const stored = await readSetting<Partial<ListeningSettings>>(db, 'module.listening')
  return { ...DEFAULT_LISTENING_SETTINGS, ...stored }
}
