/**
 * Delivery of the winning projects: a public timeline of milestones per project (CONSUL's
 * milestones, Decidim Accountability), each with a date and a status, which people can follow
 * by email.
 */
import { DomainError } from '../../../platform/errors/errors.js'
import { type PhaseState, resultsPublished } from './phases.js'
import type { FieldProblem } from './projects.js'

export const MILESTONE_STATES = ['planned', 'in-progress', 'done', 'delayed', 'cancelled'] as const
export type MilestoneState = (typeof MILESTONE_STATES)[number]

export function isMilestoneState(value: unknown): value is MilestoneState {
  return typeof value === 'string' && (MILESTONE_STATES as readonly string[]).includes(value)
}

export interface MilestoneInput {
  readonly titleEn: string
  readonly titleCy: string
  readonly date: string
  readonly status: string
}

export interface MilestoneValue {
  readonly titleEn: string
  readonly titleCy: string
  /** YYYY-MM-DD */
  readonly date: string
  readonly status: MilestoneState
}

/** A milestone needs a title (in at least one language), a real date and a status. */
export function validateMilestone(input: MilestoneInput): {
  problems: FieldProblem[]
  milestone: MilestoneValue | null
} {
  const problems: FieldProblem[] = []
  const titleEn = input.titleEn.trim()
  const titleCy = input.titleCy.trim()
  if (titleEn === '' && titleCy === '') problems.push({ field: 'titleEn', code: 'required' })
  if (titleEn.length > 200 || titleCy.length > 200)
    problems.push({ field: titleEn.length > 200 ? 'titleEn' : 'titleCy', code: 'too-long' })
  const date = input.date.trim()
  if (!isIsoDate(date)) problems.push({ field: 'date', code: date ? 'invalid' : 'required' })
  if (!isMilestoneState(input.status)) problems.push({ field: 'status', code: 'required' })
  if (problems.length > 0) return { problems, milestone: null }
  return { problems, milestone: { titleEn, titleCy, date, status: input.status as MilestoneState } }
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  )
}

/** Milestones are kept for winning projects once results are published. */
export function assertDeliveryOpen(state: PhaseState, isWinner: boolean): void {
  if (!resultsPublished(state)) throw new DomainError('conflict', 409, { reason: 'results-not-published' })
  if (!isWinner) throw new DomainError('conflict', 409, { reason: 'not-a-winner' })
}

/** The delivery status of a project from its milestones: done when all are done, and so on. */
export function deliveryStatus(
  milestones: readonly { readonly status: MilestoneState }[],
): 'not-started' | 'in-progress' | 'done' | 'delayed' {
  const live = milestones.filter((m) => m.status !== 'cancelled')
  if (live.length === 0) return 'not-started'
  if (live.every((m) => m.status === 'done')) return 'done'
  if (live.some((m) => m.status === 'delayed')) return 'delayed'
  if (live.some((m) => m.status === 'in-progress' || m.status === 'done')) return 'in-progress'
  return 'not-started'
}
