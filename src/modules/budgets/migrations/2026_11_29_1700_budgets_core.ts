import type { Kysely } from 'kysely'
import { makeAppendOnly, withId } from '../../../platform/db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.
// Money columns are integer minor units (bigint); timestamps ISO-8601 UTC text; JSON as text.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('budgets_processes'))
    .addColumn('title_en', 'varchar(200)', (c) => c.notNull())
    .addColumn('title_cy', 'varchar(200)', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('description_cy', 'text', (c) => c.notNull())
    .addColumn('phase', 'varchar(20)', (c) => c.notNull())
    .addColumn('proposing_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('reviewing_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('voting_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('counting_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('results_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('delivery_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('source', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('budgets_processes_phase').on('budgets_processes').column('phase').execute()

  await withId(db, db.schema.createTable('budgets_budgets'))
    .addColumn('process_id', 'bigint', (c) => c.notNull().references('budgets_processes.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title_en', 'varchar(200)', (c) => c.notNull())
    .addColumn('title_cy', 'varchar(200)', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('description_cy', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('voter_rule', 'varchar(30)', (c) => c.notNull())
    .addColumn('style', 'text', (c) => c.notNull())
    .addColumn('rule', 'varchar(50)')
    .addColumn('points_scale', 'integer')
    .addColumn('meta', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('budgets_budgets_process').on('budgets_budgets').column('process_id').execute()

  await withId(db, db.schema.createTable('budgets_projects'))
    .addColumn('budget_id', 'bigint', (c) => c.notNull().references('budgets_budgets.id'))
    .addColumn('external_id', 'varchar(100)')
    .addColumn('title_en', 'varchar(300)', (c) => c.notNull())
    .addColumn('title_cy', 'varchar(300)', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('description_cy', 'text', (c) => c.notNull())
    .addColumn('location', 'varchar(300)', (c) => c.notNull())
    .addColumn('estimated_cost', 'bigint', (c) => c.notNull())
    .addColumn('final_cost', 'bigint')
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('reason_en', 'text', (c) => c.notNull())
    .addColumn('reason_cy', 'text', (c) => c.notNull())
    .addColumn('proposer_id', 'bigint')
    .addColumn('source', 'varchar(20)', (c) => c.notNull())
    .addColumn('reviewed_by', 'bigint')
    .addColumn('reviewed_at', 'varchar(30)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('budgets_projects_budget')
    .on('budgets_projects')
    .columns(['budget_id', 'status'])
    .execute()

  await db.schema
    .createTable('budgets_residents')
    .addColumn('citizen_id', 'bigint', (c) => c.primaryKey())
    .addColumn('postcode', 'varchar(10)', (c) => c.notNull())
    .addColumn('stated_at', 'varchar(30)', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('budgets_census_codes'))
    .addColumn('budget_id', 'bigint', (c) => c.notNull().references('budgets_budgets.id'))
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('imported_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('used_at', 'varchar(30)')
    .addUniqueConstraint('budgets_census_codes_unique', ['budget_id', 'code_hash'])
    .execute()

  await withId(db, db.schema.createTable('budgets_ballots'))
    .addColumn('budget_id', 'bigint', (c) => c.notNull().references('budgets_budgets.id'))
    .addColumn('voter_key', 'varchar(120)', (c) => c.notNull())
    .addColumn('channel', 'varchar(20)', (c) => c.notNull())
    .addColumn('citizen_id', 'bigint')
    .addColumn('census_code_id', 'bigint')
    .addColumn('postcode', 'varchar(10)')
    .addColumn('assurance', 'varchar(30)', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('entered_by', 'bigint')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addUniqueConstraint('budgets_ballots_voter', ['budget_id', 'voter_key'])
    .execute()

  // Every version of every ballot, never rewritten: the database refuses UPDATE and DELETE.
  await withId(db, db.schema.createTable('budgets_ballot_history'))
    .addColumn('ballot_id', 'bigint', (c) => c.notNull())
    .addColumn('budget_id', 'bigint', (c) => c.notNull())
    .addColumn('voter_key', 'varchar(120)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'varchar(20)', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(100)')
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('budgets_ballot_history_ballot')
    .on('budgets_ballot_history')
    .columns(['ballot_id', 'version'])
    .execute()
  await makeAppendOnly(db, 'budgets_ballot_history')

  await withId(db, db.schema.createTable('budgets_outcomes'))
    .addColumn('budget_id', 'bigint', (c) => c.notNull().references('budgets_budgets.id'))
    .addColumn('rule', 'varchar(50)', (c) => c.notNull())
    .addColumn('official', 'integer', (c) => c.notNull())
    .addColumn('selected', 'text', (c) => c.notNull())
    .addColumn('cost', 'bigint', (c) => c.notNull())
    .addColumn('explanations', 'text', (c) => c.notNull())
    .addColumn('totals', 'text', (c) => c.notNull())
    .addColumn('ballots', 'integer', (c) => c.notNull())
    .addColumn('counted_at', 'varchar(30)', (c) => c.notNull())
    .addUniqueConstraint('budgets_outcomes_rule', ['budget_id', 'rule'])
    .execute()

  await withId(db, db.schema.createTable('budgets_milestones'))
    .addColumn('project_id', 'bigint', (c) => c.notNull().references('budgets_projects.id'))
    .addColumn('title_en', 'varchar(200)', (c) => c.notNull())
    .addColumn('title_cy', 'varchar(200)', (c) => c.notNull())
    .addColumn('date', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('budgets_milestones_project')
    .on('budgets_milestones')
    .column('project_id')
    .execute()

  await withId(db, db.schema.createTable('budgets_followers'))
    .addColumn('project_id', 'bigint', (c) => c.notNull().references('budgets_projects.id'))
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('language', 'varchar(5)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('unsubscribed_at', 'varchar(30)')
    .addUniqueConstraint('budgets_followers_unique', ['project_id', 'email'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'budgets_followers',
    'budgets_milestones',
    'budgets_outcomes',
    'budgets_ballot_history',
    'budgets_ballots',
    'budgets_census_codes',
    'budgets_residents',
    'budgets_projects',
    'budgets_budgets',
    'budgets_processes',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
