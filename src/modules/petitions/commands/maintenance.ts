import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import type { Db, DbOrTrx } from '../../../platform/db/database.js'
import {
  type ElectionPeriod,
  electionPeriodOn,
  listElectionPeriods,
} from '../../../platform/elections/index.js'
import type { Services } from '../../../platform/services.js'
import {
  applyCount,
  closePetition,
  isPastDeadline,
  type PetitionRules,
  STOPPABLE_STATES,
  stopPetition,
} from '../domain/petition.js'
import { loadPetitionSettings, type PetitionSettings } from '../settings.js'
import { findPetitionById, recordPetitionEvent, toPetition } from '../store/petition-store.js'
import { recountValidated } from '../store/signature-store.js'
import { detectTrending, runInvalidation } from './fraud.js'
import { notifySigners } from './respond.js'

/** Closes every open petition whose deadline has passed (e-petitions' 07:00 job, run hourly here). */
export async function closeExpiredPetitions(db: Db, now: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('petitions')
    .selectAll()
    .where('state', '=', 'open')
    .where('deadline_at', '<=', now.toISOString())
    .execute()
  const closed: number[] = []
  for (const row of rows) {
    const p = toPetition(row)
    if (!isPastDeadline(p, now)) continue
    await db.transaction().execute(async (trx) => {
      const next = closePetition(p, new Date(p.deadlineAt!))
      const res = await trx
        .updateTable('petitions')
        .set({ state: next.state, closed_at: next.closedAt, updated_at: now.toISOString() })
        .where('id', '=', p.id)
        .where('state', '=', 'open')
        .executeTakeFirst()
      if (Number(res.numUpdatedRows) === 0) return
      await recordPetitionEvent(trx, p.id, 'state.closed', next.closedAt!)
      await recordAudit(trx, {
        actor: systemActor('petitions.close'),
        action: 'petitions.close',
        subject: { type: 'petition', id: p.id },
        at: now,
      })
      closed.push(p.id)
    })
  }
  return closed
}

/**
 * A pre-election period: every open petition closes now and everything not yet published stops
 * (e-petitions `close_petitions_early!` and `stop_petitions_early!`).
 */
export async function closeAllEarly(
  db: Db,
  now: Date,
  actor = systemActor('petitions.election'),
): Promise<{ closed: number[]; stopped: number[] }> {
  const result = { closed: [] as number[], stopped: [] as number[] }
  const rows = await db
    .selectFrom('petitions')
    .selectAll()
    .where('state', 'in', ['open', ...STOPPABLE_STATES])
    .where('source', '=', 'local')
    .execute()
  for (const row of rows) {
    const p = toPetition(row)
    const next = p.state === 'open' ? closePetition(p, now) : stopPetition(p, now)
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('petitions')
        .set({ state: next.state, closed_at: next.closedAt, updated_at: now.toISOString() })
        .where('id', '=', p.id)
        .where('state', '=', p.state)
        .execute()
      await recordPetitionEvent(trx, p.id, `state.${next.state}`, now, { reason: 'election' })
      await recordAudit(trx, {
        actor,
        action: `petitions.${next.state === 'closed' ? 'close' : 'stop'}-early`,
        subject: { type: 'petition', id: p.id },
        at: now,
      })
    })
    ;(next.state === 'closed' ? result.closed : result.stopped).push(p.id)
  }
  return result
}

/**
 * The pre-election period of the elections calendar that pauses petitions now, if the council
 * switched `closeForElections` on and today (Europe/London) is inside one.
 */
export async function pausingElection(
  db: DbOrTrx,
  settings: Pick<PetitionSettings, 'closeForElections'>,
  now: Date,
): Promise<ElectionPeriod | null> {
  if (!settings.closeForElections) return null
  return electionPeriodOn(await listElectionPeriods(db), now)
}

/**
 * Hourly: inside a pausing pre-election period, close what is open and stop what is not yet
 * published (`closeAllEarly`). Running it again in the same period only catches petitions that
 * got past the paused wizard, so it is safe to repeat.
 */
export async function closeForElectionPeriod(
  db: Db,
  settings: Pick<PetitionSettings, 'closeForElections'>,
  now: Date,
): Promise<{ period: ElectionPeriod; closed: number[]; stopped: number[] } | null> {
  const period = await pausingElection(db, settings, now)
  if (!period) return null
  return { period, ...(await closeAllEarly(db, now)) }
}

export interface RecountResult {
  readonly petitionId: number
  readonly stored: number
  readonly actual: number
}

/**
 * Checks each local petition's stored count against a recount of its validated signatures and
 * corrects any difference, with its thresholds (e-petitions' daily PetitionCountJob).
 */
