import { createHash } from 'node:crypto'
import type { Actor } from '../../../platform/auth/actor.js'
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { Ballot } from '../domain/ballots.js'
import { normaliseCensusCode } from '../domain/eligibility.js'
import './tables.js'

export const BALLOT_CHANNELS = ['online', 'paper', 'import'] as const
export type BallotChannel = (typeof BALLOT_CHANNELS)[number]

export interface StoredBallot {
  readonly id: number
  readonly budgetId: number
  readonly voterKey: string
  readonly channel: BallotChannel
  readonly ballot: Ballot
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
}

// ── Residence (the postcode a citizen states) ─────────────────────────────────────────

export async function statePostcode(
  db: DbOrTrx,
  citizenId: number,
  postcode: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('budgets_residents')
    .values({ citizen_id: citizenId, postcode, stated_at: now.toISOString() })
    .onConflict((oc) => oc.column('citizen_id').doUpdateSet({ postcode, stated_at: now.toISOString() }))
    .execute()
}

export async function findPostcode(db: DbOrTrx, citizenId: number): Promise<string | null> {
  const row = await db
    .selectFrom('budgets_residents')
    .select('postcode')
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst()
  return row?.postcode ?? null
}

// ── Census codes ─────────────────────────────────────────────────────────────────────

/** Codes are kept only as SHA-256 of their normalised form: a copy of the database casts no votes. */
export function hashCensusCode(code: string): string {
  return createHash('sha256').update(normaliseCensusCode(code)).digest('hex')
}

/** Adds codes to a budget's census list; codes already on it are left alone. */
export async function importCensusCodes(
  db: DbOrTrx,
  budgetId: number,
  codes: readonly string[],
  now: Date,
): Promise<{ added: number; alreadyListed: number }> {
  let added = 0
  for (let i = 0; i < codes.length; i += 500) {
    const chunk = codes.slice(i, i + 500)
    const result = await db
      .insertInto('budgets_census_codes')
      .values(
        chunk.map((c) => ({
          budget_id: budgetId,
          code_hash: hashCensusCode(c),
          imported_at: now.toISOString(),
        })),
      )
      .onConflict((oc) => oc.columns(['budget_id', 'code_hash']).doNothing())
      .executeTakeFirst()
    added += Number(result.numInsertedOrUpdatedRows ?? 0)
  }
  return { added, alreadyListed: codes.length - added }
}

export async function findCensusCode(
  db: DbOrTrx,
  budgetId: number,
  code: string,
): Promise<{ id: number; usedAt: string | null } | undefined> {
  const row = await db
    .selectFrom('budgets_census_codes')
    .select(['id', 'used_at'])
    .where('budget_id', '=', budgetId)
    .where('code_hash', '=', hashCensusCode(code))
    .executeTakeFirst()
  return row ? { id: Number(row.id), usedAt: row.used_at } : undefined
}

export async function censusStats(db: DbOrTrx, budgetId: number): Promise<{ codes: number; used: number }> {
  const row = await db
    .selectFrom('budgets_census_codes')
    .select((eb) => [eb.fn.countAll().as('codes'), eb.fn.count('used_at').as('used')])
    .where('budget_id', '=', budgetId)
    .executeTakeFirst()
  return { codes: Number(row?.codes ?? 0), used: Number(row?.used ?? 0) }
}

// ── Ballots ──────────────────────────────────────────────────────────────────────────

function actorColumns(actor: Actor): { actor_kind: string; actor_id: string | null } {
  switch (actor.kind) {
    case 'staff':
    case 'citizen':
      return { actor_kind: actor.kind, actor_id: String(actor.id) }
    case 'system':
      return { actor_kind: 'system', actor_id: actor.name }
    default:
      return { actor_kind: 'anonymous', actor_id: null }
  }
}

export interface CastInput {
  readonly budgetId: number
  /** `citizen:<id>`, `census:<codeId>`, `paper:<reference>` or `import:<voter id>`. */
  readonly voterKey: string
  readonly channel: BallotChannel
  readonly ballot: Ballot
  readonly assurance: string
  readonly citizenId?: number | null
  readonly censusCodeId?: number | null
  readonly postcode?: string | null
  readonly enteredBy?: number | null
  /** Who did it, for the history. */
  readonly actor: Actor
}

/**
 * Casts or changes the one ballot of a voter in a budget (an upsert on budget + voter), and
 * appends the new version to the append-only history. Call inside a transaction. With
 * `replace: false` an existing ballot is left alone and null is returned (paper references).
 */
