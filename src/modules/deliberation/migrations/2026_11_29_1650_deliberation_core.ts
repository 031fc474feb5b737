import type { Kysely } from 'kysely'
import { makeAppendOnly, withId } from '../../../platform/db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('deliberation_conversations'))
    .addColumn('title_en', 'varchar(200)', (c) => c.notNull())
    .addColumn('title_cy', 'varchar(200)')
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('description_cy', 'text')
    .addColumn('opens_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('closes_at', 'varchar(30)')
    .addColumn('vote_assurance', 'varchar(30)', (c) => c.notNull().defaultTo('none'))
    .addColumn('statement_policy', 'varchar(30)', (c) => c.notNull().defaultTo('anyone'))
    .addColumn('strict_moderation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('show_map', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('open_data', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_length', 'integer', (c) => c.notNull().defaultTo(140))
    .addColumn('source', 'varchar(100)')
    .addColumn('source_url', 'varchar(500)')
    .addColumn('next_statement_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_participant_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recompute_requested_at', 'varchar(30)')
    .addColumn('created_by', 'varchar(100)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('deliberation_participants'))
    .addColumn('conversation_id', 'bigint', (c) =>
      c.notNull().references('deliberation_conversations.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('session_key', 'varchar(64)')
    .addColumn('citizen_id', 'bigint')
    .addColumn('assurance', 'varchar(30)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('banned_at', 'varchar(30)')
    .addColumn('banned_by', 'varchar(320)')
    .addColumn('ban_reason', 'varchar(500)')
    .execute()
  await db.schema
    .createIndex('deliberation_participants_number')
    .on('deliberation_participants')
    .columns(['conversation_id', 'number'])
    .unique()
    .execute()
  await db.schema
    .createIndex('deliberation_participants_key')
    .on('deliberation_participants')
    .columns(['conversation_id', 'session_key'])
    .unique()
    .execute()
  await db.schema
    .createIndex('deliberation_participants_citizen')
    .on('deliberation_participants')
    .columns(['conversation_id', 'citizen_id'])
    .unique()
    .execute()

  await withId(db, db.schema.createTable('deliberation_statements'))
    .addColumn('conversation_id', 'bigint', (c) =>
      c.notNull().references('deliberation_conversations.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('text_en', 'text')
    .addColumn('text_cy', 'text')
    .addColumn('author_participant_id', 'bigint', (c) => c.references('deliberation_participants.id'))
    .addColumn('is_seed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_meta', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('moderation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('moderated_at', 'varchar(30)')
    .addColumn('moderated_by', 'varchar(320)')
    .execute()
  await db.schema
    .createIndex('deliberation_statements_number')
    .on('deliberation_statements')
    .columns(['conversation_id', 'number'])
    .unique()
    .execute()

  // The latest vote of each participant on each statement (Pol.is votes_latest_unique).
  await db.schema
    .createTable('deliberation_votes')
    .addColumn('participant_id', 'bigint', (c) =>
      c.notNull().references('deliberation_participants.id').onDelete('cascade'),
    )
    .addColumn('statement_id', 'bigint', (c) =>
      c.notNull().references('deliberation_statements.id').onDelete('cascade'),
    )
    .addColumn('conversation_id', 'bigint', (c) => c.notNull())
    .addColumn('vote', 'integer', (c) => c.notNull())
    .addColumn('voted_at', 'varchar(30)', (c) => c.notNull())
    .addPrimaryKeyConstraint('deliberation_votes_pk', ['participant_id', 'statement_id'])
    .execute()
  await db.schema
    .createIndex('deliberation_votes_conversation')
    .on('deliberation_votes')
    .columns(['conversation_id', 'statement_id'])
    .execute()

  // Every vote ever cast, in order: participation over time, abnormal voters, the Pol.is votes.csv.
  await withId(db, db.schema.createTable('deliberation_vote_log'))
    .addColumn('conversation_id', 'bigint', (c) => c.notNull())
    .addColumn('participant_id', 'bigint', (c) => c.notNull())
    .addColumn('statement_id', 'bigint', (c) => c.notNull())
    .addColumn('vote', 'integer', (c) => c.notNull())
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('deliberation_vote_log_conversation')
    .on('deliberation_vote_log')
    .columns(['conversation_id', 'id'])
    .execute()
  await db.schema
    .createIndex('deliberation_vote_log_participant')
    .on('deliberation_vote_log')
    .columns(['participant_id', 'id'])
    .execute()
  await makeAppendOnly(db, 'deliberation_vote_log')

  await db.schema
    .createTable('deliberation_results')
    .addColumn('conversation_id', 'bigint', (c) =>
      c.primaryKey().references('deliberation_conversations.id').onDelete('cascade'),
    )
    .addColumn('computed_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('last_vote_id', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('positions', 'text', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('deliberation_alerts'))
    .addColumn('conversation_id', 'bigint', (c) =>
      c.notNull().references('deliberation_conversations.id').onDelete('cascade'),
    )
    .addColumn('participant_id', 'bigint', (c) =>
      c.notNull().references('deliberation_participants.id').onDelete('cascade'),
    )
    .addColumn('kind', 'varchar(50)', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('resolved_at', 'varchar(30)')
    .addColumn('resolved_by', 'varchar(320)')
    .addColumn('resolution', 'varchar(20)')
    .execute()
  await db.schema
    .createIndex('deliberation_alerts_participant')
    .on('deliberation_alerts')
    .columns(['participant_id', 'kind'])
    .unique()
    .execute()
  await db.schema
    .createIndex('deliberation_alerts_conversation')
    .on('deliberation_alerts')
    .columns(['conversation_id', 'resolved_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'deliberation_alerts',
    'deliberation_results',
    'deliberation_vote_log',
    'deliberation_votes',
    'deliberation_statements',
    'deliberation_participants',
    'deliberation_conversations',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
