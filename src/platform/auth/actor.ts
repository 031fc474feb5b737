/** Roles of public servants (staff). A staff user may hold several. */
export const STAFF_ROLES = ['admin', 'moderator', 'communications', 'analyst', 'responder'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value)
}

/**
 * How sure we are of who a citizen is, weakest first. Every citizen action records the level it
 * was taken at, so counts can be split by it ("9,840 email-verified").
 */
export const ASSURANCE_LEVELS = ['none', 'email-verified', 'sms-verified', 'census', 'eid'] as const
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number]

export function isAssuranceLevel(value: unknown): value is AssuranceLevel {
  return typeof value === 'string' && (ASSURANCE_LEVELS as readonly string[]).includes(value)
}

/** True when `level` is at least `required`. */
export function meetsAssurance(level: AssuranceLevel, required: AssuranceLevel): boolean {
  return ASSURANCE_LEVELS.indexOf(level) >= ASSURANCE_LEVELS.indexOf(required)
}

export type Actor =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'citizen'
      readonly id: number
      readonly email: string
      readonly assurance: AssuranceLevel
    }
  | {
      readonly kind: 'staff'
      readonly id: number
      readonly email: string
      readonly name: string
      readonly roles: readonly StaffRole[]
    }
  | { readonly kind: 'system'; readonly name: string }

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' })

export function systemActor(name: string): Actor {
  return { kind: 'system', name }
}

export function hasRole(actor: Actor, ...roles: readonly StaffRole[]): boolean {
  return actor.kind === 'staff' && actor.roles.some((r) => r === 'admin' || roles.includes(r))
}
