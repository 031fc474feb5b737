import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  consensusStatements,
  countGroupVotes,
  divisiveStatements,
  groupInformedConsensus,
  representativeStatements,
} from './repness.js'
import { propTest, twoPropTest } from './stats.js'
import type { GroupVotes } from './types.js'
import { voteMatrixFromEntries } from './vote-matrix.js'

const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`)

/** Group tallies per statement: [agree, disagree, seen]. */
function tallies(...perStatement: Array<[number, number, number]>): GroupVotes {
  return {
    agree: Int32Array.from(perStatement.map((t) => t[0])),
    disagree: Int32Array.from(perStatement.map((t) => t[1])),
    seen: Int32Array.from(perStatement.map((t) => t[2])),
  }
}

describe('group vote counts', () => {
  it('counts agree, disagree and seen per group and for everyone in one pass', () => {
    const matrix = voteMatrixFromEntries(
      [1, 2, 3],
      [7, 8],
      Int32Array.of(0, 0, 1, 2, 2),
      Int32Array.of(0, 1, 0, 0, 1),
      Int8Array.of(1, -1, 0, -1, 1),
    )
    const { groups, everyone } = countGroupVotes(matrix, Int32Array.of(0, 1, -1), 2)
    assert.deepEqual([...groups[0]!.agree], [1, 0])
    assert.deepEqual([...groups[0]!.disagree], [0, 1])
    assert.deepEqual([...groups[1]!.seen], [1, 0])
    assert.deepEqual([...everyone.seen], [3, 2])
    assert.deepEqual([...everyone.agree], [1, 1])
  })
})

describe('representative statements (Pol.is repness.clj)', () => {
  // Statement 10: group 0 agrees 9 of 10 (1 disagrees); group 1 disagrees 8 of 10 (1 agrees, 1 passes).
  const votes = [tallies([9, 1, 10]), tallies([1, 8, 10])]
  const excluded = new Uint8Array(1)

  it('scores a group against the others with the z-tests and ratios', () => {
    const [forAgreeing, forDisagreeing] = representativeStatements(votes, excluded, [10])
    const agree = forAgreeing![0]!
    assert.equal(agree.repfulFor, 'agree')
    assert.equal(agree.bestAgree, true)
    close(agree.pSuccess, 10 / 12)
    close(agree.pTest, propTest(9, 10))
    close(agree.pTest, 2.7136021011998723)
    close(agree.repness, 10 / 12 / (2 / 12)) // 5
    close(agree.repnessTest, twoPropTest(9, 1, 10, 10))
    close(agree.repnessTest, 3.425395354310701)
    const disagree = forDisagreeing![0]!
    assert.equal(disagree.repfulFor, 'disagree')
    assert.equal(disagree.bestAgree, false)
    close(disagree.pSuccess, 9 / 12)
    close(disagree.repness, 9 / 12 / (2 / 12)) // 4.5
    close(disagree.repnessTest, 2.9848100289785466)
  })

  it('ranks passing statements, the best agree first, agrees before disagrees, at most 5', () => {
    const many = [
      tallies([9, 1, 10], [2, 7, 10], [8, 1, 10], [9, 0, 10], [10, 0, 10], [7, 2, 10], [6, 3, 10]),
      tallies([1, 8, 10], [8, 1, 10], [1, 8, 10], [0, 9, 10], [5, 5, 10], [1, 7, 10], [1, 8, 10]),
    ]
    const [first] = representativeStatements(many, new Uint8Array(7), [0, 1, 2, 3, 4, 5, 6])
    assert.equal(first!.length, 5)
    assert.equal(first![0]!.bestAgree, true)
    const kinds = first!.map((r) => r.repfulFor)
    assert.deepEqual(kinds, [...kinds].sort())
    assert.ok(!first!.some((r) => r.statementId === 4 && r.repfulFor === 'disagree'))
  })

  it('never uses excluded statements, and falls back to the best single statement', () => {
    const [first, second] = representativeStatements(votes, Uint8Array.of(1), [10])
    assert.deepEqual(first, [])
    assert.deepEqual(second, [])
    // Nothing significant: each group still gets its best statement.
    const weak = [tallies([2, 1, 4]), tallies([1, 2, 4])]
    const [a, b] = representativeStatements(weak, new Uint8Array(1), [3])
    assert.equal(a!.length, 1)
    assert.equal(b!.length, 1)
  })
})

describe('consensus, group-informed consensus and divisive statements', () => {
  it('consensus: agree share > ½ and a significant one-proportion test, over everyone', () => {
    // Statement 1: 17 of 20 agree; statement 2: 10 agree, 9 disagree; statement 3: 15 of 18 disagree.
    const everyone = tallies([17, 1, 20], [10, 9, 20], [1, 15, 18])
    const { agree, disagree } = consensusStatements(everyone, new Uint8Array(3), [1, 2, 3])
    assert.deepEqual(
      agree.map((s) => s.statementId),
      [1],
    )
    close(agree[0]!.pSuccess, 18 / 22)
    close(agree[0]!.pTest, 3.273268353539885)
    assert.deepEqual(
      disagree.map((s) => s.statementId),
      [3],
    )
  })

  it('group-informed consensus is the product of (agree + 1)/(seen + 2) over groups', () => {
    const votes = [tallies([9, 1, 10], [8, 0, 10]), tallies([1, 8, 10], [9, 1, 10])]
    const gic = groupInformedConsensus(votes, new Uint8Array(2), [10, 11])
    assert.equal(gic[0]!.statementId, 11)
    close(gic[0]!.value, (9 / 12) * (10 / 12))
    close(gic[1]!.value, (10 / 12) * (2 / 12))
  })

  it('a statement is divisive when one group agrees and another disagrees, both significantly', () => {
    const votes = [tallies([9, 1, 10], [8, 0, 10]), tallies([1, 8, 10], [9, 1, 10])]
    const divisive = divisiveStatements(votes, new Uint8Array(2), [10, 11])
    assert.equal(divisive.length, 1)
    assert.equal(divisive[0]!.statementId, 10)
    assert.equal(divisive[0]!.agreeingGroup, 0)
    assert.equal(divisive[0]!.disagreeingGroup, 1)
    close(divisive[0]!.divisiveness, (8 / 12 - -7 / 12) / 2)
  })
})
