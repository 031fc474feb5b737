import type { DbOrTrx } from '../../../platform/db/database.js'
import type { DailyActivity } from '../domain/report.js'
import type { Positions, Snapshot } from '../domain/snapshot.js'
import './tables.js'

/** What a recompute stores: the snapshot, participation per day, and the participants' positions. */
export interface StoredSummary {
  readonly snapshot: Snapshot
  readonly participation: readonly DailyActivity[]
}

export async function saveResult(
  db: DbOrTrx,
  conversationId: number,
  summary: StoredSummary,
  positions: Positions,
  durationMs: number,
): Promise<void> {
  const values = {
    computed_at: summary.snapshot.computedAt,
    last_vote_id: summary.snapshot.lastVoteId,
    duration_ms: Math.round(durationMs),
    summary: JSON.stringify(summary),
    positions: JSON.stringify(positions),
  }
  await db
    .insertInto('deliberation_results')
    .values({ conversation_id: conversationId, ...values })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(values))
    .execute()
}

export interface ResultInfo {
  readonly computedAt: string
  readonly lastVoteId: number
  readonly durationMs: number
}

export async function resultInfo(db: DbOrTrx, conversationId: number): Promise<ResultInfo | undefined> {
  const row = await db
    .selectFrom('deliberation_results')
    .select(['computed_at', 'last_vote_id', 'duration_ms'])
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst()
  return row
    ? {
        computedAt: row.computed_at,
        lastVoteId: Number(row.last_vote_id),
        durationMs: Number(row.duration_ms),
      }
    : undefined
}

// Parsed results are kept per process and reused while the stored computation is the same: the
// participant's page reads them on every statement.
const summaries = new Map<number, { computedAt: string; value: StoredSummary }>()
const positionCache = new Map<number, { computedAt: string; value: Positions }>()
const CACHE_LIMIT = 50

function remember<T>(
  cache: Map<number, { computedAt: string; value: T }>,
  id: number,
  computedAt: string,
  value: T,
): T {
  cache.delete(id)
  cache.set(id, { computedAt, value })
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as number)
  return value
}

export async function loadSummary(db: DbOrTrx, conversationId: number): Promise<StoredSummary | null> {
  const info = await resultInfo(db, conversationId)
  if (!info) return null
  const cached = summaries.get(conversationId)
  if (cached?.computedAt === info.computedAt) return cached.value
  const row = await db
    .selectFrom('deliberation_results')
    .select(['computed_at', 'summary'])
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst()
  if (!row) return null
  return remember(summaries, conversationId, row.computed_at, JSON.parse(row.summary) as StoredSummary)
}

/** Where a participant (by number) sits: [x, y, group], or null until the math has placed them. */
export async function loadPosition(
  db: DbOrTrx,
  conversationId: number,
  participantNumber: number,
): Promise<readonly [number, number, number] | null> {
  const info = await resultInfo(db, conversationId)
  if (!info) return null
  let positions =
    positionCache.get(conversationId)?.computedAt === info.computedAt
      ? positionCache.get(conversationId)!.value
      : null
  if (!positions) {
    const row = await db
      .selectFrom('deliberation_results')
      .select(['computed_at', 'positions'])
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst()
    if (!row) return null
    positions = remember(
      positionCache,
      conversationId,
      row.computed_at,
      JSON.parse(row.positions) as Positions,
    )
  }
  return positions[String(participantNumber)] ?? null
}

export async function loadPositions(db: DbOrTrx, conversationId: number): Promise<Positions> {
  const row = await db
    .selectFrom('deliberation_results')
    .select('positions')
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst()
  return row ? (JSON.parse(row.positions) as Positions) : {}
}
