import type { Kysely } from 'kysely'
import { isPostgres, withId } from '../../../platform/db/migration-helpers.js'

// Frozen in time: never edit after release; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  // Images are small (≤ 1 MB, Bluesky's blob limit) and few (≤ 4 a post): kept in the database
  // so every process and every backup has them, with no shared disk to set up.
  await withId(db, db.schema.createTable('publishing_media'))
    .addColumn('post_id', 'integer', (c) => c.notNull().references('publishing_posts.id').onDelete('cascade'))
    .addColumn('mime_type', 'varchar(50)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('alt_en', 'text', (c) => c.notNull())
    .addColumn('alt_cy', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('publishing_media_post').on('publishing_media').column('post_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('publishing_media').execute()
}
