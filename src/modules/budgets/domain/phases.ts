/**
 * The phases of a participatory budgeting process and their guarded transitions.
 *
 *   draft → proposing → reviewing → voting → counting → results → delivery
 *
 * Dates are chained as CONSUL chains adjacent phases: only each phase's start is stored, and a
 * phase ends where the next one starts, so there can be neither a gap nor an overlap. `draft`
 * is the process being prepared by staff; it has no date.
 *
 * Everything here is pure: the current time comes in as `now`, and what the guards need to
 * know about the process's budgets and projects comes in as `PhaseFacts`. A refused
 * transition throws `DomainError('conflict', 409, { reason })` with a stable reason code.
 */
import { DomainError } from '../../../platform/errors/errors.js'

export const PROCESS_PHASES = [
  'draft',
  'proposing',
  'reviewing',
  'voting',
  'counting',
  'results',
  'delivery',
] as const
export type ProcessPhase = (typeof PROCESS_PHASES)[number]

/** The phases that have a start date. */
export const SCHEDULED_PHASES = [
  'proposing',
  'reviewing',
  'voting',
  'counting',
  'results',
  'delivery',
] as const satisfies readonly ProcessPhase[]
export type ScheduledPhase = (typeof SCHEDULED_PHASES)[number]

/** Phases the public can see (a draft is staff-only). */
export const PUBLIC_PHASES = SCHEDULED_PHASES

/** Phases in which results have been published. */
export const PUBLISHED_PHASES = ['results', 'delivery'] as const satisfies readonly ProcessPhase[]

/** The ISO-8601 UTC start of every scheduled phase; each ends where the next starts. */
export type Schedule = Readonly<Record<ScheduledPhase, string>>

export interface PhaseState {
  readonly phase: ProcessPhase
  readonly schedule: Schedule
}

/** What the guards need to know about the process; the store computes it. */
export interface PhaseFacts {
  readonly budgets: number
  /** Projects proposed and not yet reviewed (feasible / not feasible). */
  readonly projectsAwaitingReview: number
  /** Budgets with no feasible project to vote on. */
  readonly budgetsWithoutFeasibleProjects: number
  /** Budgets with no stored count, or one made before the last ballot changed. */
  readonly budgetsNotCounted: number
}

export const PHASE_REFUSALS = [
  'not-next',
  'last-phase',
  'no-budgets',
  'projects-awaiting-review',
  'budget-without-projects',
  'not-counted',
  'not-yet-scheduled',
  'later-phase-date-passed',
] as const
export type PhaseRefusal = (typeof PHASE_REFUSALS)[number]

/** Who moves the process on: staff pressing a button (any time the guards pass) or the schedule. */
export type TransitionMode = 'staff' | 'scheduled'

/** Transitions the schedule makes by itself once their date has come (the others need staff). */
export const AUTOMATIC_TRANSITIONS: readonly ScheduledPhase[] = ['reviewing', 'voting', 'counting']

export function isPhase(value: unknown): value is ProcessPhase {
  return typeof value === 'string' && (PROCESS_PHASES as readonly string[]).includes(value)
}

export function nextPhase(phase: ProcessPhase): ScheduledPhase | null {
  const i = PROCESS_PHASES.indexOf(phase)
  return i + 1 < PROCESS_PHASES.length ? (PROCESS_PHASES[i + 1] as ScheduledPhase) : null
}

/** The phase that follows `phase` in the schedule, or null for delivery. */
function followingScheduled(phase: ScheduledPhase): ScheduledPhase | null {
  const i = SCHEDULED_PHASES.indexOf(phase)
  return SCHEDULED_PHASES[i + 1] ?? null
}

const DAY = 86_400_000

/** Default lengths in days (CONSUL-like): four weeks of proposals, three of review, three of voting… */
export const DEFAULT_PHASE_DAYS: Readonly<Record<Exclude<ScheduledPhase, 'delivery'>, number>> = {
  proposing: 28,
  reviewing: 21,
  voting: 21,
  counting: 7,
  results: 14,
}

