import type { DbOrTrx } from '../../../platform/db/database.js'
import type { PetitionState } from '../domain/petition.js'
import { insertPetition, type NewPetition, newPetition } from '../store/petition-store.js'

/** Factories named by state (e-petitions' `:open_petition`). */
export async function petitionIn(
  db: DbOrTrx,
  state: PetitionState,
  overrides: Partial<NewPetition> = {},
): Promise<number> {
  const now = new Date()
  return insertPetition(
    db,
    newPetition(now, {
      action: 'Build a safe crossing outside Ysgol y Dderwen',
      background: 'Children cross a busy road twice a day with no crossing.',
      state,
      creatorName: 'Sam Creator',
      creatorEmail: 'creator@example.org',
      openedAt: state === 'open' ? now.toISOString() : null,
      deadlineAt: state === 'open' ? new Date(now.getTime() + 180 * 86_400_000).toISOString() : null,
      ...overrides,
    }),
  )
}

export const openPetition = (db: DbOrTrx, overrides: Partial<NewPetition> = {}) =>
  petitionIn(db, 'open', overrides)
export const closedPetition = (db: DbOrTrx, overrides: Partial<NewPetition> = {}) =>
  petitionIn(db, 'closed', overrides)
