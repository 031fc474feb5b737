import type { DbOrTrx } from '../../../platform/db/database.js'
import { changed } from '../cache.js'
import type { FraudList, FraudRule, FraudRuleKind, InvalidationConditions } from '../domain/fraud.js'
import './tables.js'

export async function listFraudRules(
  db: DbOrTrx,
): Promise<(FraudRule & { id: number; note: string; createdAt: string })[]> {
  const rows = await db
    .selectFrom('petition_fraud_rules')
    .selectAll()
    .orderBy('list')
    .orderBy('kind')
    .orderBy('pattern')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    list: r.list as FraudList,
    kind: r.kind as FraudRuleKind,
    pattern: r.pattern,
    note: r.note,
    createdAt: r.created_at,
  }))
}

export async function addFraudRule(
  db: DbOrTrx,
  rule: FraudRule & { note: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto('petition_fraud_rules')
    .values({
      list: rule.list,
      kind: rule.kind,
      pattern: rule.pattern.toLowerCase(),
      note: rule.note,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['list', 'kind', 'pattern']).doNothing())
    .execute()
  changed()
}

export async function removeFraudRule(db: DbOrTrx, id: number): Promise<void> {
  await db.deleteFrom('petition_fraud_rules').where('id', '=', id).execute()
  changed()
}

/** Signatures (not already invalidated) that an invalidation's conditions select. */
export function selectMatching(db: DbOrTrx, c: InvalidationConditions) {
  let q = db.selectFrom('petition_signatures').where('state', 'in', ['pending', 'validated'])
  if (c.petitionId) q = q.where('petition_id', '=', c.petitionId)
  if (c.ip) q = q.where('ip', '=', c.ip)
  if (c.email) q = q.where('canonical_email', '=', c.email.toLowerCase())
  if (c.domain) q = q.where('canonical_email', 'like', `%@${c.domain.toLowerCase()}`)
  if (c.name) q = q.where('name_key', 'like', c.name.toLowerCase())
  if (c.postcode) q = q.where('postcode', '=', c.postcode.toUpperCase())
  if (c.createdAfter) q = q.where('created_at', '>=', c.createdAfter)
  if (c.createdBefore) q = q.where('created_at', '<', c.createdBefore)
  return q
}

export async function countMatching(db: DbOrTrx, c: InvalidationConditions): Promise<number> {
  const row = await selectMatching(db, c)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface Invalidation {
  readonly id: number
  readonly summary: string
  readonly conditions: InvalidationConditions
  readonly state: 'pending' | 'running' | 'cancelled' | 'completed'
  readonly matching: number
  readonly invalidated: number
  readonly createdAt: string
  readonly finishedAt: string | null
}

export async function findInvalidation(db: DbOrTrx, id: number): Promise<Invalidation | undefined> {
  const r = await db.selectFrom('petition_invalidations').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toInvalidation(r) : undefined
}

export async function listInvalidations(db: DbOrTrx): Promise<Invalidation[]> {
  const rows = await db
    .selectFrom('petition_invalidations')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(50)
    .execute()
  return rows.map(toInvalidation)
}

function toInvalidation(r: {
  id: number | string
  summary: string
  conditions: string
  state: string
  matching: number
  invalidated: number
  created_at: string
  finished_at: string | null
}): Invalidation {
  return {
    id: Number(r.id),
    summary: r.summary,
    conditions: JSON.parse(r.conditions) as InvalidationConditions,
    state: r.state as Invalidation['state'],
    matching: Number(r.matching),
    invalidated: Number(r.invalidated),
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  }
}
