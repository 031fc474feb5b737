import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generatePosts, spikePosts } from '../domain/generate.js'
import { analysePost } from '../domain/post.js'
import { compileQuery, parseQuery } from '../domain/query/index.js'
import { HOUR_MS, hourKey, newTerms, poissonUpperTail, postTerms, testHour } from '../domain/spikes.js'

const DAY_MS = 24 * HOUR_MS
const bins = compileQuery(parseQuery('(bins OR bin OR rubbish OR recycling OR #binday) AND NOT "bin laden"'))

/** Generated posts through the real analysis and the bins query, as the pipeline stores them. */
function matched(raws: ReturnType<typeof generatePosts>) {
  return raws
    .map((r) => analysePost(r))
    .filter((p) =>
      bins({
        text: p.text,
        author: p.author,
        lang: p.lang,
        source: 'mastodon',
        site: p.site,
        places: p.places,
        hashtags: p.hashtags,
        mentions: p.mentions,
      }),
    )
}

function hourlyCounts(posts: readonly { publishedAt: string }[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const p of posts)
    m.set(hourKey(Date.parse(p.publishedAt)), (m.get(hourKey(Date.parse(p.publishedAt))) ?? 0) + 1)
  return m
}

describe('spike detection on generated data', () => {
  const end = new Date('2026-12-07T00:00:00Z')
  const start = new Date(end.getTime() - 35 * DAY_MS)
  // Five weeks of everyday posts about council services (about 6 an hour, a third about bins).
  const everyday = matched(generatePosts({ count: 5000, from: start, to: end, seed: 42, plainText: true }))

  it('finds a planted spike with its top new term', () => {
    const hour = new Date('2026-12-05T14:00:00Z')
    const planted = matched(spikePosts({ count: 30, hour, seed: 5 }))
    assert.equal(planted.length, 30, 'every planted post is about bins')
    const counts = hourlyCounts([...everyday, ...planted])
    const result = testHour(counts, hour, { historyStart: start })
    assert.ok(result.isSpike, `observed ${result.observed}, expected ${result.expected}, p ${result.pValue}`)
    assert.ok(result.observed >= 30)
    assert.ok(result.pValue < 1e-6)
    const inHour = [...everyday, ...planted].filter(
      (p) => hourKey(Date.parse(p.publishedAt)) === hour.toISOString(),
    )
    const week = everyday.filter(
      (p) =>
        Date.parse(p.publishedAt) >= hour.getTime() - 7 * DAY_MS &&
        Date.parse(p.publishedAt) < hour.getTime(),
    )
    const terms = newTerms(
      inHour.map((p) => ({ terms: postTerms(p) })),
      week.map((p) => ({ terms: postTerms(p) })),
    )
    assert.equal(terms[0]?.term, 'flooding', JSON.stringify(terms))
  })

  it('raises nothing in a quiet week', () => {
    const counts = hourlyCounts(everyday)
    const alarms: string[] = []
    for (let t = end.getTime() - 7 * DAY_MS; t < end.getTime(); t += HOUR_MS) {
      const r = testHour(counts, new Date(t), { historyStart: start })
      if (r.isSpike) alarms.push(`${r.hourStart}: ${r.observed} vs ${r.expected}`)
    }
    assert.deepEqual(alarms, [])
  })

  it('computes the Poisson tail accurately at both ends', () => {
    assert.equal(poissonUpperTail(0, 3), 1)
    assert.ok(Math.abs(poissonUpperTail(1, 2) - (1 - Math.exp(-2))) < 1e-12)
    // P(X ≥ 10 | λ = 2) = 4.6498e-5 (tables).
    assert.ok(Math.abs(poissonUpperTail(10, 2) - 4.6498e-5) < 1e-8)
    assert.ok(poissonUpperTail(200, 5) < 1e-100)
  })
})
