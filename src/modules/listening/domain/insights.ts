/**
 * Insights of one query over a time window: volume over time, sentiment share and trend, top
 * terms, hashtags and authors, places, and topic clusters with sample posts. Pure functions over
 * stored posts; the dashboard and the weekly report draw them.
 */
import { clusterTopics } from '../../../platform/text/index.js'

export interface InsightPost {
  readonly id: number
  readonly text: string
  readonly author: string | null
  readonly publishedAt: string
  readonly sentiment: 'negative' | 'neutral' | 'positive'
  readonly sentimentScore: number
  readonly keywords: readonly string[]
  readonly hashtags: readonly string[]
  readonly places: readonly string[]
  readonly url: string | null
}

export interface Bucket {
  /** ISO start of the day (or hour). */
  readonly start: string
  readonly total: number
  readonly negative: number
  readonly neutral: number
  readonly positive: number
  /** (positive − negative) / total, −1…1; 0 with no posts. */
  readonly net: number
}

export interface Ranked {
  readonly value: string
  readonly count: number
}

export interface TopicInsight {
  readonly label: string
  readonly size: number
  readonly samples: readonly InsightPost[]
}

export interface QueryInsights {
  readonly total: number
  readonly buckets: readonly Bucket[]
  readonly sentiment: { readonly negative: number; readonly neutral: number; readonly positive: number }
  /** Net sentiment of the second half of the window minus the first half. */
  readonly trend: number
  readonly terms: readonly Ranked[]
  readonly hashtags: readonly Ranked[]
  readonly authors: readonly Ranked[]
  readonly places: readonly Ranked[]
  readonly topics: readonly TopicInsight[]
}

const DAY_MS = 86_400_000

function top(counts: Map<string, number>, limit: number): Ranked[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, limit)
}

function bump(m: Map<string, number>, key: string | null | undefined): void {
  if (key) m.set(key, (m.get(key) ?? 0) + 1)
}

/** Daily buckets from `from` to `to` (every day present, empty ones too). */
export function volume(posts: readonly InsightPost[], from: Date, to: Date, bucketMs = DAY_MS): Bucket[] {
  const start = Math.floor(from.getTime() / bucketMs) * bucketMs
  const n = Math.max(1, Math.ceil((to.getTime() - start) / bucketMs))
  const counts = Array.from({ length: n }, () => ({ negative: 0, neutral: 0, positive: 0 }))
  for (const p of posts) {
    const i = Math.floor((Date.parse(p.publishedAt) - start) / bucketMs)
    if (i >= 0 && i < n) counts[i]![p.sentiment]++
  }
  return counts.map((c, i) => {
    const total = c.negative + c.neutral + c.positive
    return {
      start: new Date(start + i * bucketMs).toISOString(),
      total,
      ...c,
      net: total === 0 ? 0 : Math.round(((c.positive - c.negative) / total) * 1000) / 1000,
    }
  })
}

export function insightsFor(
  posts: readonly InsightPost[],
  window: { from: Date; to: Date },
  options: { topics?: boolean; limit?: number } = {},
): QueryInsights {
  const limit = options.limit ?? 10
  const buckets = volume(posts, window.from, window.to)
  const sentiment = { negative: 0, neutral: 0, positive: 0 }
  const terms = new Map<string, number>()
  const hashtags = new Map<string, number>()
  const authors = new Map<string, number>()
  const places = new Map<string, number>()
  for (const p of posts) {
    sentiment[p.sentiment]++
    for (const k of new Set(p.keywords)) bump(terms, k)
    for (const h of new Set(p.hashtags)) bump(hashtags, `#${h}`)
    bump(authors, p.author)
    for (const pl of new Set(p.places)) bump(places, pl)
  }
  const mid = (window.from.getTime() + window.to.getTime()) / 2
  const net = (xs: readonly InsightPost[]): number =>
    xs.length === 0
      ? 0
      : (xs.filter((p) => p.sentiment === 'positive').length -
          xs.filter((p) => p.sentiment === 'negative').length) /
        xs.length
  const first = posts.filter((p) => Date.parse(p.publishedAt) < mid)
  const second = posts.filter((p) => Date.parse(p.publishedAt) >= mid)
  const trend =
    first.length > 0 && second.length > 0 ? Math.round((net(second) - net(first)) * 1000) / 1000 : 0
  let topics: TopicInsight[] = []
  if (options.topics !== false && posts.length >= 4) {
    // Clustering is quadratic up to its limit: the most recent 1,000 posts stand for the window.
    const sample = posts.slice(0, 1000)
    const result = clusterTopics(
      sample.map((p) => p.text),
      { minSize: Math.max(2, Math.ceil(sample.length * 0.02)) },
    )
    topics = result.topics.slice(0, 6).map((t) => ({
      label: t.label,
      size: t.members.length,
      samples: [
        sample[t.representative]!,
        ...t.members.filter((m) => m !== t.representative).map((m) => sample[m]!),
      ].slice(0, 3),
    }))
  }
  return {
    total: posts.length,
    buckets,
    sentiment,
    trend,
    terms: top(terms, limit),
    hashtags: top(hashtags, limit),
    authors: top(authors, limit),
    places: top(places, limit),
    topics,
  }
}

/** Share of voice: each query's share of all matched posts in the window. */
export function shareOfVoice(
  counts: readonly { name: string; count: number }[],
): { name: string; count: number; share: number }[] {
  const total = counts.reduce((a, b) => a + b.count, 0)
  return counts.map((c) => ({ ...c, share: total === 0 ? 0 : Math.round((c.count / total) * 1000) / 10 }))
}
