import type { Kysely } from 'kysely'
import { withId } from '../../../platform/db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  // Block and allow lists (anchors §1c): IP ranges, domain globs, emails.
  await withId(db, db.schema.createTable('petition_fraud_rules'))
    .addColumn('list', 'varchar(10)', (c) => c.notNull())
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('pattern', 'varchar(320)', (c) => c.notNull())
    .addColumn('note', 'varchar(500)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('petition_fraud_rules_unique')
    .on('petition_fraud_rules')
    .columns(['list', 'kind', 'pattern'])
    .unique()
    .execute()

  // IPs and email domains signing one petition unusually often in one clock hour.
  await db.schema
    .createTable('petition_trending')
    .addColumn('petition_id', 'integer', (c) => c.notNull().references('petitions.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('value', 'varchar(320)', (c) => c.notNull())
    .addColumn('hour_start', 'varchar(30)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('alerted', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('petition_trending_pk', ['petition_id', 'kind', 'value', 'hour_start'])
    .execute()

  // Bulk invalidations: conditions, a preview count, progress, cancel (e-petitions Invalidation).
  await withId(db, db.schema.createTable('petition_invalidations'))
    .addColumn('summary', 'varchar(255)', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('matching', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invalidated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(30)')
    .addColumn('finished_at', 'varchar(30)')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['petition_invalidations', 'petition_trending', 'petition_fraud_rules'])
    await db.schema.dropTable(t).ifExists().execute()
}
