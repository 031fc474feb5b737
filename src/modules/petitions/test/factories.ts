import type { DbOrTrx } from '../../../platform/db/database.js'
import type { PetitionState } from '../domain/petition.js'
import { insertPetition, type NewPetition } from '../store/petition-store.js'

/** Factories named by state (e-petitions' `:open_petition`). */
export async function petitionIn(
  db: DbOrTrx,
  state: PetitionState,
  overrides: Partial<NewPetition> = {},
): Promise<number> {
  const now = new Date().toISOString()
  return insertPetition(db, {
    action: 'Build a safe crossing outside Ysgol y Dderwen',
    background: 'Children cross a busy road twice a day with no crossing.',
    additionalDetails: '',
    committeeNote: '',
    state,
    language: 'en',
    creatorName: 'Sam Creator',
    creatorEmail: 'creator@example.org',
    signatureCount: 0,
    createdAt: now,
    updatedAt: now,
    openedAt: state === 'open' ? now : null,
    closedAt: null,
    deadlineAt: state === 'open' ? new Date(Date.now() + 180 * 86_400_000).toISOString() : null,
    rejectedAt: null,
    moderationThresholdReachedAt: null,
    responseThresholdReachedAt: null,
    debateThresholdReachedAt: null,
    governmentResponseAt: null,
    scheduledDebateDate: null,
    debateOutcomeAt: null,
    rejection: null,
    response: null,
    debate: null,
    extra: {},
    source: 'local',
    sourceUrl: null,
    ...overrides,
  })
}

export const openPetition = (db: DbOrTrx, overrides: Partial<NewPetition> = {}) =>
  petitionIn(db, 'open', overrides)
export const closedPetition = (db: DbOrTrx, overrides: Partial<NewPetition> = {}) =>
  petitionIn(db, 'closed', overrides)
