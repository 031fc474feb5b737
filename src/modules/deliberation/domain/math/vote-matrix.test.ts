import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  columnMeans,
  excludedColumns,
  voteAt,
  voteCounts,
  voteMatrixFromConversation,
  voteMatrixFromEntries,
  withVotes,
} from './vote-matrix.js'

describe('vote matrix', () => {
  it('keeps the latest vote per participant and statement, columns ascending', () => {
    const matrix = voteMatrixFromEntries(
      [10, 20],
      [1, 2, 3],
      Int32Array.of(0, 0, 1, 0, 0),
      Int32Array.of(2, 0, 1, 2, 1),
      Int8Array.of(1, -1, 0, -1, 0),
    )
    assert.deepEqual([...matrix.rowStart], [0, 3, 4])
    assert.deepEqual([...matrix.column], [0, 1, 2, 1])
    assert.deepEqual([...matrix.value], [-1, 0, -1, 0])
    assert.equal(voteAt(matrix, 0, 2), -1)
    assert.equal(voteAt(matrix, 1, 0), undefined)
    assert.deepEqual([...voteCounts(matrix)], [3, 1])
  })

  it('builds from a conversation: rows by first vote, only statements with votes, latest by time', () => {
    const matrix = voteMatrixFromConversation({
      statements: [
        { id: 5, moderation: 1 },
        { id: 6, moderation: 1 },
        { id: 7, moderation: -1 },
      ],
      votes: [
        { participant: 9, statement: 7, vote: 1, at: 3 },
        { participant: 4, statement: 5, vote: 1, at: 1 },
        { participant: 9, statement: 7, vote: -1, at: 2 },
      ],
    })
    assert.deepEqual(matrix.participantIds, [4, 9])
    assert.deepEqual(matrix.statementIds, [5, 7])
    assert.equal(voteAt(matrix, 1, 1), 1)
  })

  it('rejects votes on unknown statements and values other than -1, 0, 1', () => {
    assert.throws(() =>
      voteMatrixFromConversation({ statements: [], votes: [{ participant: 1, statement: 2, vote: 1 }] }),
    )
    assert.throws(
      () => voteMatrixFromEntries([1], [1], Int32Array.of(0), Int32Array.of(0), Int8Array.of(7)),
      /7/,
    )
  })

  it('fills column means over votes cast; excluded columns have mean 0', () => {
    const matrix = voteMatrixFromEntries(
      [1, 2, 3],
      [1, 2],
      Int32Array.of(0, 1, 2, 0),
      Int32Array.of(0, 0, 0, 1),
      Int8Array.of(1, 1, -1, 1),
    )
    const excluded = excludedColumns(matrix, [
      { id: 1, moderation: 1 },
      { id: 2, moderation: -1 },
    ])
    assert.deepEqual([...excluded], [0, 1])
    const means = columnMeans(matrix, excluded)
    assert.ok(Math.abs(means[0] - 1 / 3) < 1e-15)
    assert.equal(means[1], 0)
  })

  it('excludes meta statements, and unmoderated ones under strict moderation', () => {
    const matrix = voteMatrixFromEntries(
      [1],
      [1, 2],
      Int32Array.of(0, 0),
      Int32Array.of(0, 1),
      Int8Array.of(1, 1),
    )
    const statements = [
      { id: 1, moderation: 0 as const },
      { id: 2, moderation: 1 as const, meta: true },
    ]
    assert.deepEqual([...excludedColumns(matrix, statements)], [0, 1])
    assert.deepEqual([...excludedColumns(matrix, statements, true)], [1, 1])
  })

  it('applies new votes, rows and columns without touching other rows', () => {
    const matrix = voteMatrixFromEntries(
      [1, 2, 3],
      [1, 2],
      Int32Array.of(0, 1, 2),
      Int32Array.of(0, 1, 0),
      Int8Array.of(1, -1, 0),
    )
    const { matrix: next, changedRows } = withVotes(
      matrix,
      [1, 2, 3, 4],
      [1, 2, 3],
      [
        { row: 1, column: 0, value: 1 },
        { row: 1, column: 1, value: 1 },
        { row: 3, column: 2, value: -1 },
      ],
    )
    assert.deepEqual([...changedRows], [1, 3])
    assert.deepEqual([...next.rowStart], [0, 1, 3, 4, 5])
    assert.deepEqual([...next.column], [0, 0, 1, 0, 2])
    assert.deepEqual([...next.value], [1, 1, 1, 0, -1])
  })
})
