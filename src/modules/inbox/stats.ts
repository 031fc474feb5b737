/**
 * Response performance for the public service-standards page and the publishing report: cases
 * opened in [from, to), the median business-hours-free wall-clock minutes to the first response,
 * and the share answered within the first-response standard.
 */
import type { DbOrTrx } from '../../platform/db/database.js'
import { median } from './domain/sla.js'
import './store/tables.js'

export interface InboxResponseStats {
  readonly cases: number
  readonly answered: number
  /** Median wall-clock minutes from the citizen's message to our first reply; null with no answers. */
  readonly medianFirstResponseMinutes: number | null
  /** Percentage (0–100, one decimal) of answered cases whose first reply met the standard; null with none. */
  readonly withinStandardPct: number | null
}

export async function inboxResponseStats(db: DbOrTrx, from: Date, to: Date): Promise<InboxResponseStats> {
  const rows = await db
    .selectFrom('inbox_cases')
    .select(['created_at', 'first_response_at', 'first_response_within'])
    .where('created_at', '>=', from.toISOString())
    .where('created_at', '<', to.toISOString())
    .execute()
  const answered = rows.filter((r) => r.first_response_at !== null)
  const minutes = answered.map(
    (r) => (new Date(r.first_response_at!).getTime() - new Date(r.created_at).getTime()) / 60_000,
  )
  const within = answered.filter((r) => Number(r.first_response_within) === 1).length
  const med = median(minutes)
  return {
    cases: rows.length,
    answered: answered.length,
    medianFirstResponseMinutes: med === null ? null : Math.round(med),
    withinStandardPct: answered.length === 0 ? null : Math.round((within / answered.length) * 1000) / 10,
  }
}

/** The calendar month before `now` (UTC), for "last month's performance". */
export function lastMonth(now: Date): { from: Date; to: Date } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
  return { from, to }
}
