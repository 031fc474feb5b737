import { kmeans, kmeansPlusPlus, lloyd } from './kmeans.js'
import type { Random } from './random.js'
import { silhouette } from './silhouette.js'

/**
 * Pol.is's two-level clustering (conversation.clj): participants' map positions are first
 * grouped into ~100 base clusters; the base-cluster centres, weighted by their sizes, are then
 * grouped for every k from 2 to max-k, and the k with the best silhouette is chosen.
 */

/** Pol.is `max-k-fn`: min(max-k, 2 + ⌊base clusters / 12⌋). */
export function maxGroupCount(baseClusters: number, maxK: number): number {
  return Math.min(maxK, 2 + Math.floor(baseClusters / 12))
}

export interface GroupCandidate {
  readonly k: number
  readonly silhouette: number
  /** Group of each base cluster. */
  readonly groupOfBase: Int32Array
  /** Group centres, x, y interleaved. */
  readonly centers: Float64Array
}

export interface TwoLevelClustering {
  /** Base-cluster centres, x, y interleaved. */
  readonly baseCenters: Float64Array
  readonly baseSizes: Float64Array
  /** Base cluster of each input point, in input order. */
  readonly baseOfPoint: Int32Array
  /** One per k tried, in increasing k. */
  readonly candidates: readonly GroupCandidate[]
  /** k with the best silhouette (the smaller k on a tie); 1 when there is nothing to split. */
  readonly bestK: number
}

export interface TwoLevelOptions {
  readonly baseK: number
  readonly maxK: number
  readonly baseRestarts: number
  readonly groupRestarts: number
  readonly random: Random
  readonly maxIterations?: number
  /** The previous update's base centres: a live update starts from them (Pol.is `last-clusters`). */
  readonly warmBase?: Float64Array
  /** The previous update's group centres, by k. */
  readonly warmGroups?: ReadonlyMap<number, Float64Array>
}

/**
 * Base clusters only summarise the map, so their k-means stops once no centre moves more than
 * this fraction of the points' spread, the scale-free form of Pol.is's 0.01 (`same-clustering?`).
 * Group clusterings run until no base cluster changes group.
 */
export const BASE_TOLERANCE = 5e-3

/** Root-mean-square distance of the points from their mean. */
export function spread(points: Float64Array): number {
  const n = points.length / 2
  if (n === 0) return 0
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += points[2 * i]
    my += points[2 * i + 1]
  }
  mx /= n
  my /= n
  let s = 0
  for (let i = 0; i < n; i++) s += (points[2 * i] - mx) ** 2 + (points[2 * i + 1] - my) ** 2
  return Math.sqrt(s / n)
}

/**
 * Points sorted by x, then y: clustering the points in this order makes every seeded choice,
 * and so the result, independent of the order participants come in.
 */
export function canonicalOrder(points: Float64Array): Int32Array {
  const n = points.length / 2
  const order = Array.from({ length: n }, (_, i) => i)
  order.sort((a, b) => points[2 * a] - points[2 * b] || points[2 * a + 1] - points[2 * b + 1])
  return Int32Array.from(order)
}

