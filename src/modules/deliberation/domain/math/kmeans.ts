import type { Random } from './random.js'

/**
 * Weighted k-means in the plane (Pol.is math/clusters.clj `kmeans`, with weights as its group
 * step uses). Points are x, y interleaved. Pol.is seeds a fresh clustering with the first k
 * distinct points, which makes its groups depend on participant order; we seed with k-means++
 * (Arthur & Vassilvitskii 2007) from a seeded generator, restart several times and keep the
 * tightest result (least weighted within-cluster sum of squares).
 */

export interface KMeansResult {
  /** x, y interleaved, one pair per cluster. Clusters that ended empty are dropped, as in Pol.is. */
  readonly centers: Float64Array
  /** Cluster index of each point. */
  readonly assignment: Int32Array
  /** Total weight of each cluster. */
  readonly clusterWeights: Float64Array
  /** Weighted sum of squared distances to the assigned centres. */
  readonly inertia: number
}

/**
 * k-means++ seeding: each next centre is drawn with probability ∝ weight × squared distance to
 * the nearest centre so far. `initial` centres, if given, are kept and only topped up to k (how
 * a live update replaces clusters that emptied, where Pol.is adds its most distant points).
 */
export function kmeansPlusPlus(
  points: Float64Array,
  weights: Float64Array,
  k: number,
  random: Random,
  initial: Float64Array = new Float64Array(0),
): Float64Array {
  const n = weights.length
  const centers: number[] = Array.from(initial.subarray(0, 2 * k))
  if (n === 0 || centers.length >= 2 * k) return Float64Array.from(centers)
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY)
  const closer = (cx: number, cy: number): void => {
    for (let i = 0; i < n; i++) {
      const dx = points[2 * i] - cx
      const dy = points[2 * i + 1] - cy
      const d = dx * dx + dy * dy
      if (d < nearest[i]) nearest[i] = d
    }
  }
  for (let c = 0; c < centers.length; c += 2) closer(centers[c], centers[c + 1])
  let pick = drawIndex(weights, centers.length > 0 ? nearest : null, random)
  // pick < 0: fewer distinct points than k, and every one of them is already a centre.
  while (pick >= 0) {
    centers.push(points[2 * pick], points[2 * pick + 1])
    if (centers.length >= 2 * k) break
    closer(points[2 * pick], points[2 * pick + 1])
    pick = drawIndex(weights, nearest, random)
  }
  return Float64Array.from(centers)
}

/** Index drawn with probability ∝ weight (× distance when given); −1 when all are zero. */
function drawIndex(weights: Float64Array, distance: Float64Array | null, random: Random): number {
  let total = 0
  for (let i = 0; i < weights.length; i++) total += distance ? weights[i] * distance[i] : weights[i]
  if (!(total > 0)) return -1
  let target = random() * total
  let last = -1
  for (let i = 0; i < weights.length; i++) {
    const w = distance ? weights[i] * distance[i] : weights[i]
    if (w <= 0) continue
    last = i
    target -= w
    if (target < 0) return i
  }
  return last
}

/**
 * Lloyd's iterations from the given centres until no point changes cluster, no centre moves
 * more than `tolerance` (Pol.is `same-clustering?` uses 0.01), or maxIterations. Ties go to the lower-numbered centre. Two classic accelerations give the same result as plain
 * Lloyd's, only faster: Hamerly's bounds (2010) skip points the triangle inequality shows cannot
 * change cluster, and a point that must be checked only looks at centres whose x is close enough
 * to matter (centres sorted by x, searched outwards from the point).
 */
