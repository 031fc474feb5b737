import { type Kysely, sql } from 'kysely'
import { withId } from '../../../platform/db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

const OFFICE_HOURS = JSON.stringify({
  timeZone: 'Europe/London',
  days: [null, [540, 1020], [540, 1020], [540, 1020], [540, 1020], [540, 1020], null],
})
// England and Wales bank holidays 2026–2027 (gov.uk/bank-holidays), copied here: migrations are frozen.
const HOLIDAYS = JSON.stringify([
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
])
// Welsh Government social media house rules (gov.wales/welsh-government-social-media-house-rules).
const HOUSE_RULES: [string, string, string][] = [
  ['offensive', 'Offensive content', 'Cynnwys sarhaus'],
  ['personal-information', 'Personal information', 'Gwybodaeth bersonol'],
  ['abusive', 'Abusive or threatening', 'Sarhaus neu fygythiol'],
  ['deceptive', 'Deceptive or misleading', 'Twyllodrus neu gamarweiniol'],
  ['illegal', 'Illegal or encourages crime', 'Anghyfreithlon neu’n annog trosedd'],
  ['intellectual-property', 'Breaks copyright or trade marks', 'Torri hawlfraint neu nodau masnach'],
  ['spam', 'Spam', 'Sbam'],
  ['advertising', 'Advertising', 'Hysbysebu'],
  ['redirect', 'Cannot be answered on social media', 'Ni ellir ei ateb ar y cyfryngau cymdeithasol'],
]

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString()
  await withId(db, db.schema.createTable('inbox_sla_policies'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('first_response_minutes', 'integer', (c) => c.notNull())
    .addColumn('next_response_minutes', 'integer', (c) => c.notNull())
    .addColumn('resolution_minutes', 'integer', (c) => c.notNull())
    .addColumn('warn_minutes', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('holidays', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db
    .insertInto('inbox_sla_policies')
    .values({
      name: 'Standard',
      first_response_minutes: 480,
      next_response_minutes: 480,
      resolution_minutes: 2400,
      warn_minutes: 60,
      hours: OFFICE_HOURS,
      holidays: HOLIDAYS,
      is_default: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()

  await withId(db, db.schema.createTable('inbox_teams'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('email', 'varchar(254)')
    .addColumn('sla_policy_id', 'integer', (c) => c.references('inbox_sla_policies.id').onDelete('set null'))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  // One row per staff member taking cases: the per-person limit and a kept counter of open cases,
  // so round-robin never counts 10,000 cases on the hot path.
  await db.schema
    .createTable('inbox_agents')
    .addColumn('staff_id', 'integer', (c) => c.primaryKey())
    .addColumn('available', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('max_open', 'integer', (c) => c.notNull().defaultTo(25))
    .addColumn('open_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_assigned_at', 'varchar(30)')
    .execute()

  await db.schema
    .createTable('inbox_team_members')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('inbox_teams.id').onDelete('cascade'))
    .addColumn('staff_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbox_team_members_pk', ['team_id', 'staff_id'])
    .execute()

  await withId(db, db.schema.createTable('inbox_rules'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('team_id', 'integer', (c) => c.references('inbox_teams.id').onDelete('set null'))
    .addColumn('tag', 'varchar(100)')
    .addColumn('priority', 'varchar(10)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('inbox_cases'))
    .addColumn('channel', 'varchar(30)', (c) => c.notNull())
    .addColumn('account_key', 'varchar(100)')
    .addColumn('thread_id', 'varchar(500)')
    .addColumn('thread_cid', 'varchar(200)')
    .addColumn('subject', 'varchar(500)')
    .addColumn('context', 'varchar(200)')
    .addColumn('citizen_handle', 'varchar(300)')
    .addColumn('citizen_name', 'varchar(300)')
    .addColumn('citizen_email', 'varchar(254)')
    .addColumn('language', 'varchar(10)')
    .addColumn('sentiment', 'varchar(10)')
    .addColumn('topic', 'varchar(200)')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sensitive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('team_id', 'integer', (c) => c.references('inbox_teams.id').onDelete('set null'))
    .addColumn('assignee_id', 'integer')
    .addColumn('priority', 'varchar(10)', (c) => c.notNull().defaultTo('normal'))
    .addColumn('status', 'varchar(10)', (c) => c.notNull().defaultTo('open'))
    .addColumn('sla_policy_id', 'integer')
    .addColumn('first_response_due', 'varchar(30)')
    .addColumn('next_response_due', 'varchar(30)')
    .addColumn('resolution_due', 'varchar(30)')
    .addColumn('first_response_at', 'varchar(30)')
    .addColumn('first_response_within', 'integer')
    .addColumn('awaiting_since', 'varchar(30)')
    .addColumn('resolved_at', 'varchar(30)')
    .addColumn('warned', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('inbox_cases_status_team')
    .on('inbox_cases')
    .columns(['status', 'team_id'])
    .execute()
  await db.schema
    .createIndex('inbox_cases_assignee')
    .on('inbox_cases')
    .columns(['assignee_id', 'status'])
    .execute()
  await db.schema
    .createIndex('inbox_cases_thread')
    .on('inbox_cases')
    .columns(['channel', 'thread_id'])
    .execute()
  await db.schema.createIndex('inbox_cases_created').on('inbox_cases').column('created_at').execute()

  await withId(db, db.schema.createTable('inbox_messages'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('inbox_cases.id').onDelete('cascade'))
    .addColumn('direction', 'varchar(10)', (c) => c.notNull())
    .addColumn('channel', 'varchar(30)', (c) => c.notNull())
    .addColumn('external_id', 'varchar(500)')
    .addColumn('external_cid', 'varchar(200)')
    .addColumn('external_url', 'varchar(1000)')
    .addColumn('author_staff_id', 'integer')
    .addColumn('author_handle', 'varchar(300)')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('language', 'varchar(10)')
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('answer_id', 'integer')
    .addColumn('answer_version', 'integer')
    .addColumn('approved_by', 'integer')
    .addColumn('review_note', 'text')
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(30)')
    .execute()
  // The same mention or email twice is one message: duplicates are impossible across restarts.
  await db.schema
    .createIndex('inbox_messages_external')
    .on('inbox_messages')
    .columns(['channel', 'external_id'])
    .unique()
    .execute()
  await db.schema.createIndex('inbox_messages_case').on('inbox_messages').columns(['case_id', 'id']).execute()
  // Only replies still to send or approve are looked up by state: a partial index keeps every
  // inbound message (the hot path) from writing to it.
  await sql`CREATE INDEX inbox_messages_pending ON inbox_messages (state) WHERE state IN ('queued', 'awaiting-approval')`.execute(
    db,
  )

  await db.schema
    .createTable('inbox_cursors')
    .addColumn('account_key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('cursor', 'text')
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('inbox_answers'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('team_id', 'integer', (c) => c.references('inbox_teams.id').onDelete('set null'))
    .addColumn('review_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('inbox_answer_versions')
    .addColumn('answer_id', 'integer', (c) => c.notNull().references('inbox_answers.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('text_cy', 'text', (c) => c.notNull())
    .addColumn('approved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('approved_by', 'integer')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbox_answer_versions_pk', ['answer_id', 'version'])
    .execute()

  await db.schema
    .createTable('inbox_house_rules')
    .addColumn('code', 'varchar(60)', (c) => c.primaryKey())
    .addColumn('name_en', 'varchar(200)', (c) => c.notNull())
    .addColumn('name_cy', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db
    .insertInto('inbox_house_rules')
    .values(HOUSE_RULES.map(([code, en, cy]) => ({ code, name_en: en, name_cy: cy, created_at: now })))
    .execute()

  await withId(db, db.schema.createTable('inbox_moderation'))
    .addColumn('message_id', 'integer', (c) =>
      c.notNull().references('inbox_messages.id').onDelete('cascade'),
    )
    .addColumn('case_id', 'integer', (c) => c.notNull())
    .addColumn('action', 'varchar(10)', (c) => c.notNull())
    .addColumn('rule_code', 'varchar(60)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('staff_id', 'integer')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('inbox_moderation_created')
    .on('inbox_moderation')
    .column('created_at')
    .execute()

  await db.schema
    .createTable('inbox_sensitive_topics')
    .addColumn('topic', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'inbox_sensitive_topics',
    'inbox_moderation',
    'inbox_house_rules',
    'inbox_answer_versions',
    'inbox_answers',
    'inbox_cursors',
    'inbox_messages',
    'inbox_cases',
    'inbox_rules',
    'inbox_team_members',
    'inbox_agents',
    'inbox_teams',
    'inbox_sla_policies',
  ])
    await db.schema.dropTable(t).execute()
}
