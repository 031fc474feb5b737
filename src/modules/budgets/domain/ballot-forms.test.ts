import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ballotFromForm,
  checkSubmittedBallot,
  formValues,
  problemField,
  submittedValues,
  summariseBallot,
} from './ballot-forms.js'
import { approvalStyle, costLimitedStyle, cumulativeStyle, rankedStyle } from './ballots.js'
import type { Project } from './rules/types.js'

const projects: Project[] = [
  { id: '11', cost: 40_000 },
  { id: '12', cost: 30_000 },
  { id: '13', cost: 20_000 },
  { id: '14', cost: 10_000 },
]
const codes = (problems: readonly { code: string }[]) => problems.map((p) => p.code)

describe('approval ballot form', () => {
  const style = approvalStyle({ minProjects: 1, maxProjects: 2 })
  it('reads ticked boxes, one or many', () => {
    assert.deepEqual(ballotFromForm(style, { projects: '11' }, projects).ballot, {
      kind: 'approval',
      projects: ['11'],
    })
    assert.deepEqual(checkSubmittedBallot(style, { projects: ['11', '13'] }, projects).problems, [])
  })
  it('refuses none, too many, and projects not on the ballot', () => {
    assert.deepEqual(codes(checkSubmittedBallot(style, {}, projects).problems), ['too-few-projects'])
    assert.deepEqual(
      codes(checkSubmittedBallot(style, { projects: ['11', '12', '13'] }, projects).problems),
      ['too-many-projects'],
    )
    assert.deepEqual(codes(checkSubmittedBallot(style, { projects: ['99'] }, projects).problems), [
      'unknown-project',
    ])
  })
})

describe('cost-limited (knapsack) ballot form', () => {
  const style = costLimitedStyle({ budget: 60_000 })
  it('accepts choices between 70 % of the budget and the budget', () => {
    assert.deepEqual(checkSubmittedBallot(style, { projects: ['11', '13'] }, projects).problems, [])
    assert.deepEqual(checkSubmittedBallot(style, { projects: ['12', '13'] }, projects).problems, [])
  })
  it('refuses going over the budget and spending under the minimum, with the numbers', () => {
    const over = checkSubmittedBallot(style, { projects: ['11', '12'] }, projects).problems
    assert.deepEqual(over, [{ code: 'over-budget', total: 70_000, budget: 60_000 }])
    const under = checkSubmittedBallot(style, { projects: ['13'] }, projects).problems
    assert.deepEqual(under, [{ code: 'under-minimum-spend', total: 20_000, minimum: 42_000, percent: 70 }])
  })
  it('shows the running total: spent, left, and the minimum', () => {
    const { ballot } = ballotFromForm(style, { projects: ['11', '14'] }, projects)
    const s = summariseBallot(style, ballot, projects, 60_000)
    assert.equal(s.cost, 50_000)
    assert.equal(s.remaining, 10_000)
    assert.equal(s.minimumSpend, 42_000)
    assert.equal(s.count, 2)
  })
})

describe('cumulative (points) ballot form', () => {
  const style = cumulativeStyle({ totalPoints: 10, maxPointsPerProject: 6 })
  it('reads whole points per project; empty and 0 mean none', () => {
    const { ballot, problems } = checkSubmittedBallot(
      style,
      { 'points-11': '6', 'points-12': '', 'points-13': '0', 'points-14': ' 4 ' },
      projects,
    )
    assert.deepEqual(problems, [])
    assert.deepEqual(ballot, {
      kind: 'cumulative',
      allocations: [
        { projectId: '11', points: 6 },
        { projectId: '14', points: 4 },
      ],
    })
    const s = summariseBallot(style, ballot, projects, 100_000)
    assert.equal(s.pointsUsed, 10)
    assert.equal(s.pointsLeft, 0)
  })
  it('refuses text, too many points, and too many on one project', () => {
    const bad = checkSubmittedBallot(style, { 'points-11': 'lots', 'points-12': '2' }, projects)
    assert.deepEqual(codes(bad.problems), ['not-a-number'])
    assert.equal(problemField(bad.problems[0]!, style), 'points-11')
    assert.deepEqual(
      codes(checkSubmittedBallot(style, { 'points-11': '6', 'points-12': '5' }, projects).problems),
      ['too-many-points'],
    )
    const onOne = checkSubmittedBallot(style, { 'points-11': '7' }, projects).problems
    assert.deepEqual(codes(onOne), ['too-many-points-on-project'])
    assert.equal(problemField(onOne[0]!, style), 'points-11')
    assert.deepEqual(codes(checkSubmittedBallot(style, {}, projects).problems), ['too-few-projects'])
  })
  it('with mustUseAllPoints, refuses points left over', () => {
    const all = cumulativeStyle({ totalPoints: 10, mustUseAllPoints: true })
    assert.deepEqual(codes(checkSubmittedBallot(all, { 'points-11': '9' }, projects).problems), [
      'too-few-points',
    ])
  })
})

describe('ranked ballot form', () => {
  const style = rankedStyle({ maxRanks: 3 })
  it('orders projects by the position chosen for each, gaps closed', () => {
    const { ballot, problems } = checkSubmittedBallot(
      style,
      { 'rank-11': '3', 'rank-12': '', 'rank-13': '1', 'rank-14': '2' },
      projects,
    )
    assert.deepEqual(problems, [])
    assert.deepEqual(ballot, { kind: 'ranked', ranking: ['13', '14', '11'] })
    assert.deepEqual(formValues(ballot).ranks, { '13': '1', '14': '2', '11': '3' })
  })
  it('refuses one position given twice, more than k projects, and none', () => {
    assert.deepEqual(
      codes(checkSubmittedBallot(style, { 'rank-11': '1', 'rank-12': '1' }, projects).problems),
      ['duplicate-rank'],
    )
    const four = { 'rank-11': '1', 'rank-12': '2', 'rank-13': '3', 'rank-14': '4' }
    assert.deepEqual(codes(checkSubmittedBallot(style, four, projects).problems), ['too-many-projects'])
    assert.deepEqual(codes(checkSubmittedBallot(style, {}, projects).problems), ['too-few-projects'])
    assert.equal(problemField({ code: 'too-few-projects', count: 0, min: 1 }, style), 'ranking')
  })
})

describe('form values', () => {
  it('show a refused form again exactly as it was filled in', () => {
    assert.deepEqual(
      submittedValues({ 'rank-11': '1', 'rank-12': '1', 'points-13': 'lots', projects: '14' }, projects),
      {
        projects: ['14'],
        points: { '13': 'lots' },
        ranks: { '11': '1', '12': '1' },
      },
    )
  })
  it('shows a stored ballot again', () => {
    assert.deepEqual(formValues({ kind: 'approval', projects: ['11'] }).projects, ['11'])
    assert.deepEqual(
      formValues({ kind: 'cumulative', allocations: [{ projectId: '12', points: 3 }] }).points,
      { '12': '3' },
    )
    assert.deepEqual(formValues(null), { projects: [], points: {}, ranks: {} })
  })
})
