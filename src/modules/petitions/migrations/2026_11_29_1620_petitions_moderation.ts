import type { Kysely } from 'kysely'

// Frozen in time: never edit after release; add a new migration instead.

/** The UK Parliament's rejection reasons (anchors §1a); * = hidden, the text is not shown. */
const REASONS: readonly [string, boolean, string, string][] = [
  [
    'duplicate',
    false,
    'Duplicate – there’s already a petition about this issue',
    'Dyblyg – mae deiseb am y mater hwn eisoes',
  ],
  [
    'irrelevant',
    false,
    'It’s not something we are directly responsible for',
    'Nid yw’n rhywbeth yr ydym yn uniongyrchol gyfrifol amdano',
  ],
  [
    'no-action',
    false,
    'It did not ask for a clear action from us',
    'Nid oedd yn gofyn i ni am gamau gweithredu clir',
  ],
  [
    'fake-name',
    false,
    'It was created using what appears to be a false name',
    'Cafodd ei chreu gan ddefnyddio’r hyn sy’n ymddangos yn enw ffug',
  ],
  ['foi', false, 'It’s a request for information, not a petition', 'Cais am wybodaeth ydyw, nid deiseb'],
  [
    'personal',
    false,
    'It contained information about identifiable people',
    'Roedd yn cynnwys gwybodaeth am bobl y gellir eu hadnabod',
  ],
  [
    'libellous',
    true,
    'It included potentially libellous, false or defamatory statements',
    'Roedd yn cynnwys datganiadau a allai fod yn enllibus, yn ffug neu’n ddifenwol',
  ],
  [
    'offensive',
    true,
    'It included material which is offensive, nonsense, a joke or abusive',
    'Roedd yn cynnwys deunydd sy’n sarhaus, yn ddisynnwyr, yn jôc neu’n ddifrïol',
  ],
  [
    'advert',
    true,
    'It included an advert, was spam, or promoted a product or service',
    'Roedd yn cynnwys hysbyseb, roedd yn sbam, neu’n hyrwyddo cynnyrch neu wasanaeth',
  ],
  [
    'removed',
    true,
    'It was removed at the request of its creator or for legal reasons',
    'Cafodd ei dileu ar gais ei chreawdwr neu am resymau cyfreithiol',
  ],
]

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('petitions').addColumn('sponsor_token_hash', 'varchar(64)').execute()
  await db.schema.alterTable('petitions').addColumn('duplicate_of', 'integer').execute()

  await db.schema
    .createTable('petition_rejection_reasons')
    .addColumn('code', 'varchar(50)', (c) => c.primaryKey())
    .addColumn('title_en', 'varchar(200)', (c) => c.notNull())
    .addColumn('title_cy', 'varchar(200)', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_cy', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute()
  const now = new Date().toISOString()
  await db
    .insertInto('petition_rejection_reasons')
    .values(
      REASONS.map(([code, hidden, en, cy]) => ({
        code,
        hidden: hidden ? 1 : 0,
        title_en: en,
        title_cy: cy,
        updated_at: now,
      })),
    )
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('petition_rejection_reasons').ifExists().execute()
  await db.schema.alterTable('petitions').dropColumn('duplicate_of').execute()
  await db.schema.alterTable('petitions').dropColumn('sponsor_token_hash').execute()
}