/** A chained schedule that starts proposals at `start`. */
export function defaultSchedule(start: Date): Schedule {
  let at = start.getTime()
  const out: Record<string, string> = {}
  for (const phase of SCHEDULED_PHASES) {
    out[phase] = new Date(at).toISOString()
    if (phase !== 'delivery') at += DEFAULT_PHASE_DAYS[phase] * DAY
  }
  return out as Schedule
}

export type ScheduleProblem =
  | { readonly code: 'invalid-date'; readonly phase: ScheduledPhase }
  | { readonly code: 'not-after-previous'; readonly phase: ScheduledPhase; readonly previous: ScheduledPhase }

/** Every phase must have a date, each strictly after the one before. */
export function validateSchedule(schedule: Readonly<Record<ScheduledPhase, string>>): ScheduleProblem[] {
  const problems: ScheduleProblem[] = []
  let previous: { phase: ScheduledPhase; at: number } | null = null
  for (const phase of SCHEDULED_PHASES) {
    const at = Date.parse(schedule[phase] ?? '')
    if (Number.isNaN(at)) {
      problems.push({ code: 'invalid-date', phase })
      continue
    }
    if (previous && at <= previous.at)
      problems.push({ code: 'not-after-previous', phase, previous: previous.phase })
    previous = { phase, at }
  }
  return problems
}

/**
 * The phases whose dates staff may still change: those that have not started. A started phase's
 * date is history (it may also be the moment staff moved the process on).
 */
export function editablePhases(state: PhaseState): ScheduledPhase[] {
  const current = PROCESS_PHASES.indexOf(state.phase)
  return SCHEDULED_PHASES.filter((p) => PROCESS_PHASES.indexOf(p) > current)
}

/** Problems with a new schedule proposed by staff: started phases keep their dates; the rest lie ahead. */
export function scheduleEditProblems(
  state: PhaseState,
  proposed: Readonly<Record<ScheduledPhase, string>>,
  now: Date,
): (ScheduleProblem | { readonly code: 'in-the-past'; readonly phase: ScheduledPhase })[] {
  const editable = new Set(editablePhases(state))
  const merged = { ...proposed } as Record<ScheduledPhase, string>
  for (const p of SCHEDULED_PHASES) if (!editable.has(p)) merged[p] = state.schedule[p]
  const problems: (ScheduleProblem | { code: 'in-the-past'; phase: ScheduledPhase })[] =
    validateSchedule(merged)
  for (const p of editable) {
    const at = Date.parse(merged[p])
    // A draft's opening date may be past: staff open it with a button when ready.
    const opening = state.phase === 'draft' && p === 'proposing'
    if (!Number.isNaN(at) && at <= now.getTime() && !opening) {
      problems.push({ code: 'in-the-past', phase: p })
    }
  }
  return problems
}

/** The reason a transition to `to` is refused, or null if it may happen now. */
export function transitionRefusal(
  state: PhaseState,
  to: ProcessPhase,
  now: Date,
  facts: PhaseFacts,
  mode: TransitionMode = 'staff',
): PhaseRefusal | null {
  const next = nextPhase(state.phase)
  if (next === null) return 'last-phase'
  if (to !== next) return 'not-next'
  if (mode === 'scheduled' && now.getTime() < Date.parse(state.schedule[next])) return 'not-yet-scheduled'
  // The new phase must not be over before it starts.
  const after = followingScheduled(next)
  if (after && Date.parse(state.schedule[after]) <= now.getTime()) return 'later-phase-date-passed'
  switch (next) {
    case 'proposing':
      if (facts.budgets === 0) return 'no-budgets'
      break
    case 'voting':
      if (facts.projectsAwaitingReview > 0) return 'projects-awaiting-review'
      if (facts.budgetsWithoutFeasibleProjects > 0) return 'budget-without-projects'
      break
    case 'results':
      if (facts.budgetsNotCounted > 0) return 'not-counted'
      break
    default:
      break
  }
  return null
}

