import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { corpusKeywords, DocumentFrequencies, extractKeywords } from './keywords.js'
import { isStopWord } from './stopwords.js'

const terms = (text: string, options = {}): string[] => extractKeywords(text, options).map((k) => k.term)

describe('extractKeywords', () => {
  it('puts a repeated phrase first and drops stop words', () => {
    const k = terms('Bin collection in Splott missed again. Third missed bin collection this month!')
    assert.equal(k[0], 'bin collection')
    assert.ok(k.includes('Splott'))
    for (const t of k) assert.equal(isStopWord(t), false, t)
  })

  it('keeps multi-word names whole, including Welsh connectors', () => {
    const k = terms('Potholes on Heol y Frenhines and Cowbridge Road East are getting worse')
    assert.ok(k.includes('Heol y Frenhines'), k.join(', '))
    assert.ok(k.includes('Cowbridge Road East'), k.join(', '))
  })

  it('merges plurals and shows the word as written', () => {
    const k = extractKeywords('Potholes everywhere. This pothole is the worst pothole yet.', {
      language: 'en',
    })
    const pothole = k.find((x) => x.key === 'pothole')
    assert.ok(pothole)
    assert.equal(pothole.count, 3)
  })

  it('handles Welsh with Welsh stop words and clitics', () => {
    const k = terms(
      'Mae’r casgliad biniau yn Sblot wedi’i fethu eto. Mae’r casgliad biniau yn hwyr bob wythnos.',
    )
    assert.equal(k[0], 'casgliad biniau')
    for (const t of k) assert.equal(isStopWord(t, 'cy'), false, t)
    assert.ok(!k.includes('mae'))
  })

  it('keeps hashtags as keywords', () => {
    assert.ok(terms('Sign now #SaveOurPool').includes('#SaveOurPool'))
  })

  it('lets words common to a whole collection sink', () => {
    const df = new DocumentFrequencies('en')
    for (const t of [
      'council meeting tonight',
      'council tax rise',
      'council bins late',
      'council parking charges',
      'library council opening',
    ]) {
      df.add(t)
    }
    const k = extractKeywords('council parking charges', { frequencies: df, language: 'en' })
    assert.notEqual(k[0]!.term, 'council')
  })

  it('respects the limit and returns nothing for empty text', () => {
    assert.equal(extractKeywords('one two three four five six seven', { limit: 2, language: 'en' }).length, 2)
    assert.deepEqual(extractKeywords(''), [])
  })
})

describe('corpusKeywords', () => {
  it('ranks what many texts talk about, preferring shared phrases', () => {
    const texts = [
      'The bin collection was missed on our street',
      'Bin collection day changed without notice',
      'Missed bin collection again in Splott',
      'Potholes on Church Road',
      'More potholes appearing near the school',
      'Potholes are ruining my car',
      'Lovely event in the park',
    ]
    const k = corpusKeywords(texts)
    assert.deepEqual(
      k.slice(0, 2).map((x) => x.term),
      ['bin collection', 'potholes'],
    )
    assert.equal(k[0]!.count, 3)
    // "bin" alone is represented by "bin collection".
    assert.ok(!k.some((x) => x.key === 'bin'))
    // Terms used by only one text are left out by default.
    assert.ok(!k.some((x) => x.term === 'event'))
  })
})
