import { columnCount, rowCount, type VoteMatrix } from './vote-matrix.js'

/**
 * Pol.is's sparsity-aware projection (pca.clj `sparsity-aware-project-ptpt`): a participant is
 * projected using only the statements they voted on, then pushed out from the centre by
 * √(statements / votes), so someone with few votes is not pulled to the middle of the map.
 *
 * Pol.is zeroes moderated-out columns in every row, so each of them counts as a vote in that
 * scale (a 0 that contributes nothing to the dot product). We count them the same way.
 * Returns x, y interleaved, one pair per row.
 */
export function projectParticipants(
  matrix: VoteMatrix,
  means: Float64Array,
  components: readonly Float64Array[],
  excluded: Uint8Array,
): Float64Array {
  const n = rowCount(matrix)
  const m = columnCount(matrix)
  const pc1 = components[0] ?? new Float64Array(m)
  const pc2 = components[1] ?? new Float64Array(m)
  let excludedCount = 0
  for (let j = 0; j < m; j++) excludedCount += excluded[j]
  // Each cell's contribution depends only on its column and vote (−1, 0, 1): tabulate them.
  const toX = new Float64Array(3 * m)
  const toY = new Float64Array(3 * m)
  const counts = new Uint8Array(m)
  for (let j = 0; j < m; j++) {
    if (excluded[j]) continue
    counts[j] = 1
    for (let v = -1; v <= 1; v++) {
      toX[3 * j + v + 1] = (v - means[j]) * pc1[j]
      toY[3 * j + v + 1] = (v - means[j]) * pc2[j]
    }
  }
  const out = new Float64Array(2 * n)
  const { rowStart, column, value } = matrix
  for (let i = 0; i < n; i++) {
    let x = 0
    let y = 0
    let votes = excludedCount
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const j = column[e]
      const cell = 3 * j + value[e] + 1
      x += toX[cell]
      y += toY[cell]
      votes += counts[j]
    }
    const scale = Math.sqrt(m / Math.max(votes, 1))
    out[2 * i] = x * scale
    out[2 * i + 1] = y * scale
  }
  return out
}

/**
 * Where each statement sits on the map (Pol.is `pca-project-cmnts`): the projection of a
 * participant who agreed with that statement alone. Its length is the statement's extremity,
 * which Pol.is uses to route statements. Returns x, y interleaved and the extremities.
 */
export function projectStatements(
  means: Float64Array,
  components: readonly Float64Array[],
  excluded: Uint8Array,
): { readonly projection: Float64Array; readonly extremity: Float64Array } {
  const m = means.length
  const pc1 = components[0] ?? new Float64Array(m)
  const pc2 = components[1] ?? new Float64Array(m)
  const scale = Math.sqrt(m)
  const projection = new Float64Array(2 * m)
  const extremity = new Float64Array(m)
  for (let j = 0; j < m; j++) {
    if (excluded[j]) continue
    const x = (1 - means[j]) * pc1[j] * scale
    const y = (1 - means[j]) * pc2[j] * scale
    projection[2 * j] = x
    projection[2 * j + 1] = y
    extremity[j] = Math.hypot(x, y)
  }
  return { projection, extremity }
}
