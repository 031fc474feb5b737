import type { DbOrTrx } from '../../../platform/db/database.js'
import type { ExistingSignature, SignatureState } from '../domain/signature.js'
import type { CountKind } from './petition-store.js'
import './tables.js'

export interface NewSignature {
  readonly petitionId: number
  readonly name: string
  readonly email: string
  readonly canonicalEmail: string
  readonly country: string
  readonly postcode: string
  readonly state: SignatureState
  readonly assuranceLevel: string
  readonly notify: boolean
  readonly creator: boolean
  readonly ip: string | null
  readonly referrer: string | null
  readonly campaign: string | null
  readonly language: string
  readonly tokenHash: string | null
}

export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase()
}

/** The signatures already made with this mailbox on this petition (for the duplicate rule). */
export async function findSignaturesByEmail(
  db: DbOrTrx,
  petitionId: number,
  canonicalEmail: string,
): Promise<(ExistingSignature & { emailCount: number })[]> {
  const rows = await db
    .selectFrom('petition_signatures')
    .select(['id', 'name', 'postcode', 'email_count'])
    .where('petition_id', '=', petitionId)
    .where('canonical_email', '=', canonicalEmail)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    postcode: r.postcode,
    emailCount: Number(r.email_count),
  }))
}

/** The stored row of a new signature (one shape for the single insert and the batch). */
function signatureRow(s: NewSignature, createdAt: Date) {
  return {
    petition_id: s.petitionId,
    name: s.name.trim(),
    name_key: nameKey(s.name),
    email: s.email.trim(),
    canonical_email: s.canonicalEmail,
    country: s.country,
    postcode: s.postcode,
    state: s.state,
    assurance_level: s.assuranceLevel,
    notify: s.notify ? 1 : 0,
    creator: s.creator ? 1 : 0,
    ip: s.ip,
    referrer: s.referrer,
    campaign: s.campaign,
    language: s.language,
    token_hash: s.tokenHash,
    created_at: createdAt.toISOString(),
  }
}

