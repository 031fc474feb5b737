import type { Generated } from 'kysely'

/** Row type of the elections calendar (migrations/2026_11_29_1900_platform_elections.ts). */
export interface ElectionTables {
  election_periods: {
    id: Generated<number>
    name: string
    starts_on: string
    polls_on: string
    created_at: string
  }
}

declare module '../db/database.js' {
  interface Database extends ElectionTables {}
}