/**
 * Moves the process to `to`, or throws `DomainError('conflict', 409, { reason })`. When staff
 * move a phase on before its date, its start (and so the end of the phase before) becomes `now`;
 * on or after its date, the schedule is kept.
 */
export function advancePhase(
  state: PhaseState,
  to: ProcessPhase,
  now: Date,
  facts: PhaseFacts,
  mode: TransitionMode = 'staff',
): PhaseState {
  const refusal = transitionRefusal(state, to, now, facts, mode)
  if (refusal) throw new DomainError('conflict', 409, { reason: refusal, from: state.phase, to })
  const phase = to as ScheduledPhase
  const early = now.getTime() < Date.parse(state.schedule[phase])
  return {
    phase,
    schedule: early ? { ...state.schedule, [phase]: now.toISOString() } : state.schedule,
  }
}

/** The transition the schedule makes by itself now, if its date has come and its guards pass. */
export function dueTransition(state: PhaseState, now: Date, facts: PhaseFacts): ScheduledPhase | null {
  const next = nextPhase(state.phase)
  if (!next || !AUTOMATIC_TRANSITIONS.includes(next)) return null
  return transitionRefusal(state, next, now, facts, 'scheduled') === null ? next : null
}

/** The moment the current phase ends (the next one's scheduled start), or null. */
export function phaseEnds(state: PhaseState): string | null {
  if (state.phase === 'draft') return state.schedule.proposing
  const after = followingScheduled(state.phase)
  return after ? state.schedule[after] : null
}

/** Citizens may propose projects: the process is in `proposing` and reviewing has not begun. */
export function isProposingOpen(state: PhaseState, now: Date): boolean {
  return state.phase === 'proposing' && now.getTime() < Date.parse(state.schedule.reviewing)
}

/**
 * Ballots may be cast or changed: the process is in `voting` and the counting date has not come.
 * (The scheduled job moves the process to `counting`; until it runs, the date alone closes voting.)
 */
export function isVotingOpen(state: PhaseState, now: Date): boolean {
  return (
    state.phase === 'voting' &&
    now.getTime() >= Date.parse(state.schedule.voting) &&
    now.getTime() < Date.parse(state.schedule.counting)
  )
}

/** Staff may enter paper ballots while voting is open and during counting. */
export function isPaperEntryOpen(state: PhaseState): boolean {
  return state.phase === 'voting' || state.phase === 'counting'
}

/** Staff may review projects while proposals come in and during the review phase. */
export function isReviewOpen(state: PhaseState): boolean {
  return state.phase === 'proposing' || state.phase === 'reviewing'
}

export function resultsPublished(state: PhaseState): boolean {
  return (PUBLISHED_PHASES as readonly ProcessPhase[]).includes(state.phase)
}

/** The phases for a public timeline: each with its start, end and whether it is past, current or to come. */
export function timeline(
  state: PhaseState,
): { phase: ScheduledPhase; start: string; end: string | null; status: 'past' | 'current' | 'upcoming' }[] {
  const current = PROCESS_PHASES.indexOf(state.phase)
  return SCHEDULED_PHASES.map((phase) => {
    const i = PROCESS_PHASES.indexOf(phase)
    const after = followingScheduled(phase)
    return {
      phase,
      start: state.schedule[phase],
      end: after ? state.schedule[after] : null,
      status: i < current ? 'past' : i === current ? 'current' : 'upcoming',
    }
  })
}

/** Budgets (amount, area, ballot style, rule) may be set up and changed until voting starts. */
export function areBudgetSettingsOpen(state: PhaseState): boolean {
  return state.phase === 'draft' || state.phase === 'proposing' || state.phase === 'reviewing'
}