/** Inserts a signature; returns null when the unique index says it already exists (a race). */
export async function insertSignature(db: DbOrTrx, s: NewSignature, now: Date): Promise<number | null> {
  const row = await db
    .insertInto('petition_signatures')
    .values(signatureRow(s, now))
    .onConflict((oc) => oc.columns(['petition_id', 'canonical_email', 'name_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row ? Number(row.id) : null
}

/**
 * The signatures already made on one petition with any of these mailboxes, oldest first, for the
 * duplicate rule applied to a whole batch at once (commands/signature-batch.ts).
 */
export async function findSignaturesByEmails(
  db: DbOrTrx,
  petitionId: number,
  canonicalEmails: readonly string[],
): Promise<(ExistingSignature & { canonicalEmail: string })[]> {
  const out: (ExistingSignature & { canonicalEmail: string })[] = []
  // Chunks keep the statement under every driver's parameter limit.
  for (let i = 0; i < canonicalEmails.length; i += 500) {
    const rows = await db
      .selectFrom('petition_signatures')
      .select(['id', 'name', 'postcode', 'canonical_email'])
      .where('petition_id', '=', petitionId)
      .where('canonical_email', 'in', canonicalEmails.slice(i, i + 500))
      .orderBy('id')
      .execute()
    for (const r of rows)
      out.push({ id: Number(r.id), name: r.name, postcode: r.postcode, canonicalEmail: r.canonical_email })
  }
  return out.sort((a, b) => a.id - b.id)
}

/**
 * A petition's state and the signatures already made on it with any of these mailboxes, in ONE
 * round trip (a left join): what a batch of signatures needs first (on PostgreSQL each round trip
 * of a batch waits a turn of the busy event loop).
 */
export async function findPetitionAndSignaturesByEmails(
  db: DbOrTrx,
  petitionId: number,
  canonicalEmails: readonly string[],
): Promise<{
  petition: { state: string; source: string; action: string } | undefined
  existing: (ExistingSignature & { canonicalEmail: string })[]
}> {
  const first = canonicalEmails.slice(0, 500)
  const rows = await db
    .selectFrom('petitions as p')
    .leftJoin('petition_signatures as s', (join) =>
      join.onRef('s.petition_id', '=', 'p.id').on('s.canonical_email', 'in', first.length > 0 ? first : ['']),
    )
    .select(['p.state', 'p.source', 'p.action', 's.id', 's.name', 's.postcode', 's.canonical_email'])
    .where('p.id', '=', petitionId)
    .orderBy('s.id')
    .execute()
  const head = rows[0]
  if (!head) return { petition: undefined, existing: [] }
  const existing: (ExistingSignature & { canonicalEmail: string })[] = []
  for (const r of rows)
    if (r.id !== null)
      existing.push({
        id: Number(r.id),
        name: r.name ?? '',
        postcode: r.postcode ?? '',
        canonicalEmail: r.canonical_email ?? '',
      })
  if (canonicalEmails.length > first.length)
    existing.push(...(await findSignaturesByEmails(db, petitionId, canonicalEmails.slice(first.length))))
  return {
    petition: { state: head.state, source: head.source, action: head.action },
    existing: existing.sort((a, b) => a.id - b.id),
  }
}

/** The unique key of a signature (petition, canonical email, name key), as one string. */
export function signatureKey(petitionId: number, canonical: string, name: string): string {
  return `${petitionId}\n${canonical}\n${nameKey(name)}`
}

/**
 * Inserts many signatures in few statements. Rows the unique index refuses (a twin from another
 * process, or from the same batch) are skipped; the result maps `signatureKey` → id of each row
 * inserted.
 */
export async function insertSignatures(
  db: DbOrTrx,
  rows: readonly (NewSignature & { createdAt: Date })[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (let i = 0; i < rows.length; i += 200) {
    const inserted = await db
      .insertInto('petition_signatures')
      .values(rows.slice(i, i + 200).map((s) => signatureRow(s, s.createdAt)))
      .onConflict((oc) => oc.columns(['petition_id', 'canonical_email', 'name_key']).doNothing())
      .returning(['id', 'petition_id', 'canonical_email', 'name_key'])
      .execute()
    for (const r of inserted)
      ids.set(`${Number(r.petition_id)}\n${r.canonical_email}\n${r.name_key}`, Number(r.id))
  }
  return ids
}

/** Counts one more email to this address about this petition; false once the limit is reached. */
export async function claimEmailAllowance(db: DbOrTrx, signatureId: number, max: number): Promise<boolean> {
  const res = await db
    .updateTable('petition_signatures')
    .set((eb) => ({ email_count: eb('email_count', '+', 1) }))
    .where('id', '=', signatureId)
    .where('email_count', '<', max)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

export interface ValidatedSignature {
  readonly id: number
  readonly petitionId: number
  readonly country: string
  readonly postcode: string
  readonly assuranceLevel: string
  readonly creator: boolean
}

/**
 * Confirms a pending signature whose token matches. Atomic (`… WHERE state = 'pending'`), so a
 * double click or two processes count it once. Returns null for a wrong, used or fraudulent link.
 */
export async function confirmSignature(
  db: DbOrTrx,
  signatureId: number,
  tokenHash: string,
  now: Date,
): Promise<ValidatedSignature | null> {
  const row = await db
    .updateTable('petition_signatures')
    .set({ state: 'validated', validated_at: now.toISOString(), token_hash: null })
    .where('id', '=', signatureId)
    .where('token_hash', '=', tokenHash)
    .where('state', '=', 'pending')
    .returning(['id', 'petition_id', 'country', 'postcode', 'assurance_level', 'creator'])
    .executeTakeFirst()
  if (!row) return null
  return {
    id: Number(row.id),
    petitionId: Number(row.petition_id),
    country: row.country,
    postcode: row.postcode,
    assuranceLevel: row.assurance_level,
    creator: Number(row.creator) === 1,
  }
}

export async function setSignatureArea(
  db: DbOrTrx,
  signatureId: number,
  areaCode: string | null,
): Promise<void> {
  await db
    .updateTable('petition_signatures')
    .set({ area_code: areaCode })
    .where('id', '=', signatureId)
    .execute()
}

/** Adds `delta` to one journal row (country, area, region or assurance level) of a petition. */
export async function bumpCount(
  db: DbOrTrx,
  petitionId: number,
  kind: CountKind,
  code: string,
  name: string,
  delta: number,
): Promise<void> {
  await db
    .insertInto('petition_counts')
    .values({ petition_id: petitionId, kind, code, name, count: delta })
    .onConflict((oc) =>
      oc
        .columns(['petition_id', 'kind', 'code'])
        .doUpdateSet((eb) => ({ count: eb('petition_counts.count', '+', delta) })),
    )
    .execute()
}

/** Adds `delta` to the petition's validated count and returns the new count. */
export async function bumpPetitionCount(
  db: DbOrTrx,
  petitionId: number,
  delta: number,
  now: Date,
): Promise<number> {
  const row = await db
    .updateTable('petitions')
    .set((eb) => ({ signature_count: eb('signature_count', '+', delta), updated_at: now.toISOString() }))
    .where('id', '=', petitionId)
    .returning('signature_count')
    .executeTakeFirstOrThrow()
  return Number(row.signature_count)
}

export async function countValidatedSupporters(db: DbOrTrx, petitionId: number): Promise<number> {
  const row = await db
    .selectFrom('petition_signatures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('petition_id', '=', petitionId)
    .where('state', '=', 'validated')
    .where('creator', '=', 0)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findArea(
  db: DbOrTrx,
  postcode: string,
): Promise<
  { areaCode: string; areaName: string; regionCode: string | null; regionName: string | null } | undefined
> {
  const row = await db
    .selectFrom('petition_areas')
    .selectAll()
    .where('postcode', '=', postcode.replace(/\s/g, '').toUpperCase())
    .executeTakeFirst()
  return row
    ? {
        areaCode: row.area_code,
        areaName: row.area_name,
        regionCode: row.region_code,
        regionName: row.region_name,
      }
    : undefined
}

/** A recount from the signatures themselves, for the job that checks the stored counts. */
export async function recountValidated(db: DbOrTrx, petitionId: number): Promise<number> {
  const row = await db
    .selectFrom('petition_signatures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('petition_id', '=', petitionId)
    .where('state', '=', 'validated')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
