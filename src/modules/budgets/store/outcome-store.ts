import type { DbOrTrx } from '../../../platform/db/database.js'
import type { Count, ProjectTotals } from '../domain/counting.js'
import type { Explanation, ProjectId } from '../domain/rules/types.js'
import './tables.js'

export interface StoredOutcome {
  readonly rule: string
  readonly official: boolean
  readonly selected: readonly ProjectId[]
  /** Minor units. */
  readonly cost: number
  readonly explanations: Readonly<Record<ProjectId, Explanation>>
  readonly totals: Readonly<Record<ProjectId, ProjectTotals>>
  readonly ballots: number
  readonly countedAt: string
}

export interface StoredCount {
  readonly official: StoredOutcome
  /** Every rule counted, the official one included. */
  readonly comparison: readonly StoredOutcome[]
}

/** Replaces a budget's stored count with a new one (the official outcome and the comparison). */
export async function saveCount(db: DbOrTrx, budgetId: number, count: Count, now: Date): Promise<void> {
  await db.deleteFrom('budgets_outcomes').where('budget_id', '=', budgetId).execute()
  const totals = JSON.stringify(Object.fromEntries(count.totals))
  await db
    .insertInto('budgets_outcomes')
    .values(
      count.comparison.map(({ rule, outcome }) => ({
        budget_id: budgetId,
        rule,
        official: rule === count.rule ? 1 : 0,
        selected: JSON.stringify(outcome.selected),
        cost: outcome.cost,
        explanations: JSON.stringify(Object.fromEntries(outcome.explanations)),
        totals,
        ballots: count.ballots,
        counted_at: now.toISOString(),
      })),
    )
    .execute()
}

/** A budget's stored count, or null if it has not been counted. */
export async function findCount(db: DbOrTrx, budgetId: number): Promise<StoredCount | null> {
  const rows = await db
    .selectFrom('budgets_outcomes')
    .selectAll()
    .where('budget_id', '=', budgetId)
    .orderBy('id')
    .execute()
  const outcomes = rows.map(
    (r): StoredOutcome => ({
      rule: r.rule,
      official: Number(r.official) === 1,
      selected: JSON.parse(r.selected) as ProjectId[],
      cost: Number(r.cost),
      explanations: JSON.parse(r.explanations) as Record<ProjectId, Explanation>,
      totals: JSON.parse(r.totals) as Record<ProjectId, ProjectTotals>,
      ballots: Number(r.ballots),
      countedAt: r.counted_at,
    }),
  )
  const official = outcomes.find((o) => o.official)
  return official ? { official, comparison: outcomes } : null
}

/** The official winners of some budgets (project ids as numbers). */
export async function winningProjectIds(db: DbOrTrx, budgetIds: readonly number[]): Promise<Set<number>> {
  if (budgetIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('budgets_outcomes')
    .select('selected')
    .where('budget_id', 'in', [...budgetIds])
    .where('official', '=', 1)
    .execute()
  return new Set(rows.flatMap((r) => (JSON.parse(r.selected) as string[]).map(Number)))
}
