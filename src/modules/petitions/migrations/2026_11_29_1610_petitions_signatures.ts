import type { Kysely } from 'kysely'
import { withId } from '../../../platform/db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('petition_signatures'))
    .addColumn('petition_id', 'integer', (c) => c.notNull().references('petitions.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(255)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('canonical_email', 'varchar(320)', (c) => c.notNull())
    .addColumn('country', 'varchar(3)', (c) => c.notNull())
    .addColumn('postcode', 'varchar(255)', (c) => c.notNull())
    .addColumn('area_code', 'varchar(50)')
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('assurance_level', 'varchar(30)', (c) => c.notNull())
    .addColumn('notify', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('creator', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ip', 'varchar(64)')
    .addColumn('referrer', 'varchar(500)')
    .addColumn('campaign', 'varchar(200)')
    .addColumn('language', 'varchar(5)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)')
    .addColumn('email_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('validated_at', 'varchar(30)')
    .addColumn('invalidated_at', 'varchar(30)')
    .execute()
  // The duplicate rule's backstop (e-petitions: a unique index on email, petition and name), so
  // simultaneous submissions of one signature cannot both be stored.
  await db.schema
    .createIndex('petition_signatures_unique')
    .on('petition_signatures')
    .columns(['petition_id', 'canonical_email', 'name_key'])
    .unique()
    .execute()
  await db.schema
    .createIndex('petition_signatures_state')
    .on('petition_signatures')
    .columns(['petition_id', 'state'])
    .execute()
  await db.schema
    .createIndex('petition_signatures_ip')
    .on('petition_signatures')
    .columns(['petition_id', 'ip'])
    .execute()

  // Postcode → area (ward or constituency) lookup, loaded by `townsquare areas import <csv>`.
  await db.schema
    .createTable('petition_areas')
    .addColumn('postcode', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('area_code', 'varchar(50)', (c) => c.notNull())
    .addColumn('area_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(50)')
    .addColumn('region_name', 'varchar(255)')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['petition_areas', 'petition_signatures']) await db.schema.dropTable(t).ifExists().execute()
}