export function lloyd(
  points: Float64Array,
  weights: Float64Array,
  initialCenters: Float64Array,
  maxIterations = 100,
  tolerance = 0,
): KMeansResult {
  const n = weights.length
  let k = initialCenters.length / 2
  const cx = new Float64Array(k)
  const cy = new Float64Array(k)
  for (let c = 0; c < k; c++) {
    cx[c] = initialCenters[2 * c]
    cy[c] = initialCenters[2 * c + 1]
  }
  const assignment = new Int32Array(n)
  /** Upper bound on the distance to the assigned centre. */
  const upper = new Float64Array(n)
  /** Lower bound on the distance to every other centre. */
  const lower = new Float64Array(n)
  let byX = new SortedCenters(cx, cy, k)
  for (let i = 0; i < n; i++) byX.nearestTwo(points[2 * i], points[2 * i + 1], i, assignment, upper, lower)
  // Running weighted sums per cluster, updated as points move.
  let sumX = new Float64Array(k)
  let sumY = new Float64Array(k)
  let sumW = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    const c = assignment[i]
    const w = weights[i]
    sumX[c] += w * points[2 * i]
    sumY[c] += w * points[2 * i + 1]
    sumW[c] += w
  }
  const moved = new Float64Array(k)
  for (let iteration = 0; iteration < maxIterations && k > 0; iteration++) {
    // New centres: weighted means of the members; empty clusters are dropped, as in Pol.is.
    let kept = 0
    const remap = new Int32Array(k)
    for (let c = 0; c < k; c++) {
      if (sumW[c] > 0) {
        const x = sumX[c] / sumW[c]
        const y = sumY[c] / sumW[c]
        moved[kept] = distance(x - cx[c], y - cy[c])
        cx[kept] = x
        cy[kept] = y
        sumX[kept] = sumX[c]
        sumY[kept] = sumY[c]
        sumW[kept] = sumW[c]
        remap[c] = kept++
      } else remap[c] = -1
    }
    if (kept < k) {
      for (let i = 0; i < n; i++) assignment[i] = remap[assignment[i]]
      sumX = sumX.slice(0, kept)
      sumY = sumY.slice(0, kept)
      sumW = sumW.slice(0, kept)
      k = kept
    }
    byX = new SortedCenters(cx, cy, k)
    // Bounds follow the centres: the assigned one may have moved away, any other closer.
    let most = 0
    let second = 0
    let mostAt = -1
    for (let c = 0; c < k; c++) {
      if (moved[c] > most) {
        second = most
        most = moved[c]
        mostAt = c
      } else if (moved[c] > second) second = moved[c]
    }
    if (most === 0 || most < tolerance) break
    let changed = false
    for (let i = 0; i < n; i++) {
      const a = assignment[i]
      upper[i] += moved[a]
      lower[i] -= a === mostAt ? second : most
      // Half the distance from a to its nearest other centre also bounds any change.
      const bound = Math.max(byX.halfGap[a], lower[i])
      if (upper[i] <= bound) continue
      const px = points[2 * i]
      const py = points[2 * i + 1]
      upper[i] = distance(px - cx[a], py - cy[a])
      if (upper[i] <= bound) continue
      byX.nearestTwo(px, py, i, assignment, upper, lower)
      const b = assignment[i]
      if (b !== a) {
        changed = true
        const w = weights[i]
        sumX[a] -= w * px
        sumY[a] -= w * py
        sumW[a] -= w
        sumX[b] += w * px
        sumY[b] += w * py
        sumW[b] += w
      }
    }
    if (!changed) break
  }
  const centers = new Float64Array(2 * k)
  for (let c = 0; c < k; c++) {
    centers[2 * c] = cx[c]
    centers[2 * c + 1] = cy[c]
  }
  const clusterWeights = new Float64Array(k)
  let inertia = 0
  for (let i = 0; i < n; i++) {
    const c = assignment[i]
    clusterWeights[c] += weights[i]
    const dx = points[2 * i] - cx[c]
    const dy = points[2 * i + 1] - cy[c]
    inertia += weights[i] * (dx * dx + dy * dy)
  }
  return { centers, assignment, clusterWeights, inertia }
}

/** Euclidean length (Math.hypot guards against overflow we cannot have, and is several times slower). */
function distance(dx: number, dy: number): number {
  return Math.sqrt(dx * dx + dy * dy)
}

