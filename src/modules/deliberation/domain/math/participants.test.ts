import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { selectInConversation } from './participants.js'

const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => 100 + i)
const members = (mask: Uint8Array): number[] => [...mask.keys()].filter((i) => mask[i] === 1)

describe('in-conversation participants (Pol.is in-conv)', () => {
  it('takes everyone with at least min(7, statements) votes, then tops up to 15 by most votes', () => {
    // 20 participants: two with 7+ votes; the rest 1..6 votes.
    const counts = Int32Array.of(9, 7, 6, 6, 5, 5, 5, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 0)
    const chosen = members(selectInConversation(counts, 30, ids(20)))
    assert.equal(chosen.length, 15)
    assert.deepEqual(chosen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
  })

  it('needs fewer votes when there are fewer than 7 statements', () => {
    const counts = Int32Array.from({ length: 30 }, (_, i) => (i < 20 ? 3 : 2))
    assert.equal(members(selectInConversation(counts, 3, ids(30))).length, 20)
  })

  it('breaks top-up ties by participant id, not row order', () => {
    const counts = Int32Array.from({ length: 20 }, () => 1)
    const reversed = Array.from({ length: 20 }, (_, i) => 200 - i)
    const chosen = members(selectInConversation(counts, 30, reversed))
    assert.deepEqual(chosen, [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
  })

  it('keeps participants once in (live updates)', () => {
    const counts = Int32Array.from({ length: 40 }, (_, i) => (i < 20 ? 8 : 1))
    const previous = new Uint8Array(40)
    previous[30] = 1
    const chosen = members(selectInConversation(counts, 30, ids(40), previous))
    assert.equal(chosen.length, 21)
    assert.ok(chosen.includes(30))
  })
})
