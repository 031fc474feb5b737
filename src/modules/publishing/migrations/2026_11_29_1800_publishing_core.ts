import type { Kysely } from 'kysely'
import { withId } from '../../../platform/db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('publishing_workflows'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
    // JSON: [{ name, mode: 'any' | 'all', role: string | null, staffIds: number[] }]
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('publishing_accounts'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('network', 'varchar(20)', (c) => c.notNull())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('team', 'varchar(200)', (c) => c.notNull())
    .addColumn('language', 'varchar(10)', (c) => c.notNull())
    .addColumn('service_url', 'varchar(500)', (c) => c.notNull())
    .addColumn('identifier', 'varchar(300)', (c) => c.notNull())
    // AES-256-GCM (src/platform/security/secrets.ts); never rendered.
    .addColumn('secret_enc', 'text')
    .addColumn('secret_stored_at', 'varchar(30)')
    .addColumn('workflow_id', 'integer', (c) => c.notNull().references('publishing_workflows.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('publishing_posts'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('text_cy', 'text', (c) => c.notNull())
    .addColumn('topic', 'varchar(200)', (c) => c.notNull())
    .addColumn('team', 'varchar(200)', (c) => c.notNull())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull().defaultTo('text'))
    .addColumn('planned_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    // JSON snapshot of the steps to sign off, with approvers resolved to staff ids at submission.
    .addColumn('review_steps', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('step_index', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejection_note', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'varchar(30)')
    .addColumn('last_error', 'text')
    .addColumn('claimed_by', 'varchar(200)')
    .addColumn('claimed_at', 'varchar(30)')
    .addColumn('published_at', 'varchar(30)')
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('publishing_posts_due')
    .on('publishing_posts')
    .columns(['state', 'planned_at'])
    .execute()

  await withId(db, db.schema.createTable('publishing_targets'))
    .addColumn('post_id', 'integer', (c) => c.notNull().references('publishing_posts.id').onDelete('cascade'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('publishing_accounts.id'))
    // One row per account and language: a bilingual account posts the Welsh and English versions.
    .addColumn('language', 'varchar(2)', (c) => c.notNull())
    // Channel variant: the text for this account when it differs from the post's.
    .addColumn('text', 'text')
    .addColumn('external_id', 'varchar(500)')
    .addColumn('external_cid', 'varchar(200)')
    .addColumn('url', 'varchar(1000)')
    .addColumn('published_at', 'varchar(30)')
    .addColumn('replies', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('boosts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('favourites', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('engagement_at', 'varchar(30)')
    .execute()
  await db.schema
    .createIndex('publishing_targets_post_account')
    .on('publishing_targets')
    .columns(['post_id', 'account_id', 'language'])
    .unique()
    .execute()

  await withId(db, db.schema.createTable('publishing_approvals'))
    .addColumn('post_id', 'integer', (c) => c.notNull().references('publishing_posts.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('staff_id', 'integer', (c) => c.notNull())
    .addColumn('decision', 'varchar(10)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .execute()
  // One decision per person per step per round.
  await db.schema
    .createIndex('publishing_approvals_once')
    .on('publishing_approvals')
    .columns(['post_id', 'round', 'step_index', 'staff_id'])
    .unique()
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'publishing_approvals',
    'publishing_targets',
    'publishing_posts',
    'publishing_accounts',
    'publishing_workflows',
  ]) {
    await db.schema.dropTable(t).execute()
  }
}
