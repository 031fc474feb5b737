import { sql } from 'kysely'
import type { DbOrTrx } from '../../../platform/db/database.js'
import '../../../platform/db/tables.js'
import {
  type ConversationRecord,
  type ConversationSettings,
  isStatementPolicy,
  isVoteAssurance,
  type StatementRecord,
} from '../domain/conversation.js'
import type { Moderation } from '../domain/math/types.js'
import './tables.js'

type ConversationRow = {
  id: number | string
  title_en: string
  title_cy: string | null
  description_en: string
  description_cy: string | null
  opens_at: string
  closes_at: string | null
  vote_assurance: string
  statement_policy: string
  strict_moderation: number
  show_map: number
  open_data: number
  max_length: number
  source: string | null
  source_url: string | null
  created_at: string
  updated_at: string
}

function toConversation(row: ConversationRow): ConversationRecord {
  return {
    id: Number(row.id),
    titleEn: row.title_en,
    titleCy: row.title_cy,
    descriptionEn: row.description_en,
    descriptionCy: row.description_cy,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    voteAssurance: isVoteAssurance(row.vote_assurance) ? row.vote_assurance : 'email-verified',
    statementPolicy: isStatementPolicy(row.statement_policy) ? row.statement_policy : 'staff',
    strictModeration: Number(row.strict_moderation) === 1,
    showMap: Number(row.show_map) === 1,
    openData: Number(row.open_data) === 1,
    maxLength: Number(row.max_length),
    source: row.source,
    sourceUrl: row.source_url,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export interface ConversationFields extends ConversationSettings {
  readonly titleEn: string
  readonly titleCy: string | null
  readonly descriptionEn: string
  readonly descriptionCy: string | null
  readonly opensAt: string
  readonly closesAt: string | null
  readonly source?: string | null
  readonly sourceUrl?: string | null
}

function fieldColumns(f: ConversationFields) {
  return {
    title_en: f.titleEn,
    title_cy: f.titleCy,
    description_en: f.descriptionEn,
    description_cy: f.descriptionCy,
    opens_at: f.opensAt,
    closes_at: f.closesAt,
    vote_assurance: f.voteAssurance,
    statement_policy: f.statementPolicy,
    strict_moderation: f.strictModeration ? 1 : 0,
    show_map: f.showMap ? 1 : 0,
    open_data: f.openData ? 1 : 0,
    max_length: f.maxLength,
  }
}

export async function insertConversation(
  db: DbOrTrx,
  fields: ConversationFields,
  createdBy: string | null,
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('deliberation_conversations')
    .values({
      ...fieldColumns(fields),
      source: fields.source ?? null,
      source_url: fields.sourceUrl ?? null,
      created_by: createdBy,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateConversation(
  db: DbOrTrx,
  id: number,
  fields: ConversationFields,
  now: Date,
): Promise<void> {
  await db
    .updateTable('deliberation_conversations')
    .set({ ...fieldColumns(fields), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

export async function findConversation(db: DbOrTrx, id: number): Promise<ConversationRecord | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined
  const row = await db
    .selectFrom('deliberation_conversations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toConversation(row) : undefined
}

/** Every conversation, newest opening first. */
export async function listConversations(db: DbOrTrx): Promise<ConversationRecord[]> {
  const rows = await db
    .selectFrom('deliberation_conversations')
    .selectAll()
    .orderBy('opens_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map(toConversation)
}

/** Takes the next per-conversation number (0, 1, …) atomically on either dialect. */
async function nextNumber(
  db: DbOrTrx,
  conversationId: number,
  column: 'next_statement_number' | 'next_participant_number',
): Promise<number> {
  const q = db.updateTable('deliberation_conversations').where('id', '=', conversationId)
  const row =
    column === 'next_statement_number'
      ? await q
          .set((eb) => ({ next_statement_number: eb('next_statement_number', '+', 1) }))
          .returning('next_statement_number as n')
          .executeTakeFirstOrThrow()
      : await q
          .set((eb) => ({ next_participant_number: eb('next_participant_number', '+', 1) }))
          .returning('next_participant_number as n')
          .executeTakeFirstOrThrow()
  return Number(row.n) - 1
}

export function allocateStatementNumber(db: DbOrTrx, conversationId: number): Promise<number> {
  return nextNumber(db, conversationId, 'next_statement_number')
}

export function allocateParticipantNumber(db: DbOrTrx, conversationId: number): Promise<number> {
  return nextNumber(db, conversationId, 'next_participant_number')
}

/** After an import that chose its own numbers: the next ones start above them. */
export async function bumpNumbers(
  db: DbOrTrx,
  conversationId: number,
  next: { statement: number; participant: number },
): Promise<void> {
  await db
    .updateTable('deliberation_conversations')
    .set({ next_statement_number: next.statement, next_participant_number: next.participant })
    .where('id', '=', conversationId)
    .execute()
}

// ── Recompute requests (the debounce) ───────────────────────────────────────────────────

/**
 * Marks the conversation as needing the math to run again. True only for the request that set
 * the mark, which is the one that queues the job: votes arriving meanwhile just find it set.
 */
export async function markRecompute(db: DbOrTrx, conversationId: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('deliberation_conversations')
    .set({ recompute_requested_at: now.toISOString() })
    .where('id', '=', conversationId)
    .where('recompute_requested_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function clearRecompute(db: DbOrTrx, conversationId: number): Promise<void> {
  await db
    .updateTable('deliberation_conversations')
    .set({ recompute_requested_at: null })
    .where('id', '=', conversationId)
    .execute()
}

/**
 * Conversations whose math is behind: a request older than `staleBefore` (its job was lost), or
 * votes newer than the stored result with no request waiting. The safety net runs these.
 */
export async function conversationsBehind(db: DbOrTrx, staleBefore: Date): Promise<number[]> {
  const requests = await db
    .selectFrom('deliberation_conversations')
    .select(['id', 'recompute_requested_at'])
    .where('recompute_requested_at', 'is not', null)
    .execute()
  const waiting = new Set(requests.map((r) => Number(r.id)))
  const stale = requests
    .filter((r) => r.recompute_requested_at! < staleBefore.toISOString())
    .map((r) => Number(r.id))
  // max(id) per conversation through the (conversation_id, id) index: no scan of the log.
  const behind = (
    await db
      .selectFrom('deliberation_conversations as c')
      .leftJoin('deliberation_results as r', 'r.conversation_id', 'c.id')
      .select([
        'c.id as conversation_id',
        'r.last_vote_id',
        sql<number | null>`(select max(l.id) from deliberation_vote_log l where l.conversation_id = c.id)`.as(
          'max_id',
        ),
      ])
      .execute()
  ).filter((r) => r.max_id !== null && (r.last_vote_id === null || Number(r.max_id) > Number(r.last_vote_id)))
  const lagging = behind.map((r) => Number(r.conversation_id)).filter((id) => !waiting.has(id))
  return [...new Set([...stale, ...lagging])]
}

// ── Statements ──────────────────────────────────────────────────────────────────────────

type StatementRow = {
  id: number | string
  conversation_id: number | string
  number: number
  text_en: string | null
  text_cy: string | null
  author_participant_id: number | string | null
  is_seed: number
  is_meta: number
  moderation: number
  created_at: string
  moderated_at: string | null
}

function toStatement(row: StatementRow): StatementRecord {
  const m = Number(row.moderation)
  return {
    id: Number(row.id),
    conversationId: Number(row.conversation_id),
    number: Number(row.number),
    textEn: row.text_en,
    textCy: row.text_cy,
    authorParticipantId: row.author_participant_id === null ? null : Number(row.author_participant_id),
    seed: Number(row.is_seed) === 1,
    meta: Number(row.is_meta) === 1,
    moderation: (m === 1 || m === -1 ? m : 0) as Moderation,
    createdAt: row.created_at,
    moderatedAt: row.moderated_at,
  }
}

export interface NewStatement {
  readonly conversationId: number
  readonly textEn: string | null
  readonly textCy: string | null
  readonly authorParticipantId: number | null
  readonly seed: boolean
  readonly meta?: boolean
  readonly moderation: Moderation
  /** Set by imports that keep the source's ids; otherwise the next number is taken. */
  readonly number?: number
  readonly moderatedBy?: string | null
}

export async function insertStatement(db: DbOrTrx, s: NewStatement, now: Date): Promise<StatementRecord> {
  const number = s.number ?? (await allocateStatementNumber(db, s.conversationId))
  const row = await db
    .insertInto('deliberation_statements')
    .values({
      conversation_id: s.conversationId,
      number,
      text_en: s.textEn,
      text_cy: s.textCy,
      author_participant_id: s.authorParticipantId,
      is_seed: s.seed ? 1 : 0,
      is_meta: s.meta ? 1 : 0,
      moderation: s.moderation,
      created_at: now.toISOString(),
      moderated_at: s.moderation !== 0 ? now.toISOString() : null,
      moderated_by: s.moderation !== 0 ? (s.moderatedBy ?? null) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toStatement(row)
}

export async function listStatements(db: DbOrTrx, conversationId: number): Promise<StatementRecord[]> {
  const rows = await db
    .selectFrom('deliberation_statements')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('number')
    .execute()
  return rows.map(toStatement)
}

export async function findStatement(
  db: DbOrTrx,
  conversationId: number,
  id: number,
): Promise<StatementRecord | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined
  const row = await db
    .selectFrom('deliberation_statements')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toStatement(row) : undefined
}

export async function updateStatementModeration(
  db: DbOrTrx,
  id: number,
  change: { moderation?: Moderation; meta?: boolean },
  by: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('deliberation_statements')
    .set({
      ...(change.moderation !== undefined ? { moderation: change.moderation } : {}),
      ...(change.meta !== undefined ? { is_meta: change.meta ? 1 : 0 } : {}),
      moderated_at: now.toISOString(),
      moderated_by: by,
    })
    .where('id', '=', id)
    .execute()
}

/** Figures for the staff list: participants, statements waiting for a moderator, votes, open alerts. */
export async function conversationFigures(
  db: DbOrTrx,
): Promise<
  Map<number, { participants: number; pending: number; statements: number; votes: number; alerts: number }>
> {
  const out = new Map<
    number,
    { participants: number; pending: number; statements: number; votes: number; alerts: number }
  >()
  const get = (id: number | string) => {
    const key = Number(id)
    let f = out.get(key)
    if (!f) {
      f = { participants: 0, pending: 0, statements: 0, votes: 0, alerts: 0 }
      out.set(key, f)
    }
    return f
  }
  const statements = await db
    .selectFrom('deliberation_statements')
    .select([
      'conversation_id',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when moderation = 0 then 1 else 0 end)`.as('pending'),
    ])
    .groupBy('conversation_id')
    .execute()
  for (const r of statements) {
    get(r.conversation_id).statements = Number(r.n)
    get(r.conversation_id).pending = Number(r.pending ?? 0)
  }
  const participants = await db
    .selectFrom('deliberation_participants')
    .select(['conversation_id', sql<number>`count(*)`.as('n')])
    .groupBy('conversation_id')
    .execute()
  for (const r of participants) get(r.conversation_id).participants = Number(r.n)
  const votes = await db
    .selectFrom('deliberation_votes')
    .select(['conversation_id', sql<number>`count(*)`.as('n')])
    .groupBy('conversation_id')
    .execute()
  for (const r of votes) get(r.conversation_id).votes = Number(r.n)
  const alerts = await db
    .selectFrom('deliberation_alerts')
    .select(['conversation_id', sql<number>`count(*)`.as('n')])
    .where('resolved_at', 'is', null)
    .groupBy('conversation_id')
    .execute()
  for (const r of alerts) get(r.conversation_id).alerts = Number(r.n)
  return out
}
