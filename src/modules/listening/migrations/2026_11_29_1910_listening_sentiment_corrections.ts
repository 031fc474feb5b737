import type { Kysely } from 'kysely'

// Frozen in time: never edit after release; add a new migration instead.

/**
 * Staff corrections of a post's sentiment label, kept for the next training of the model
 * (`townsquare listening corrections` → `scripts/train-sentiment.ts --extra`). The text is
 * copied so a correction outlives the post's retention period.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('listening_sentiment_corrections')
    .addColumn('post_id', 'integer', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('lang', 'varchar(35)')
    .addColumn('model_label', 'varchar(10)', (c) => c.notNull())
    .addColumn('label', 'varchar(10)', (c) => c.notNull())
    .addColumn('corrected_by', 'integer')
    .addColumn('corrected_at', 'varchar(30)', (c) => c.notNull())
    .execute()
}
