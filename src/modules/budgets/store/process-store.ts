import type { Selectable } from 'kysely'
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { BallotStyle } from '../domain/ballots.js'
import type { BudgetSettings } from '../domain/budget-settings.js'
import { isVoterRule, type VoterRule } from '../domain/eligibility.js'
import {
  isPhase,
  type PhaseFacts,
  type PhaseState,
  type ProcessPhase,
  SCHEDULED_PHASES,
  type Schedule,
  type ScheduledPhase,
} from '../domain/phases.js'
import './tables.js'
import type { BudgetsTables } from './tables.js'

export const PROCESS_SOURCES = ['staff', 'import', 'demo'] as const
export type ProcessSource = (typeof PROCESS_SOURCES)[number]

export interface Process extends PhaseState {
  readonly id: number
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
  readonly source: string
  readonly createdAt: string
  readonly updatedAt: string
}

/** A stored budget: the settings staff chose (domain/budget-settings.ts) and where it sits. */
export interface Budget extends BudgetSettings {
  readonly id: number
  readonly processId: number
  readonly position: number
  /** Ranked ballots: points for the first choice (k); null for the style's maxRanks. */
  readonly pointsScale: number | null
  readonly meta: Readonly<Record<string, string>>
}

const column = (phase: ScheduledPhase) => `${phase}_at` as const

