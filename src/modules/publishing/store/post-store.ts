import type { DbOrTrx } from '../../../platform/db/database.js'
import type { Approval, PostState, ReviewStep } from '../domain/post.js'
import './tables.js'

export interface Post {
  readonly id: number
  readonly title: string
  readonly textEn: string
  readonly textCy: string
  readonly topic: string
  readonly team: string
  readonly kind: string
  readonly plannedAt: string
  readonly state: PostState
  readonly reviewSteps: readonly ReviewStep[]
  readonly stepIndex: number
  readonly round: number
  readonly rejectionNote: string | null
  readonly attempts: number
  readonly nextAttemptAt: string | null
  readonly lastError: string | null
  readonly publishedAt: string | null
  readonly createdBy: number
  readonly createdAt: string
  readonly updatedAt: string
}

export interface Target {
  readonly id: number
  readonly postId: number
  readonly accountId: number
  readonly language: 'en' | 'cy'
  readonly text: string | null
  readonly externalId: string | null
  readonly externalCid: string | null
  readonly url: string | null
  readonly publishedAt: string | null
  readonly replies: number
  readonly boosts: number
  readonly favourites: number
}

export interface PostInput {
  readonly title: string
  readonly textEn: string
  readonly textCy: string
  readonly topic: string
  readonly team: string
  readonly kind: string
  readonly plannedAt: string
}

type PostRow = {
  id: number | string
  title: string
  text_en: string
  text_cy: string
  topic: string
  team: string
  kind: string
  planned_at: string
  state: string
  review_steps: string
  step_index: number
  round: number
  rejection_note: string | null
  attempts: number
  next_attempt_at: string | null
  last_error: string | null
  published_at: string | null
  created_by: number | string
  created_at: string
  updated_at: string
}

