import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePattern, termMatches, UNICODE_BOUNDARY } from './matchers.js'
import type { PolicyRule } from './types.js'

const texts = [
  'Bydd yr ŵyl yn dechrau; gŵyl newydd, voter vote voted, a-vote, ŷd ŵy',
  'vote, avote, votes. Ŵyl! ŵyl? aŵyl yŵ ba ab b a',
]

/** Every match of a pattern with `\b` rewritten as the full two-way Unicode test. */
function reference(source: string, text: string): string[] {
  const re = new RegExp(source.replaceAll('\\b', UNICODE_BOUNDARY), 'giu')
  return [...text.matchAll(re)].map((m) => `${m.index}:${m[0]}`)
}

describe('policy matchers', () => {
  it('\\b is a Unicode word boundary, one-sided only where that is exact', () => {
    for (const source of [
      '\\bvote\\b',
      '\\bŵyl\\b',
      '\\bgŵyl\\b',
      '\\ba?b\\b',
      '\\b(?:vote|ŵyl)\\b',
      'y\\b',
      '\\b\\w+\\b',
      '\\bŷd\\b',
    ]) {
      const ours = compilePattern(source)
      for (const text of texts) {
        assert.deepEqual(
          [...text.matchAll(ours)].map((m) => `${m.index}:${m[0]}`),
          reference(source, text),
          `${source} on ${text}`,
        )
      }
    }
    // Inside a character class \b is still a backspace.
    assert.equal([...'\bvote'.matchAll(compilePattern('[\\b]vote'))].length, 1)
    // ASCII \b would split "ŵyl" at ŵ; ours does not.
    assert.deepEqual([...'gŵyl'.matchAll(compilePattern('\\bwyl'))], [])
    assert.equal([...'yr ŵyl'.matchAll(compilePattern('\\bŵyl\\b'))].length, 1)
  })

  it('terms: whole words, any case, spaces and apostrophes loosely, = for exact capitals', () => {
    const rule: PolicyRule = {
      code: 'x',
      kind: 'terms',
      severity: 'warn',
      enabled: true,
      message: { en: 'x', cy: 'x' },
      terms: ["addewidion wedi'u torri", 'broken  promises', '=Labour', 'Labour Party', 'U-turn'],
    }
    const spans = (text: string) => termMatches(rule, text).map((s) => s.text)
    assert.deepEqual(spans('Addewidion wedi’u torri; BROKEN\npromises'), [
      'Addewidion wedi’u torri',
      'BROKEN\npromises',
    ])
    assert.deepEqual(spans('labour market, Labour, labour party, unbroken promises'), [
      'Labour',
      'labour party',
    ])
    assert.deepEqual(spans('a U-turn, a u‑turn, a uturn, a U-turnover'), ['U-turn', 'u‑turn', 'uturn'])
  })
})
