import type { DbOrTrx } from '../../../platform/db/database.js'
import type { TermShift } from '../domain/spikes.js'
import './tables.js'

export interface StoredSpike {
  readonly id: number
  readonly queryId: number
  readonly hourStart: string
  readonly observed: number
  readonly expected: number
  readonly pValue: number
  readonly newTerms: readonly TermShift[]
  readonly samplePostIds: readonly number[]
  readonly createdAt: string
  readonly notifiedAt: string | null
}

type Row = {
  id: number
  query_id: number
  hour_start: string
  observed: number
  expected: number
  p_value: number
  new_terms: string
  sample_post_ids: string
  created_at: string
  notified_at: string | null
}

const toSpike = (r: Row): StoredSpike => ({
  id: Number(r.id),
  queryId: Number(r.query_id),
  hourStart: r.hour_start,
  observed: Number(r.observed),
  expected: Number(r.expected),
  pValue: Number(r.p_value),
  newTerms: JSON.parse(r.new_terms) as TermShift[],
  samplePostIds: JSON.parse(r.sample_post_ids) as number[],
  createdAt: r.created_at,
  notifiedAt: r.notified_at,
})

/** Records a spike once per query and hour; returns its id, or null when it was already there. */
export async function insertSpike(
  db: DbOrTrx,
  s: Omit<StoredSpike, 'id' | 'notifiedAt' | 'createdAt'>,
  now: Date,
): Promise<number | null> {
  const row = await db
    .insertInto('listening_spikes')
    .values({
      query_id: s.queryId,
      hour_start: s.hourStart,
      observed: s.observed,
      expected: s.expected,
      p_value: s.pValue,
      new_terms: JSON.stringify(s.newTerms),
      sample_post_ids: JSON.stringify(s.samplePostIds),
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['query_id', 'hour_start']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row ? Number(row.id) : null
}

export async function listSpikes(
  db: DbOrTrx,
  options: { queryId?: number; limit?: number } = {},
): Promise<StoredSpike[]> {
  let q = db.selectFrom('listening_spikes').selectAll()
  if (options.queryId !== undefined) q = q.where('query_id', '=', options.queryId)
  const rows = await q
    .orderBy('hour_start', 'desc')
    .limit(options.limit ?? 50)
    .execute()
  return rows.map((r) => toSpike(r as Row))
}

export async function markSpikeNotified(db: DbOrTrx, id: number, now: Date): Promise<void> {
  await db
    .updateTable('listening_spikes')
    .set({ notified_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}
