/** Cases, their messages, and the per-account mention cursors. */
import { type Selectable, sql } from 'kysely'
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { CaseState, Channel, Direction, Priority } from '../domain/case.js'
import type { InboxTables } from './tables.js'
import './tables.js'

export interface Case {
  readonly id: number
  readonly channel: Channel
  readonly accountKey: string | null
  readonly threadId: string | null
  readonly threadCid: string | null
  readonly subject: string | null
  readonly context: string | null
  readonly citizenHandle: string | null
  readonly citizenName: string | null
  readonly citizenEmail: string | null
  readonly language: string | null
  readonly sentiment: string | null
  readonly topic: string | null
  readonly tags: readonly string[]
  readonly sensitive: boolean
  readonly teamId: number | null
  readonly assigneeId: number | null
  readonly priority: Priority
  readonly status: CaseState
  readonly slaPolicyId: number | null
  readonly firstResponseDue: string | null
  readonly nextResponseDue: string | null
  readonly resolutionDue: string | null
  readonly firstResponseAt: string | null
  readonly firstResponseWithin: boolean | null
  readonly awaitingSince: string | null
  readonly resolvedAt: string | null
  readonly warned: readonly string[]
  readonly createdAt: string
  readonly updatedAt: string
}

export function toCase(r: Selectable<InboxTables['inbox_cases']>): Case {
  return {
    id: Number(r.id),
    channel: r.channel as Channel,
    accountKey: r.account_key,
    threadId: r.thread_id,
    threadCid: r.thread_cid,
    subject: r.subject,
    context: r.context,
    citizenHandle: r.citizen_handle,
    citizenName: r.citizen_name,
    citizenEmail: r.citizen_email,
    language: r.language,
    sentiment: r.sentiment,
    topic: r.topic,
    tags: JSON.parse(r.tags) as string[],
    sensitive: Number(r.sensitive) === 1,
    teamId: r.team_id === null ? null : Number(r.team_id),
    assigneeId: r.assignee_id === null ? null : Number(r.assignee_id),
    priority: r.priority as Priority,
    status: r.status as CaseState,
    slaPolicyId: r.sla_policy_id === null ? null : Number(r.sla_policy_id),
    firstResponseDue: r.first_response_due,
    nextResponseDue: r.next_response_due,
    resolutionDue: r.resolution_due,
    firstResponseAt: r.first_response_at,
    firstResponseWithin: r.first_response_within === null ? null : Number(r.first_response_within) === 1,
    awaitingSince: r.awaiting_since,
    resolvedAt: r.resolved_at,
    warned: JSON.parse(r.warned) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export interface Message {
  readonly id: number
  readonly caseId: number
  readonly direction: Direction
  readonly channel: string
  readonly externalId: string | null
  readonly externalCid: string | null
  readonly externalUrl: string | null
  readonly authorStaffId: number | null
  readonly authorHandle: string | null
  readonly text: string
  readonly language: string | null
  readonly state: string
  readonly findings: readonly {
    code: string
    severity: 'block' | 'warn'
    start: number
    end: number
    message: string
  }[]
  readonly answerId: number | null
  readonly answerVersion: number | null
  readonly approvedBy: number | null
  readonly reviewNote: string | null
  readonly hidden: boolean
  readonly attempts: number
  readonly lastError: string | null
  readonly createdAt: string
  readonly sentAt: string | null
}

export function toMessage(r: Selectable<InboxTables['inbox_messages']>): Message {
  return {
    id: Number(r.id),
    caseId: Number(r.case_id),
    direction: r.direction as Direction,
    channel: r.channel,
    externalId: r.external_id,
    externalCid: r.external_cid,
    externalUrl: r.external_url,
    authorStaffId: r.author_staff_id === null ? null : Number(r.author_staff_id),
    authorHandle: r.author_handle,
    text: r.text,
    language: r.language,
    state: r.state,
    findings: JSON.parse(r.findings) as Message['findings'],
    answerId: r.answer_id === null ? null : Number(r.answer_id),
    answerVersion: r.answer_version === null ? null : Number(r.answer_version),
    approvedBy: r.approved_by === null ? null : Number(r.approved_by),
    reviewNote: r.review_note,
    hidden: Number(r.hidden) === 1,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }
}

export async function findCase(db: DbOrTrx, id: number): Promise<Case | undefined> {
  const r = await db.selectFrom('inbox_cases').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toCase(r) : undefined
}

export async function findMessage(db: DbOrTrx, id: number): Promise<Message | undefined> {
  const r = await db.selectFrom('inbox_messages').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toMessage(r) : undefined
}

export async function caseMessages(db: DbOrTrx, caseId: number): Promise<Message[]> {
  const rows = await db
    .selectFrom('inbox_messages')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute()
  return rows.map(toMessage)
}

/** The case a message with one of these external ids belongs to (threading by reply ids). */
export async function caseOfExternalIds(
  db: DbOrTrx,
  channels: readonly string[],
  ids: readonly string[],
): Promise<number | null> {
  if (ids.length === 0) return null
  const r = await db
    .selectFrom('inbox_messages')
    .select('case_id')
    .where('channel', 'in', [...channels])
    .where('external_id', 'in', [...ids])
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return r ? Number(r.case_id) : null
}

export async function caseOfThread(db: DbOrTrx, channel: string, threadId: string): Promise<number | null> {
  const r = await db
    .selectFrom('inbox_cases')
    .select('id')
    .where('channel', '=', channel)
    .where('thread_id', '=', threadId)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return r ? Number(r.id) : null
}

export async function messageExists(db: DbOrTrx, channel: string, externalId: string): Promise<boolean> {
  const r = await db
    .selectFrom('inbox_messages')
    .select('id')
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .executeTakeFirst()
  return r !== undefined
}

export interface CaseFilter {
  readonly status?: CaseState | 'all'
  readonly teamId?: number
  readonly assigneeId?: number
  /** Cases with a running deadline before this instant. */
  readonly dueBefore?: string
  readonly limit?: number
}

export async function listCases(db: DbOrTrx, filter: CaseFilter = {}): Promise<Case[]> {
  let q = db.selectFrom('inbox_cases').selectAll()
  if (filter.status && filter.status !== 'all') q = q.where('status', '=', filter.status)
  if (filter.teamId !== undefined) q = q.where('team_id', '=', filter.teamId)
  if (filter.assigneeId !== undefined) q = q.where('assignee_id', '=', filter.assigneeId)
  if (filter.dueBefore) {
    const d = filter.dueBefore
    q = q.where((eb) =>
      eb.or([
        eb('first_response_due', '<', d),
        eb('next_response_due', '<', d),
        eb('resolution_due', '<', d),
      ]),
    )
  }
  const rows = await q
    .orderBy(sql`coalesce(first_response_due, next_response_due, resolution_due, created_at)`)
    .orderBy('id')
    .limit(filter.limit ?? 200)
    .execute()
  return rows.map(toCase)
}

export async function updateCase(
  db: DbOrTrx,
  id: number,
  patch: Partial<Omit<Selectable<InboxTables['inbox_cases']>, 'id'>>,
): Promise<void> {
  await db.updateTable('inbox_cases').set(patch).where('id', '=', id).execute()
}

export async function insertMessage(
  db: DbOrTrx,
  m: {
    caseId: number
    direction: Direction
    channel: string
    text: string
    state: string
    createdAt: Date
    externalId?: string | null
    externalCid?: string | null
    externalUrl?: string | null
    authorStaffId?: number | null
    authorHandle?: string | null
    language?: string | null
    findings?: readonly unknown[]
    answerId?: number | null
    answerVersion?: number | null
  },
): Promise<number> {
  const row = await db
    .insertInto('inbox_messages')
    .values({
      case_id: m.caseId,
      direction: m.direction,
      channel: m.channel,
      external_id: m.externalId ?? null,
      external_cid: m.externalCid ?? null,
      external_url: m.externalUrl ?? null,
      author_staff_id: m.authorStaffId ?? null,
      author_handle: m.authorHandle ?? null,
      text: m.text,
      language: m.language ?? null,
      state: m.state,
      findings: JSON.stringify(m.findings ?? []),
      answer_id: m.answerId ?? null,
      answer_version: m.answerVersion ?? null,
      created_at: m.createdAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateMessage(
  db: DbOrTrx,
  id: number,
  patch: Partial<Omit<Selectable<InboxTables['inbox_messages']>, 'id'>>,
): Promise<void> {
  await db.updateTable('inbox_messages').set(patch).where('id', '=', id).execute()
}

/** Replies still to send or approve (the literal list lets both databases use the partial index). */
export async function messagesInState(
  db: DbOrTrx,
  state: 'queued' | 'awaiting-approval',
  limit = 200,
): Promise<Message[]> {
  const rows = await db
    .selectFrom('inbox_messages')
    .selectAll()
    .where(sql<boolean>`state in ('queued', 'awaiting-approval')`)
    .where('state', '=', state)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map(toMessage)
}

export async function readCursor(db: DbOrTrx, accountKey: string): Promise<string | null> {
  const r = await db
    .selectFrom('inbox_cursors')
    .select('cursor')
    .where('account_key', '=', accountKey)
    .executeTakeFirst()
  return r?.cursor ?? null
}

export async function writeCursor(
  db: DbOrTrx,
  accountKey: string,
  cursor: string | null,
  now: Date,
): Promise<void> {
  await db
    .insertInto('inbox_cursors')
    .values({ account_key: accountKey, cursor, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('account_key').doUpdateSet({ cursor, updated_at: now.toISOString() }))
    .execute()
}
