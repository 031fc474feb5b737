import { Type } from 'typebox'
import type { DbOrTrx } from '../../platform/db/database.js'
import { readSetting } from '../../platform/settings/settings.js'

/** What councils can change at /admin/settings (module "inbox"). */
export const inboxSettingsSchema = Type.Object({
  /** Port of the inbound SMTP listener (behind the council's mail relay); 0 = off. */
  smtpIntakePort: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** Show the service standard and last month's figures at /service-standards. */
  publishStandards: Type.Boolean(),
})

export interface InboxSettings {
  readonly smtpIntakePort: number
  readonly publishStandards: boolean
}

export const DEFAULT_INBOX_SETTINGS: InboxSettings = { smtpIntakePort: 0, publishStandards: true }

export async function inboxSettings(db: DbOrTrx): Promise<InboxSettings> {
  const stored = await readSetting<Partial<InboxSettings>>(db, 'module.inbox')
  return { ...DEFAULT_INBOX_SETTINGS, ...stored }
}
