/**
 * Silhouette of a clustering (Rousseeuw 1987) as Pol.is computes it to choose the number of
 * groups (clusters.clj `silhouette`): over the base-cluster centres, unweighted. For a point,
 * a = mean distance to the other members of its cluster, b = the smallest mean distance to the
 * members of another cluster, s = (b − a) / max(a, b); a point alone in its cluster scores 0.
 * The clustering scores the mean over points. Points are x, y interleaved.
 */
export function silhouette(points: Float64Array, assignment: Int32Array, k: number): number {
  const n = assignment.length
  if (n === 0) return 0
  const size = new Int32Array(k)
  for (let i = 0; i < n; i++) size[assignment[i]]++
  const sumTo = new Float64Array(k)
  let total = 0
  for (let i = 0; i < n; i++) {
    const own = assignment[i]
    if (size[own] <= 1) continue // s = 0
    sumTo.fill(0)
    const px = points[2 * i]
    const py = points[2 * i + 1]
    for (let q = 0; q < n; q++) {
      if (q === i) continue
      const dx = points[2 * q] - px
      const dy = points[2 * q + 1] - py
      sumTo[assignment[q]] += Math.sqrt(dx * dx + dy * dy)
    }
    const a = sumTo[own] / (size[own] - 1)
    let b = Number.POSITIVE_INFINITY
    for (let c = 0; c < k; c++) if (c !== own && size[c] > 0) b = Math.min(b, sumTo[c] / size[c])
    if (b === Number.POSITIVE_INFINITY) continue // a single cluster: no silhouette
    const denominator = Math.max(a, b)
    total += denominator > 0 ? (b - a) / denominator : 0
  }
  return total / n
}
