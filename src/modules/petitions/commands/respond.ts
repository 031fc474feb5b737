import { recordAudit } from '../../../platform/audit/audit.js'
import type { Actor } from '../../../platform/auth/actor.js'
import type { Db } from '../../../platform/db/database.js'
import type { FieldProblem } from '../../../platform/http/forms.js'
import type { Jobs } from '../../../platform/jobs/jobs.js'
import type { Mailer } from '../../../platform/mail/mail.js'
import { RESPONSE_LIMITS } from '../domain/petition.js'
import { findPetitionById, recordPetitionEvent } from '../store/petition-store.js'

export interface ResponseInput {
  readonly summary: string
  readonly details: string
  readonly respondedOn: string
}

export interface OutcomeInput {
  readonly debatedOn: string
  readonly overview: string
  readonly transcriptUrl: string
  readonly videoUrl: string
}

function isDate(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))
}

function isHttpUrl(v: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol)
  } catch {
    return false
  }
}

export function validateResponse(input: ResponseInput): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (!input.summary.trim()) problems.push({ field: 'summary', code: 'required' })
  else if (input.summary.length > RESPONSE_LIMITS.summary)
    problems.push({ field: 'summary', code: 'too-long', vars: { max: RESPONSE_LIMITS.summary } })
  if (input.details.length > RESPONSE_LIMITS.details)
    problems.push({ field: 'responseDetails', code: 'too-long', vars: { max: RESPONSE_LIMITS.details } })
  if (!isDate(input.respondedOn)) problems.push({ field: 'respondedOn', code: 'date' })
  return problems
}

export function validateOutcome(input: OutcomeInput): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (!isDate(input.debatedOn)) problems.push({ field: 'debatedOn', code: 'date' })
  if (!input.overview.trim()) problems.push({ field: 'overview', code: 'required' })
  else if (input.overview.length > RESPONSE_LIMITS.details)
    problems.push({ field: 'overview', code: 'too-long', vars: { max: RESPONSE_LIMITS.details } })
  for (const f of ['transcriptUrl', 'videoUrl'] as const)
    if (input[f] && !isHttpUrl(input[f])) problems.push({ field: f, code: 'url' })
  return problems
}

/** Queues the update email to every subscribed, validated signer (each gets it once). */
export async function queueSignerUpdate(jobs: Jobs, petitionId: number, updateKey: string): Promise<void> {
  await jobs.enqueue('petitions.notify-signers', { petitionId, updateKey })
}

/** Saves the organisation's response (e-petitions GovernmentResponse) and tells the signers. */
export async function respondToPetition(
  deps: { db: Db; jobs: Jobs },
  actor: Actor,
  petitionId: number,
  input: ResponseInput,
  now: Date,
): Promise<FieldProblem[]> {
  const problems = validateResponse(input)
  if (problems.length > 0) return problems
  const petition = await findPetitionById(deps.db, petitionId)
  if (!petition || !['open', 'closed'].includes(petition.state))
    return [{ field: 'summary', code: 'not-published' }]
  const at = now.toISOString()
  const response = {
    respondedOn: input.respondedOn,
    summary: input.summary.trim(),
    details: input.details.trim(),
    createdAt: petition.response?.createdAt ?? at,
    updatedAt: at,
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('petitions')
      .set({
        response: JSON.stringify(response),
        government_response_at: petition.governmentResponseAt ?? at,
        updated_at: at,
      })
      .where('id', '=', petitionId)
      .execute()
    await recordPetitionEvent(trx, petitionId, 'response', now)
    await recordAudit(trx, {
      actor,
      action: 'petitions.respond',
      subject: { type: 'petition', id: petitionId },
      details: { summary: response.summary },
      at: now,
    })
  })
  // The first response is news; later edits are corrections and are not emailed again.
  if (!petition.response) await queueSignerUpdate(deps.jobs, petitionId, 'response')
  return []
}

/** Records the debate (or consideration) outcome with its date and links, and tells the signers. */
export async function recordOutcome(
  deps: { db: Db; jobs: Jobs },
  actor: Actor,
  petitionId: number,
  input: OutcomeInput,
  now: Date,
): Promise<FieldProblem[]> {
  const problems = validateOutcome(input)
  if (problems.length > 0) return problems
  const petition = await findPetitionById(deps.db, petitionId)
  if (!petition || !['open', 'closed'].includes(petition.state))
    return [{ field: 'overview', code: 'not-published' }]
  const debate = {
    debated_on: input.debatedOn,
    transcript_url: input.transcriptUrl || null,
    video_url: input.videoUrl || null,
    debate_pack_url: null,
    overview: input.overview.trim(),
  }
  const at = now.toISOString()
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('petitions')
      .set({ debate: JSON.stringify(debate), debate_outcome_at: at, updated_at: at })
      .where('id', '=', petitionId)
      .execute()
    await recordPetitionEvent(trx, petitionId, 'debate', now, { debatedOn: input.debatedOn })
    await recordAudit(trx, {
      actor,
      action: 'petitions.outcome',
      subject: { type: 'petition', id: petitionId },
      details: debate,
      at: now,
    })
  })
  if (!petition.debate) await queueSignerUpdate(deps.jobs, petitionId, 'debate')
  return []
}

/**
 * Emails one update to every validated signer who asked for updates, in their language, once
 * each: the (signature, update) row is claimed before sending, so a retried job skips those done.
 */
export async function notifySigners(
  deps: { db: Db; mailer: Mailer; publicUrl: string },
  petitionId: number,
  updateKey: string,
  now: Date,
): Promise<number> {
  const petition = await findPetitionById(deps.db, petitionId)
  if (!petition) return 0
  let sent = 0
  let afterId = 0
  for (;;) {
    const batch = await deps.db
      .selectFrom('petition_signatures')
      .select(['id', 'email', 'language'])
      .where('petition_id', '=', petitionId)
      .where('state', '=', 'validated')
      .where('notify', '=', 1)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(500)
      .execute()
    if (batch.length === 0) return sent
    for (const s of batch) {
      afterId = Number(s.id)
      await deps.db.transaction().execute(async (trx) => {
        const claim = await trx
          .insertInto('petition_notifications')
          .values({ signature_id: Number(s.id), update_key: updateKey, sent_at: now.toISOString() })
          .onConflict((oc) => oc.columns(['signature_id', 'update_key']).doNothing())
          .executeTakeFirst()
        if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) return
        await deps.mailer.send(
          trx,
          {
            to: s.email,
            template: `petitions-update-${updateKey === 'debate' ? 'debate' : 'response'}`,
            language: s.language,
            data: {
              action: petition.action,
              link: `${deps.publicUrl}${s.language === 'cy' ? '/cy' : ''}/petitions/${petition.id}`,
              summary: petition.response?.summary ?? '',
            },
          },
          now,
        )
        sent++
      })
    }
  }
}
