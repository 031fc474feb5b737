import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ROOT } from '../paths.js'
import { clusterTopics } from './topics.js'

const COMMENTS = [
  'The bin collection was missed on our street again',
  'Missed bin collection for the third week',
  'When is the next bin collection in Splott?',
  'Recycling and bin collection days changed without notice',
  'Potholes on Church Road are dangerous',
  'So many potholes near the school',
  'Please fix the potholes, my car tyre burst',
  'The new cycle lane on Cathedral Road is great',
  'Love the cycle lane, feels much safer cycling to work',
  'Cycle lane is blocked by parked cars every morning',
  'Lovely sunset tonight',
]

describe('clusterTopics', () => {
  it('groups short texts by topic with readable labels', () => {
    const { topics, unassigned } = clusterTopics(COMMENTS, { language: 'en' })
    const byLabel = topics.map((t) => t.label)
    assert.equal(topics.length, 3, byLabel.join(' | '))
    assert.deepEqual(topics[0]!.members, [0, 1, 2, 3])
    assert.match(topics[0]!.label, /^bin collection/)
    const potholes = topics.find((t) => t.members.includes(4))!
    assert.deepEqual(potholes.members, [4, 5, 6])
    assert.match(potholes.label, /^potholes/)
    const cycling = topics.find((t) => t.members.includes(7))!
    assert.deepEqual(cycling.members, [7, 8, 9])
    assert.match(cycling.label, /^cycle lane/)
    assert.deepEqual(unassigned, [10])
  })

  it('numbers topics by size and picks a representative member', () => {
    const { topics } = clusterTopics(COMMENTS, { language: 'en' })
    topics.forEach((t, i) => {
      assert.equal(t.id, i + 1)
      assert.ok(t.members.includes(t.representative))
      assert.ok(t.cohesion > 0 && t.cohesion <= 1)
      if (i > 0) assert.ok(topics[i - 1]!.members.length >= t.members.length)
    })
  })

  it('separates topics with k-means when k is fixed', () => {
    const openings = [
      'Again',
      'Honestly',
      'Third time',
      'Please help',
      'Today',
      'Yet again',
      'Seriously',
      'Why',
    ]
    const templates = [
      (o: string, i: number) => `${o}: bin collection missed on street ${i}`,
      (o: string, i: number) => `${o}: potholes on road ${i} damaged my car`,
      (o: string, i: number) => `${o}: the cycle lane by school ${i} is blocked`,
    ]
    const texts = templates.flatMap((f) => openings.map((o, i) => f(o, i)))
    for (const seed of [1, 2, 3]) {
      const { topics } = clusterTopics(texts, { language: 'en', method: 'kmeans', k: 3, seed })
      assert.equal(topics.length, 3)
      for (const t of topics) {
        const group = Math.floor(t.members[0]! / openings.length)
        assert.ok(
          t.members.every((m) => Math.floor(m / openings.length) === group),
          `seed ${seed}: ${t.label}`,
        )
      }
    }
  })

  it('is deterministic', () => {
    const a = clusterTopics(COMMENTS, { method: 'kmeans', k: 3, seed: 7 })
    const b = clusterTopics(COMMENTS, { method: 'kmeans', k: 3, seed: 7 })
    assert.deepEqual(a, b)
  })

  it('handles empty input and texts without content words', () => {
    assert.deepEqual(clusterTopics([]), { topics: [], unassigned: [] })
    assert.deepEqual(clusterTopics(['👍', 'the and of']).unassigned, [0, 1])
  })

  it('clusters Welsh text with Welsh stop words', () => {
    const { topics } = clusterTopics(
      [
        'Mae’r casgliad biniau wedi’i fethu eto',
        'Casgliad biniau yn hwyr bob wythnos',
        'Dim casgliad biniau yn Sblot',
        'Tyllau yn y ffordd ger yr ysgol',
        'Gormod o dyllau yn y ffordd fawr',
      ],
      { language: 'cy' },
    )
    assert.match(topics[0]!.label, /^casgliad biniau/)
    assert.deepEqual(topics[0]!.members, [0, 1, 2])
  })

  const polis = join(ROOT, '..', 'shared', 'data', 'polis', 'scoop-hivemind.biodiversity', 'comments.csv')
  it('clusters the 316 Pol.is biodiversity comments quickly', {
    skip: existsSync(polis) ? false : `${polis} not found (the shared data folder is absent)`,
  }, async () => {
    const { parse } = await import('csv-parse/sync')
    const rows = parse(readFileSync(polis), { columns: true }) as Array<Record<string, string>>
    const texts = rows.map((r) => r['comment-body'] ?? '')
    const started = performance.now()
    const { topics } = clusterTopics(texts, { language: 'en' })
    const ms = performance.now() - started
    assert.ok(ms < 2000, `${ms} ms`)
    assert.ok(topics.length >= 10)
    for (const t of topics) assert.ok(t.label.length > 0)
  })
})
