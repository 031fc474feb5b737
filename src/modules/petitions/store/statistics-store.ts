import type { DbOrTrx } from '../../../platform/db/database.js'
import './tables.js'

export interface PetitionStatistics {
  readonly byState: Readonly<Record<string, number>>
  /** Validated / (validated + pending): how many signers followed their link. */
  readonly confirmationRate: number | null
  readonly perHour: readonly { hour: string; signed: number }[]
  readonly lastHour: number
  readonly lastDay: number
  readonly referrers: readonly { value: string; count: number }[]
  readonly campaigns: readonly { value: string; count: number }[]
}

function top(values: readonly (string | null)[], n: number): { value: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, n)
}

function hostOf(url: string | null): string | null {
  if (!url) return null
  try {
    return new URL(url).host
  } catch {
    return null
  }
}

/** What drove the clicks: per-hour signing, confirmation rate, referrers and campaigns. */
export async function petitionStatistics(
  db: DbOrTrx,
  petitionId: number,
  now: Date,
  hours = 72,
): Promise<PetitionStatistics> {
  const states = await db
    .selectFrom('petition_signatures')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('petition_id', '=', petitionId)
    .groupBy('state')
    .execute()
  const byState: Record<string, number> = { pending: 0, validated: 0, fraudulent: 0, invalidated: 0 }
  for (const s of states) byState[s.state] = Number(s.n)
  const since = new Date(now.getTime() - hours * 3_600_000)
  const recent = await db
    .selectFrom('petition_signatures')
    .select(['created_at', 'referrer', 'campaign'])
    .where('petition_id', '=', petitionId)
    .where('created_at', '>=', since.toISOString())
    .execute()
  const buckets = new Map<string, number>()
  for (let h = hours - 1; h >= 0; h--) {
    const start = new Date(Math.floor((now.getTime() - h * 3_600_000) / 3_600_000) * 3_600_000)
    buckets.set(start.toISOString(), 0)
  }
  for (const r of recent) {
    const key = new Date(Math.floor(new Date(r.created_at).getTime() / 3_600_000) * 3_600_000).toISOString()
    if (buckets.has(key)) buckets.set(key, buckets.get(key)! + 1)
  }
  const all = await db
    .selectFrom('petition_signatures')
    .select(['referrer', 'campaign'])
    .where('petition_id', '=', petitionId)
    .execute()
  const confirmable = byState['validated']! + byState['pending']!
  return {
    byState,
    confirmationRate: confirmable === 0 ? null : byState['validated']! / confirmable,
    perHour: [...buckets].map(([hour, signed]) => ({ hour, signed })),
    lastHour: recent.filter((r) => r.created_at >= new Date(now.getTime() - 3_600_000).toISOString()).length,
    lastDay: recent.filter((r) => r.created_at >= new Date(now.getTime() - 86_400_000).toISOString()).length,
    referrers: top(
      all.map((r) => hostOf(r.referrer)),
      10,
    ),
    campaigns: top(
      all.map((r) => r.campaign),
      10,
    ),
  }
}