export async function castBallot(
  db: DbOrTrx,
  input: CastInput,
  now: Date,
  options: { replace?: boolean } = {},
): Promise<{ id: number; version: number } | null> {
  const at = now.toISOString()
  const content = JSON.stringify(input.ballot)
  const insert = db.insertInto('budgets_ballots').values({
    budget_id: input.budgetId,
    voter_key: input.voterKey,
    channel: input.channel,
    citizen_id: input.citizenId ?? null,
    census_code_id: input.censusCodeId ?? null,
    postcode: input.postcode ?? null,
    assurance: input.assurance,
    content,
    version: 1,
    entered_by: input.enteredBy ?? null,
    created_at: at,
    updated_at: at,
  })
  const row =
    options.replace === false
      ? await insert
          .onConflict((oc) => oc.columns(['budget_id', 'voter_key']).doNothing())
          .returning(['id', 'version'])
          .executeTakeFirst()
      : await insert
          .onConflict((oc) =>
            oc.columns(['budget_id', 'voter_key']).doUpdateSet((eb) => ({
              content,
              postcode: input.postcode ?? null,
              version: eb(eb.ref('budgets_ballots.version'), '+', 1),
              entered_by: input.enteredBy ?? null,
              updated_at: at,
            })),
          )
          .returning(['id', 'version'])
          .executeTakeFirst()
  if (!row) return null
  const result = { id: Number(row.id), version: Number(row.version) }
  await db
    .insertInto('budgets_ballot_history')
    .values({
      ballot_id: result.id,
      budget_id: input.budgetId,
      voter_key: input.voterKey,
      version: result.version,
      channel: input.channel,
      content,
      ...actorColumns(input.actor),
      at,
    })
    .execute()
  if (input.censusCodeId) {
    await db
      .updateTable('budgets_census_codes')
      .set({ used_at: at })
      .where('id', '=', input.censusCodeId)
      .where('used_at', 'is', null)
      .execute()
  }
  return result
}

/** Inserts many new ballots at once (a Pabulib import): ballots and their first history rows. */
export async function insertBallots(
  db: DbOrTrx,
  budgetId: number,
  ballots: readonly { voterKey: string; ballot: Ballot }[],
  channel: BallotChannel,
  actor: Actor,
  now: Date,
): Promise<number> {
  const at = now.toISOString()
  const who = actorColumns(actor)
  for (let i = 0; i < ballots.length; i += 250) {
    const chunk = ballots.slice(i, i + 250)
    const rows = await db
      .insertInto('budgets_ballots')
      .values(
        chunk.map((b) => ({
          budget_id: budgetId,
          voter_key: b.voterKey,
          channel,
          assurance: 'none',
          content: JSON.stringify(b.ballot),
          version: 1,
          created_at: at,
          updated_at: at,
        })),
      )
      .returning(['id', 'voter_key', 'content'])
      .execute()
    await db
      .insertInto('budgets_ballot_history')
      .values(
        rows.map((r) => ({
          ballot_id: Number(r.id),
          budget_id: budgetId,
          voter_key: r.voter_key,
          version: 1,
          channel,
          content: r.content,
          ...who,
          at,
        })),
      )
      .execute()
  }
  return ballots.length
}

function toStored(row: {
  id: number | string
  budget_id: number | string
  voter_key: string
  channel: string
  content: string
  version: number | string
  created_at: string
  updated_at: string
}): StoredBallot {
  return {
    id: Number(row.id),
    budgetId: Number(row.budget_id),
    voterKey: row.voter_key,
    channel: row.channel as BallotChannel,
    ballot: JSON.parse(row.content) as Ballot,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function findBallot(
  db: DbOrTrx,
  budgetId: number,
  voterKey: string,
): Promise<StoredBallot | undefined> {
  const row = await db
    .selectFrom('budgets_ballots')
    .select(['id', 'budget_id', 'voter_key', 'channel', 'content', 'version', 'created_at', 'updated_at'])
    .where('budget_id', '=', budgetId)
    .where('voter_key', '=', voterKey)
    .executeTakeFirst()
  return row ? toStored(row) : undefined
}

/** Every ballot of a budget, in the order first cast. */
export async function listBallots(db: DbOrTrx, budgetId: number): Promise<StoredBallot[]> {
  const rows = await db
    .selectFrom('budgets_ballots')
    .select(['id', 'budget_id', 'voter_key', 'channel', 'content', 'version', 'created_at', 'updated_at'])
    .where('budget_id', '=', budgetId)
    .orderBy('id')
    .execute()
  return rows.map(toStored)
}

export async function ballotCounts(
  db: DbOrTrx,
  budgetIds: readonly number[],
): Promise<Map<number, Record<BallotChannel | 'total', number>>> {
  const out = new Map<number, Record<BallotChannel | 'total', number>>()
  for (const id of budgetIds) out.set(id, { total: 0, online: 0, paper: 0, import: 0 })
  if (budgetIds.length === 0) return out
  const rows = await db
    .selectFrom('budgets_ballots')
    .select(['budget_id', 'channel', (eb) => eb.fn.countAll().as('n')])
    .where('budget_id', 'in', [...budgetIds])
    .groupBy(['budget_id', 'channel'])
    .execute()
  for (const r of rows) {
    const entry = out.get(Number(r.budget_id))
    if (!entry) continue
    const n = Number(r.n)
    entry.total += n
    if (r.channel === 'online' || r.channel === 'paper' || r.channel === 'import') entry[r.channel] += n
  }
  return out
}

/** The versions of one ballot, oldest first. */
export async function ballotHistory(
  db: DbOrTrx,
  ballotId: number,
): Promise<{ version: number; content: Ballot; actorKind: string; at: string }[]> {
  const rows = await db
    .selectFrom('budgets_ballot_history')
    .select(['version', 'content', 'actor_kind', 'at'])
    .where('ballot_id', '=', ballotId)
    .orderBy('version')
    .execute()
  return rows.map((r) => ({
    version: Number(r.version),
    content: JSON.parse(r.content) as Ballot,
    actorKind: r.actor_kind,
    at: r.at,
  }))
}
