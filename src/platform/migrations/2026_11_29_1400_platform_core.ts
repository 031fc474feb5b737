import type { Kysely } from 'kysely'
import { makeAppendOnly, withId } from '../db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('staff_users'))
    .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(300)', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('language', 'varchar(5)', (c) => c.notNull().defaultTo('en'))
    .addColumn('totp_secret', 'varchar(100)')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'varchar(30)')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_login_at', 'varchar(30)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('citizens'))
    .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)')
    .addColumn('language', 'varchar(5)', (c) => c.notNull().defaultTo('en'))
    .addColumn('assurance_level', 'varchar(30)', (c) => c.notNull())
    .addColumn('email_verified_at', 'varchar(30)')
    .addColumn('has_account', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(30)')
    .execute()

  await db.schema
    .createTable('email_tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('purpose', 'varchar(100)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('used_at', 'varchar(30)')
    .execute()
  await db.schema.createIndex('email_tokens_expires').on('email_tokens').column('expires_at').execute()

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .addColumn('actor_kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(100)')
    .addColumn('actor_label', 'varchar(320)')
    .addColumn('action', 'varchar(100)', (c) => c.notNull())
    .addColumn('subject_type', 'varchar(100)')
    .addColumn('subject_id', 'varchar(100)')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('request_id', 'varchar(100)')
    .execute()
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute()
  await db.schema
    .createIndex('audit_log_subject')
    .on('audit_log')
    .columns(['subject_type', 'subject_id'])
    .execute()
  await db.schema.createIndex('audit_log_action').on('audit_log').column('action').execute()
  await makeAppendOnly(db, 'audit_log')

  await withId(db, db.schema.createTable('outbox'))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('to_address', 'varchar(320)', (c) => c.notNull())
    .addColumn('from_address', 'varchar(320)', (c) => c.notNull())
    .addColumn('subject', 'varchar(500)', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('template', 'varchar(100)', (c) => c.notNull())
    .addColumn('language', 'varchar(5)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'varchar(30)')
    .addColumn('message_id', 'varchar(300)')
    .execute()
  await db.schema.createIndex('outbox_status').on('outbox').columns(['status', 'id']).execute()

  await withId(db, db.schema.createTable('job_queue'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_by', 'varchar(100)')
    .addColumn('locked_at', 'varchar(30)')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('job_queue_due').on('job_queue').columns(['status', 'run_at']).execute()

  await db.schema
    .createTable('recurring_job_runs')
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('period_start', 'varchar(30)', (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(100)', (c) => c.notNull())
    .addColumn('claimed_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('finished_at', 'varchar(30)')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('recurring_job_runs_pk', ['name', 'period_start'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'recurring_job_runs',
    'job_queue',
    'outbox',
    'audit_log',
    'email_tokens',
    'citizens',
    'staff_users',
    'settings',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
