import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { kmeans, kmeansPlusPlus, lloyd } from './kmeans.js'
import { mulberry32 } from './random.js'

/** Plain Lloyd's iterations, the definition the accelerated version must reproduce. */
function plainLloyd(points: Float64Array, weights: Float64Array, start: Float64Array): Int32Array {
  let centers = Float64Array.from(start)
  const n = weights.length
  const assignment = new Int32Array(n).fill(-1)
  for (let iteration = 0; iteration < 1000; iteration++) {
    let changed = false
    const k = centers.length / 2
    for (let i = 0; i < n; i++) {
      let best = 0
      let bestD = Number.POSITIVE_INFINITY
      for (let c = 0; c < k; c++) {
        const d = (points[2 * i] - centers[2 * c]) ** 2 + (points[2 * i + 1] - centers[2 * c + 1]) ** 2
        if (d < bestD) {
          bestD = d
          best = c
        }
      }
      if (assignment[i] !== best) changed = true
      assignment[i] = best
    }
    if (!changed) break
    const sums = new Float64Array(3 * k)
    for (let i = 0; i < n; i++) {
      const c = assignment[i]
      sums[3 * c] += weights[i] * points[2 * i]
      sums[3 * c + 1] += weights[i] * points[2 * i + 1]
      sums[3 * c + 2] += weights[i]
    }
    const next: number[] = []
    const remap = new Int32Array(k).fill(-1)
    for (let c = 0; c < k; c++) {
      if (sums[3 * c + 2] === 0) continue
      remap[c] = next.length / 2
      next.push(sums[3 * c] / sums[3 * c + 2], sums[3 * c + 1] / sums[3 * c + 2])
    }
    for (let i = 0; i < n; i++) assignment[i] = remap[assignment[i]]
    centers = Float64Array.from(next)
  }
  return assignment
}

function blobs(n: number, seed: number): Float64Array {
  const random = mulberry32(seed)
  const points = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const g = i % 3
    points[2 * i] = 4 * Math.cos((2 * Math.PI * g) / 3) + (random() - 0.5) * 3
    points[2 * i + 1] = 4 * Math.sin((2 * Math.PI * g) / 3) + (random() - 0.5) * 3
  }
  return points
}

describe('weighted k-means', () => {
  it('splits two obvious pairs, with weighted means as centres', () => {
    const points = Float64Array.of(0, 0, 0, 1, 10, 0, 10, 1)
    const result = lloyd(points, Float64Array.of(1, 1, 1, 3), Float64Array.of(0, 0, 10, 0))
    assert.deepEqual([...result.assignment], [0, 0, 1, 1])
    assert.deepEqual([...result.centers], [0, 0.5, 10, 0.75])
    assert.deepEqual([...result.clusterWeights], [2, 4])
    // Σ w·d² = 2·0.25 + 0.75² + 3·0.25²
    assert.ok(Math.abs(result.inertia - (0.5 + 0.5625 + 0.1875)) < 1e-12)
  })

  it('the accelerated Lloyd gives exactly the plain Lloyd result', () => {
    const points = blobs(600, 4)
    const weights = Float64Array.from({ length: 600 }, (_, i) => 1 + (i % 4))
    for (const k of [2, 5, 30]) {
      const start = kmeansPlusPlus(points, weights, k, mulberry32(k))
      assert.deepEqual(
        [...lloyd(points, weights, start, 1000).assignment],
        [...plainLloyd(points, weights, start)],
      )
    }
  })

  it('drops clusters that end up empty, as Pol.is does', () => {
    const points = Float64Array.of(0, 0, 1, 0)
    const result = lloyd(points, Float64Array.of(1, 1), Float64Array.of(0, 0, 1, 0, 50, 50))
    assert.equal(result.centers.length, 4)
  })

  it('k-means++ never seeds more centres than distinct points', () => {
    const points = Float64Array.of(1, 1, 1, 1, 2, 2, 2, 2)
    const centers = kmeansPlusPlus(points, Float64Array.of(1, 1, 1, 1), 10, mulberry32(1))
    assert.equal(centers.length, 4)
  })

  it('keeps the tightest of its restarts and is reproducible for a seed', () => {
    const points = blobs(300, 7)
    const weights = new Float64Array(300).fill(1)
    const one = kmeans(points, weights, { k: 3, restarts: 1, random: mulberry32(3) })
    const many = kmeans(points, weights, { k: 3, restarts: 10, random: mulberry32(3) })
    const again = kmeans(points, weights, { k: 3, restarts: 10, random: mulberry32(3) })
    assert.ok(many.inertia <= one.inertia + 1e-9)
    assert.deepEqual([...many.assignment], [...again.assignment])
    // The three blobs are found: points i, i+3, i+6… share a cluster.
    for (let i = 3; i < 300; i++) assert.equal(many.assignment[i], many.assignment[i % 3])
  })

  it('stops early once no centre moves more than the tolerance', () => {
    const points = blobs(900, 2)
    const weights = new Float64Array(900).fill(1)
    const start = kmeansPlusPlus(points, weights, 40, mulberry32(5))
    const exact = lloyd(points, weights, start, 1000)
    const rough = lloyd(points, weights, start, 1000, 0.05)
    assert.ok(rough.inertia >= exact.inertia - 1e-9)
    assert.ok(rough.inertia < exact.inertia * 1.05)
  })
})
