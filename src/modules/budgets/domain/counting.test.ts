import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { approvalStyle, costLimitedStyle, cumulativeStyle, rankedStyle } from './ballots.js'
import {
  applicableRules,
  countBudget,
  officialRule,
  parseRuleKey,
  projectTotals,
  ruleKey,
} from './counting.js'

const projects = [
  { id: 'a', cost: 50 },
  { id: 'b', cost: 30 },
  { id: 'c', cost: 30 },
  { id: 'd', cost: 20 },
]

describe('counting a budget', () => {
  it('names rules as text and back', () => {
    for (const key of [
      'greedy',
      'greedy-points',
      'equal-shares/add1',
      'equal-shares/add1-greedy',
      'equal-shares/none',
    ]) {
      assert.equal(ruleKey(parseRuleKey(key)!), key)
    }
    assert.equal(parseRuleKey('equal-shares')?.rule, 'equal-shares')
    assert.equal(parseRuleKey('lottery'), null)
  })

  it('compares the rules that apply to the style; greedy by points only with points or rankings', () => {
    assert.deepEqual(applicableRules('approval').map(ruleKey), ['greedy', 'equal-shares/add1'])
    assert.deepEqual(applicableRules('ranked').map(ruleKey), ['greedy', 'greedy-points', 'equal-shares/add1'])
    assert.equal(
      ruleKey(officialRule(approvalStyle(), 'greedy-points')),
      'equal-shares/add1',
      'not applicable → default',
    )
    assert.equal(ruleKey(officialRule(rankedStyle({ maxRanks: 3 }), null)), 'greedy-points')
  })

  it('a majority takes everything under greedy, not under Equal Shares (with explanations)', () => {
    // 6 voters want x, y and z; 4 want u and v. Each costs 30.00, the budget is 90.00.
    const five = ['x', 'y', 'z', 'u', 'v'].map((id) => ({ id, cost: 3000 }))
    const ballots = [
      ...Array.from({ length: 6 }, () => ({ kind: 'approval' as const, projects: ['x', 'y', 'z'] })),
      ...Array.from({ length: 4 }, () => ({ kind: 'approval' as const, projects: ['u', 'v'] })),
    ]
    const count = countBudget({
      style: approvalStyle(),
      amount: 9000,
      projects: five,
      ballots,
      rule: { rule: 'equal-shares' },
    })
    assert.equal(count.rule, 'equal-shares/add1')
    assert.deepEqual(
      count.comparison.map((c) => [c.rule, c.outcome.selected]),
      [
        ['greedy', ['x', 'y', 'z']],
        ['equal-shares/add1', ['x', 'y', 'u']],
      ],
    )
    assert.equal(count.official.explanations.get('u')?.code, 'selected')
    assert.equal(count.official.explanations.get('v')?.code, 'supporters-could-not-afford')
    assert.equal(count.comparison[0]!.outcome.explanations.get('u')?.code, 'did-not-fit')
    assert.equal(count.ballots, 10)
    assert.deepEqual(count.totals.get('x'), { votes: 6, points: null })
  })

  it('adds a configured rule that is not in the usual comparison', () => {
    const ballots = [{ kind: 'approval' as const, projects: ['a'] }]
    const count = countBudget({
      style: approvalStyle(),
      amount: 100,
      projects,
      ballots,
      rule: { rule: 'equal-shares', completion: 'add1-greedy' },
    })
    assert.deepEqual(
      count.comparison.map((c) => c.rule),
      ['greedy', 'equal-shares/add1', 'equal-shares/add1-greedy'],
    )
  })

  it('counts cumulative points and ranked positions', () => {
    const cumulative = cumulativeStyle({ totalPoints: 10 })
    const points = projectTotals(cumulative, projects, [
      {
        kind: 'cumulative',
        allocations: [
          { projectId: 'a', points: 7 },
          { projectId: 'b', points: 3 },
        ],
      },
      { kind: 'cumulative', allocations: [{ projectId: 'b', points: 10 }] },
    ])
    assert.deepEqual(points.get('b'), { votes: 2, points: 13 })
    const ranked = projectTotals(rankedStyle({ maxRanks: 3 }), projects, [
      { kind: 'ranked', ranking: ['c', 'a', 'b'] },
      { kind: 'ranked', ranking: ['a'] },
    ])
    assert.deepEqual(ranked.get('a'), { votes: 2, points: 5 })
    assert.deepEqual(ranked.get('c'), { votes: 1, points: 3 })
    const count = countBudget({
      style: rankedStyle({ maxRanks: 3 }),
      amount: 80,
      projects,
      ballots: [
        { kind: 'ranked', ranking: ['c', 'a', 'b'] },
        { kind: 'ranked', ranking: ['a'] },
      ],
      rule: { rule: 'greedy-points' },
    })
    assert.deepEqual(count.official.selected, ['a', 'c'])
  })

  it('ignores projects on a ballot that are no longer on the list', () => {
    const count = countBudget({
      style: costLimitedStyle({ budget: 100 }),
      amount: 100,
      projects: projects.slice(0, 2),
      ballots: [{ kind: 'cost-limited', projects: ['a', 'gone'] }],
      rule: { rule: 'greedy' },
    })
    assert.deepEqual(count.official.selected, ['a'])
  })

  it('counts no ballots at all without failing', () => {
    const count = countBudget({
      style: approvalStyle(),
      amount: 100,
      projects,
      ballots: [],
      rule: { rule: 'equal-shares' },
    })
    assert.deepEqual(count.official.selected, [])
    assert.equal(count.official.explanations.get('a')?.code, 'no-support')
  })
})
