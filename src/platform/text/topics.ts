/**
 * Topics: clusters of short texts with readable labels.
 *
 * Texts become TF-IDF vectors (`TextIndex`). Up to `AGGLOMERATIVE_LIMIT` texts are grouped by
 * average-linkage agglomerative clustering on cosine similarity, merging until no two groups
 * are more similar than `threshold` (or until `k` groups remain); the number of topics
 * follows from the data. Larger collections use spherical k-means with a seeded k-means++
 * start. Both are deterministic.
 *
 * A topic is labelled with its most distinctive terms (class-based TF-IDF: how many of the
 * topic's texts use a term, against how many texts in the whole collection do), preferring a
 * two-word phrase when the topic shares it ("bin collection · recycling").
 */
import type { LanguageCode } from './language.js'
import { seededRandom } from './random.js'
import { cosine, type SparseVector, TextIndex } from './similarity.js'
import type { TermLanguage } from './terms.js'

export interface Topic {
  /** 1, 2, … by size, largest first. */
  readonly id: number
  /** Up to three terms joined with " · ", e.g. "bin collection · recycling · Splott". */
  readonly label: string
  /** The most distinctive terms, best first. */
  readonly terms: readonly string[]
  /** Indexes into the input array, in input order. */
  readonly members: readonly number[]
  /** The member closest to the topic's centre: a good example to show. */
  readonly representative: number
  /** Mean cosine similarity of members to the centre, 0–1. */
  readonly cohesion: number
}

export interface TopicResult {
  readonly topics: readonly Topic[]
  /** Texts in no topic: alone, in groups smaller than `minSize`, or with no content words. */
  readonly unassigned: readonly number[]
}

export interface ClusterOptions {
  /** Fixed number of clusters. Default: chosen by `threshold` (agglomerative) or √(n/2) (k-means). */
  readonly k?: number
  /** Agglomerative: stop merging when the best pair of groups is less similar than this. Default 0.1. */
  readonly threshold?: number
  /** Smallest group reported as a topic. Default 2. */
  readonly minSize?: number
  /** 'auto' (default) picks agglomerative up to `AGGLOMERATIVE_LIMIT` texts, k-means above. */
  readonly method?: 'auto' | 'agglomerative' | 'kmeans'
  readonly language?: TermLanguage | LanguageCode
  /** Seed of k-means++ (default 1). */
  readonly seed?: number
  /** Words in a label. Default 3. */
  readonly labelTerms?: number
}

/** Above this many texts, 'auto' switches from agglomerative clustering (O(n²) memory) to k-means. */
export const AGGLOMERATIVE_LIMIT = 2000

/**
 * Groups texts into topics.
 *
 * @example
 * const { topics } = clusterTopics(comments)
 * topics[0].label // 'bin collection · recycling'
 */
