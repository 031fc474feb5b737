import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DomainError } from '../../../platform/errors/errors.js'
import {
  advancePhase,
  areBudgetSettingsOpen,
  defaultSchedule,
  dueTransition,
  editablePhases,
  isPaperEntryOpen,
  isProposingOpen,
  isReviewOpen,
  isVotingOpen,
  nextPhase,
  type PhaseFacts,
  type PhaseState,
  type ProcessPhase,
  phaseEnds,
  resultsPublished,
  scheduleEditProblems,
  timeline,
  transitionRefusal,
  validateSchedule,
} from './phases.js'

const DAY = 86_400_000
const start = new Date('2027-03-01T00:00:00.000Z')
const schedule = defaultSchedule(start)
const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs)
const ready: PhaseFacts = {
  budgets: 2,
  projectsAwaitingReview: 0,
  budgetsWithoutFeasibleProjects: 0,
  budgetsNotCounted: 0,
}
const state = (phase: ProcessPhase): PhaseState => ({ phase, schedule })

function refusedWith(fn: () => unknown, reason: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DomainError)
    assert.equal(e.code, 'conflict')
    assert.equal(e.statusCode, 409)
    assert.equal(e.details?.['reason'], reason)
    return true
  })
}

describe('the schedule', () => {
  it('chains the phases: each starts where the one before ends', () => {
    assert.deepEqual(validateSchedule(schedule), [])
    assert.equal(schedule.proposing, '2027-03-01T00:00:00.000Z')
    assert.equal(schedule.reviewing, new Date(start.getTime() + 28 * DAY).toISOString())
    const steps = timeline(state('voting'))
    for (let i = 0; i + 1 < steps.length; i++) assert.equal(steps[i]!.end, steps[i + 1]!.start)
    assert.equal(steps.at(-1)!.end, null)
    assert.deepEqual(
      steps.map((s) => s.status),
      ['past', 'past', 'current', 'upcoming', 'upcoming', 'upcoming'],
    )
  })

  it('refuses a phase that does not start after the one before, or a date that is not one', () => {
    const bad = { ...schedule, voting: schedule.reviewing, results: 'soon' }
    assert.deepEqual(validateSchedule(bad), [
      { code: 'not-after-previous', phase: 'voting', previous: 'reviewing' },
      { code: 'invalid-date', phase: 'results' },
    ])
  })

  it('lets staff change only the phases that have not started, and only to future dates', () => {
    const voting = state('voting')
    assert.deepEqual(editablePhases(voting), ['counting', 'results', 'delivery'])
    const now = at(schedule.voting, DAY)
    // A started phase keeps its date whatever the form says.
    assert.deepEqual(
      scheduleEditProblems(voting, { ...schedule, proposing: '2020-01-01T00:00:00.000Z' }, now),
      [],
    )
    assert.deepEqual(scheduleEditProblems(voting, { ...schedule, counting: now.toISOString() }, now), [
      { code: 'in-the-past', phase: 'counting' },
    ])
    // A draft's opening date may be past: it opens when staff press the button.
    assert.deepEqual(scheduleEditProblems(state('draft'), schedule, at(schedule.proposing, DAY)), [])
  })

  it('says when the current phase ends', () => {
    assert.equal(phaseEnds(state('draft')), schedule.proposing)
    assert.equal(phaseEnds(state('voting')), schedule.counting)
    assert.equal(phaseEnds(state('delivery')), null)
  })
})

