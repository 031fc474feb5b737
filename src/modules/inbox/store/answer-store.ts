/**
 * The library of approved answers (Chatwoot canned responses, made accountable): each answer has
 * an owning team and a review date; every edit is a new version in English and Welsh; only an
 * approved version is offered to responders.
 */
import type { DbOrTrx } from '../../../platform/db/database.js'
import './tables.js'

export interface AnswerVersion {
  readonly version: number
  readonly textEn: string
  readonly textCy: string
  readonly approved: boolean
  readonly approvedBy: number | null
  readonly createdBy: number | null
  readonly createdAt: string
}

export interface Answer {
  readonly id: number
  readonly title: string
  readonly teamId: number | null
  readonly reviewOn: string
  readonly archived: boolean
  readonly versions: readonly AnswerVersion[]
  /** The newest approved version, offered in the reply box. */
  readonly current: AnswerVersion | null
}

export async function listAnswers(db: DbOrTrx, options: { approvedOnly?: boolean } = {}): Promise<Answer[]> {
  const answers = await db
    .selectFrom('inbox_answers')
    .selectAll()
    .where('archived', '=', 0)
    .orderBy('title')
    .execute()
  const versions = await db
    .selectFrom('inbox_answer_versions')
    .selectAll()
    .orderBy('version', 'desc')
    .execute()
  const out = answers.map((a) => {
    const vs: AnswerVersion[] = versions
      .filter((v) => Number(v.answer_id) === Number(a.id))
      .map((v) => ({
        version: Number(v.version),
        textEn: v.text_en,
        textCy: v.text_cy,
        approved: Number(v.approved) === 1,
        approvedBy: v.approved_by === null ? null : Number(v.approved_by),
        createdBy: v.created_by === null ? null : Number(v.created_by),
        createdAt: v.created_at,
      }))
    return {
      id: Number(a.id),
      title: a.title,
      teamId: a.team_id === null ? null : Number(a.team_id),
      reviewOn: a.review_on,
      archived: Number(a.archived) === 1,
      versions: vs,
      current: vs.find((v) => v.approved) ?? null,
    }
  })
  return options.approvedOnly ? out.filter((a) => a.current !== null) : out
}

export async function findAnswer(db: DbOrTrx, id: number): Promise<Answer | undefined> {
  return (await listAnswers(db)).find((a) => a.id === id)
}

export async function insertAnswer(
  db: DbOrTrx,
  input: {
    title: string
    teamId: number | null
    reviewOn: string
    textEn: string
    textCy: string
    createdBy: number | null
    approved?: boolean
  },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('inbox_answers')
    .values({
      title: input.title,
      team_id: input.teamId,
      review_on: input.reviewOn,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const id = Number(row.id)
  await db
    .insertInto('inbox_answer_versions')
    .values({
      answer_id: id,
      version: 1,
      text_en: input.textEn,
      text_cy: input.textCy,
      approved: input.approved ? 1 : 0,
      approved_by: input.approved ? input.createdBy : null,
      created_by: input.createdBy,
      created_at: now.toISOString(),
    })
    .execute()
  return id
}

/** A new version (unapproved until someone approves it); the title, team and review date change at once. */
export async function addAnswerVersion(
  db: DbOrTrx,
  id: number,
  input: {
    title: string
    teamId: number | null
    reviewOn: string
    textEn: string
    textCy: string
    createdBy: number | null
  },
  now: Date,
): Promise<number> {
  const max = await db
    .selectFrom('inbox_answer_versions')
    .select((eb) => eb.fn.max<number>('version').as('v'))
    .where('answer_id', '=', id)
    .executeTakeFirst()
  const version = Number(max?.v ?? 0) + 1
  await db
    .updateTable('inbox_answers')
    .set({ title: input.title, team_id: input.teamId, review_on: input.reviewOn })
    .where('id', '=', id)
    .execute()
  await db
    .insertInto('inbox_answer_versions')
    .values({
      answer_id: id,
      version,
      text_en: input.textEn,
      text_cy: input.textCy,
      created_by: input.createdBy,
      created_at: now.toISOString(),
    })
    .execute()
  return version
}

export async function approveAnswerVersion(
  db: DbOrTrx,
  id: number,
  version: number,
  approvedBy: number | null,
): Promise<boolean> {
  const r = await db
    .updateTable('inbox_answer_versions')
    .set({ approved: 1, approved_by: approvedBy })
    .where('answer_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}
