import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  approvalStyle,
  type Ballot,
  costLimitedStyle,
  countableBallots,
  cumulativeStyle,
  DEFAULT_MIN_SPEND_PERCENT,
  isValidBallot,
  minimumSpend,
  rankedStyle,
  validateBallot,
  validateStyle,
} from './ballots.js'
import type { Project } from './rules/types.js'

const projects: Project[] = [
  { id: 'a', cost: 40_000 },
  { id: 'b', cost: 30_000 },
  { id: 'c', cost: 20_000 },
  { id: 'd', cost: 10_000 },
]
const codes = (problems: readonly { code: string }[]) => problems.map((p) => p.code)

describe('approval ballots', () => {
  const style = approvalStyle({ minProjects: 2, maxProjects: 3 })
  it('accepts a ballot within the limits', () => {
    assert.deepEqual(validateBallot(style, { kind: 'approval', projects: ['a', 'b'] }, projects), [])
  })
  it('reports too few and too many projects with the numbers', () => {
    assert.deepEqual(validateBallot(style, { kind: 'approval', projects: ['a'] }, projects), [
      { code: 'too-few-projects', count: 1, min: 2 },
    ])
    assert.deepEqual(validateBallot(style, { kind: 'approval', projects: ['a', 'b', 'c', 'd'] }, projects), [
      { code: 'too-many-projects', count: 4, max: 3 },
    ])
  })
  it('reports unknown and repeated projects', () => {
    assert.deepEqual(
      codes(validateBallot(style, { kind: 'approval', projects: ['a', 'zz', 'a'] }, projects)),
      ['unknown-project', 'duplicate-project'],
    )
  })
  it('rejects a ballot of another kind', () => {
    assert.deepEqual(validateBallot(style, { kind: 'ranked', ranking: ['a', 'b'] }, projects), [
      { code: 'wrong-ballot-kind', expected: 'approval', got: 'ranked' },
    ])
  })
  it('defaults to at least one project and no maximum', () => {
    const open = approvalStyle()
    assert.deepEqual(codes(validateBallot(open, { kind: 'approval', projects: [] }, projects)), [
      'too-few-projects',
    ])
    assert.equal(isValidBallot(open, { kind: 'approval', projects: ['a', 'b', 'c', 'd'] }, projects), true)
  })
})

describe('cost-limited (knapsack) ballots', () => {
  const style = costLimitedStyle({ budget: 60_000 })
  it('defaults to a 70 % minimum spend, as Decidim', () => {
    assert.equal(DEFAULT_MIN_SPEND_PERCENT, 70)
    assert.equal(style.kind === 'cost-limited' && style.minSpendPercent, 70)
  })
  it('accepts spending exactly the budget and exactly the minimum', () => {
    assert.deepEqual(validateBallot(style, { kind: 'cost-limited', projects: ['a', 'c'] }, projects), [])
    // 70 % of 60,000 = 42,000; a + d = 50,000 passes, b + d = 40,000 does not.
    assert.deepEqual(validateBallot(style, { kind: 'cost-limited', projects: ['a', 'd'] }, projects), [])
  })
  it('reports over-budget with the totals', () => {
    assert.deepEqual(validateBallot(style, { kind: 'cost-limited', projects: ['a', 'b'] }, projects), [
      { code: 'over-budget', total: 70_000, budget: 60_000 },
    ])
  })
  it('reports under-minimum-spend with the minimum', () => {
    assert.deepEqual(validateBallot(style, { kind: 'cost-limited', projects: ['b', 'd'] }, projects), [
      { code: 'under-minimum-spend', total: 40_000, minimum: 42_000, percent: 70 },
    ])
  })
  it('rounds the minimum up to the next cent, exactly', () => {
    const odd = costLimitedStyle({ budget: 100_001 })
    assert.equal(odd.kind === 'cost-limited' && minimumSpend(odd, [{ id: 'x', cost: 1_000_000 }]), 70_001)
    const third = costLimitedStyle({ budget: 100, minSpendPercent: 33.3 })
    assert.equal(third.kind === 'cost-limited' && minimumSpend(third, [{ id: 'x', cost: 1_000 }]), 34)
  })
  it('caps the minimum at what all projects cost together', () => {
    const big = costLimitedStyle({ budget: 1_000_000 })
    assert.equal(big.kind === 'cost-limited' && minimumSpend(big, projects), 100_000)
    assert.deepEqual(
      validateBallot(big, { kind: 'cost-limited', projects: ['a', 'b', 'c', 'd'] }, projects),
      [],
    )
  })
  it('does not count a repeated project twice', () => {
    assert.deepEqual(
      codes(validateBallot(style, { kind: 'cost-limited', projects: ['a', 'c', 'c'] }, projects)),
      ['duplicate-project'],
    )
  })
  it('with 0 % it is CONSUL knapsack: anything up to the budget', () => {
    const knapsack = costLimitedStyle({ budget: 60_000, minSpendPercent: 0 })
    assert.deepEqual(validateBallot(knapsack, { kind: 'cost-limited', projects: ['d'] }, projects), [])
  })
})

