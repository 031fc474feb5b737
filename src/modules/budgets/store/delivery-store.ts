import type { DbOrTrx } from '../../../platform/db/database.js'
import { isMilestoneState, type MilestoneState, type MilestoneValue } from '../domain/delivery.js'
import './tables.js'

export interface Milestone extends MilestoneValue {
  readonly id: number
  readonly projectId: number
  readonly updatedAt: string
}

export interface Follower {
  readonly id: number
  readonly projectId: number
  readonly email: string
  readonly language: string
}

export async function addMilestone(
  db: DbOrTrx,
  projectId: number,
  m: MilestoneValue,
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('budgets_milestones')
    .values({
      project_id: projectId,
      title_en: m.titleEn,
      title_cy: m.titleCy,
      date: m.date,
      status: m.status,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateMilestone(db: DbOrTrx, id: number, m: MilestoneValue, now: Date): Promise<void> {
  await db
    .updateTable('budgets_milestones')
    .set({
      title_en: m.titleEn,
      title_cy: m.titleCy,
      date: m.date,
      status: m.status,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

/** Milestones of some projects, by date. */
export async function listMilestones(db: DbOrTrx, projectIds: readonly number[]): Promise<Milestone[]> {
  if (projectIds.length === 0) return []
  const rows = await db
    .selectFrom('budgets_milestones')
    .selectAll()
    .where('project_id', 'in', [...projectIds])
    .orderBy('date')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    projectId: Number(r.project_id),
    titleEn: r.title_en,
    titleCy: r.title_cy,
    date: r.date,
    status: (isMilestoneState(r.status) ? r.status : 'planned') as MilestoneState,
    updatedAt: r.updated_at,
  }))
}

/** Starts (or restarts) following a project; returns the follower id. */
export async function follow(
  db: DbOrTrx,
  projectId: number,
  email: string,
  language: string,
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('budgets_followers')
    .values({ project_id: projectId, email, language, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['project_id', 'email']).doUpdateSet({ language, unsubscribed_at: null }))
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function unfollow(db: DbOrTrx, followerId: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('budgets_followers')
    .set({ unsubscribed_at: now.toISOString() })
    .where('id', '=', followerId)
    .where('unsubscribed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function findFollower(
  db: DbOrTrx,
  id: number,
): Promise<(Follower & { active: boolean }) | undefined> {
  if (!Number.isSafeInteger(id)) return undefined
  const r = await db.selectFrom('budgets_followers').selectAll().where('id', '=', id).executeTakeFirst()
  return r
    ? {
        id: Number(r.id),
        projectId: Number(r.project_id),
        email: r.email,
        language: r.language,
        active: r.unsubscribed_at === null,
      }
    : undefined
}

export async function listFollowers(db: DbOrTrx, projectId: number): Promise<Follower[]> {
  const rows = await db
    .selectFrom('budgets_followers')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('unsubscribed_at', 'is', null)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    projectId: Number(r.project_id),
    email: r.email,
    language: r.language,
  }))
}
