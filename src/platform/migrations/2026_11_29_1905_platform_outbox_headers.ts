import type { Kysely } from 'kysely'

// Frozen in time: never edit after release; add a new migration instead.

/** Extra headers of an outgoing email (JSON), e.g. In-Reply-To and References for a reply in a thread. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('headers', 'text').execute()
}
