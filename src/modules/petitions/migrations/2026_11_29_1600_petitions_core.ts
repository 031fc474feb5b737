import type { Kysely } from 'kysely'
import { withId } from '../../../platform/db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('petitions'))
    .addColumn('action', 'varchar(255)', (c) => c.notNull())
    .addColumn('background', 'text', (c) => c.notNull())
    .addColumn('additional_details', 'text', (c) => c.notNull())
    .addColumn('committee_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('language', 'varchar(5)', (c) => c.notNull().defaultTo('en'))
    .addColumn('creator_name', 'varchar(255)')
    .addColumn('creator_email', 'varchar(320)')
    .addColumn('signature_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('opened_at', 'varchar(30)')
    .addColumn('closed_at', 'varchar(30)')
    .addColumn('deadline_at', 'varchar(30)')
    .addColumn('rejected_at', 'varchar(30)')
    .addColumn('moderation_threshold_reached_at', 'varchar(30)')
    .addColumn('response_threshold_reached_at', 'varchar(30)')
    .addColumn('debate_threshold_reached_at', 'varchar(30)')
    .addColumn('government_response_at', 'varchar(30)')
    .addColumn('scheduled_debate_date', 'varchar(30)')
    .addColumn('debate_outcome_at', 'varchar(30)')
    .addColumn('rejection_code', 'varchar(50)')
    .addColumn('rejection_details', 'text')
    .addColumn('response', 'text')
    .addColumn('debate', 'text')
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('source', 'varchar(20)', (c) => c.notNull().defaultTo('local'))
    .addColumn('source_url', 'varchar(500)')
    .addColumn('locked_by', 'integer')
    .addColumn('locked_at', 'varchar(30)')
    .execute()
  await db.schema
    .createIndex('petitions_state')
    .on('petitions')
    .columns(['state', 'signature_count'])
    .execute()

  // Counts by country, area (constituency or ward), region and assurance level: journal rows
  // changed in the same transaction as the signature they count (e-petitions' journals).
  await db.schema
    .createTable('petition_counts')
    .addColumn('petition_id', 'integer', (c) => c.notNull().references('petitions.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('code', 'varchar(50)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('petition_counts_pk', ['petition_id', 'kind', 'code'])
    .execute()

  // The public timeline of a petition: every transition, response and outcome.
  await withId(db, db.schema.createTable('petition_events'))
    .addColumn('petition_id', 'integer', (c) => c.notNull().references('petitions.id').onDelete('cascade'))
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .addColumn('kind', 'varchar(50)', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute()
  await db.schema
    .createIndex('petition_events_petition')
    .on('petition_events')
    .columns(['petition_id', 'at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['petition_events', 'petition_counts', 'petitions'])
    await db.schema.dropTable(t).ifExists().execute()
}
