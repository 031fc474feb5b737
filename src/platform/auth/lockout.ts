/** Staff accounts lock after repeated failures (NCSC: throttle guessing without locking out for ever). */
export interface LockoutPolicy {
  readonly maxFailures: number
  readonly lockMinutes: number
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMinutes: 15 }

export function isLocked(lockedUntil: string | null, now: Date): boolean {
  return lockedUntil !== null && new Date(lockedUntil).getTime() > now.getTime()
}

/** After `failures` consecutive failures, the time the account stays locked until, or null. */
export function lockUntilAfter(
  failures: number,
  now: Date,
  policy: LockoutPolicy = DEFAULT_LOCKOUT,
): Date | null {
  return failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMinutes * 60_000) : null
}