function toProcess(row: Selectable<BudgetsTables['budgets_processes']>): Process {
  const schedule = {} as Record<ScheduledPhase, string>
  for (const p of SCHEDULED_PHASES) schedule[p] = row[column(p)]
  return {
    id: Number(row.id),
    titleEn: row.title_en,
    titleCy: row.title_cy,
    descriptionEn: row.description_en,
    descriptionCy: row.description_cy,
    phase: isPhase(row.phase) ? row.phase : 'draft',
    schedule,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function scheduleColumns(schedule: Schedule) {
  return {
    proposing_at: schedule.proposing,
    reviewing_at: schedule.reviewing,
    voting_at: schedule.voting,
    counting_at: schedule.counting,
    results_at: schedule.results,
    delivery_at: schedule.delivery,
  }
}

export function withAmount(style: BallotStyle, amount: number): BallotStyle {
  return style.kind === 'cost-limited' ? { ...style, budget: amount } : style
}

function toBudget(row: Selectable<BudgetsTables['budgets_budgets']>): Budget {
  const amount = Number(row.amount)
  return {
    id: Number(row.id),
    processId: Number(row.process_id),
    position: Number(row.position),
    titleEn: row.title_en,
    titleCy: row.title_cy,
    descriptionEn: row.description_en,
    descriptionCy: row.description_cy,
    amount,
    currency: row.currency,
    area: JSON.parse(row.area) as string[],
    voterRule: isVoterRule(row.voter_rule) ? row.voter_rule : 'residents',
    style: withAmount(JSON.parse(row.style) as BallotStyle, amount),
    rule: row.rule,
    pointsScale: row.points_scale === null ? null : Number(row.points_scale),
    meta: JSON.parse(row.meta) as Record<string, string>,
  }
}

export interface ProcessInput {
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
}

export async function insertProcess(
  db: DbOrTrx,
  input: ProcessInput & { phase: ProcessPhase; schedule: Schedule; source: ProcessSource },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('budgets_processes')
    .values({
      title_en: input.titleEn,
      title_cy: input.titleCy,
      description_en: input.descriptionEn,
      description_cy: input.descriptionCy,
      phase: input.phase,
      ...scheduleColumns(input.schedule),
      source: input.source,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateProcess(
  db: DbOrTrx,
  id: number,
  input: ProcessInput & { schedule: Schedule },
  now: Date,
): Promise<void> {
  await db
    .updateTable('budgets_processes')
    .set({
      title_en: input.titleEn,
      title_cy: input.titleCy,
      description_en: input.descriptionEn,
      description_cy: input.descriptionCy,
      ...scheduleColumns(input.schedule),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

/**
 * Moves a process to a new phase if it is still in `from` (compare-and-set: two staff pressing
 * the button, or the button and the scheduled job, cannot both move it). True if it moved.
 */
export async function setPhase(
  db: DbOrTrx,
  id: number,
  from: ProcessPhase,
  to: PhaseState,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('budgets_processes')
    .set({ phase: to.phase, ...scheduleColumns(to.schedule), updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('phase', '=', from)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function findProcess(db: DbOrTrx, id: number): Promise<Process | undefined> {
  if (!Number.isSafeInteger(id)) return undefined
  const row = await db.selectFrom('budgets_processes').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toProcess(row) : undefined
}

/** Processes, newest first; `publicOnly` leaves drafts out. */
export async function listProcesses(db: DbOrTrx, options: { publicOnly?: boolean } = {}): Promise<Process[]> {
  let q = db.selectFrom('budgets_processes').selectAll()
  if (options.publicOnly) q = q.where('phase', '!=', 'draft')
  const rows = await q.orderBy('proposing_at', 'desc').orderBy('id', 'desc').execute()
  return rows.map(toProcess)
}

/** Processes whose phase the schedule may move on now (the recurring job's candidates). */
export async function listProcessesInPhases(
  db: DbOrTrx,
  phases: readonly ProcessPhase[],
): Promise<Process[]> {
  if (phases.length === 0) return []
  const rows = await db
    .selectFrom('budgets_processes')
    .selectAll()
    .where('phase', 'in', [...phases])
    .execute()
  return rows.map(toProcess)
}

export interface BudgetInput {
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
  readonly amount: number
  readonly currency: string
  readonly area: readonly string[]
  readonly voterRule: VoterRule
  readonly style: BallotStyle
  readonly rule: string | null
  readonly pointsScale?: number | null
  readonly meta?: Readonly<Record<string, string>>
}

function budgetColumns(input: BudgetInput) {
  return {
    title_en: input.titleEn,
    title_cy: input.titleCy,
    description_en: input.descriptionEn,
    description_cy: input.descriptionCy,
    amount: input.amount,
    currency: input.currency,
    area: JSON.stringify(input.area),
    voter_rule: input.voterRule,
    style: JSON.stringify(withAmount(input.style, input.amount)),
    rule: input.rule,
    points_scale: input.pointsScale ?? null,
  }
}

export async function insertBudget(
  db: DbOrTrx,
  processId: number,
  input: BudgetInput,
  now: Date,
): Promise<number> {
  const last = await db
    .selectFrom('budgets_budgets')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('process_id', '=', processId)
    .executeTakeFirst()
  const row = await db
    .insertInto('budgets_budgets')
    .values({
      process_id: processId,
      position: Number(last?.max ?? 0) + 1,
      ...budgetColumns(input),
      meta: JSON.stringify(input.meta ?? {}),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateBudget(db: DbOrTrx, id: number, input: BudgetInput, now: Date): Promise<void> {
  await db
    .updateTable('budgets_budgets')
    .set({ ...budgetColumns(input), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

export async function findBudget(db: DbOrTrx, id: number): Promise<Budget | undefined> {
  if (!Number.isSafeInteger(id)) return undefined
  const row = await db.selectFrom('budgets_budgets').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toBudget(row) : undefined
}

export async function listBudgets(db: DbOrTrx, processId: number): Promise<Budget[]> {
  const rows = await db
    .selectFrom('budgets_budgets')
    .selectAll()
    .where('process_id', '=', processId)
    .orderBy('position')
    .orderBy('id')
    .execute()
  return rows.map(toBudget)
}

/** What the phase guards need to know about a process (see domain/phases.ts). */
export async function phaseFacts(db: DbOrTrx, processId: number): Promise<PhaseFacts> {
  const budgets = await listBudgets(db, processId)
  if (budgets.length === 0) {
    return { budgets: 0, projectsAwaitingReview: 0, budgetsWithoutFeasibleProjects: 0, budgetsNotCounted: 0 }
  }
  const ids = budgets.map((b) => b.id)
  const byStatus = await db
    .selectFrom('budgets_projects')
    .select(['budget_id', 'status', (eb) => eb.fn.countAll().as('n')])
    .where('budget_id', 'in', ids)
    .groupBy(['budget_id', 'status'])
    .execute()
  let awaiting = 0
  const withFeasible = new Set<number>()
  for (const r of byStatus) {
    if (r.status === 'proposed') awaiting += Number(r.n)
    if (r.status === 'feasible' && Number(r.n) > 0) withFeasible.add(Number(r.budget_id))
  }
  const counted = await db
    .selectFrom('budgets_outcomes')
    .select(['budget_id', 'counted_at'])
    .where('budget_id', 'in', ids)
    .where('official', '=', 1)
    .execute()
  const lastBallot = await db
    .selectFrom('budgets_ballots')
    .select(['budget_id', (eb) => eb.fn.max('updated_at').as('last')])
    .where('budget_id', 'in', ids)
    .groupBy('budget_id')
    .execute()
  const last = new Map(lastBallot.map((r) => [Number(r.budget_id), String(r.last ?? '')]))
  const fresh = new Set(
    counted
      .filter((c) => (last.get(Number(c.budget_id)) ?? '') <= c.counted_at)
      .map((c) => Number(c.budget_id)),
  )
  return {
    budgets: budgets.length,
    projectsAwaitingReview: awaiting,
    budgetsWithoutFeasibleProjects: ids.filter((id) => !withFeasible.has(id)).length,
    budgetsNotCounted: ids.filter((id) => !fresh.has(id)).length,
  }
}
