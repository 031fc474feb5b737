import type { Kysely } from 'kysely'
import { withId } from '../../../platform/db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('listening_sources'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('type', 'varchar(30)', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('token_hash', 'varchar(100)')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('retention_days', 'integer', (c) => c.notNull().defaultTo(90))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('stored_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('last_run_at', 'varchar(30)')
    .addColumn('next_run_at', 'varchar(30)')
    .addColumn('lease_owner', 'varchar(200)')
    .addColumn('lease_until', 'varchar(30)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('listening_posts'))
    .addColumn('source_id', 'integer', (c) =>
      c.notNull().references('listening_sources.id').onDelete('cascade'),
    )
    .addColumn('network', 'varchar(30)', (c) => c.notNull())
    .addColumn('external_id', 'varchar(500)', (c) => c.notNull())
    .addColumn('url', 'varchar(1000)')
    .addColumn('site', 'varchar(255)')
    .addColumn('author', 'varchar(255)')
    .addColumn('author_name', 'varchar(255)')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('lang', 'varchar(20)')
    .addColumn('published_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('collected_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('sentiment', 'varchar(10)', (c) => c.notNull())
    .addColumn('sentiment_score', 'double precision', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('places', 'text', (c) => c.notNull())
    .addColumn('hashtags', 'text', (c) => c.notNull())
    .addColumn('mentions', 'text', (c) => c.notNull())
    .addColumn('topic', 'varchar(200)')
    .addColumn('expires_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  // The same post twice is stored once.
  await db.schema
    .createIndex('listening_posts_source_external')
    .on('listening_posts')
    .columns(['source_id', 'external_id'])
    .unique()
    .execute()
  await db.schema
    .createIndex('listening_posts_published')
    .on('listening_posts')
    .column('published_at')
    .execute()
  await db.schema.createIndex('listening_posts_expires').on('listening_posts').column('expires_at').execute()

  await withId(db, db.schema.createTable('listening_queries'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('normalised', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('alerts_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alert_emails', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('alert_p_value', 'double precision', (c) => c.notNull().defaultTo(0.001))
    .addColumn('alert_min_count', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('listening_matches')
    .addColumn('query_id', 'integer', (c) =>
      c.notNull().references('listening_queries.id').onDelete('cascade'),
    )
    .addColumn('post_id', 'integer', (c) => c.notNull().references('listening_posts.id').onDelete('cascade'))
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('published_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('sentiment', 'varchar(10)', (c) => c.notNull())
    .addPrimaryKeyConstraint('listening_matches_pk', ['query_id', 'post_id'])
    .execute()
  await db.schema
    .createIndex('listening_matches_query_time')
    .on('listening_matches')
    .columns(['query_id', 'published_at'])
    .execute()
  await db.schema.createIndex('listening_matches_post').on('listening_matches').column('post_id').execute()

  await withId(db, db.schema.createTable('listening_spikes'))
    .addColumn('query_id', 'integer', (c) =>
      c.notNull().references('listening_queries.id').onDelete('cascade'),
    )
    .addColumn('hour_start', 'varchar(30)', (c) => c.notNull())
    .addColumn('observed', 'integer', (c) => c.notNull())
    .addColumn('expected', 'double precision', (c) => c.notNull())
    .addColumn('p_value', 'double precision', (c) => c.notNull())
    .addColumn('new_terms', 'text', (c) => c.notNull())
    .addColumn('sample_post_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('notified_at', 'varchar(30)')
    .execute()
  await db.schema
    .createIndex('listening_spikes_query_hour')
    .on('listening_spikes')
    .columns(['query_id', 'hour_start'])
    .unique()
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'listening_spikes',
    'listening_matches',
    'listening_queries',
    'listening_posts',
    'listening_sources',
  ])
    await db.schema.dropTable(t).execute()
}
