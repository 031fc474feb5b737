import { sql } from 'kysely'
import { type AssuranceLevel, isAssuranceLevel } from '../../../platform/auth/actor.js'
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { ParticipantRecord } from '../domain/conversation.js'
import { allocateParticipantNumber } from './conversation-store.js'
import './tables.js'

type ParticipantRow = {
  id: number | string
  conversation_id: number | string
  number: number
  citizen_id: number | string | null
  assurance: string
  created_at: string
  banned_at: string | null
  ban_reason: string | null
}

function toParticipant(row: ParticipantRow): ParticipantRecord {
  return {
    id: Number(row.id),
    conversationId: Number(row.conversation_id),
    number: Number(row.number),
    citizenId: row.citizen_id === null ? null : Number(row.citizen_id),
    assurance: isAssuranceLevel(row.assurance) ? row.assurance : 'none',
    createdAt: row.created_at,
    bannedAt: row.banned_at,
    banReason: row.ban_reason,
  }
}

const COLUMNS = [
  'id',
  'conversation_id',
  'number',
  'citizen_id',
  'assurance',
  'created_at',
  'banned_at',
  'ban_reason',
] as const

/** Who is taking part: a verified citizen, or an anonymous browser known by its session key. */
export type ParticipantIdentity =
  | {
      readonly kind: 'citizen'
      readonly citizenId: number
      readonly assurance: AssuranceLevel
      readonly sessionKey: string | null
    }
  | { readonly kind: 'anonymous'; readonly sessionKey: string }

/** The participant this identity already is in the conversation, without creating one. */
export async function findParticipantFor(
  db: DbOrTrx,
  conversationId: number,
  who: ParticipantIdentity,
): Promise<ParticipantRecord | undefined> {
  if (who.kind === 'citizen') {
    const row = await db
      .selectFrom('deliberation_participants')
      .select(COLUMNS)
      .where('conversation_id', '=', conversationId)
      .where('citizen_id', '=', who.citizenId)
      .executeTakeFirst()
    if (row) return toParticipant(row)
    if (who.sessionKey === null) return undefined
  }
  const row = await db
    .selectFrom('deliberation_participants')
    .select(COLUMNS)
    .where('conversation_id', '=', conversationId)
    .where('session_key', '=', who.sessionKey!)
    .executeTakeFirst()
  return row ? toParticipant(row) : undefined
}

/**
 * The participant for this identity, created on first use. A browser that took part anonymously
 * and then signed in keeps its votes: the citizen is attached to that participant and its
 * assurance level raised.
 */
export async function ensureParticipant(
  db: DbOrTrx,
  conversationId: number,
  who: ParticipantIdentity,
  now: Date,
): Promise<ParticipantRecord> {
  const existing = await findParticipantFor(db, conversationId, who)
  if (existing) {
    if (who.kind === 'citizen' && (existing.citizenId === null || existing.assurance !== who.assurance)) {
      await db
        .updateTable('deliberation_participants')
        .set({ citizen_id: who.citizenId, assurance: who.assurance })
        .where('id', '=', existing.id)
        .execute()
      return { ...existing, citizenId: who.citizenId, assurance: who.assurance }
    }
    return existing
  }
  const number = await allocateParticipantNumber(db, conversationId)
  const inserted = await db
    .insertInto('deliberation_participants')
    .values({
      conversation_id: conversationId,
      number,
      session_key: who.sessionKey,
      citizen_id: who.kind === 'citizen' ? who.citizenId : null,
      assurance: who.kind === 'citizen' ? who.assurance : 'none',
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.doNothing())
    .returning(COLUMNS)
    .executeTakeFirst()
  if (inserted) return toParticipant(inserted)
  // Two first votes from the same browser at once: the other request created it.
  const raced = await findParticipantFor(db, conversationId, who)
  if (!raced) throw new Error('participant vanished after a conflicting insert')
  return raced
}

/** An imported participant: known by its number in the source only. */
export async function insertImportedParticipant(
  db: DbOrTrx,
  conversationId: number,
  number: number,
  createdAt: Date,
): Promise<number> {
  const row = await db
    .insertInto('deliberation_participants')
    .values({
      conversation_id: conversationId,
      number,
      session_key: null,
      citizen_id: null,
      assurance: 'none',
      created_at: createdAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function findParticipant(
  db: DbOrTrx,
  conversationId: number,
  id: number,
): Promise<ParticipantRecord | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined
  const row = await db
    .selectFrom('deliberation_participants')
    .select(COLUMNS)
    .where('conversation_id', '=', conversationId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toParticipant(row) : undefined
}

export interface ParticipantSummary extends ParticipantRecord {
  readonly votes: number
  readonly statements: number
  readonly openAlerts: number
}

/** Participants with their vote and statement counts, most active first. */
export async function listParticipants(
  db: DbOrTrx,
  conversationId: number,
  options: { limit?: number; offset?: number; bannedOnly?: boolean } = {},
): Promise<ParticipantSummary[]> {
  let q = db
    .selectFrom('deliberation_participants as p')
    .select(COLUMNS.map((c) => `p.${c}` as const))
    .select([
      sql<number>`(select count(*) from deliberation_votes v where v.participant_id = p.id)`.as('votes'),
      sql<number>`(select count(*) from deliberation_statements s where s.author_participant_id = p.id)`.as(
        'statements',
      ),
      sql<number>`(select count(*) from deliberation_alerts a where a.participant_id = p.id and a.resolved_at is null)`.as(
        'open_alerts',
      ),
    ])
    .where('p.conversation_id', '=', conversationId)
  if (options.bannedOnly) q = q.where('p.banned_at', 'is not', null)
  const rows = await q
    .orderBy('votes', 'desc')
    .orderBy('p.number')
    .limit(options.limit ?? 100)
    .offset(options.offset ?? 0)
    .execute()
  return rows.map((r) => ({
    ...toParticipant(r),
    votes: Number(r.votes),
    statements: Number(r.statements),
    openAlerts: Number(r.open_alerts),
  }))
}

export async function countParticipants(db: DbOrTrx, conversationId: number): Promise<number> {
  const row = await db
    .selectFrom('deliberation_participants')
    .select(sql<number>`count(*)`.as('n'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function setBanned(
  db: DbOrTrx,
  participantId: number,
  ban: { banned: true; by: string; reason: string } | { banned: false },
  now: Date,
): Promise<void> {
  await db
    .updateTable('deliberation_participants')
    .set(
      ban.banned
        ? { banned_at: now.toISOString(), banned_by: ban.by, ban_reason: ban.reason || null }
        : { banned_at: null, banned_by: null, ban_reason: null },
    )
    .where('id', '=', participantId)
    .execute()
}

/** Numbers of the banned participants: their votes leave the math. */
export async function bannedNumbers(db: DbOrTrx, conversationId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('deliberation_participants')
    .select('number')
    .where('conversation_id', '=', conversationId)
    .where('banned_at', 'is not', null)
    .orderBy('number')
    .execute()
  return rows.map((r) => Number(r.number))
}
