/**
 * Spikes: is this hour's count of a query's posts far above what is usual for it?
 *
 * Baseline: the mean of the same hour of the week over the past weeks (people post about bins on
 * collection mornings, not at 3 am on Sunday), blended with the mean of the last 24 hours so a
 * topic that has grown since is not flagged for ever; with less than two weeks of history, the
 * last 24 hours alone. The expected count never goes below `FLOOR` (one post now and then is not
 * news). Significance: the Poisson upper tail P(X ≥ observed | expected) against the query's
 * level (default 0.001), and at least `minCount` posts.
 */

export const HOUR_MS = 3_600_000
const WEEK_MS = 7 * 24 * HOUR_MS
/** Past weeks looked at for the same hour. */
export const BASELINE_WEEKS = 4
const FLOOR = 1

export function hourKey(t: Date | number): string {
  const ms = typeof t === 'number' ? t : t.getTime()
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString()
}

/** log(k!) by summing logs for small k and Stirling's series above. */
function logFactorial(k: number): number {
  if (k < 20) {
    let s = 0
    for (let i = 2; i <= k; i++) s += Math.log(i)
    return s
  }
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k ** 3)
}

/** P(X ≥ k) for X ~ Poisson(λ). */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1
  if (lambda <= 0) return 0
  // Below the mean, 1 − P(X < k) is accurate; above it, sum the tail directly (no cancellation).
  if (k <= lambda) {
    let term = Math.exp(-lambda)
    let cdf = term
    for (let i = 1; i < k; i++) {
      term *= lambda / i
      cdf += term
    }
    return Math.max(0, Math.min(1, 1 - cdf))
  }
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k)
  let sum = 0
  for (let i = k; i < k + 1000; i++) {
    const term = Math.exp(logTerm)
    sum += term
    if (term < sum * 1e-12) break
    logTerm += Math.log(lambda) - Math.log(i + 1)
  }
  return Math.min(1, sum)
}

export interface SpikeTest {
  readonly hourStart: string
  readonly observed: number
  readonly expected: number
  readonly pValue: number
  readonly isSpike: boolean
  /** Hours of history the baseline used. */
  readonly sameHourWeeks: number
}

/**
 * Tests one hour against its baseline. `counts` maps an hour (`hourKey`) to the query's posts in
 * it; hours missing from the map had none.
 */
export function testHour(
  counts: ReadonlyMap<string, number>,
  hour: Date,
  options: { pValue?: number; minCount?: number; historyStart?: Date } = {},
): SpikeTest {
  const start = Math.floor(hour.getTime() / HOUR_MS) * HOUR_MS
  const count = (t: number): number => counts.get(new Date(t).toISOString()) ?? 0
  const historyStart = options.historyStart?.getTime() ?? -Infinity
  const sameHour: number[] = []
  for (let w = 1; w <= BASELINE_WEEKS; w++) {
    const t = start - w * WEEK_MS
    if (t >= historyStart) sameHour.push(count(t))
  }
  let recent = 0
  let recentHours = 0
  for (let h = 1; h <= 24; h++) {
    const t = start - h * HOUR_MS
    if (t >= historyStart) {
      recent += count(t)
      recentHours++
    }
  }
  const recentMean = recentHours > 0 ? recent / recentHours : 0
  const weekly = sameHour.length > 0 ? sameHour.reduce((a, b) => a + b, 0) / sameHour.length : 0
  const expected = Math.max(FLOOR, sameHour.length >= 2 ? 0.7 * weekly + 0.3 * recentMean : recentMean)
  const observed = count(start)
  const pValue = poissonUpperTail(observed, expected)
  const isSpike = observed >= (options.minCount ?? 10) && pValue < (options.pValue ?? 0.001)
  return {
    hourStart: new Date(start).toISOString(),
    observed,
    expected: Math.round(expected * 100) / 100,
    pValue,
    isSpike,
    sameHourWeeks: sameHour.length,
  }
}

export interface TermShift {
  readonly term: string
  /** Posts of the spike using the term. */
  readonly count: number
  /** Posts of the baseline window using it. */
  readonly baseline: number
  readonly score: number
}

/**
 * What is new in a spike: terms (keywords and hashtags) used by many more of the spike's posts
 * than of the baseline's, scored by the spike's count × log of the ratio of shares (add-one
 * smoothed), and used by at least `minCount` spike posts.
 */
export function newTerms(
  spikePosts: readonly { readonly terms: readonly string[] }[],
  baselinePosts: readonly { readonly terms: readonly string[] }[],
  options: { limit?: number; minCount?: number } = {},
): TermShift[] {
  const docCounts = (posts: readonly { readonly terms: readonly string[] }[]): Map<string, number> => {
    const m = new Map<string, number>()
    for (const p of posts)
      for (const t of new Set(p.terms.map((x) => x.toLowerCase()))) m.set(t, (m.get(t) ?? 0) + 1)
    return m
  }
  const spike = docCounts(spikePosts)
  const base = docCounts(baselinePosts)
  const nS = Math.max(1, spikePosts.length)
  const nB = baselinePosts.length
  const minCount = options.minCount ?? Math.max(2, Math.ceil(spikePosts.length * 0.1))
  const out: TermShift[] = []
  for (const [term, c] of spike) {
    if (c < minCount) continue
    const b = base.get(term) ?? 0
    const ratio = c / nS / ((b + 1) / (nB + 1))
    if (ratio <= 2) continue
    out.push({ term, count: c, baseline: b, score: Math.round(c * Math.log(ratio) * 100) / 100 })
  }
  return out.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term)).slice(0, options.limit ?? 5)
}

/** The terms of a post for spike comparison: its keywords and hashtags. */
export function postTerms(post: {
  readonly keywords: readonly string[]
  readonly hashtags: readonly string[]
}): string[] {
  return [...post.keywords, ...post.hashtags.map((h) => `#${h}`)]
}
