import type { Selectable } from 'kysely'
import type { DbOrTrx } from '../../../platform/db/database.js'
import { isProjectState, type ProjectState, type Review } from '../domain/projects.js'
import type { Project as RuleProject } from '../domain/rules/types.js'
import './tables.js'
import type { BudgetsTables } from './tables.js'

export interface BudgetProject {
  readonly id: number
  readonly budgetId: number
  /** The id in an imported file (Pabulib project_id), else null. */
  readonly externalId: string | null
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
  readonly location: string
  /** Minor units: the proposer's estimate, and the cost staff set when reviewing. */
  readonly estimatedCost: number
  readonly finalCost: number | null
  readonly status: ProjectState
  /** The published reason when not feasible. */
  readonly reasonEn: string
  readonly reasonCy: string
  readonly proposerId: number | null
  readonly source: string
  readonly reviewedAt: string | null
  readonly createdAt: string
}

function toProject(row: Selectable<BudgetsTables['budgets_projects']>): BudgetProject {
  return {
    id: Number(row.id),
    budgetId: Number(row.budget_id),
    externalId: row.external_id,
    titleEn: row.title_en,
    titleCy: row.title_cy,
    descriptionEn: row.description_en,
    descriptionCy: row.description_cy,
    location: row.location,
    estimatedCost: Number(row.estimated_cost),
    finalCost: row.final_cost === null ? null : Number(row.final_cost),
    status: isProjectState(row.status) ? row.status : 'proposed',
    reasonEn: row.reason_en,
    reasonCy: row.reason_cy,
    proposerId: row.proposer_id === null ? null : Number(row.proposer_id),
    source: row.source,
    reviewedAt: row.reviewed_at,
    createdAt: row.created_at,
  }
}

/** The id the counting rules use for a project: its database id as text. */
export const ruleId = (project: { readonly id: number }): string => String(project.id)

/** Feasible projects as the rules take them, at their final cost, in the official (id) order. */
export function votableProjects(projects: readonly BudgetProject[]): RuleProject[] {
  return projects
    .filter((p) => p.status === 'feasible')
    .map((p) => ({ id: ruleId(p), cost: p.finalCost ?? p.estimatedCost }))
}

export interface ProjectInsert {
  readonly budgetId: number
  readonly externalId?: string | null
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
  readonly location: string
  readonly estimatedCost: number
  readonly finalCost?: number | null
  readonly status: ProjectState
  readonly reasonEn?: string
  readonly reasonCy?: string
  readonly proposerId?: number | null
  readonly source: 'citizen' | 'staff' | 'import' | 'demo'
}

function insertValues(input: ProjectInsert, now: Date) {
  return {
    budget_id: input.budgetId,
    external_id: input.externalId ?? null,
    title_en: input.titleEn,
    title_cy: input.titleCy,
    description_en: input.descriptionEn,
    description_cy: input.descriptionCy,
    location: input.location,
    estimated_cost: input.estimatedCost,
    final_cost: input.finalCost ?? null,
    status: input.status,
    reason_en: input.reasonEn ?? '',
    reason_cy: input.reasonCy ?? '',
    proposer_id: input.proposerId ?? null,
    source: input.source,
    reviewed_at: input.status === 'proposed' ? null : now.toISOString(),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  }
}

export async function insertProject(db: DbOrTrx, input: ProjectInsert, now: Date): Promise<number> {
  const row = await db
    .insertInto('budgets_projects')
    .values(insertValues(input, now))
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** Inserts many projects in order and returns their ids in the same order. */
export async function insertProjects(
  db: DbOrTrx,
  inputs: readonly ProjectInsert[],
  now: Date,
): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < inputs.length; i += 200) {
    const rows = await db
      .insertInto('budgets_projects')
      .values(inputs.slice(i, i + 200).map((p) => insertValues(p, now)))
      .returning('id')
      .execute()
    for (const r of rows) ids.push(Number(r.id))
  }
  // Returned rows follow the VALUES order on both dialects, and ids grow with it.
  return ids.sort((a, b) => a - b)
}

export async function findProject(db: DbOrTrx, id: number): Promise<BudgetProject | undefined> {
  if (!Number.isSafeInteger(id)) return undefined
  const row = await db.selectFrom('budgets_projects').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toProject(row) : undefined
}

/** Projects of some budgets, in the official order (by id). */
export async function listProjects(
  db: DbOrTrx,
  budgetIds: readonly number[],
  options: { status?: readonly ProjectState[] } = {},
): Promise<BudgetProject[]> {
  if (budgetIds.length === 0) return []
  let q = db
    .selectFrom('budgets_projects')
    .selectAll()
    .where('budget_id', 'in', [...budgetIds])
  if (options.status) q = q.where('status', 'in', [...options.status])
  const rows = await q.orderBy('id').execute()
  return rows.map(toProject)
}

/** Records a staff review: feasible with its final cost, or not feasible with the reason to publish. */
export async function saveReview(
  db: DbOrTrx,
  id: number,
  review: Review,
  texts: { titleEn: string; titleCy: string; descriptionEn: string; descriptionCy: string },
  staffId: number | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('budgets_projects')
    .set({
      status: review.decision,
      final_cost: review.decision === 'feasible' ? review.finalCost : null,
      reason_en: review.decision === 'not-feasible' ? review.reasonEn : '',
      reason_cy: review.decision === 'not-feasible' ? review.reasonCy : '',
      title_en: texts.titleEn,
      title_cy: texts.titleCy,
      description_en: texts.descriptionEn,
      description_cy: texts.descriptionCy,
      reviewed_by: staffId,
      reviewed_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}