export function clusterTopics(texts: readonly string[], options: ClusterOptions = {}): TopicResult {
  const index = new TextIndex<number>({ language: options.language ?? 'auto', bigrams: true })
  texts.forEach((t, i) => {
    index.add(i, t)
  })
  const vectors = index.vectors()
  const usable = vectors.map((v, i) => (v.ids.length > 0 ? i : -1)).filter((i) => i >= 0)
  const method =
    options.method === undefined || options.method === 'auto'
      ? usable.length > AGGLOMERATIVE_LIMIT
        ? 'kmeans'
        : 'agglomerative'
      : options.method
  const groups =
    method === 'kmeans'
      ? kMeans(
          usable,
          vectors,
          options.k ?? Math.max(2, Math.round(Math.sqrt(usable.length / 2))),
          options.seed ?? 1,
        )
      : agglomerative(usable, vectors, options.threshold ?? 0.1, options.k)
  const minSize = options.minSize ?? 2
  const kept = groups.filter((g) => g.length >= minSize)
  const assigned = new Set(kept.flat())
  const unassigned = texts.map((_, i) => i).filter((i) => !assigned.has(i))
  const topics = kept
    .map((members) =>
      describe(
        [...members].sort((a, b) => a - b),
        vectors,
        index,
        options.labelTerms ?? 3,
      ),
    )
    .sort((a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!)
    .map((t, i) => ({ ...t, id: i + 1 }))
  return { topics, unassigned }
}

/** Average-linkage agglomerative clustering with the Lance–Williams update. */
function agglomerative(
  items: readonly number[],
  vectors: readonly SparseVector[],
  threshold: number,
  k: number | undefined,
): number[][] {
  const n = items.length
  if (n === 0) return []
  const sim = new Float32Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = cosine(vectors[items[i]!]!, vectors[items[j]!]!)
      sim[i * n + j] = s
      sim[j * n + i] = s
    }
  }
  const members: Array<number[] | null> = items.map((x) => [x])
  const active = new Uint8Array(n).fill(1)
  // Best neighbour of each active cluster, refreshed when it changes.
  const best = new Int32Array(n).fill(-1)
  const bestSim = new Float32Array(n).fill(-1)
  const refresh = (i: number): void => {
    best[i] = -1
    bestSim[i] = -1
    for (let j = 0; j < n; j++) {
      if (j !== i && active[j] && sim[i * n + j]! > bestSim[i]!) {
        bestSim[i] = sim[i * n + j]!
        best[i] = j
      }
    }
  }
  for (let i = 0; i < n; i++) refresh(i)
  let clusters = n
  const target = k ?? 1
  while (clusters > target) {
    let a = -1
    for (let i = 0; i < n; i++) if (active[i] && best[i]! >= 0 && (a < 0 || bestSim[i]! > bestSim[a]!)) a = i
    if (a < 0) break
    if (k === undefined && bestSim[a]! < threshold) break
    const b = best[a]!
    const na = members[a]!.length
    const nb = members[b]!.length
    for (let j = 0; j < n; j++) {
      if (!active[j] || j === a || j === b) continue
      const s = (na * sim[a * n + j]! + nb * sim[b * n + j]!) / (na + nb)
      sim[a * n + j] = s
      sim[j * n + a] = s
    }
    members[a] = [...members[a]!, ...members[b]!]
    members[b] = null
    active[b] = 0
    clusters--
    for (let j = 0; j < n; j++) {
      if (!active[j]) continue
      if (j === a || best[j] === a || best[j] === b) refresh(j)
      else if (sim[j * n + a]! > bestSim[j]!) {
        bestSim[j] = sim[j * n + a]!
        best[j] = a
      }
    }
  }
  return members.filter((m): m is number[] => m !== null)
}

/** Dense centroid of sparse vectors, L2-normalised. */
function centroid(members: readonly number[], vectors: readonly SparseVector[]): Map<number, number> {
  const c = new Map<number, number>()
  for (const m of members) {
    const v = vectors[m]!
    for (let j = 0; j < v.ids.length; j++) c.set(v.ids[j]!, (c.get(v.ids[j]!) ?? 0) + v.weights[j]!)
  }
  let norm = 0
  for (const w of c.values()) norm += w * w
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
  for (const [t, w] of c) c.set(t, w * scale)
  return c
}

function dot(v: SparseVector, c: ReadonlyMap<number, number>): number {
  let s = 0
  for (let j = 0; j < v.ids.length; j++) s += v.weights[j]! * (c.get(v.ids[j]!) ?? 0)
  return s
}

/** Spherical k-means, best of a few seeded k-means++ starts (highest total similarity to the centres). */
function kMeans(
  items: readonly number[],
  vectors: readonly SparseVector[],
  k: number,
  seed: number,
): number[][] {
  const restarts = items.length > 20000 ? 2 : 5
  let best: number[][] = []
  let bestScore = -Infinity
  for (let r = 0; r < restarts; r++) {
    const groups = kMeansOnce(items, vectors, k, seed + r * 7919)
    let score = 0
    for (const g of groups) {
      const c = centroid(g, vectors)
      for (const m of g) score += dot(vectors[m]!, c)
    }
    if (score > bestScore + 1e-9) {
      best = groups
      bestScore = score
    }
  }
  return best
}

