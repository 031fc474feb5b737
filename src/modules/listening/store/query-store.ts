import type { DbOrTrx } from '../../../platform/db/database.js'
import './tables.js'

export interface ListeningQuery {
  readonly id: number
  readonly name: string
  readonly query: string
  readonly normalised: string
  readonly enabled: boolean
  readonly alertsEnabled: boolean
  readonly alertEmails: readonly string[]
  readonly alertPValue: number
  readonly alertMinCount: number
  readonly createdAt: string
  readonly updatedAt: string
}

function toQuery(r: {
  id: number
  name: string
  query: string
  normalised: string
  enabled: number
  alerts_enabled: number
  alert_emails: string
  alert_p_value: number
  alert_min_count: number
  created_at: string
  updated_at: string
}): ListeningQuery {
  return {
    id: Number(r.id),
    name: r.name,
    query: r.query,
    normalised: r.normalised,
    enabled: Number(r.enabled) === 1,
    alertsEnabled: Number(r.alerts_enabled) === 1,
    alertEmails: r.alert_emails
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
    alertPValue: Number(r.alert_p_value),
    alertMinCount: Number(r.alert_min_count),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export async function listQueries(
  db: DbOrTrx,
  options: { enabledOnly?: boolean } = {},
): Promise<ListeningQuery[]> {
  let q = db.selectFrom('listening_queries').selectAll()
  if (options.enabledOnly) q = q.where('enabled', '=', 1)
  return (await q.orderBy('name').orderBy('id').execute()).map(toQuery)
}

export async function findQuery(db: DbOrTrx, id: number): Promise<ListeningQuery | undefined> {
  if (!Number.isSafeInteger(id)) return undefined
  const r = await db.selectFrom('listening_queries').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toQuery(r) : undefined
}

export async function insertQuery(
  db: DbOrTrx,
  input: { name: string; query: string; normalised: string; createdBy: number | null },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('listening_queries')
    .values({
      name: input.name,
      query: input.query,
      normalised: input.normalised,
      created_by: input.createdBy,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateQuery(
  db: DbOrTrx,
  id: number,
  patch: Partial<{
    name: string
    query: string
    normalised: string
    enabled: boolean
    alertsEnabled: boolean
    alertEmails: readonly string[]
    alertPValue: number
    alertMinCount: number
  }>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('listening_queries')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.query !== undefined ? { query: patch.query } : {}),
      ...(patch.normalised !== undefined ? { normalised: patch.normalised } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
      ...(patch.alertsEnabled !== undefined ? { alerts_enabled: patch.alertsEnabled ? 1 : 0 } : {}),
      ...(patch.alertEmails !== undefined ? { alert_emails: patch.alertEmails.join(', ') } : {}),
      ...(patch.alertPValue !== undefined ? { alert_p_value: patch.alertPValue } : {}),
      ...(patch.alertMinCount !== undefined ? { alert_min_count: patch.alertMinCount } : {}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

export async function deleteQuery(db: DbOrTrx, id: number): Promise<void> {
  await db.deleteFrom('listening_matches').where('query_id', '=', id).execute()
  await db.deleteFrom('listening_spikes').where('query_id', '=', id).execute()
  await db.deleteFrom('listening_queries').where('id', '=', id).execute()
}

export async function clearMatches(db: DbOrTrx, queryId: number): Promise<void> {
  await db.deleteFrom('listening_matches').where('query_id', '=', queryId).execute()
}

export async function countMatchesOf(db: DbOrTrx, queryId: number): Promise<number> {
  const r = await db
    .selectFrom('listening_matches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('query_id', '=', queryId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}
