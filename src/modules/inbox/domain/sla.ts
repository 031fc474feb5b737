/**
 * Service standards (Chatwoot SlaPolicy: first_response_time, next_response_time, resolution_time,
 * only during business hours). Pure functions over a policy and the case's timestamps.
 */
import { addBusinessMinutes, type BusinessHours, businessMinutesBetween } from './business-hours.js'

export interface SlaPolicy {
  readonly id: number
  readonly name: string
  readonly firstResponseMinutes: number
  readonly nextResponseMinutes: number
  readonly resolutionMinutes: number
  readonly hours: BusinessHours
  /** Warn this many business minutes before a timer runs out. */
  readonly warnMinutes: number
}

export const TIMERS = ['first', 'next', 'resolution'] as const
export type Timer = (typeof TIMERS)[number]

export interface CaseTimes {
  readonly createdAt: string
  readonly firstResponseAt: string | null
  /** The citizen's latest message waiting for an answer (after our last reply), for "next response". */
  readonly awaitingSince: string | null
  readonly resolvedAt: string | null
}

export interface Deadlines {
  readonly firstResponseDue: string | null
  readonly nextResponseDue: string | null
  readonly resolutionDue: string | null
}

/** When each running timer runs out; a stopped timer (answered, resolved) has no deadline. */
export function deadlines(policy: SlaPolicy, times: CaseTimes): Deadlines {
  const at = (iso: string, minutes: number) =>
    addBusinessMinutes(new Date(iso), minutes, policy.hours).toISOString()
  const resolved = times.resolvedAt !== null
  return {
    firstResponseDue:
      times.firstResponseAt === null && !resolved ? at(times.createdAt, policy.firstResponseMinutes) : null,
    nextResponseDue:
      times.firstResponseAt !== null && times.awaitingSince !== null && !resolved
        ? at(times.awaitingSince, policy.nextResponseMinutes)
        : null,
    resolutionDue: resolved ? null : at(times.createdAt, policy.resolutionMinutes),
  }
}

export type TimerState = 'ok' | 'warning' | 'breached'

export interface TimerView {
  readonly timer: Timer
  readonly due: string
  /** Business minutes left; negative when breached. */
  readonly businessMinutesLeft: number
  readonly state: TimerState
}

/** The running timers of a case at `now`, with their state (warning within `warnMinutes`). */
export function timerStates(policy: SlaPolicy, due: Deadlines, now: Date): TimerView[] {
  const out: TimerView[] = []
  const entries: [Timer, string | null][] = [
    ['first', due.firstResponseDue],
    ['next', due.nextResponseDue],
    ['resolution', due.resolutionDue],
  ]
  for (const [timer, iso] of entries) {
    if (!iso) continue
    const dueAt = new Date(iso)
    const breached = now.getTime() >= dueAt.getTime()
    const left = breached
      ? -businessMinutesBetween(dueAt, now, policy.hours)
      : businessMinutesBetween(now, dueAt, policy.hours)
    out.push({
      timer,
      due: iso,
      businessMinutesLeft: left,
      state: breached ? 'breached' : left <= policy.warnMinutes ? 'warning' : 'ok',
    })
  }
  return out
}

/** Splits minutes into hours and minutes for "2 h 10 min". */
export function hoursMinutes(minutes: number): { hours: number; minutes: number } {
  const m = Math.abs(Math.round(minutes))
  return { hours: Math.floor(m / 60), minutes: m % 60 }
}

/** Median of a list (null when empty). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
