import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { silhouette } from './silhouette.js'

describe('silhouette (Pol.is clusters.clj)', () => {
  it('matches a hand-computed value, a lone point scoring 0', () => {
    // On a line: {0, 1} and {10}. s(0) = (10 − 1)/10, s(1) = (9 − 1)/9, s(10) = 0 (alone).
    const points = Float64Array.of(0, 0, 1, 0, 10, 0)
    const s = silhouette(points, Int32Array.of(0, 0, 1), 2)
    assert.ok(Math.abs(s - (0.9 + 8 / 9 + 0) / 3) < 1e-12)
  })

  it('is near 1 for tight, distant clusters and negative for a bad split', () => {
    const points = Float64Array.of(0, 0, 0, 1, 100, 0, 100, 1)
    assert.ok(silhouette(points, Int32Array.of(0, 0, 1, 1), 2) > 0.98)
    assert.ok(silhouette(points, Int32Array.of(0, 1, 0, 1), 2) < 0)
  })

  it('is 0 with a single cluster', () => {
    assert.equal(silhouette(Float64Array.of(0, 0, 1, 1), Int32Array.of(0, 0), 1), 0)
  })
})
