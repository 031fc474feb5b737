import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { adjustedRandIndex } from './ari.js'

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other label names', () => {
    assert.equal(adjustedRandIndex([0, 0, 1, 1, 2], ['b', 'b', 'a', 'a', 'c']), 1)
  })

  it('matches a hand-computed value', () => {
    // Contingency 2,1 / 1,2: index 2, row pairs 6, column pairs 3, expected 6·3/15 = 1.2,
    // maximum 4.5: (2 − 1.2) / (4.5 − 1.2) = 0.2424…
    const ari = adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])
    assert.ok(Math.abs(ari - 0.8 / 3.3) < 1e-12)
  })

  it('is negative for worse than chance and 1 for two trivial labelings', () => {
    assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) + 0.5) < 1e-12)
    assert.equal(adjustedRandIndex([1, 1, 1], [2, 2, 2]), 1)
    assert.equal(adjustedRandIndex([1, 1, 1], [1, 2, 2]), 0)
  })

  it('rejects labelings of different lengths', () => {
    assert.throws(() => adjustedRandIndex([1], [1, 2]), RangeError)
  })
})