/** Centres sorted by x, for nearest-centre searches that only look where it can matter. */
class SortedCenters {
  private readonly order: Int32Array
  private readonly xs: Float64Array
  /** Half the distance from each centre to its nearest other centre. */
  readonly halfGap: Float64Array

  constructor(
    private readonly cx: Float64Array,
    private readonly cy: Float64Array,
    private readonly k: number,
  ) {
    this.order = Int32Array.from({ length: k }, (_, c) => c).sort((a, b) => cx[a] - cx[b] || a - b)
    this.xs = Float64Array.from(this.order, (c) => cx[c])
    this.halfGap = new Float64Array(k)
    const upper = new Float64Array(k)
    const lower = new Float64Array(k)
    const assignment = new Int32Array(k)
    for (let c = 0; c < k; c++) {
      // The centre itself is nearest (distance 0), so the second nearest is the nearest other one.
      this.nearestTwo(cx[c], cy[c], c, assignment, upper, lower)
      this.halfGap[c] = lower[c] / 2
    }
  }

  /**
   * Nearest and second-nearest centre of (px, py); sets slot i of the assignment and bounds.
   * Walks outwards from px in the x order and stops on each side once the x gap alone exceeds
   * the second-best distance. Ties go to the lower-numbered centre.
   */
  nearestTwo(
    px: number,
    py: number,
    i: number,
    assignment: Int32Array,
    upper: Float64Array,
    lower: Float64Array,
  ): void {
    const { order, xs, cx, cy, k } = this
    let lo = 0
    let hi = k
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (xs[mid] < px) lo = mid + 1
      else hi = mid
    }
    let left = lo - 1
    let right = lo
    let best = -1
    let bestD = Number.POSITIVE_INFINITY
    let secondD = Number.POSITIVE_INFINITY
    while (left >= 0 || right < k) {
      const gapLeft = left >= 0 ? px - xs[left] : Number.POSITIVE_INFINITY
      const gapRight = right < k ? xs[right] - px : Number.POSITIVE_INFINITY
      const fromLeft = gapLeft <= gapRight
      if ((fromLeft ? gapLeft : gapRight) > secondD) break
      const c = fromLeft ? order[left--] : order[right++]
      const d = distance(px - cx[c], py - cy[c])
      if (d < bestD || (d === bestD && c < best)) {
        secondD = bestD
        bestD = d
        best = c
      } else if (d < secondD) secondD = d
    }
    assignment[i] = best
    upper[i] = bestD
    lower[i] = secondD
  }
}

export interface KMeansOptions {
  readonly k: number
  /** Fresh k-means++ starts (at least one without a warm start); the tightest result is kept. */
  readonly restarts: number
  readonly random: Random
  readonly maxIterations?: number
  /** Stop once no centre moves more than this (default 0: until no point changes cluster). */
  readonly tolerance?: number
  /** Centres to start from as well, e.g. the previous update's (Pol.is `last-clusters`). */
  readonly warmStarts?: readonly Float64Array[]
}

/** Best (least inertia) of the warm starts and `restarts` k-means++ runs; the first wins ties. */
export function kmeans(points: Float64Array, weights: Float64Array, options: KMeansOptions): KMeansResult {
  let best: KMeansResult | null = null
  const consider = (result: KMeansResult): void => {
    if (best === null || result.inertia < best.inertia - 1e-12 * Math.max(1, Math.abs(best.inertia)))
      best = result
  }
  for (const start of options.warmStarts ?? []) {
    if (start.length > 0) consider(lloyd(points, weights, start, options.maxIterations, options.tolerance))
  }
  const runs = best === null ? Math.max(1, options.restarts) : options.restarts
  for (let r = 0; r < runs; r++) {
    const start = kmeansPlusPlus(points, weights, options.k, options.random)
    consider(lloyd(points, weights, start, options.maxIterations, options.tolerance))
  }
  return best!
}