function toPost(r: PostRow): Post {
  return {
    id: Number(r.id),
    title: r.title,
    textEn: r.text_en,
    textCy: r.text_cy,
    topic: r.topic,
    team: r.team,
    kind: r.kind,
    plannedAt: r.planned_at,
    state: r.state as PostState,
    reviewSteps: JSON.parse(r.review_steps) as ReviewStep[],
    stepIndex: Number(r.step_index),
    round: Number(r.round),
    rejectionNote: r.rejection_note,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    publishedAt: r.published_at,
    createdBy: Number(r.created_by),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

type TargetRow = {
  id: number | string
  post_id: number | string
  account_id: number | string
  language: string
  text: string | null
  external_id: string | null
  external_cid: string | null
  url: string | null
  published_at: string | null
  replies: number
  boosts: number
  favourites: number
}

function toTarget(r: TargetRow): Target {
  return {
    id: Number(r.id),
    postId: Number(r.post_id),
    accountId: Number(r.account_id),
    language: r.language === 'cy' ? 'cy' : 'en',
    text: r.text,
    externalId: r.external_id,
    externalCid: r.external_cid,
    url: r.url,
    publishedAt: r.published_at,
    replies: Number(r.replies),
    boosts: Number(r.boosts),
    favourites: Number(r.favourites),
  }
}

export async function insertPost(db: DbOrTrx, p: PostInput, createdBy: number, now: Date): Promise<number> {
  const row = await db
    .insertInto('publishing_posts')
    .values({
      title: p.title,
      text_en: p.textEn,
      text_cy: p.textCy,
      topic: p.topic,
      team: p.team,
      kind: p.kind,
      planned_at: p.plannedAt,
      state: 'draft',
      created_by: createdBy,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updatePostContent(db: DbOrTrx, id: number, p: PostInput, now: Date): Promise<void> {
  await db
    .updateTable('publishing_posts')
    .set({
      title: p.title,
      text_en: p.textEn,
      text_cy: p.textCy,
      topic: p.topic,
      team: p.team,
      kind: p.kind,
      planned_at: p.plannedAt,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

export async function findPost(db: DbOrTrx, id: number): Promise<Post | undefined> {
  const r = await db.selectFrom('publishing_posts').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toPost(r) : undefined
}

export async function listPosts(
  db: DbOrTrx,
  filter: { from?: string; to?: string; states?: readonly string[]; limit?: number } = {},
): Promise<Post[]> {
  let q = db.selectFrom('publishing_posts').selectAll()
  if (filter.from) q = q.where('planned_at', '>=', filter.from)
  if (filter.to) q = q.where('planned_at', '<', filter.to)
  if (filter.states && filter.states.length > 0) q = q.where('state', 'in', filter.states)
  const rows = await q
    .orderBy('planned_at')
    .orderBy('id')
    .limit(filter.limit ?? 500)
    .execute()
  return rows.map(toPost)
}

/** Moves a post between states only from the state the caller saw (optimistic check). */
export async function setPostState(
  db: DbOrTrx,
  id: number,
  from: string,
  set: Partial<{
    state: PostState
    review_steps: string
    step_index: number
    round: number
    rejection_note: string | null
    attempts: number
    next_attempt_at: string | null
    last_error: string | null
    claimed_by: string | null
    claimed_at: string | null
    published_at: string | null
  }>,
  now: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('publishing_posts')
    .set({ ...set, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/** Posts due to publish: scheduled, planned time passed, not waiting for a retry. */
export async function duePostIds(db: DbOrTrx, now: Date, staleBefore: Date): Promise<number[]> {
  const iso = now.toISOString()
  const rows = await db
    .selectFrom('publishing_posts')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('state', '=', 'scheduled'),
          eb('planned_at', '<=', iso),
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', iso)]),
        ]),
        // A process that died while publishing leaves a stale claim; it is taken over.
        eb.and([eb('state', '=', 'publishing'), eb('claimed_at', '<', staleBefore.toISOString())]),
      ]),
    )
    .orderBy('planned_at')
    .limit(50)
    .execute()
  return rows.map((r) => Number(r.id))
}

/**
 * Claims a due post for one worker: a single conditional UPDATE, so of two processes racing for
 * the same post exactly one sees an updated row and publishes it.
 */
export async function claimPost(
  db: DbOrTrx,
  id: number,
  worker: string,
  now: Date,
  staleBefore: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('publishing_posts')
    .set({
      state: 'publishing',
      claimed_by: worker,
      claimed_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'scheduled'),
        eb.and([eb('state', '=', 'publishing'), eb('claimed_at', '<', staleBefore.toISOString())]),
      ]),
    )
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function listTargets(db: DbOrTrx, postId: number): Promise<Target[]> {
  const rows = await db
    .selectFrom('publishing_targets')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('account_id')
    // Welsh first (Welsh Language Standards): 'cy' sorts before 'en'.
    .orderBy('language')
    .execute()
  return rows.map(toTarget)
}

/** Replaces the post's targets (in draft), keeping the variants of the ones that stay. */
export async function setTargets(
  db: DbOrTrx,
  postId: number,
  wanted: readonly { accountId: number; language: 'en' | 'cy' }[],
): Promise<void> {
  const existing = await listTargets(db, postId)
  const key = (t: { accountId: number; language: string }) => `${t.accountId}|${t.language}`
  const want = new Set(wanted.map(key))
  for (const t of existing)
    if (!want.has(key(t))) await db.deleteFrom('publishing_targets').where('id', '=', t.id).execute()
  const have = new Set(existing.map(key))
  for (const w of wanted) {
    if (have.has(key(w))) continue
    await db
      .insertInto('publishing_targets')
      .values({ post_id: postId, account_id: w.accountId, language: w.language, text: null })
      .execute()
  }
}

export async function setTargetText(db: DbOrTrx, targetId: number, text: string | null): Promise<void> {
  await db.updateTable('publishing_targets').set({ text }).where('id', '=', targetId).execute()
}

export async function markTargetPublished(
  db: DbOrTrx,
  targetId: number,
  out: { id: string; cid?: string; url: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('publishing_targets')
    .set({
      external_id: out.id,
      external_cid: out.cid ?? null,
      url: out.url,
      published_at: now.toISOString(),
    })
    .where('id', '=', targetId)
    .execute()
}

export async function setEngagement(
  db: DbOrTrx,
  targetId: number,
  e: { replies: number; boosts: number; favourites: number },
  now: Date,
): Promise<void> {
  await db
    .updateTable('publishing_targets')
    .set({ replies: e.replies, boosts: e.boosts, favourites: e.favourites, engagement_at: now.toISOString() })
    .where('id', '=', targetId)
    .execute()
}

/** Published targets since a time, for the engagement job and the report. */
export async function publishedTargetsSince(
  db: DbOrTrx,
  since: string,
): Promise<(Target & { postId: number })[]> {
  const rows = await db
    .selectFrom('publishing_targets')
    .selectAll()
    .where('published_at', 'is not', null)
    .where('published_at', '>=', since)
    .orderBy('published_at')
    .execute()
  return rows.map(toTarget)
}

export async function listApprovals(
  db: DbOrTrx,
  postId: number,
  round: number,
): Promise<(Approval & { note: string | null; at: string })[]> {
  const rows = await db
    .selectFrom('publishing_approvals')
    .selectAll()
    .where('post_id', '=', postId)
    .where('round', '=', round)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    stepIndex: Number(r.step_index),
    staffId: Number(r.staff_id),
    decision: r.decision === 'reject' ? 'reject' : 'approve',
    note: r.note,
    at: r.at,
  }))
}

export async function insertApproval(
  db: DbOrTrx,
  a: {
    postId: number
    round: number
    stepIndex: number
    staffId: number
    decision: 'approve' | 'reject'
    note: string | null
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('publishing_approvals')
    .values({
      post_id: a.postId,
      round: a.round,
      step_index: a.stepIndex,
      staff_id: a.staffId,
      decision: a.decision,
      note: a.note,
      at: now.toISOString(),
    })
    .execute()
}

/** Published posts that went out on at least one official account, newest first (the public feed). */
export async function publishedOfficialPosts(
  db: DbOrTrx,
  limit: number,
): Promise<(Post & { links: { account: string; url: string | null; language: string }[] })[]> {
  const rows = await db
    .selectFrom('publishing_targets as t')
    .innerJoin('publishing_accounts as a', 'a.id', 't.account_id')
    .innerJoin('publishing_posts as p', 'p.id', 't.post_id')
    .select(['p.id as post_id', 'a.name as account', 't.url as url', 't.language as language'])
    .where('a.kind', '=', 'official')
    .where('p.state', '=', 'published')
    .where('t.published_at', 'is not', null)
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute()
  const ids = [...new Set(rows.map((r) => Number(r.post_id)))].slice(0, limit)
  const out: (Post & { links: { account: string; url: string | null; language: string }[] })[] = []
  for (const id of ids) {
    const post = await findPost(db, id)
    if (!post) continue
    out.push({
      ...post,
      links: rows
        .filter((r) => Number(r.post_id) === id)
        .map((r) => ({ account: r.account, url: r.url, language: r.language })),
    })
  }
  return out
}
