/**
 * Projects of a budget: proposed by verified citizens, reviewed by staff (feasible with a final
 * cost, or not feasible with a published reason), voted on when feasible.
 */
import { DomainError } from '../../../platform/errors/errors.js'
import { parseMoney } from '../interop/pabulib.js'
import { isReviewOpen, type PhaseState } from './phases.js'

export const PROJECT_STATES = ['proposed', 'feasible', 'not-feasible'] as const
export type ProjectState = (typeof PROJECT_STATES)[number]

/** Only feasible projects appear on the ballot. */
export const VOTABLE_STATES = ['feasible'] as const satisfies readonly ProjectState[]

export const REVIEW_DECISIONS = ['feasible', 'not-feasible'] as const satisfies readonly ProjectState[]
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number]

export function isProjectState(value: unknown): value is ProjectState {
  return typeof value === 'string' && (PROJECT_STATES as readonly string[]).includes(value)
}

export const LIMITS = { title: 150, description: 5000, location: 200, reason: 2000 } as const

/**
 * An amount typed by a person, in currency units: "12,500", "£12,500.50", "12 500" → minor
 * units (1250050). Null if it is not a non-negative amount with at most two decimals.
 */
export function parseAmount(text: string): number | null {
  const cleaned = text
    .trim()
    .replace(/^[£€$]|\s*(GBP|EUR|PLN|zł)$/i, '')
    .replace(/[,\s\u00a0]/g, '')
  if (cleaned === '') return null
  return parseMoney(cleaned)
}

/** Minor units as the plain number a form field shows again: 1250050 → "12500.50". */
export function amountText(minor: number | null | undefined): string {
  if (minor === null || minor === undefined) return ''
  const whole = Math.floor(minor / 100)
  const rest = minor % 100
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0')}`
}

export interface FieldProblem {
  readonly field: string
  readonly code: string
  readonly vars?: Readonly<Record<string, string | number>>
}

export interface ProposalInput {
  readonly budgetId: string
  readonly title: string
  readonly description: string
  readonly cost: string
  readonly location: string
}

export interface Proposal {
  readonly budgetId: number
  readonly title: string
  readonly description: string
  readonly estimatedCost: number
  readonly location: string
}

/** Checks a citizen's proposal against the process's budgets (a project may not cost more than its budget). */
export function validateProposal(
  input: ProposalInput,
  budgets: readonly { readonly id: number; readonly amount: number }[],
): { problems: FieldProblem[]; proposal: Proposal | null } {
  const problems: FieldProblem[] = []
  const budget = budgets.find((b) => String(b.id) === input.budgetId.trim())
  if (!budget) problems.push({ field: 'budgetId', code: 'required' })
  const title = input.title.trim()
  if (title === '') problems.push({ field: 'title', code: 'required' })
  else if (title.length > LIMITS.title)
    problems.push({ field: 'title', code: 'too-long', vars: { max: LIMITS.title } })
  const description = input.description.trim()
  if (description === '') problems.push({ field: 'description', code: 'required' })
  else if (description.length > LIMITS.description)
    problems.push({ field: 'description', code: 'too-long', vars: { max: LIMITS.description } })
  const cost = parseAmount(input.cost)
  if (input.cost.trim() === '') problems.push({ field: 'cost', code: 'required' })
  else if (cost === null || cost === 0) problems.push({ field: 'cost', code: 'invalid' })
  else if (budget && cost > budget.amount) problems.push({ field: 'cost', code: 'above-budget' })
  const location = input.location.trim()
  if (location.length > LIMITS.location)
    problems.push({ field: 'location', code: 'too-long', vars: { max: LIMITS.location } })
  if (problems.length > 0 || !budget || cost === null) return { problems, proposal: null }
  return { problems, proposal: { budgetId: budget.id, title, description, estimatedCost: cost, location } }
}

export interface ReviewInput {
  readonly decision: string
  readonly finalCost: string
  readonly reasonEn: string
  readonly reasonCy: string
}

export type Review =
  | { readonly decision: 'feasible'; readonly finalCost: number }
  | { readonly decision: 'not-feasible'; readonly reasonEn: string; readonly reasonCy: string }

/**
 * Checks a staff review. Feasible needs a final cost within the budget; not feasible needs a
 * reason to publish, in at least one language (both is better; the page falls back).
 */
export function validateReview(
  input: ReviewInput,
  budgetAmount: number,
): { problems: FieldProblem[]; review: Review | null } {
  const problems: FieldProblem[] = []
  if (input.decision === 'feasible') {
    const cost = parseAmount(input.finalCost)
    if (input.finalCost.trim() === '') problems.push({ field: 'finalCost', code: 'required' })
    else if (cost === null || cost === 0) problems.push({ field: 'finalCost', code: 'invalid' })
    else if (cost > budgetAmount) problems.push({ field: 'finalCost', code: 'above-budget' })
    return problems.length === 0 && cost !== null
      ? { problems, review: { decision: 'feasible', finalCost: cost } }
      : { problems, review: null }
  }
  if (input.decision === 'not-feasible') {
    const reasonEn = input.reasonEn.trim()
    const reasonCy = input.reasonCy.trim()
    if (reasonEn === '' && reasonCy === '') problems.push({ field: 'reasonEn', code: 'required' })
    if (reasonEn.length > LIMITS.reason || reasonCy.length > LIMITS.reason)
      problems.push({ field: reasonEn.length > LIMITS.reason ? 'reasonEn' : 'reasonCy', code: 'too-long' })
    return problems.length === 0
      ? { problems, review: { decision: 'not-feasible', reasonEn, reasonCy } }
      : { problems, review: null }
  }
  return { problems: [{ field: 'decision', code: 'required' }], review: null }
}

/** Reviews may be made and changed while proposals come in and during review; then they are final. */
export function assertReviewOpen(state: PhaseState): void {
  if (!isReviewOpen(state))
    throw new DomainError('conflict', 409, { reason: 'review-closed', phase: state.phase })
}

/** Text in the reader's language, or the other one (marked with its `lang`) when that is all there is. */
export function inLanguage(
  locale: 'en' | 'cy',
  en: string | null | undefined,
  cy: string | null | undefined,
): { text: string; lang: 'en' | 'cy' } {
  const want = locale === 'cy' ? cy : en
  if (want && want.trim() !== '') return { text: want, lang: locale }
  const other = locale === 'cy' ? en : cy
  return { text: other ?? '', lang: locale === 'cy' ? 'en' : 'cy' }
}
