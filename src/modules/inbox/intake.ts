/**
 * The inbox's entry point for other modules: a listening spike, a petition or consultation
 * question becomes a case routed like any message. Idempotent on `reference`, so a job that runs
 * twice opens one case.
 */
import type { Db } from '../../platform/db/database.js'
import type { Channel } from './domain/case.js'
import { type IntakeResult, receiveMessage } from './services/intake.js'

export interface ModuleCaseInput {
  /** The module opening the case: its channel (`listening`, `petitions`, `consultations`, or `other`). */
  readonly channel: Extract<Channel, 'listening' | 'petitions' | 'consultations' | 'other'>
  /** Stable id of what the case is about, e.g. `listening-spike:12`. */
  readonly reference: string
  readonly subject: string
  readonly text: string
  /** `<module>:<id>`, shown on the case and used for context links. */
  readonly context?: string
  readonly citizenEmail?: string | null
  readonly citizenName?: string | null
}

export async function openCaseFromModule(db: Db, input: ModuleCaseInput, now: Date): Promise<IntakeResult> {
  return receiveMessage(
    db,
    {
      channel: input.channel,
      text: input.text,
      receivedAt: now,
      subject: input.subject,
      context: input.context ?? null,
      externalId: input.reference,
      citizenEmail: input.citizenEmail ?? null,
      citizenName: input.citizenName ?? null,
      citizenHandle: input.citizenEmail ?? null,
    },
    now,
  )
}