export async function recountPetitions(db: Db, rules: PetitionRules, now: Date): Promise<RecountResult[]> {
  const ids = await db
    .selectFrom('petitions')
    .select('id')
    .where('source', '=', 'local')
    .where('state', 'in', ['validated', 'sponsored', 'open', 'closed'])
    .execute()
  const fixed: RecountResult[] = []
  for (const { id } of ids) {
    await db.transaction().execute(async (trx) => {
      const p = await findPetitionById(trx, Number(id))
      if (!p) return
      const actual = await recountValidated(trx, p.id)
      if (actual === p.signatureCount) return
      const next = applyCount(p, actual, rules, now)
      await trx
        .updateTable('petitions')
        .set({
          signature_count: actual,
          response_threshold_reached_at: next.responseThresholdReachedAt,
          debate_threshold_reached_at: next.debateThresholdReachedAt,
          updated_at: now.toISOString(),
        })
        .where('id', '=', p.id)
        .execute()
      await recordAudit(trx, {
        actor: systemActor('petitions.recount'),
        action: 'petitions.recount',
        subject: { type: 'petition', id: p.id },
        details: { stored: p.signatureCount, actual },
        at: now,
      })
      fixed.push({ petitionId: p.id, stored: p.signatureCount, actual })
    })
  }
  return fixed
}

/** Signers' personal data is kept for six months after a petition ends (anchors §1c). */
export const RETENTION_MONTHS = 6

/**
 * Pseudonymises the signers of petitions closed, rejected or stopped more than six months ago:
 * name, email, IP and referrer go; the postcode becomes its outward code (area counts stay
 * recalculable, as e-petitions keeps a postcode of the signer's constituency). Batches of 500.
 */
export async function pseudonymiseOldSignatures(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now)
  cutoff.setUTCMonth(cutoff.getUTCMonth() - RETENTION_MONTHS)
  const petitions = await db
    .selectFrom('petitions')
    .select('id')
    .where('state', 'in', ['closed', 'rejected', 'hidden', 'stopped'])
    .where((eb) =>
      eb.or([eb('closed_at', '<', cutoff.toISOString()), eb('rejected_at', '<', cutoff.toISOString())]),
    )
    .execute()
  let done = 0
  for (const { id } of petitions) {
    for (;;) {
      const batch = await db
        .selectFrom('petition_signatures')
        .select(['id', 'postcode'])
        .where('petition_id', '=', Number(id))
        .where('email', 'not like', 'signature-%@pseudonymised.invalid')
        .limit(500)
        .execute()
      if (batch.length === 0) break
      await db.transaction().execute(async (trx) => {
        for (const s of batch) {
          const sid = Number(s.id)
          await trx
            .updateTable('petition_signatures')
            .set({
              name: `Signature ${sid}`,
              name_key: `signature ${sid}`,
              email: `signature-${sid}@pseudonymised.invalid`,
              canonical_email: `signature-${sid}@pseudonymised.invalid`,
              ip: null,
              referrer: null,
              token_hash: null,
              postcode: s.postcode.split(' ')[0] ?? '',
            })
            .where('id', '=', sid)
            .execute()
        }
      })
      done += batch.length
    }
    await db.updateTable('petitions').set({ creator_email: null }).where('id', '=', Number(id)).execute()
  }
  if (done > 0)
    await recordAudit(db, {
      actor: systemActor('petitions.retention'),
      action: 'petitions.pseudonymise',
      details: { signatures: done },
      at: now,
    })
  return done
}

export function registerPetitionJobs(services: Services): void {
  services.jobs.every('petitions.pseudonymise', 86_400_000, async () => {
    await pseudonymiseOldSignatures(services.db, new Date())
  })
  services.jobs.define<{ id: number }>('petitions.run-invalidation', async ({ id }) => {
    await runInvalidation(services.db, await loadPetitionSettings(services.db), id)
  })
  // Just after each hour, look back at the hour that ended.
  services.jobs.every('petitions.trending', 3_600_000, async (periodStart) => {
    await detectTrending(
      { db: services.db, mailer: services.mailer, publicUrl: services.config.publicUrl },
      new Date(periodStart.getTime() - 3_600_000),
    )
  })
  services.jobs.define<{ petitionId: number; updateKey: string }>(
    'petitions.notify-signers',
    async ({ petitionId, updateKey }) => {
      await notifySigners(
        { db: services.db, mailer: services.mailer, publicUrl: services.config.publicUrl },
        petitionId,
        updateKey,
        new Date(),
      )
    },
  )
  services.jobs.every('petitions.close-expired', 3_600_000, async () => {
    await closeExpiredPetitions(services.db, new Date())
  })
  services.jobs.every('petitions.election-period', 3_600_000, async () => {
    const done = await closeForElectionPeriod(
      services.db,
      await loadPetitionSettings(services.db),
      new Date(),
    )
    if (done && done.closed.length + done.stopped.length > 0)
      services.logger.info(
        { period: done.period.name, closed: done.closed.length, stopped: done.stopped.length },
        'petitions paused for a pre-election period',
      )
  })
  services.jobs.every('petitions.recount', 86_400_000, async () => {
    const fixed = await recountPetitions(services.db, await loadPetitionSettings(services.db), new Date())
    if (fixed.length > 0) services.logger.warn({ fixed }, 'petition counts corrected by the recount')
  })
}
