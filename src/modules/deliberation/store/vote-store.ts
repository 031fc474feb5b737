import { sql } from 'kysely'
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { LoggedVote } from '../domain/abnormal.js'
import type { VoteValue } from '../domain/math/types.js'
import type { DailyActivity } from '../domain/report.js'
import type { VoteCounts } from '../domain/snapshot.js'
import './tables.js'

/**
 * Votes: one row per participant and statement holding the latest vote (Pol.is
 * votes_latest_unique), and the append-only log of every vote with its time.
 */
export async function recordVote(
  db: DbOrTrx,
  v: { conversationId: number; participantId: number; statementId: number; vote: VoteValue },
  now: Date,
): Promise<void> {
  const at = now.toISOString()
  await db
    .insertInto('deliberation_votes')
    .values({
      participant_id: v.participantId,
      statement_id: v.statementId,
      conversation_id: v.conversationId,
      vote: v.vote,
      voted_at: at,
    })
    .onConflict((oc) =>
      oc.columns(['participant_id', 'statement_id']).doUpdateSet({ vote: v.vote, voted_at: at }),
    )
    .execute()
  await db
    .insertInto('deliberation_vote_log')
    .values({
      conversation_id: v.conversationId,
      participant_id: v.participantId,
      statement_id: v.statementId,
      vote: v.vote,
      at,
    })
    .execute()
}

/** A participant's current votes, by statement id. */
export async function votesOf(db: DbOrTrx, participantId: number): Promise<Map<number, VoteValue>> {
  const rows = await db
    .selectFrom('deliberation_votes')
    .select(['statement_id', 'vote'])
    .where('participant_id', '=', participantId)
    .execute()
  return new Map(rows.map((r) => [Number(r.statement_id), Number(r.vote) as VoteValue]))
}

