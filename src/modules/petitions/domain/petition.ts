import { DomainError } from '../../../platform/errors/errors.js'

/**
 * Petition states (alphagov/e-petitions `petition.rb`): pending → validated → sponsored →
 * open → closed, with the side states rejected, hidden and stopped.
 */
export const PETITION_STATES = [
  'pending',
  'validated',
  'sponsored',
  'open',
  'closed',
  'rejected',
  'hidden',
  'stopped',
] as const
export type PetitionState = (typeof PETITION_STATES)[number]

/** Shown to the public. */
export const VISIBLE_STATES = ['open', 'closed', 'rejected'] as const satisfies readonly PetitionState[]
/** Still gathering its creator's supporters (the sponsor link works). */
export const COLLECTING_SPONSORS_STATES = ['pending', 'validated'] as const satisfies readonly PetitionState[]
/** Waiting for a moderator's decision. */
export const MODERATABLE_STATES = ['sponsored'] as const satisfies readonly PetitionState[]
/** Not yet published, so an election can stop them (e-petitions `STOPPABLE_STATES`). */
export const STOPPABLE_STATES = [
  'pending',
  'validated',
  'sponsored',
] as const satisfies readonly PetitionState[]
/** Where a signature can still be confirmed. */
export const SIGNABLE_STATES = [
  'pending',
  'validated',
  'sponsored',
  'open',
] as const satisfies readonly PetitionState[]

export function isPetitionState(value: unknown): value is PetitionState {
  return typeof value === 'string' && (PETITION_STATES as readonly string[]).includes(value)
}

export function inStates<S extends PetitionState>(state: PetitionState, set: readonly S[]): state is S {
  return (set as readonly PetitionState[]).includes(state)
}

/** The rules a council can set; each default is the UK Parliament's (anchors §1a). */
export interface PetitionRules {
  readonly minSponsors: number
  readonly maxSponsors: number
  readonly responseThreshold: number
  readonly debateThreshold: number
  readonly durationMonths: number
  readonly nearlyOverdueDays: number
  readonly overdueDays: number
  readonly moderationDelayThreshold: number
  /** Days the organisation gives itself to respond once the response threshold is reached. */
  readonly responseDueDays: number
}

export const DEFAULT_RULES: PetitionRules = {
  minSponsors: 5,
  maxSponsors: 20,
  responseThreshold: 10_000,
  debateThreshold: 100_000,
  durationMonths: 6,
  nearlyOverdueDays: 11,
  overdueDays: 14,
  moderationDelayThreshold: 500,
  responseDueDays: 28,
}

export interface PetitionTimes {
  readonly createdAt: string
  readonly openedAt: string | null
  readonly closedAt: string | null
  readonly deadlineAt: string | null
  readonly rejectedAt: string | null
  readonly moderationThresholdReachedAt: string | null
  readonly responseThresholdReachedAt: string | null
  readonly debateThresholdReachedAt: string | null
}

/** The part of a petition its lifecycle rules read and change. */
export interface PetitionLifecycle extends PetitionTimes {
  readonly state: PetitionState
  readonly signatureCount: number
}

export class PetitionStateError extends DomainError {
  constructor(
    readonly transition: string,
    readonly from: PetitionState,
  ) {
    super('petition-invalid-transition', 409, { transition, from })
  }
}

function guard(p: PetitionLifecycle, transition: string, allowed: readonly PetitionState[]): void {
  if (!allowed.includes(p.state)) throw new PetitionStateError(transition, p.state)
}

/** The end of the day (UTC), `months` after opening (e-petitions `closed_at_for_opening`). */
export function deadlineFor(openedAt: Date, months: number): Date {
  return new Date(
    Date.UTC(
      openedAt.getUTCFullYear(),
      openedAt.getUTCMonth() + months,
      openedAt.getUTCDate(),
      23,
      59,
      59,
      999,
    ),
  )
}

/** The creator confirmed their email: the petition can gather supporters. */
export function validatePetition<P extends PetitionLifecycle>(p: P): P {
  guard(p, 'validate', ['pending'])
  return { ...p, state: 'validated' }
}

/**
 * A supporter's signature was confirmed while the petition gathers sponsors. With
 * `minSponsors` supporters (plus the creator) it goes to the moderation queue.
 */
export function sponsorConfirmed<P extends PetitionLifecycle>(
  p: P,
  supporters: number,
  rules: PetitionRules,
  now: Date,
): P {
  guard(p, 'sponsor', ['pending', 'validated', 'sponsored'])
  if (p.state !== 'sponsored' && supporters >= rules.minSponsors) {
    return { ...p, state: 'sponsored', moderationThresholdReachedAt: now.toISOString() }
  }
  return p.state === 'pending' ? { ...p, state: 'validated' } : p
}

