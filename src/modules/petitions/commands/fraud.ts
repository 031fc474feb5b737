import { recordAudit } from '../../../platform/audit/audit.js'
import { type Actor, systemActor } from '../../../platform/auth/actor.js'
import type { Db, DbOrTrx } from '../../../platform/db/database.js'
import type { Jobs } from '../../../platform/jobs/jobs.js'
import type { Mailer } from '../../../platform/mail/mail.js'
import { hasCondition, type InvalidationConditions, TRENDING } from '../domain/fraud.js'
import { applyCount, type PetitionRules } from '../domain/petition.js'
import { countMatching, findInvalidation, selectMatching } from '../store/fraud-store.js'
import { findPetitionById } from '../store/petition-store.js'
import { bumpCount, bumpPetitionCount, findArea } from '../store/signature-store.js'

/**
 * Takes one signature out of the counts: petition total, country, area, region and assurance
 * level, in one transaction; thresholds reverse if the count falls below them. Its update
 * emails stop. A pending signature is simply marked invalidated.
 */
export async function invalidateSignature(
  trx: DbOrTrx,
  signatureId: number,
  rules: PetitionRules,
  now: Date,
): Promise<boolean> {
  const sig = await trx
    .updateTable('petition_signatures')
    .set({ state: 'invalidated', invalidated_at: now.toISOString(), notify: 0 })
    .where('id', '=', signatureId)
    .where('state', 'in', ['pending', 'validated'])
    .returning(['petition_id', 'country', 'postcode', 'area_code', 'assurance_level', 'validated_at'])
    .executeTakeFirst()
  if (!sig) return false
  if (!sig.validated_at) return true
  const petitionId = Number(sig.petition_id)
  const count = await bumpPetitionCount(trx, petitionId, -1, now)
  await bumpCount(trx, petitionId, 'country', sig.country, sig.country, -1)
  await bumpCount(trx, petitionId, 'assurance', sig.assurance_level, sig.assurance_level, -1)
  if (sig.area_code) {
    const area = await findArea(trx, sig.postcode)
    await bumpCount(trx, petitionId, 'area', sig.area_code, area?.areaName ?? sig.area_code, -1)
    if (area?.regionCode)
      await bumpCount(trx, petitionId, 'region', area.regionCode, area.regionName ?? area.regionCode, -1)
  }
  const petition = await findPetitionById(trx, petitionId)
  if (petition) {
    const next = applyCount(petition, count, rules, now)
    await trx
      .updateTable('petitions')
      .set({
        response_threshold_reached_at: next.responseThresholdReachedAt,
        debate_threshold_reached_at: next.debateThresholdReachedAt,
      })
      .where('id', '=', petitionId)
      .execute()
  }
  return true
}

/** Creates an invalidation with its preview count; nothing changes until it is started. */
export async function prepareInvalidation(
  db: Db,
  actor: Actor,
  summary: string,
  conditions: InvalidationConditions,
  now: Date,
): Promise<{ ok: true; id: number; matching: number } | { ok: false; code: 'no-conditions' | 'summary' }> {
  if (!hasCondition(conditions)) return { ok: false, code: 'no-conditions' }
  if (!summary.trim() || summary.length > 255) return { ok: false, code: 'summary' }
  const matching = await countMatching(db, conditions)
  const row = await db
    .insertInto('petition_invalidations')
    .values({
      summary: summary.trim(),
      conditions: JSON.stringify(conditions),
      state: 'pending',
      matching,
      created_by: actor.kind === 'staff' ? actor.id : null,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await recordAudit(db, {
    actor,
    action: 'petitions.invalidation.prepare',
    subject: { type: 'invalidation', id: Number(row.id) },
    details: { conditions, matching },
    at: now,
  })
  return { ok: true, id: Number(row.id), matching }
}

export async function startInvalidation(
  db: Db,
  jobs: Jobs,
  actor: Actor,
  id: number,
  now: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('petition_invalidations')
    .set({ state: 'running', started_at: now.toISOString() })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) === 0) return false
  await recordAudit(db, {
    actor,
    action: 'petitions.invalidation.start',
    subject: { type: 'invalidation', id },
    at: now,
  })
  await jobs.enqueue('petitions.run-invalidation', { id })
  return true
}

