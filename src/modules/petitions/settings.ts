import { type Static, Type } from 'typebox'
import type { DbOrTrx } from '../../platform/db/database.js'
import { readSetting } from '../../platform/settings/settings.js'
import { DEFAULT_RULES, type PetitionRules } from './domain/petition.js'

/** Every number of the petition rules is a setting, defaulting to the UK Parliament's. */
export const petitionSettingsSchema = Type.Object({
  minSponsors: Type.Integer({ minimum: 1, maximum: 100 }),
  maxSponsors: Type.Integer({ minimum: 1, maximum: 1000 }),
  responseThreshold: Type.Integer({ minimum: 1 }),
  debateThreshold: Type.Integer({ minimum: 1 }),
  durationMonths: Type.Integer({ minimum: 1, maximum: 12 }),
  nearlyOverdueDays: Type.Integer({ minimum: 1 }),
  overdueDays: Type.Integer({ minimum: 1 }),
  moderationDelayThreshold: Type.Integer({ minimum: 1 }),
  responseDueDays: Type.Integer({ minimum: 1, maximum: 365 }),
  allowPlusAddresses: Type.Boolean(),
  /**
   * Pause petitions for the pre-election periods of the elections calendar (/admin/elections):
   * open petitions close early, unpublished ones stop, and no new one can be started until
   * polling day has passed (e-petitions does this at dissolution). Off by default: many
   * councils keep petitions open during local elections.
   */
  closeForElections: Type.Boolean(),
})

export type PetitionSettings = Static<typeof petitionSettingsSchema> & PetitionRules

export const DEFAULT_PETITION_SETTINGS: PetitionSettings = {
  ...DEFAULT_RULES,
  allowPlusAddresses: false,
  closeForElections: false,
}

export async function loadPetitionSettings(db: DbOrTrx): Promise<PetitionSettings> {
  const stored = await readSetting<Partial<PetitionSettings>>(db, 'module.petitions')
  return { ...DEFAULT_PETITION_SETTINGS, ...stored }
}