function kMeansOnce(
  items: readonly number[],
  vectors: readonly SparseVector[],
  k: number,
  seed: number,
): number[][] {
  if (items.length === 0) return []
  const kk = Math.min(k, items.length)
  const random = seededRandom(seed)
  const centres: Array<Map<number, number>> = []
  const first = items[Math.floor(random() * items.length)]!
  centres.push(centroid([first], vectors))
  const distance = items.map((i) => 1 - dot(vectors[i]!, centres[0]!))
  while (centres.length < kk) {
    const total = distance.reduce((s, d) => s + Math.max(0, d) ** 2, 0)
    let r = random() * total
    let pick = items.length - 1
    for (let i = 0; i < items.length; i++) {
      r -= Math.max(0, distance[i]!) ** 2
      if (r <= 0) {
        pick = i
        break
      }
    }
    const c = centroid([items[pick]!], vectors)
    centres.push(c)
    items.forEach((item, i) => {
      distance[i] = Math.min(distance[i]!, 1 - dot(vectors[item]!, c))
    })
  }
  let assignment = new Int32Array(items.length).fill(-1)
  for (let iter = 0; iter < 50; iter++) {
    const next = new Int32Array(items.length)
    items.forEach((item, i) => {
      let bestC = 0
      let bestS = -Infinity
      centres.forEach((c, ci) => {
        const s = dot(vectors[item]!, c)
        if (s > bestS) {
          bestS = s
          bestC = ci
        }
      })
      next[i] = bestC
    })
    const changed = next.some((c, i) => c !== assignment[i])
    assignment = next
    if (!changed) break
    for (let ci = 0; ci < centres.length; ci++) {
      const members = items.filter((_, i) => assignment[i] === ci)
      if (members.length > 0) centres[ci] = centroid(members, vectors)
    }
  }
  const groups: number[][] = centres.map(() => [])
  items.forEach((item, i) => {
    groups[assignment[i]!]!.push(item)
  })
  return groups.filter((g) => g.length > 0)
}

function describe(
  members: readonly number[],
  vectors: readonly SparseVector[],
  index: TextIndex<number>,
  labelTerms: number,
): Omit<Topic, 'id'> {
  const c = centroid(members, vectors)
  let representative = members[0]!
  let bestSim = -Infinity
  let total = 0
  for (const m of members) {
    const s = dot(vectors[m]!, c)
    total += s
    if (s > bestSim) {
      bestSim = s
      representative = m
    }
  }
  // Class-based TF-IDF over whole terms (not subwords): share of the topic's texts using the
  // term, times how rare it is in the whole collection.
  const inTopic = new Map<number, number>()
  for (const m of members) {
    const v = vectors[m]!
    for (let j = 0; j < v.ids.length; j++) inTopic.set(v.ids[j]!, (inTopic.get(v.ids[j]!) ?? 0) + 1)
  }
  const n = index.size
  const ranked = [...inTopic.entries()]
    .map(([tid, count]) => {
      const { key, display } = index.term(tid)
      const isPhrase = key.includes(' ')
      const share = count / members.length
      const weight =
        share * Math.log(1 + n / index.documentFrequency(tid)) * (isPhrase && count >= 2 ? 1.3 : 1)
      return { key, display, count, weight }
    })
    .filter((t) => !t.key.startsWith('~'))
    .sort((a, b) => b.weight - a.weight || b.count - a.count || a.key.localeCompare(b.key))
  const terms: string[] = []
  const used: string[] = []
  for (const t of ranked) {
    if (terms.length >= 8) break
    // A word already shown inside a chosen phrase (or a phrase made of chosen words) adds nothing.
    const words = t.key.split(' ')
    if (used.some((u) => u === t.key || u.split(' ').some((w) => words.includes(w)))) continue
    terms.push(t.display)
    used.push(t.key)
  }
  return {
    label: terms.slice(0, labelTerms).join(' · '),
    terms,
    members,
    representative,
    cohesion: Math.round((total / members.length) * 1000) / 1000,
  }
}