describe('cumulative ballots', () => {
  const style = cumulativeStyle({ totalPoints: 10, maxPointsPerProject: 5 })
  const ballot = (allocations: { projectId: string; points: number }[]): Ballot => ({
    kind: 'cumulative',
    allocations,
  })
  it('accepts points within the limits', () => {
    assert.deepEqual(
      validateBallot(
        style,
        ballot([
          { projectId: 'a', points: 5 },
          { projectId: 'b', points: 3 },
        ]),
        projects,
      ),
      [],
    )
  })
  it('reports too many points in total and on one project', () => {
    assert.deepEqual(
      validateBallot(
        style,
        ballot([
          { projectId: 'a', points: 6 },
          { projectId: 'b', points: 5 },
        ]),
        projects,
      ),
      [
        { code: 'too-many-points-on-project', projectId: 'a', points: 6, max: 5 },
        { code: 'too-many-points', total: 11, max: 10 },
      ],
    )
  })
  it('reports points that are not positive whole numbers', () => {
    assert.deepEqual(
      codes(
        validateBallot(
          style,
          ballot([
            { projectId: 'a', points: 1.5 },
            { projectId: 'b', points: 0 },
          ]),
          projects,
        ),
      ),
      ['invalid-points', 'invalid-points'],
    )
  })
  it('can require every point to be used', () => {
    const all = cumulativeStyle({ totalPoints: 10, mustUseAllPoints: true })
    assert.deepEqual(validateBallot(all, ballot([{ projectId: 'a', points: 9 }]), projects), [
      { code: 'too-few-points', total: 9, required: 10 },
    ])
  })
  it('turns into points ballots for counting', () => {
    assert.deepEqual(countableBallots(style, [ballot([{ projectId: 'a', points: 4 }])]), {
      kind: 'points',
      ballots: [{ projects: ['a'], points: [4] }],
    })
  })
})

describe('ranked ballots', () => {
  const style = rankedStyle({ maxRanks: 3, minRanks: 3 })
  it('accepts exactly k distinct projects, like Kraków', () => {
    assert.deepEqual(validateBallot(style, { kind: 'ranked', ranking: ['c', 'a', 'b'] }, projects), [])
  })
  it('reports too few, too many and repeated choices', () => {
    assert.deepEqual(codes(validateBallot(style, { kind: 'ranked', ranking: ['a', 'b'] }, projects)), [
      'too-few-projects',
    ])
    assert.deepEqual(
      codes(validateBallot(style, { kind: 'ranked', ranking: ['a', 'b', 'c', 'd'] }, projects)),
      ['too-many-projects'],
    )
    assert.deepEqual(codes(validateBallot(style, { kind: 'ranked', ranking: ['a', 'b', 'a'] }, projects)), [
      'duplicate-project',
    ])
  })
  it('counts with k = maxRanks points for a first choice', () => {
    assert.deepEqual(countableBallots(style, [{ kind: 'ranked', ranking: ['c', 'a', 'b'] }]), {
      kind: 'ranked',
      rankings: [['c', 'a', 'b']],
      pointsScale: 3,
    })
  })
})

describe('style settings', () => {
  it('accept sensible settings', () => {
    assert.deepEqual(validateStyle(approvalStyle({ minProjects: 1, maxProjects: 15 })), [])
    assert.deepEqual(validateStyle(costLimitedStyle({ budget: 100 })), [])
    assert.deepEqual(validateStyle(cumulativeStyle({ totalPoints: 10 })), [])
    assert.deepEqual(validateStyle(rankedStyle({ maxRanks: 3 })), [])
  })
  it('report min above max, bad numbers and percentages', () => {
    assert.deepEqual(codes(validateStyle(approvalStyle({ minProjects: 5, maxProjects: 2 }))), [
      'min-above-max',
    ])
    assert.deepEqual(codes(validateStyle(costLimitedStyle({ budget: 0, minSpendPercent: 120 }))), [
      'invalid-number',
      'percent-out-of-range',
    ])
    assert.deepEqual(codes(validateStyle(cumulativeStyle({ totalPoints: 2.5 }))), ['invalid-number'])
    assert.deepEqual(codes(validateStyle(rankedStyle({ maxRanks: 0 }))), ['invalid-number', 'min-above-max'])
  })
})
