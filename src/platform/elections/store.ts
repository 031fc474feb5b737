import type { DbOrTrx } from '../db/database.js'
import { DomainError } from '../errors/errors.js'
import { type ElectionPeriod, electionProblems } from './periods.js'
import './tables.js'

function toPeriod(row: { id: number; name: string; starts_on: string; polls_on: string }): ElectionPeriod {
  return { id: Number(row.id), name: row.name, startsOn: row.starts_on, pollsOn: row.polls_on }
}

/** Every pre-election period, earliest first. Petitions and the policy checker share this calendar. */
export async function listElectionPeriods(db: DbOrTrx): Promise<ElectionPeriod[]> {
  const rows = await db
    .selectFrom('election_periods')
    .select(['id', 'name', 'starts_on', 'polls_on'])
    .orderBy('starts_on')
    .orderBy('id')
    .execute()
  return rows.map(toPeriod)
}

/** Adds a period; throws `validation-failed` naming the field when the name or a date is wrong. */
export async function addElectionPeriod(
  db: DbOrTrx,
  p: { name: string; startsOn: string; pollsOn: string },
  now: Date = new Date(),
): Promise<ElectionPeriod> {
  const problems = electionProblems(p)
  if (problems.length > 0) {
    const first = problems[0]!
    throw new DomainError('validation-failed', 400, { field: first.field, problem: first.code })
  }
  const row = await db
    .insertInto('election_periods')
    .values({
      name: p.name.trim(),
      starts_on: p.startsOn,
      polls_on: p.pollsOn,
      created_at: now.toISOString(),
    })
    .returning(['id', 'name', 'starts_on', 'polls_on'])
    .executeTakeFirstOrThrow()
  return toPeriod(row)
}

export async function findElectionPeriod(db: DbOrTrx, id: number): Promise<ElectionPeriod | null> {
  const row = await db
    .selectFrom('election_periods')
    .select(['id', 'name', 'starts_on', 'polls_on'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toPeriod(row) : null
}

/** Removes a period; `not-found` when there is none with that id. */
export async function removeElectionPeriod(db: DbOrTrx, id: number): Promise<void> {
  const result = await db.deleteFrom('election_periods').where('id', '=', id).executeTakeFirst()
  if (Number(result.numDeletedRows) === 0) throw new DomainError('not-found', 404)
}