export function clusterTwoLevel(points: Float64Array, options: TwoLevelOptions): TwoLevelClustering {
  const n = points.length / 2
  // A warm start does not depend on the order of the points (only fresh seeding does), so a
  // live update skips the sort.
  const order = options.warmBase ? Int32Array.from({ length: n }, (_, i) => i) : canonicalOrder(points)
  const sorted = new Float64Array(2 * n)
  for (let p = 0; p < n; p++) {
    sorted[2 * p] = points[2 * order[p]]
    sorted[2 * p + 1] = points[2 * order[p] + 1]
  }
  const ones = new Float64Array(n).fill(1)
  const tolerance = BASE_TOLERANCE * spread(sorted)
  // Live updates start from the previous base centres (topped up if some emptied) and skip
  // the restarts; a full computation keeps the tightest of several k-means++ runs.
  const base = options.warmBase
    ? lloyd(
        sorted,
        ones,
        kmeansPlusPlus(sorted, ones, options.baseK, options.random, options.warmBase),
        options.maxIterations,
        tolerance,
      )
    : kmeans(sorted, ones, {
        k: options.baseK,
        restarts: options.baseRestarts,
        random: options.random,
        tolerance,
        ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
      })
  const baseOfPoint = new Int32Array(n)
  for (let p = 0; p < n; p++) baseOfPoint[order[p]] = base.assignment[p]
  const baseCount = base.clusterWeights.length
  const candidates: GroupCandidate[] = []
  const topK = Math.min(maxGroupCount(baseCount, options.maxK), baseCount)
  for (let k = 2; k <= topK; k++) {
    const warm = options.warmGroups?.get(k)
    const groups = kmeans(base.centers, base.clusterWeights, {
      k,
      restarts: options.groupRestarts,
      random: options.random,
      ...(warm ? { warmStarts: [warm] } : {}),
    })
    // Fewer groups than asked (too few distinct base centres): not a k-clustering.
    if (groups.clusterWeights.length < k) continue
    candidates.push({
      k,
      silhouette: silhouette(base.centers, groups.assignment, k),
      groupOfBase: groups.assignment,
      centers: groups.centers,
    })
  }
  let bestK = 1
  let bestScore = Number.NEGATIVE_INFINITY
  for (const c of candidates) {
    if (c.silhouette > bestScore) {
      bestScore = c.silhouette
      bestK = c.k
    }
  }
  return { baseCenters: base.centers, baseSizes: base.clusterWeights, baseOfPoint, candidates, bestK }
}

export interface FinalGroups {
  /** Group of each base cluster, groups numbered by size (largest first). */
  readonly groupOfBase: Int32Array
  readonly count: number
  /** Centres before renumbering, by k-means index, for warm starts. */
  readonly centers: Float64Array
}

/**
 * The groups for a chosen k. With `refine`, the group centres first move to the k-means fixed
 * point of the participants themselves (Lloyd's iterations from the base-level centres), and
 * each base cluster then joins the group whose refined centre is nearest: groups stay unions of
 * base clusters, as in Pol.is, but where the boundary falls no longer depends on how the base
 * clusters happened to be cut. If refining would empty a group, the base-level result stands.
 */
export function finalGroups(
  points: Float64Array,
  clustering: TwoLevelClustering,
  k: number,
  refine: boolean,
): FinalGroups {
  const baseCount = clustering.baseSizes.length
  const candidate = clustering.candidates.find((c) => c.k === k)
  if (!candidate)
    return {
      groupOfBase: new Int32Array(baseCount),
      count: baseCount > 0 ? 1 : 0,
      centers: new Float64Array(0),
    }
  let groupOfBase = candidate.groupOfBase
  let centers = candidate.centers
  if (refine) {
    const ones = new Float64Array(points.length / 2).fill(1)
    const refined = lloyd(points, ones, candidate.centers)
    if (refined.clusterWeights.length === k) {
      const nearest = nearestCenter(clustering.baseCenters, refined.centers)
      const used = new Set(nearest)
      if (used.size === k) {
        groupOfBase = nearest
        centers = refined.centers
      }
    }
  }
  // Number groups by total size, largest first; ties by centre x, then y.
  const size = new Float64Array(k)
  for (let b = 0; b < baseCount; b++) size[groupOfBase[b]] += clustering.baseSizes[b]
  const order = Array.from({ length: k }, (_, g) => g).sort(
    (a, b) => size[b] - size[a] || centers[2 * a] - centers[2 * b] || centers[2 * a + 1] - centers[2 * b + 1],
  )
  const rank = new Int32Array(k)
  order.forEach((g, r) => {
    rank[g] = r
  })
  return { groupOfBase: groupOfBase.map((g) => rank[g]), count: k, centers }
}

function nearestCenter(points: Float64Array, centers: Float64Array): Int32Array {
  const n = points.length / 2
  const k = centers.length / 2
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let best = Number.POSITIVE_INFINITY
    for (let c = 0; c < k; c++) {
      const d = (points[2 * i] - centers[2 * c]) ** 2 + (points[2 * i + 1] - centers[2 * c + 1]) ** 2
      if (d < best) {
        best = d
        out[i] = c
      }
    }
  }
  return out
}
