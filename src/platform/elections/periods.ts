import type { ElectionPeriod } from '../policy/types.js'
import { londonDay } from '../time/london.js'

export type { ElectionPeriod }
export { londonDay }

/**
 * The pre-election period `date` falls in, or null. Both ends are inclusive: the Cabinet Office's
 * general election guidance applies from the start of the period up to and including polling day.
 * Dates are read in Europe/London, where the elections happen, whatever the server's zone.
 */
export function electionPeriodOn(periods: readonly ElectionPeriod[], date: Date): ElectionPeriod | null {
  const day = londonDay(date)
  return periods.find((p) => p.startsOn <= day && day <= p.pollsOn) ?? null
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

export interface ElectionProblem {
  readonly field: 'name' | 'startsOn' | 'pollsOn'
  readonly code: 'required' | 'too-long' | 'invalid' | 'before-start'
}

/** What is wrong with a new period, field by field (empty when it is fine). */
export function electionProblems(p: { name: string; startsOn: string; pollsOn: string }): ElectionProblem[] {
  const problems: ElectionProblem[] = []
  const name = p.name.trim()
  if (!name) problems.push({ field: 'name', code: 'required' })
  else if (name.length > 200) problems.push({ field: 'name', code: 'too-long' })
  if (!p.startsOn) problems.push({ field: 'startsOn', code: 'required' })
  else if (!isIsoDay(p.startsOn)) problems.push({ field: 'startsOn', code: 'invalid' })
  if (!p.pollsOn) problems.push({ field: 'pollsOn', code: 'required' })
  else if (!isIsoDay(p.pollsOn)) problems.push({ field: 'pollsOn', code: 'invalid' })
  else if (isIsoDay(p.startsOn) && p.pollsOn < p.startsOn)
    problems.push({ field: 'pollsOn', code: 'before-start' })
  return problems
}
