import type { Actor, StaffRole } from './actor.js'

/**
 * A permission decision with its reason, so a refusal can be explained and tested
 * (Decidim's permissions: `(action, subject) → allowed`).
 */
export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string }

export const ALLOW: Decision = Object.freeze({ allowed: true })
export function deny(reason: string): Decision {
  return { allowed: false, reason }
}

/** One rule of a module's permissions table. `context` carries the record and settings the rule needs. */
export type PermissionRule<C = unknown> = (actor: Actor, context: C) => Decision

/** A module's whole permissions table, keyed `action:subject`. */
export type PermissionsTable = Readonly<Record<string, PermissionRule<never>>>

/** A rule that lets staff with any of `roles` (admins always) through. */
export function staffWith(...roles: readonly StaffRole[]): PermissionRule {
  return (actor) => {
    if (actor.kind !== 'staff') return deny(actor.kind === 'anonymous' ? 'not-signed-in' : 'not-staff')
    if (actor.roles.includes('admin') || actor.roles.some((r) => roles.includes(r))) return ALLOW
    return deny('missing-role')
  }
}

/** Looks up and applies `action:subject` in a table; an unknown pair is refused, never allowed. */
export function decide<T extends PermissionsTable>(
  table: T,
  key: keyof T & string,
  actor: Actor,
  context?: unknown,
): Decision {
  const rule = table[key] as unknown as PermissionRule<unknown> | undefined
  if (!rule) return deny('unknown-permission')
  return rule(actor, context)
}
