import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { projectParticipants, projectStatements } from './projection.js'
import { voteMatrixFromEntries } from './vote-matrix.js'

const close = (actual: number, expected: number, tolerance = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`)

describe('sparsity-aware projection (Pol.is pca.clj)', () => {
  // Three statements; components (1,1,0)/√2 and (0,0,1); means 0 except statement 0 (½).
  const pc1 = Float64Array.of(Math.SQRT1_2, Math.SQRT1_2, 0)
  const pc2 = Float64Array.of(0, 0, 1)
  const means = Float64Array.of(0.5, 0, 0)

  it('projects only the votes cast and scales by √(statements / votes)', () => {
    const matrix = voteMatrixFromEntries(
      [1, 2],
      [1, 2, 3],
      Int32Array.of(0, 0, 0, 1),
      Int32Array.of(0, 1, 2, 1),
      Int8Array.of(1, 1, -1, 1),
    )
    const xy = projectParticipants(matrix, means, [pc1, pc2], new Uint8Array(3))
    // Row 0 voted on all three: ((1 − ½)·0.707 + 1·0.707, −1), scale √(3/3).
    close(xy[0], 1.5 * Math.SQRT1_2)
    close(xy[1], -1)
    // Row 1 voted once (statement 1): 1·0.707, pushed out by √(3/1).
    close(xy[2], Math.SQRT1_2 * Math.sqrt(3))
    close(xy[3], 0)
  })

  it('counts moderated-out columns as votes in the scale, as Pol.is zeroes them in every row', () => {
    const matrix = voteMatrixFromEntries([1], [1, 2, 3], Int32Array.of(0), Int32Array.of(1), Int8Array.of(1))
    const excluded = Uint8Array.of(0, 0, 1)
    const xy = projectParticipants(matrix, means, [pc1, pc2], excluded)
    // One real vote plus one zeroed column: scale √(3/2).
    close(xy[0], Math.SQRT1_2 * Math.sqrt(3 / 2))
  })

  it('places each statement where a participant agreeing with it alone would be', () => {
    const { projection, extremity } = projectStatements(means, [pc1, pc2], Uint8Array.of(0, 0, 1))
    close(projection[0], 0.5 * Math.SQRT1_2 * Math.sqrt(3))
    close(extremity[1], Math.SQRT1_2 * Math.sqrt(3))
    assert.equal(extremity[2], 0)
  })
})
