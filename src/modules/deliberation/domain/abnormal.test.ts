import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { abnormalFindings, type LoggedVote } from './abnormal.js'
import { mulberry32 } from './math/random.js'

const start = Date.UTC(2026, 5, 1, 12)

function votes(n: number, gapMs: (i: number) => number, vote: (i: number) => number): LoggedVote[] {
  let t = start
  return Array.from({ length: n }, (_, i) => {
    t += gapMs(i)
    return { vote: vote(i), at: t }
  })
}

describe('abnormal voters (compdemocracy/polis#2025)', () => {
  it('flags agreeing with everything at machine speed on both counts', () => {
    const found = abnormalFindings(
      votes(
        30,
        () => 400,
        () => 1,
      ),
    )
    assert.deepEqual(
      found.map((f) => f.kind),
      ['same-answer', 'machine-speed'],
    )
    assert.equal(found[0].answer, 'agree')
    assert.equal(found[0].share, 1)
    assert.equal(found[1].medianSeconds, 0.4)
  })

  it('leaves a person who reads and thinks alone', () => {
    const random = mulberry32(1)
    const human = votes(
      40,
      () => 3000 + random() * 20_000,
      () => [1, -1, 0][Math.floor(random() * 3)],
    )
    assert.deepEqual(abnormalFindings(human), [])
  })

  it('flags a slow straight-liner only for the same answer, and a fast mixed voter only for speed', () => {
    assert.deepEqual(
      abnormalFindings(
        votes(
          25,
          () => 8000,
          () => -1,
        ),
      ).map((f) => [f.kind, f.answer]),
      [['same-answer', 'disagree']],
    )
    assert.deepEqual(
      abnormalFindings(
        votes(
          25,
          () => 300,
          (i) => (i % 2 ? 1 : -1),
        ),
      ).map((f) => f.kind),
      ['machine-speed'],
    )
  })

  it('needs enough votes before judging', () => {
    assert.deepEqual(
      abnormalFindings(
        votes(
          9,
          () => 100,
          () => 1,
        ),
      ),
      [],
    )
    assert.deepEqual(
      abnormalFindings(
        votes(
          15,
          () => 5000,
          () => 1,
        ),
      ),
      [],
      '15 agrees in a row is not yet "everything"',
    )
  })
})
