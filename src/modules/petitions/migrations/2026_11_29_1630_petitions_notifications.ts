import type { Kysely } from 'kysely'

// Frozen in time: never edit after release; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  // Which signer got which update email: each update goes to each subscribed signer once
  // (e-petitions keeps a timestamp per signature and kind).
  await db.schema
    .createTable('petition_notifications')
    .addColumn('signature_id', 'integer', (c) =>
      c.notNull().references('petition_signatures.id').onDelete('cascade'),
    )
    .addColumn('update_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(30)', (c) => c.notNull())
    .addPrimaryKeyConstraint('petition_notifications_pk', ['signature_id', 'update_key'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('petition_notifications').ifExists().execute()
}