/** A moderator publishes the petition: it opens now and closes after the set duration. */
export function publishPetition<P extends PetitionLifecycle>(p: P, rules: PetitionRules, now: Date): P {
  guard(p, 'publish', MODERATABLE_STATES)
  return {
    ...p,
    state: 'open',
    openedAt: now.toISOString(),
    deadlineAt: deadlineFor(now, rules.durationMonths).toISOString(),
  }
}

/** Rejected petitions stay visible with the reason; hidden reasons (libellous, offensive…) hide the text. */
export function rejectPetition<P extends PetitionLifecycle>(p: P, hidden: boolean, now: Date): P {
  guard(p, 'reject', [...MODERATABLE_STATES, 'open', 'rejected', 'hidden'])
  return { ...p, state: hidden ? 'hidden' : 'rejected', rejectedAt: now.toISOString() }
}

/** Closing at (or, for a pre-election period, before) the deadline. */
export function closePetition<P extends PetitionLifecycle>(p: P, now: Date): P {
  guard(p, 'close', ['open'])
  return { ...p, state: 'closed', closedAt: now.toISOString() }
}

/** An election stops everything not yet published (e-petitions `stop_petitions_early!`). */
export function stopPetition<P extends PetitionLifecycle>(p: P, now: Date): P {
  guard(p, 'stop', STOPPABLE_STATES)
  return { ...p, state: 'stopped', closedAt: now.toISOString() }
}

/** True once an open petition's deadline has passed. */
export function isPastDeadline(p: PetitionLifecycle, now: Date): boolean {
  return p.state === 'open' && p.deadlineAt !== null && new Date(p.deadlineAt).getTime() <= now.getTime()
}

/**
 * Sets or clears the threshold timestamps for a new count. Reversible, as e-petitions does: when
 * invalidations take the count back below a threshold, its timestamp is cleared.
 */
export function applyCount<P extends PetitionLifecycle>(
  p: P,
  count: number,
  rules: PetitionRules,
  now: Date,
): P {
  const at = now.toISOString()
  return {
    ...p,
    signatureCount: count,
    responseThresholdReachedAt:
      count >= rules.responseThreshold ? (p.responseThresholdReachedAt ?? at) : null,
    debateThresholdReachedAt: count >= rules.debateThreshold ? (p.debateThresholdReachedAt ?? at) : null,
  }
}

export type ModerationFacet = 'recent' | 'nearly-overdue' | 'overdue'

/** Moderation queue facets: nearly overdue after 11 days in the queue, overdue after 14. */
export function moderationFacet(
  moderationThresholdReachedAt: string | null,
  rules: PetitionRules,
  now: Date,
): ModerationFacet {
  if (!moderationThresholdReachedAt) return 'recent'
  const days = (now.getTime() - new Date(moderationThresholdReachedAt).getTime()) / 86_400_000
  if (days >= rules.overdueDays) return 'overdue'
  if (days >= rules.nearlyOverdueDays) return 'nearly-overdue'
  return 'recent'
}

// ── The creator's text ───────────────────────────────────────────────────────────────

export const TEXT_LIMITS = { action: 80, background: 300, additionalDetails: 800 } as const

export type PetitionTextField = 'action' | 'background' | 'additionalDetails'
export interface TextProblem {
  readonly field: PetitionTextField
  readonly code: 'required' | 'too-long' | 'formula'
  readonly vars?: Readonly<Record<string, number>>
}

/** Text that a spreadsheet would run as a formula (e-petitions: `without: /\A[-=+@]/`). */
export function startsLikeFormula(text: string): boolean {
  return /^[-=+@]/.test(text.trim())
}

export function validatePetitionText(input: {
  action: string
  background: string
  additionalDetails: string
}): TextProblem[] {
  const problems: TextProblem[] = []
  for (const field of ['action', 'background', 'additionalDetails'] as const) {
    const value = input[field].trim()
    const max = TEXT_LIMITS[field]
    if (value === '' && field !== 'additionalDetails') problems.push({ field, code: 'required' })
    else if (value.length > max) problems.push({ field, code: 'too-long', vars: { max } })
    else if (startsLikeFormula(value)) problems.push({ field, code: 'formula' })
  }
  return problems
}

/** The date a response is due, shown publicly once the response threshold is reached. */
export function responseDueAt(
  p: Pick<PetitionLifecycle, 'responseThresholdReachedAt'>,
  rules: PetitionRules,
): string | null {
  if (!p.responseThresholdReachedAt) return null
  return new Date(
    new Date(p.responseThresholdReachedAt).getTime() + rules.responseDueDays * 86_400_000,
  ).toISOString()
}

export const RESPONSE_LIMITS = { summary: 200, details: 6000 } as const