export async function maxVoteLogId(db: DbOrTrx, conversationId: number): Promise<number> {
  const row = await db
    .selectFrom('deliberation_vote_log')
    .select((eb) => eb.fn.max('id').as('max'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst()
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max)
}

/** A vote for the math, on statement and participant numbers. */
export interface MathVote {
  readonly participant: number
  readonly statement: number
  readonly vote: VoteValue
}

/** Every current vote of the participants not banned, on numbers (a full recompute starts here). */
export async function currentVotes(db: DbOrTrx, conversationId: number): Promise<MathVote[]> {
  const rows = await db
    .selectFrom('deliberation_votes as v')
    .innerJoin('deliberation_participants as p', 'p.id', 'v.participant_id')
    .innerJoin('deliberation_statements as s', 's.id', 'v.statement_id')
    .select(['p.number as participant', 's.number as statement', 'v.vote'])
    .where('v.conversation_id', '=', conversationId)
    .where('p.banned_at', 'is', null)
    .execute()
  return rows.map((r) => ({
    participant: Number(r.participant),
    statement: Number(r.statement),
    vote: Number(r.vote) as VoteValue,
  }))
}

/** Votes logged after `afterId` up to `upToId`, in the order cast, banned participants left out (a live update). */
export async function loggedVotesAfter(
  db: DbOrTrx,
  conversationId: number,
  afterId: number,
  upToId: number,
): Promise<MathVote[]> {
  const rows = await db
    .selectFrom('deliberation_vote_log as l')
    .innerJoin('deliberation_participants as p', 'p.id', 'l.participant_id')
    .innerJoin('deliberation_statements as s', 's.id', 'l.statement_id')
    .select(['p.number as participant', 's.number as statement', 'l.vote'])
    .where('l.conversation_id', '=', conversationId)
    .where('l.id', '>', afterId)
    .where('l.id', '<=', upToId)
    .where('p.banned_at', 'is', null)
    .orderBy('l.id')
    .execute()
  return rows.map((r) => ({
    participant: Number(r.participant),
    statement: Number(r.statement),
    vote: Number(r.vote) as VoteValue,
  }))
}

/** Agree, disagree and pass counts per statement number, banned participants left out. */
export async function voteCounts(db: DbOrTrx, conversationId: number): Promise<Map<number, VoteCounts>> {
  const rows = await db
    .selectFrom('deliberation_votes as v')
    .innerJoin('deliberation_participants as p', 'p.id', 'v.participant_id')
    .innerJoin('deliberation_statements as s', 's.id', 'v.statement_id')
    .select([
      's.number',
      sql<number>`sum(case when v.vote = 1 then 1 else 0 end)`.as('agree'),
      sql<number>`sum(case when v.vote = -1 then 1 else 0 end)`.as('disagree'),
      sql<number>`sum(case when v.vote = 0 then 1 else 0 end)`.as('pass'),
    ])
    .where('v.conversation_id', '=', conversationId)
    .where('p.banned_at', 'is', null)
    .groupBy('s.number')
    .execute()
  return new Map(
    rows.map((r) => [
      Number(r.number),
      { agree: Number(r.agree), disagree: Number(r.disagree), pass: Number(r.pass) },
    ]),
  )
}

/** Votes cast and participants joining per day (UTC), banned participants left out. */
export async function dailyActivity(db: DbOrTrx, conversationId: number): Promise<DailyActivity[]> {
  const votes = await db
    .selectFrom('deliberation_vote_log as l')
    .innerJoin('deliberation_participants as p', 'p.id', 'l.participant_id')
    .select([sql<string>`substr(l.at, 1, 10)`.as('day'), sql<number>`count(*)`.as('n')])
    .where('l.conversation_id', '=', conversationId)
    .where('p.banned_at', 'is', null)
    .groupBy(sql`substr(l.at, 1, 10)`)
    .execute()
  const firsts = await db
    .selectFrom('deliberation_vote_log as l')
    .innerJoin('deliberation_participants as p', 'p.id', 'l.participant_id')
    .select([sql<string>`substr(min(l.at), 1, 10)`.as('day')])
    .where('l.conversation_id', '=', conversationId)
    .where('p.banned_at', 'is', null)
    .groupBy('l.participant_id')
    .execute()
  const byDay = new Map<string, { votes: number; newParticipants: number }>()
  for (const r of votes) byDay.set(r.day, { votes: Number(r.n), newParticipants: 0 })
  for (const r of firsts) {
    const d = byDay.get(r.day) ?? { votes: 0, newParticipants: 0 }
    d.newParticipants++
    byDay.set(r.day, d)
  }
  return [...byDay].map(([day, d]) => ({ day, ...d })).sort((a, b) => (a.day < b.day ? -1 : 1))
}

/** Participants (ids) with votes logged after `afterId` and at least `minVotes` votes in all. */
export async function participantsVotingAfter(
  db: DbOrTrx,
  conversationId: number,
  afterId: number,
  minVotes = 1,
): Promise<number[]> {
  const rows = await db
    .selectFrom('deliberation_vote_log')
    .select('participant_id')
    .where('conversation_id', '=', conversationId)
    .groupBy('participant_id')
    .having((eb) => eb.and([eb(eb.fn.max('id'), '>', afterId), eb(eb.fn.countAll(), '>=', minVotes)]))
    .execute()
  return rows.map((r) => Number(r.participant_id))
}

/** Participants' logged votes, each in the order cast (for abnormal-voter checks), by participant id. */
export async function voteLogsOf(
  db: DbOrTrx,
  participantIds: readonly number[],
): Promise<Map<number, LoggedVote[]>> {
  const out = new Map<number, LoggedVote[]>()
  for (let i = 0; i < participantIds.length; i += 500) {
    const rows = await db
      .selectFrom('deliberation_vote_log')
      .select(['participant_id', 'vote', 'at'])
      .where('participant_id', 'in', participantIds.slice(i, i + 500))
      .orderBy('participant_id')
      .orderBy('id')
      .execute()
    for (const r of rows) {
      const id = Number(r.participant_id)
      let list = out.get(id)
      if (!list) {
        list = []
        out.set(id, list)
      }
      list.push({ vote: Number(r.vote), at: Date.parse(r.at) })
    }
  }
  return out
}

/** One participant's logged votes, in the order cast. */
export async function voteLogOf(db: DbOrTrx, participantId: number): Promise<LoggedVote[]> {
  return (await voteLogsOf(db, [participantId])).get(participantId) ?? []
}

/** The whole vote log of a conversation on numbers, in the order cast (for the Pol.is votes.csv). */
export async function exportVoteLog(
  db: DbOrTrx,
  conversationId: number,
): Promise<Array<{ participant: number; statement: number; vote: VoteValue; at: Date }>> {
  const rows = await db
    .selectFrom('deliberation_vote_log as l')
    .innerJoin('deliberation_participants as p', 'p.id', 'l.participant_id')
    .innerJoin('deliberation_statements as s', 's.id', 'l.statement_id')
    .select(['p.number as participant', 's.number as statement', 'l.vote', 'l.at'])
    .where('l.conversation_id', '=', conversationId)
    .orderBy('l.id')
    .execute()
  return rows.map((r) => ({
    participant: Number(r.participant),
    statement: Number(r.statement),
    vote: Number(r.vote) as VoteValue,
    at: new Date(r.at),
  }))
}

/** Imports many votes at once: each goes into the log, and the latest per pair into the votes table. */
export async function importVotes(
  db: DbOrTrx,
  conversationId: number,
  votes: ReadonlyArray<{ participantId: number; statementId: number; vote: VoteValue; at: Date }>,
): Promise<void> {
  const CHUNK = 500
  for (let i = 0; i < votes.length; i += CHUNK) {
    await db
      .insertInto('deliberation_vote_log')
      .values(
        votes.slice(i, i + CHUNK).map((v) => ({
          conversation_id: conversationId,
          participant_id: v.participantId,
          statement_id: v.statementId,
          vote: v.vote,
          at: v.at.toISOString(),
        })),
      )
      .execute()
  }
  const latest = new Map<string, (typeof votes)[number]>()
  for (const v of votes) latest.set(`${v.participantId}:${v.statementId}`, v)
  const rows = [...latest.values()]
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('deliberation_votes')
      .values(
        rows.slice(i, i + CHUNK).map((v) => ({
          participant_id: v.participantId,
          statement_id: v.statementId,
          conversation_id: conversationId,
          vote: v.vote,
          voted_at: v.at.toISOString(),
        })),
      )
      .execute()
  }
}
