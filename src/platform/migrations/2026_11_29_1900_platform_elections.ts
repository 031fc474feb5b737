import type { Kysely } from 'kysely'
import { withId } from '../db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

/** The elections calendar: pre-election periods, dates YYYY-MM-DD inclusive. */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('election_periods'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('starts_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('polls_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('election_periods_dates')
    .on('election_periods')
    .columns(['starts_on', 'polls_on'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('election_periods').execute()
}
