import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cosine, TextIndex, textSimilarity } from './similarity.js'

const PETITIONS: Record<string, string> = {
  potholes: 'Fix the potholes on Church Road before someone is hurt',
  fireworks: 'Ban the sale of fireworks to the public',
  bins: 'Bring back weekly bin collections',
  roads: 'Repair the road surface on Church Road, it is full of potholes',
  fireworks2: 'Stop public firework displays near animal shelters',
  library: 'Keep Canton library open on Saturdays',
}

function index(): TextIndex<string> {
  const idx = new TextIndex<string>({ language: 'en' })
  for (const [id, text] of Object.entries(PETITIONS)) idx.add(id, text)
  return idx
}

describe('textSimilarity', () => {
  it('is 1 for the same text and 0 for texts with nothing in common', () => {
    assert.equal(textSimilarity('Fix the potholes', 'Fix the potholes'), 1)
    assert.equal(textSimilarity('Fix the potholes on Church Road', 'Ban fireworks in public parks'), 0)
  })

  it('sees through plurals, case and stop words', () => {
    const s = textSimilarity('Fix the potholes on Church Road', 'POTHOLE on church road needs a fix')
    assert.ok(s > 0.5, String(s))
  })

  it('is symmetric and between 0 and 1', () => {
    const a = 'More bins in Victoria Park please'
    const b = 'Victoria Park needs more litter bins'
    const s = textSimilarity(a, b)
    assert.equal(s, textSimilarity(b, a))
    assert.ok(s > 0 && s < 1)
  })

  it('catches spelling variants with subwords', () => {
    const plain = textSimilarity('pot-holes everywhere', 'potholes everywhere')
    const fuzzy = textSimilarity('pot-holes everywhere', 'potholes everywhere', { subwords: true })
    assert.ok(fuzzy > plain, `${fuzzy} > ${plain}`)
  })
})

describe('TextIndex', () => {
  it('finds the nearest texts to a query, best first', () => {
    const hits = index().nearest('potholes all over church road', { k: 3 })
    assert.deepEqual(
      hits.map((h) => h.id),
      ['potholes', 'roads'],
    )
    assert.ok(hits[0]!.score >= hits[1]!.score)
  })

  it('finds neighbours of an indexed text, excluding itself', () => {
    const hits = index().nearest({ id: 'fireworks' })
    assert.equal(hits[0]!.id, 'fireworks2')
    assert.ok(!hits.some((h) => h.id === 'fireworks'))
  })

  it('applies minScore and exclude', () => {
    const idx = index()
    assert.deepEqual(idx.nearest('potholes on church road', { minScore: 0.99 }), [])
    assert.ok(!idx.nearest('potholes', { exclude: (id) => id === 'roads' }).some((h) => h.id === 'roads'))
  })

  it('lists candidate duplicates', () => {
    const pairs = index().similarPairs(0.2)
    assert.deepEqual(pairs[0] && [pairs[0].a, pairs[0].b], ['potholes', 'roads'])
    assert.ok(pairs.some((p) => p.a === 'fireworks' && p.b === 'fireworks2'))
  })

  it('keeps vectors unit length, and its cosine agrees with nearest()', () => {
    const idx = index()
    const v = idx.vectorOf('bins')
    const norm = Math.sqrt(v.weights.reduce((s, w) => s + w * w, 0))
    assert.ok(Math.abs(norm - 1) < 1e-9)
    const q = idx.vectorize('weekly bin collection')
    const best = idx.nearest('weekly bin collection')[0]!
    assert.equal(best.id, 'bins')
    assert.ok(Math.abs(cosine(q, v) - best.score) < 1e-3)
  })

  it('rejects an id added twice', () => {
    const idx = new TextIndex<number>()
    idx.add(1, 'a text')
    assert.throws(() => idx.add(1, 'another'), /added twice/)
  })

  it('weights rare terms above common ones', () => {
    const idx = new TextIndex<number>({ language: 'en' })
    const texts = [
      'council tax',
      'council meeting',
      'council bins',
      'council parking',
      'swimming pool closure',
    ]
    texts.forEach((t, i) => {
      idx.add(i, t)
    })
    // "council swimming": the shared rare word wins over the shared common one.
    assert.equal(idx.nearest('council swimming')[0]!.id, 4)
  })
})
