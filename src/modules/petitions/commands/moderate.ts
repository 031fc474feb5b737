import { recordAudit } from '../../../platform/audit/audit.js'
import type { Actor } from '../../../platform/auth/actor.js'
import type { Db } from '../../../platform/db/database.js'
import type { FieldProblem } from '../../../platform/http/forms.js'
import type { Mailer } from '../../../platform/mail/mail.js'
import { type PetitionRules, publishPetition, rejectPetition, VISIBLE_STATES } from '../domain/petition.js'
import {
  findPetitionById,
  listRejectionReasons,
  recordPetitionEvent,
  takeModerationLock,
} from '../store/petition-store.js'

export type ModerationAction =
  | { readonly kind: 'approve' }
  | { readonly kind: 'reject'; readonly reasonCode: string; readonly details: string }
  | { readonly kind: 'duplicate'; readonly duplicateOf: number; readonly details: string }

export type ModerationOutcome =
  | { readonly ok: true; readonly state: string }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] }
  | { readonly ok: false; readonly lockedBy: number }

export interface ModerateDeps {
  readonly db: Db
  readonly mailer: Mailer
  readonly publicUrl: string
  readonly rules: PetitionRules
}

/**
 * A moderator's decision on a petition in the queue: publish it, reject it with a reason from
 * the library (hidden reasons hide its text), or reject it as a duplicate of another petition.
 * The moderator must hold the lock; the creator is emailed in their language.
 */
export async function moderatePetition(
  deps: ModerateDeps,
  actor: Actor & { kind: 'staff' },
  petitionId: number,
  action: ModerationAction,
  now: Date,
): Promise<ModerationOutcome> {
  const holder = await takeModerationLock(deps.db, petitionId, actor.id, now)
  if (holder !== null && holder !== actor.id) return { ok: false, lockedBy: holder }
  const petition = await findPetitionById(deps.db, petitionId)
  if (!petition) return { ok: false, problems: [{ field: 'action', code: 'not-found' }] }
  const reasons = await listRejectionReasons(deps.db)
  const problems: FieldProblem[] = []
  const reason = reasons.find((r) => r.code === (action.kind === 'reject' ? action.reasonCode : 'duplicate'))
  if (action.kind === 'reject' && !reason) problems.push({ field: 'reasonCode', code: 'required' })
  if (action.kind !== 'approve' && action.details.length > 4000)
    problems.push({ field: 'details', code: 'too-long' })
  if (action.kind === 'duplicate') {
    const other = await findPetitionById(deps.db, action.duplicateOf)
    if (!other || other.id === petition.id || !(VISIBLE_STATES as readonly string[]).includes(other.state)) {
      problems.push({ field: 'duplicateOf', code: 'invalid' })
    }
  }
  if (problems.length > 0) return { ok: false, problems }

  const next =
    action.kind === 'approve'
      ? publishPetition(petition, deps.rules, now)
      : rejectPetition(petition, reason?.hidden ?? false, now)
  const prefix = `${deps.publicUrl}${petition.language === 'cy' ? '/cy' : ''}`
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('petitions')
      .set({
        state: next.state,
        opened_at: next.openedAt,
        deadline_at: next.deadlineAt,
        rejected_at: next.rejectedAt,
        rejection_code: action.kind === 'approve' ? null : (reason?.code ?? null),
        rejection_details: action.kind === 'approve' ? null : action.details.trim() || null,
        duplicate_of: action.kind === 'duplicate' ? action.duplicateOf : null,
        locked_by: null,
        locked_at: null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', petition.id)
      .execute()
    await recordPetitionEvent(
      trx,
      petition.id,
      `state.${next.state}`,
      now,
      action.kind === 'approve' ? {} : { reason: reason?.code },
    )
    await recordAudit(trx, {
      actor,
      action: `petitions.${action.kind}`,
      subject: { type: 'petition', id: petition.id },
      details: {
        from: petition.state,
        to: next.state,
        ...(action.kind !== 'approve' ? { reason: reason?.code, details: action.details } : {}),
      },
      at: now,
    })
    if (petition.creatorEmail) {
      const cy = petition.language === 'cy'
      await deps.mailer.send(
        trx,
        {
          to: petition.creatorEmail,
          template: action.kind === 'approve' ? 'petitions-published' : 'petitions-rejected',
          language: petition.language,
          data: {
            action: petition.action,
            link: `${prefix}/petitions/${petition.id}`,
            reason: reason ? (cy ? reason.titleCy : reason.titleEn) : '',
            details: action.kind === 'approve' ? '' : action.details,
            duplicateLink: action.kind === 'duplicate' ? `${prefix}/petitions/${action.duplicateOf}` : '',
          },
        },
        now,
      )
    }
  })
  return { ok: true, state: next.state }
}
