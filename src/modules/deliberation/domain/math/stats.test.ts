import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isSignificant90, propTest, twoPropTest, Z_90 } from './stats.js'

const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`)

describe('Pol.is z-tests', () => {
  it('one-proportion test with pseudocounts: 2·√(n+1)·((s+1)/(n+1) − ½)', () => {
    close(propTest(3, 3), 2) // 2·2·(4/4 − ½)
    close(propTest(0, 0), 1) // 2·1·(1 − ½)
    close(propTest(1, 3), 0) // exactly half
    close(propTest(9, 10), 2 * Math.sqrt(11) * (10 / 11 - 0.5))
    assert.ok(propTest(0, 10) < 0)
  })

  it('two-proportion test with every count plus one', () => {
    // (3+1)/(3+1) = 1 against (1+1)/(7+1) = ¼, pooled ½: z = ¾ / √(¼·(¼ + ⅛)) = √6
    close(twoPropTest(3, 1, 3, 7), Math.sqrt(6))
    close(twoPropTest(9, 1, 10, 10), 3.425395354310701)
    // Symmetric: swapping the groups flips the sign.
    close(twoPropTest(1, 3, 7, 3), -Math.sqrt(6))
  })

  it('returns 0 when the pooled proportion is 1, as Pol.is does', () => {
    assert.equal(twoPropTest(2, 3, 2, 3), 0)
  })

  it('90 % one-sided significance is z > 1.2816', () => {
    assert.equal(Z_90, 1.2816)
    assert.equal(isSignificant90(1.2816), false)
    assert.equal(isSignificant90(1.2817), true)
  })
})
