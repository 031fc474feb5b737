import type { DbOrTrx } from '../db/database.js'
import '../db/tables.js'
import { isStaffRole, type StaffRole } from './actor.js'

export interface StaffUser {
  readonly id: number
  readonly email: string
  readonly name: string
  readonly passwordHash: string
  readonly roles: readonly StaffRole[]
  readonly language: string
  readonly totpSecret: string | null
  readonly failedLogins: number
  readonly lockedUntil: string | null
  readonly disabled: boolean
  readonly lastLoginAt: string | null
  readonly createdAt: string
}

type Row = {
  id: number | string
  email: string
  name: string
  password_hash: string
  roles: string
  language: string
  totp_secret: string | null
  failed_logins: number
  locked_until: string | null
  disabled: number
  last_login_at: string | null
  created_at: string
}

function toStaffUser(row: Row): StaffUser {
  const roles = (JSON.parse(row.roles) as unknown[]).filter(isStaffRole)
  return {
    id: Number(row.id),
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    roles,
    language: row.language,
    totpSecret: row.totp_secret,
    failedLogins: Number(row.failed_logins),
    lockedUntil: row.locked_until,
    disabled: Number(row.disabled) === 1,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
  }
}

export function normaliseStaffEmail(email: string): string {
  return email.trim().toLowerCase()
}

export async function findStaffByEmail(db: DbOrTrx, email: string): Promise<StaffUser | undefined> {
  const row = await db
    .selectFrom('staff_users')
    .selectAll()
    .where('email', '=', normaliseStaffEmail(email))
    .executeTakeFirst()
  return row ? toStaffUser(row) : undefined
}

export async function findStaffById(db: DbOrTrx, id: number): Promise<StaffUser | undefined> {
  const row = await db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toStaffUser(row) : undefined
}

export async function listStaff(db: DbOrTrx): Promise<StaffUser[]> {
  const rows = await db.selectFrom('staff_users').selectAll().orderBy('email').execute()
  return rows.map(toStaffUser)
}

export async function countStaff(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertStaff(
  db: DbOrTrx,
  user: { email: string; name: string; passwordHash: string; roles: readonly StaffRole[]; language?: string },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('staff_users')
    .values({
      email: normaliseStaffEmail(user.email),
      name: user.name,
      password_hash: user.passwordHash,
      roles: JSON.stringify(user.roles),
      language: user.language ?? 'en',
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateStaffRoles(db: DbOrTrx, id: number, roles: readonly StaffRole[]): Promise<void> {
  await db
    .updateTable('staff_users')
    .set({ roles: JSON.stringify(roles) })
    .where('id', '=', id)
    .execute()
}

export async function setStaffDisabled(db: DbOrTrx, id: number, disabled: boolean): Promise<void> {
  await db
    .updateTable('staff_users')
    .set({ disabled: disabled ? 1 : 0 })
    .where('id', '=', id)
    .execute()
}

export async function setStaffPassword(db: DbOrTrx, id: number, passwordHash: string): Promise<void> {
  await db
    .updateTable('staff_users')
    .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute()
}

export async function setStaffTotpSecret(db: DbOrTrx, id: number, secret: string | null): Promise<void> {
  await db.updateTable('staff_users').set({ totp_secret: secret }).where('id', '=', id).execute()
}

export async function setStaffLanguage(db: DbOrTrx, id: number, language: string): Promise<void> {
  await db.updateTable('staff_users').set({ language }).where('id', '=', id).execute()
}

/** Counts a failed login atomically (two processes may count at once) and returns the new total. */
export async function recordFailedLogin(db: DbOrTrx, id: number): Promise<number> {
  const row = await db
    .updateTable('staff_users')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', id)
    .returning('failed_logins')
    .executeTakeFirstOrThrow()
  return Number(row.failed_logins)
}

export async function lockStaff(db: DbOrTrx, id: number, until: Date): Promise<void> {
  await db
    .updateTable('staff_users')
    .set({ locked_until: until.toISOString() })
    .where('id', '=', id)
    .execute()
}

export async function recordSuccessfulLogin(db: DbOrTrx, id: number, now: Date): Promise<void> {
  await db
    .updateTable('staff_users')
    .set({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

export async function unlockStaff(db: DbOrTrx, id: number): Promise<void> {
  await db
    .updateTable('staff_users')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute()
}
