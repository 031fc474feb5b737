import { createHash, randomBytes } from 'node:crypto'
import type { DbOrTrx } from '../db/database.js'
import '../db/tables.js'
import type { AssuranceLevel } from './actor.js'

export interface Citizen {
  readonly id: number
  readonly email: string
  readonly name: string | null
  readonly language: string
  readonly assuranceLevel: AssuranceLevel
  readonly emailVerifiedAt: string | null
  readonly hasAccount: boolean
  readonly createdAt: string
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** A pragmatic email check (one @, a dot in the domain, no spaces); the verification link is the real test. */
export function isPlausibleEmail(email: string): boolean {
  return email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())
}

function toCitizen(row: {
  id: number | string
  email: string
  name: string | null
  language: string
  assurance_level: string
  email_verified_at: string | null
  has_account: number
  created_at: string
}): Citizen {
  return {
    id: Number(row.id),
    email: row.email,
    name: row.name,
    language: row.language,
    assuranceLevel: row.assurance_level as AssuranceLevel,
    emailVerifiedAt: row.email_verified_at,
    hasAccount: Number(row.has_account) === 1,
    createdAt: row.created_at,
  }
}

export async function findCitizenById(db: DbOrTrx, id: number): Promise<Citizen | undefined> {
  const row = await db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toCitizen(row) : undefined
}

export async function findCitizenByEmail(db: DbOrTrx, email: string): Promise<Citizen | undefined> {
  const row = await db
    .selectFrom('citizens')
    .selectAll()
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst()
  return row ? toCitizen(row) : undefined
}

/**
 * Records that a citizen proved they control `email` (they followed an emailed link) and returns
 * them. Never lowers an assurance level the citizen already reached another way.
 */
export async function upsertVerifiedCitizen(
  db: DbOrTrx,
  input: { email: string; language: string; name?: string | null },
  now: Date,
): Promise<Citizen> {
  const email = normaliseEmail(input.email)
  await db
    .insertInto('citizens')
    .values({
      email,
      name: input.name ?? null,
      language: input.language,
      assurance_level: 'email-verified',
      email_verified_at: now.toISOString(),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
    })
    .onConflict((oc) =>
      oc.column('email').doUpdateSet({
        email_verified_at: (eb) => eb.fn.coalesce('citizens.email_verified_at', eb.val(now.toISOString())),
        assurance_level: (eb) =>
          eb
            .case()
            .when('citizens.assurance_level', '=', 'none')
            .then('email-verified')
            .else(eb.ref('citizens.assurance_level'))
            .end(),
        last_seen_at: now.toISOString(),
      }),
    )
    .execute()
  const citizen = await findCitizenByEmail(db, email)
  if (!citizen) throw new Error('citizen vanished after upsert')
  return citizen
}

export async function updateCitizenPreferences(
  db: DbOrTrx,
  id: number,
  prefs: { language?: string; name?: string | null; hasAccount?: boolean },
): Promise<void> {
  const set: { language?: string; name?: string | null; has_account?: number } = {}
  if (prefs.language !== undefined) set.language = prefs.language
  if (prefs.name !== undefined) set.name = prefs.name
  if (prefs.hasAccount !== undefined) set.has_account = prefs.hasAccount ? 1 : 0
  if (Object.keys(set).length === 0) return
  await db.updateTable('citizens').set(set).where('id', '=', id).execute()
}

/** Removes the personal data of a citizen who closed their account, keeping the id that records point to. */
export async function pseudonymiseCitizen(db: DbOrTrx, id: number): Promise<void> {
  await db
    .updateTable('citizens')
    .set({ email: `removed-${id}@pseudonymised.invalid`, name: null, has_account: 0 })
    .where('id', '=', id)
    .execute()
}

// ── Email-verified links ─────────────────────────────────────────────────────────────

export function hashToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex')
}

/**
 * Issues a single-use, expiring token for an emailed link. Only its SHA-256 is stored, so a leaked
 * database cannot be used to click anyone's links.
 */
export async function issueEmailToken(
  db: DbOrTrx,
  input: { purpose: string; email: string; payload?: Readonly<Record<string, unknown>>; ttlMinutes: number },
  now: Date,
): Promise<string> {
  const raw = randomBytes(32).toString('base64url')
  await db
    .insertInto('email_tokens')
    .values({
      token_hash: hashToken(raw),
      purpose: input.purpose,
      email: normaliseEmail(input.email),
      payload: JSON.stringify(input.payload ?? {}),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + input.ttlMinutes * 60_000).toISOString(),
    })
    .execute()
  return raw
}

export type ConsumedToken = { readonly email: string; readonly payload: Record<string, unknown> }
export type TokenProblem = 'token-invalid' | 'token-used' | 'token-expired'

/**
 * Uses a token once. The UPDATE … WHERE used_at IS NULL is atomic, so two clicks racing in two
 * processes cannot both succeed.
 */
export async function consumeEmailToken(
  db: DbOrTrx,
  raw: string,
  purpose: string,
  now: Date,
): Promise<{ ok: true; token: ConsumedToken } | { ok: false; problem: TokenProblem }> {
  const hash = hashToken(raw)
  const row = await db
    .updateTable('email_tokens')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', hash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning(['email', 'payload'])
    .executeTakeFirst()
  if (row)
    return {
      ok: true,
      token: { email: row.email, payload: JSON.parse(row.payload) as Record<string, unknown> },
    }
  const existing = await db
    .selectFrom('email_tokens')
    .select(['used_at', 'expires_at'])
    .where('token_hash', '=', hash)
    .where('purpose', '=', purpose)
    .executeTakeFirst()
  if (!existing) return { ok: false, problem: 'token-invalid' }
  if (existing.used_at) return { ok: false, problem: 'token-used' }
  return { ok: false, problem: 'token-expired' }
}
