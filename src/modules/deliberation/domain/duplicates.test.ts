import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { findNearDuplicate } from './duplicates.js'

const existing = [
  'The council should fix the potholes on our roads before building anything new',
  'Cars should be banned from the high street on Saturdays',
  'Empty shops should be turned into homes',
  'The weekly market should stay in the square',
].map((text, i) => ({ id: i + 1, texts: [text] }))

describe('near-duplicate statements', () => {
  it('refuses the same statement with different case and punctuation', () => {
    assert.deepEqual(findNearDuplicate('EMPTY shops should be turned into homes!!', existing), {
      id: 3,
      score: 1,
    })
  })

  it('refuses a close rewording, pointing to the existing statement', () => {
    const found = findNearDuplicate(
      'The council should fix potholes on our roads before building anything new.',
      existing,
    )
    assert.equal(found?.id, 1)
    assert.equal(findNearDuplicate('Empty shops should become homes', existing)?.id, 3)
  })

  it('accepts statements that only share a topic', () => {
    for (const text of [
      'The market should move to the car park',
      'Cars should be banned from the high street on Sundays',
      'We need more benches in the park',
      'Cycle lanes on the main road',
    ]) {
      assert.equal(findNearDuplicate(text, existing), null, text)
    }
  })

  it('compares with both languages of a statement', () => {
    const bilingual = [
      { id: 7, texts: ['Empty shops should be turned into homes', 'Dylid troi siopau gwag yn gartrefi'] },
    ]
    assert.equal(findNearDuplicate('Dylid troi siopau gwag yn gartrefi.', bilingual)?.id, 7)
  })

  it('has nothing to compare in an empty conversation', () => {
    assert.equal(findNearDuplicate('Anything at all', []), null)
    assert.equal(findNearDuplicate('   ', existing), null)
  })
})