export async function cancelInvalidation(db: Db, actor: Actor, id: number, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('petition_invalidations')
    .set({ state: 'cancelled', finished_at: now.toISOString() })
    .where('id', '=', id)
    .where('state', 'in', ['pending', 'running'])
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) > 0)
    await recordAudit(db, {
      actor,
      action: 'petitions.invalidation.cancel',
      subject: { type: 'invalidation', id },
      at: now,
    })
  return Number(res.numUpdatedRows) > 0
}

/**
 * Runs an invalidation in batches of 100 (e-petitions), updating its progress after each batch
 * and stopping as soon as someone cancels it.
 */
export async function runInvalidation(
  db: Db,
  rules: PetitionRules,
  id: number,
  now: () => Date = () => new Date(),
): Promise<void> {
  for (;;) {
    const inv = await findInvalidation(db, id)
    if (inv?.state !== 'running') return
    const batch = await selectMatching(db, inv.conditions).select('id').orderBy('id').limit(100).execute()
    if (batch.length === 0) {
      await db
        .updateTable('petition_invalidations')
        .set({ state: 'completed', finished_at: now().toISOString() })
        .where('id', '=', id)
        .where('state', '=', 'running')
        .execute()
      await recordAudit(db, {
        actor: systemActor('petitions.invalidation'),
        action: 'petitions.invalidation.complete',
        subject: { type: 'invalidation', id },
        details: { invalidated: inv.invalidated },
      })
      return
    }
    await db.transaction().execute(async (trx) => {
      let done = 0
      for (const s of batch) if (await invalidateSignature(trx, Number(s.id), rules, now())) done++
      await trx
        .updateTable('petition_invalidations')
        .set((eb) => ({ invalidated: eb('invalidated', '+', done) }))
        .where('id', '=', id)
        .execute()
    })
  }
}

/**
 * Hourly (e-petitions' trending IP and domain jobs): for the past clock hour, any IP or email
 * domain with 100 or more signatures on one petition is logged; at 200 staff are alerted.
 */
export async function detectTrending(
  deps: { db: Db; mailer: Mailer; publicUrl: string },
  hourStart: Date,
): Promise<{ logged: number; alerted: number }> {
  const from = hourStart.toISOString()
  const to = new Date(hourStart.getTime() + 3_600_000).toISOString()
  let logged = 0
  let alerted = 0
  const rows = await deps.db
    .selectFrom('petition_signatures')
    .select(['petition_id', 'ip', 'canonical_email'])
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .execute()
  const counts = new Map<
    string,
    { petitionId: number; kind: 'ip' | 'domain'; value: string; count: number }
  >()
  for (const r of rows) {
    const entries: ['ip' | 'domain', string | null][] = [
      ['ip', r.ip],
      ['domain', r.canonical_email.slice(r.canonical_email.lastIndexOf('@') + 1)],
    ]
    for (const [kind, value] of entries) {
      if (!value) continue
      const key = `${r.petition_id}|${kind}|${value}`
      const c = counts.get(key) ?? { petitionId: Number(r.petition_id), kind, value, count: 0 }
      c.count++
      counts.set(key, c)
    }
  }
  const staff = await deps.db
    .selectFrom('staff_users')
    .select(['email', 'roles', 'language'])
    .where('disabled', '=', 0)
    .execute()
  const moderators = staff.filter((s) => /"(admin|moderator)"/.test(s.roles))
  for (const c of counts.values()) {
    if (c.count < TRENDING.log) continue
    logged++
    const alert = c.count >= TRENDING.alert
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('petition_trending')
        .values({
          petition_id: c.petitionId,
          kind: c.kind,
          value: c.value,
          hour_start: from,
          count: c.count,
          alerted: alert ? 1 : 0,
        })
        .onConflict((oc) =>
          oc.columns(['petition_id', 'kind', 'value', 'hour_start']).doUpdateSet({ count: c.count }),
        )
        .execute()
      if (!alert) return
      alerted++
      for (const m of moderators) {
        await deps.mailer.send(trx, {
          to: m.email,
          template: 'petitions-trending-alert',
          language: m.language,
          data: {
            count: c.count,
            value: c.value,
            kind: c.kind,
            from,
            to,
            link: `${deps.publicUrl}/admin/petitions/fraud`,
            petitionId: c.petitionId,
          },
        })
      }
    })
  }
  return { logged, alerted }
}
