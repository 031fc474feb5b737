import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { greedyByPoints, greedyByVotes, KRAKOW_POINTS, positionalPoints } from './greedy.js'
import { tally } from './tally.js'
import { type Instance, RuleInputError } from './types.js'

const instance = (budget: number, costs: Record<string, number>): Instance => ({
  budget,
  projects: Object.entries(costs).map(([id, cost]) => ({ id, cost })),
})

describe('greedy by votes', () => {
  it('takes projects by votes and skips the ones that no longer fit', () => {
    const inst = instance(100, { a: 60, b: 50, c: 30, d: 20 })
    const ballots = [['a', 'b'], ['a', 'b', 'c'], ['a', 'c', 'd'], ['b']]
    // votes: a 3, b 3, c 2, d 1. a and b tie on votes and supporters: cheaper b first.
    const out = greedyByVotes(inst, ballots)
    assert.deepEqual(out.selected, ['b', 'c', 'd'])
    assert.equal(out.cost, 100)
    assert.deepEqual(out.explanations.get('b'), {
      code: 'selected-by-score',
      score: 3,
      supporters: 3,
      rank: 1,
      remainingBefore: 100,
    })
    assert.deepEqual(out.explanations.get('a'), {
      code: 'did-not-fit',
      score: 3,
      supporters: 3,
      cost: 60,
      remainingBudget: 50,
    })
  })

  it('lists selected projects in the instance order, not the order taken', () => {
    const inst = instance(100, { x: 10, y: 10, z: 10 })
    const out = greedyByVotes(inst, [['z'], ['z'], ['y']])
    assert.deepEqual(out.selected, ['y', 'z'])
  })

  it('breaks a full tie (votes, supporters, cost) by listing order', () => {
    const inst = instance(10, { p: 10, q: 10 })
    assert.deepEqual(greedyByVotes(inst, [['p'], ['q']]).selected, ['p'])
    const swapped = instance(10, { q: 10, p: 10 })
    assert.deepEqual(greedyByVotes(swapped, [['p'], ['q']]).selected, ['q'])
  })

  it('follows an explicit tie-breaking order when given', () => {
    const inst = instance(10, { p: 10, q: 10 })
    assert.deepEqual(greedyByVotes(inst, [['p'], ['q']], { tieBreakOrder: ['q', 'p'] }).selected, ['q'])
  })

  it('funds a project costing exactly the remaining budget', () => {
    const out = greedyByVotes(instance(70, { a: 50, b: 20 }), [['a', 'b']])
    assert.deepEqual(out.selected, ['a', 'b'])
    assert.equal(out.cost, 70)
  })

  it('never funds a project nobody voted for, even if it fits', () => {
    const out = greedyByVotes(instance(1000, { a: 10, b: 10 }), [['a']])
    assert.deepEqual(out.selected, ['a'])
    assert.deepEqual(out.explanations.get('b'), { code: 'no-support', cost: 10 })
  })

  it('handles a zero budget, no ballots and projects dearer than the budget', () => {
    assert.deepEqual(greedyByVotes(instance(0, { a: 1 }), [['a']]).selected, [])
    const none = greedyByVotes(instance(100, { a: 1 }), [])
    assert.deepEqual(none.selected, [])
    assert.equal(none.cost, 0)
    assert.deepEqual(greedyByVotes(instance(100, { a: 101, b: 100 }), [['a', 'b']]).selected, ['b'])
  })

  it('counts voters who approve nothing as ballots that change nothing', () => {
    const inst = instance(300, { A: 200, B: 100 })
    const withBlank = greedyByVotes(inst, [['A'], ['A'], ['B'], [], []])
    assert.deepEqual(withBlank.selected, ['A', 'B'])
    assert.deepEqual(withBlank.explanations, greedyByVotes(inst, [['A'], ['A'], ['B']]).explanations)
  })

  it('rejects ballots naming unknown or repeated projects', () => {
    const inst = instance(100, { a: 10 })
    assert.throws(
      () => greedyByVotes(inst, [['zz']]),
      (e: unknown) => e instanceof RuleInputError && e.code === 'unknown-project',
    )
    assert.throws(
      () => greedyByVotes(inst, [['a', 'a']]),
      (e: unknown) => e instanceof RuleInputError && e.code === 'duplicate-project',
    )
  })

  it('rejects money that is not whole minor units', () => {
    assert.throws(
      () => greedyByVotes(instance(10.5, { a: 1 }), []),
      (e: unknown) => e instanceof RuleInputError && e.code === 'invalid-money',
    )
    assert.throws(
      () => greedyByVotes(instance(10, { a: -1 }), []),
      (e: unknown) => e instanceof RuleInputError && e.code === 'invalid-money',
    )
  })
})

describe('greedy by points (ranked ballots)', () => {
  it('scores 3/2/1 by position, as Kraków counts', () => {
    assert.deepEqual(positionalPoints([['a', 'b', 'c']], KRAKOW_POINTS), [
      { projects: ['a', 'b', 'c'], points: [3, 2, 1] },
    ])
    assert.deepEqual(positionalPoints([['a', 'b', 'c', 'd']], 3), [
      { projects: ['a', 'b', 'c', 'd'], points: [3, 2, 1, 0] },
    ])
  })

  it('ranks by points, not by number of ballots', () => {
    // a: named twice in 3rd place (2 points); b: once in 1st place (3 points).
    const rankings = [
      ['c', 'd', 'a'],
      ['c', 'd', 'a'],
      ['b', 'c', 'd'],
    ]
    const inst2 = instance(10, { a: 10, b: 10, c: 100, d: 100 })
    const byPoints = tally(inst2, { kind: 'ranked', rankings, pointsScale: 3 }, { rule: 'greedy-points' })
    const byVotes = tally(inst2, { kind: 'ranked', rankings, pointsScale: 3 }, { rule: 'greedy' })
    assert.deepEqual(byPoints.selected, ['b']) // b 3 points > a 2 points
    assert.deepEqual(byVotes.selected, ['a']) // a 2 ballots > b 1 ballot
  })

  it('breaks equal points by number of supporters', () => {
    const inst = instance(10, { a: 10, b: 10 })
    // a: 3 points from one voter; b: 1 + 1 + 1 from three voters.
    const out = greedyByPoints(inst, [
      { projects: ['a'], points: [3] },
      { projects: ['b'], points: [1] },
      { projects: ['b'], points: [1] },
      { projects: ['b'], points: [1] },
    ])
    assert.deepEqual(out.selected, ['b'])
    assert.equal(out.rule, 'greedy-points')
  })

  it('rejects mismatched or negative points', () => {
    const inst = instance(10, { a: 10 })
    assert.throws(() => greedyByPoints(inst, [{ projects: ['a'], points: [] }]), RuleInputError)
    assert.throws(() => greedyByPoints(inst, [{ projects: ['a'], points: [-1] }]), RuleInputError)
  })

  it('refuses greedy-points on approval ballots', () => {
    assert.throws(
      () => tally(instance(10, { a: 1 }), { kind: 'approval', ballots: [] }, { rule: 'greedy-points' }),
      RuleInputError,
    )
  })
})