describe('phase transitions', () => {
  it('goes draft → proposing → reviewing → voting → counting → results → delivery, one step at a time', () => {
    let s = state('draft')
    const order: ProcessPhase[] = []
    for (let next = nextPhase(s.phase); next; next = nextPhase(s.phase)) {
      s = advancePhase(s, next, at(s.schedule[next], 1), ready)
      order.push(s.phase)
    }
    assert.deepEqual(order, ['proposing', 'reviewing', 'voting', 'counting', 'results', 'delivery'])
    refusedWith(() => advancePhase(s, 'delivery', at(schedule.delivery, DAY), ready), 'last-phase')
  })

  it('refuses to skip a phase or go back', () => {
    refusedWith(() => advancePhase(state('proposing'), 'voting', at(schedule.voting), ready), 'not-next')
    refusedWith(() => advancePhase(state('voting'), 'proposing', at(schedule.voting), ready), 'not-next')
  })

  it('says why a step is refused without throwing (what the staff page shows)', () => {
    assert.equal(transitionRefusal(state('reviewing'), 'voting', at(schedule.voting), ready), null)
    assert.equal(
      transitionRefusal(state('reviewing'), 'voting', at(schedule.voting), {
        ...ready,
        projectsAwaitingReview: 3,
      }),
      'projects-awaiting-review',
    )
  })

  it('draft → proposing needs a budget', () => {
    refusedWith(
      () => advancePhase(state('draft'), 'proposing', at(schedule.proposing), { ...ready, budgets: 0 }),
      'no-budgets',
    )
  })

  it('proposing → reviewing needs nothing but its turn', () => {
    const moved = advancePhase(state('proposing'), 'reviewing', at(schedule.reviewing), {
      ...ready,
      projectsAwaitingReview: 9,
    })
    assert.equal(moved.phase, 'reviewing')
  })

  it('reviewing → voting needs every project reviewed and a feasible project in every budget', () => {
    const now = at(schedule.voting)
    refusedWith(
      () => advancePhase(state('reviewing'), 'voting', now, { ...ready, projectsAwaitingReview: 1 }),
      'projects-awaiting-review',
    )
    refusedWith(
      () => advancePhase(state('reviewing'), 'voting', now, { ...ready, budgetsWithoutFeasibleProjects: 1 }),
      'budget-without-projects',
    )
    assert.equal(advancePhase(state('reviewing'), 'voting', now, ready).phase, 'voting')
  })

  it('voting → counting closes voting at once', () => {
    const closedEarly = advancePhase(state('voting'), 'counting', at(schedule.voting, DAY), ready)
    assert.equal(closedEarly.phase, 'counting')
    assert.equal(isVotingOpen(closedEarly, at(schedule.voting, DAY)), false)
  })

  it('counting → results (publishing) needs every budget counted since its last ballot', () => {
    const now = at(schedule.results)
    refusedWith(
      () => advancePhase(state('counting'), 'results', now, { ...ready, budgetsNotCounted: 1 }),
      'not-counted',
    )
    const published = advancePhase(state('counting'), 'results', now, ready)
    assert.equal(resultsPublished(published), true)
  })

  it('results → delivery is a plain step', () => {
    assert.equal(advancePhase(state('results'), 'delivery', at(schedule.delivery), ready).phase, 'delivery')
  })

  it('moving on early brings the new phase’s start forward to now; on time keeps the schedule', () => {
    const now = at(schedule.voting, -2 * DAY)
    const early = advancePhase(state('reviewing'), 'voting', now, ready)
    assert.equal(early.schedule.voting, now.toISOString())
    assert.equal(early.schedule.reviewing, schedule.reviewing)
    const onTime = advancePhase(state('reviewing'), 'voting', at(schedule.voting, 5), ready)
    assert.deepEqual(onTime.schedule, schedule)
  })

  it('refuses a phase that would be over before it starts (the next date has passed)', () => {
    refusedWith(
      () => advancePhase(state('reviewing'), 'voting', at(schedule.counting, 1), ready),
      'later-phase-date-passed',
    )
  })

  it('the schedule moves only the automatic steps, only once their date has come, only if the guards pass', () => {
    assert.equal(dueTransition(state('proposing'), at(schedule.reviewing, -1), ready), null)
    assert.equal(dueTransition(state('proposing'), at(schedule.reviewing), ready), 'reviewing')
    assert.equal(dueTransition(state('reviewing'), at(schedule.voting), ready), 'voting')
    assert.equal(
      dueTransition(state('reviewing'), at(schedule.voting), { ...ready, projectsAwaitingReview: 2 }),
      null,
    )
    assert.equal(dueTransition(state('voting'), at(schedule.counting), ready), 'counting')
    // Opening, publishing and delivery are staff decisions.
    assert.equal(dueTransition(state('draft'), at(schedule.proposing, DAY), ready), null)
    assert.equal(dueTransition(state('counting'), at(schedule.results, DAY), ready), null)
    assert.equal(dueTransition(state('results'), at(schedule.delivery, DAY), ready), null)
    refusedWith(
      () => advancePhase(state('proposing'), 'reviewing', at(schedule.reviewing, -1), ready, 'scheduled'),
      'not-yet-scheduled',
    )
  })
})

describe('what each phase allows', () => {
  it('takes proposals only while proposing, before the review date', () => {
    assert.equal(isProposingOpen(state('proposing'), at(schedule.reviewing, -1)), true)
    assert.equal(isProposingOpen(state('proposing'), at(schedule.reviewing)), false)
    assert.equal(isProposingOpen(state('reviewing'), at(schedule.proposing)), false)
  })
  it('takes ballots only while voting, between its dates', () => {
    assert.equal(isVotingOpen(state('voting'), at(schedule.voting)), true)
    assert.equal(isVotingOpen(state('voting'), at(schedule.counting, -1)), true)
    assert.equal(isVotingOpen(state('voting'), at(schedule.counting)), false, 'the date alone closes voting')
    assert.equal(isVotingOpen(state('reviewing'), at(schedule.voting)), false)
  })
  it('takes paper ballots while voting and counting; reviews while proposing and reviewing', () => {
    assert.deepEqual(
      (['draft', 'proposing', 'reviewing', 'voting', 'counting', 'results'] as const).map((p) => [
        isPaperEntryOpen(state(p)),
        isReviewOpen(state(p)),
        areBudgetSettingsOpen(state(p)),
      ]),
      [
        [false, false, true],
        [false, true, true],
        [false, true, true],
        [true, false, false],
        [true, false, false],
        [false, false, false],
      ],
    )
  })
})
