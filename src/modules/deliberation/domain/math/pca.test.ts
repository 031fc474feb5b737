import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CoVoteSums,
  centeredGram,
  denseCovariance,
  orientComponent,
  powerIteration,
  sparseCovariance,
  symmetricEigen,
} from './pca.js'
import { mulberry32 } from './random.js'
import { plantedConversation } from './synthetic.js'
import {
  columnMeans,
  excludedColumns,
  type VoteMatrix,
  voteMatrixFromEntries,
  withVotes,
} from './vote-matrix.js'

const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`)

/** Rows of votes (null = not voted) as a matrix. */
function fromRows(rows: ReadonlyArray<ReadonlyArray<number | null>>): VoteMatrix {
  const r: number[] = []
  const c: number[] = []
  const v: number[] = []
  rows.forEach((row, i) => {
    row.forEach((x, j) => {
      if (x === null) return
      r.push(i)
      c.push(j)
      v.push(x)
    })
  })
  return voteMatrixFromEntries(
    rows.map((_, i) => i),
    rows[0]!.map((_, j) => j),
    Int32Array.from(r),
    Int32Array.from(c),
    Int8Array.from(v),
  )
}

/** The textbook way, for comparison: fill with column means, centre, XᵀX. */
function naiveCovariance(
  rows: ReadonlyArray<ReadonlyArray<number | null>>,
  excluded: readonly number[],
): number[][] {
  const m = rows[0]!.length
  const filled = rows.map((row) => row.map((x, j) => (excluded[j] ? 0 : x)))
  const means = Array.from({ length: m }, (_, j) => {
    const seen = filled.map((row) => row[j]).filter((x): x is number => x !== null)
    return seen.length ? seen.reduce((s, x) => s + x, 0) / seen.length : 0
  })
  const centred = filled.map((row) => row.map((x, j) => (x === null ? means[j]! : x) - means[j]!))
  return Array.from({ length: m }, (_, j) =>
    Array.from({ length: m }, (_, k) => centred.reduce((s, row) => s + row[j]! * row[k]!, 0)),
  )
}

describe('covariance of the mean-filled vote matrix', () => {
  const rows = [
    [1, 1, -1, null],
    [1, null, 0, 1],
    [-1, -1, null, 1],
    [null, 1, 1, -1],
    [0, null, -1, null],
  ]
  const excludedMask = [0, 0, 0, 1]

  it('equals fill-centre-multiply, from the sparse votes alone', () => {
    const matrix = fromRows(rows)
    const excluded = Uint8Array.from(excludedMask)
    const means = columnMeans(matrix, excluded)
    const gram = centeredGram(matrix, means, excluded)
    const expected = naiveCovariance(rows, excludedMask)
    for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) close(gram[j * 4 + k], expected[j]![k]!)
    // Hand check of one cell: column 0 has votes 1, 1, −1, 0 (mean ¼); squares of 0.75, 0.75, −1.25, −0.25.
    close(gram[0], 0.75 ** 2 * 2 + 1.25 ** 2 + 0.25 ** 2)
  })

  it('the sparse operator and the co-vote sums give the same products', () => {
    const matrix = fromRows(rows)
    const excluded = Uint8Array.from(excludedMask)
    const means = columnMeans(matrix, excluded)
    const dense = denseCovariance(centeredGram(matrix, means, excluded), 4)
    const sparse = sparseCovariance(matrix, means, excluded)
    const sums = new CoVoteSums(4)
    sums.addMatrix(matrix)
    const fromSums = denseCovariance(sums.covariance(means, excluded), 4)
    const v = Float64Array.of(0.3, -1, 2, 0.5)
    const [a, b, c] = [new Float64Array(4), new Float64Array(4), new Float64Array(4)]
    dense.apply(v, a)
    sparse.apply(v, b)
    fromSums.apply(v, c)
    for (let j = 0; j < 4; j++) {
      close(a[j], b[j])
      close(a[j], c[j])
    }
  })

  it('co-vote sums follow changed votes exactly (live updates)', () => {
    const planted = plantedConversation({
      participants: 60,
      statements: 12,
      votes: 400,
      shares: [1, 1],
      seed: 3,
    })
    const sums = new CoVoteSums(12)
    sums.addMatrix(planted.matrix)
    const random = mulberry32(9)
    const changes = Array.from({ length: 80 }, () => ({
      row: Math.floor(random() * 60),
      column: Math.floor(random() * 12),
      value: (Math.floor(random() * 3) - 1) as -1 | 0 | 1,
    }))
    const { matrix, changedRows } = withVotes(
      planted.matrix,
      planted.matrix.participantIds,
      planted.matrix.statementIds,
      changes,
    )
    const slice = (mx: VoteMatrix, i: number) => ({
      columns: mx.column.subarray(mx.rowStart[i], mx.rowStart[i + 1]),
      values: mx.value.subarray(mx.rowStart[i], mx.rowStart[i + 1]),
    })
    for (const i of changedRows) {
      const before = slice(planted.matrix, i)
      const after = slice(matrix, i)
      sums.replaceRow(before.columns, before.values, after.columns, after.values)
    }
    const excluded = excludedColumns(matrix, planted.statements)
    const means = columnMeans(matrix, excluded)
    const expected = centeredGram(matrix, means, excluded)
    const actual = sums.covariance(means, excluded)
    for (let c = 0; c < expected.length; c++) close(actual[c], expected[c], 1e-9)
  })
})

describe('PCA by power iteration', () => {
  it('finds the principal axes of a hand-made matrix', () => {
    // Statements 0 and 1 move together, statement 2 alone: C = [[2,2,0],[2,2,0],[0,0,2]],
    // eigenvalues 4 (axis (1,1,0)/√2) and 2 (axis (0,0,1)).
    const matrix = fromRows([
      [1, 1, 0],
      [-1, -1, 0],
      [0, 0, 1],
      [0, 0, -1],
    ])
    const excluded = new Uint8Array(3)
    const means = columnMeans(matrix, excluded)
    const { components, eigenvalues } = powerIteration(
      denseCovariance(centeredGram(matrix, means, excluded), 3),
      {
        random: mulberry32(1),
      },
    )
    close(eigenvalues[0]!, 4)
    close(eigenvalues[1]!, 2)
    const [pc1, pc2] = components
    close(pc1![0], Math.SQRT1_2)
    close(pc1![1], Math.SQRT1_2)
    close(pc1![2], 0)
    close(Math.abs(pc2![2]), 1)
    close(pc2![2], 1) // sign convention: largest loading positive
  })

  it('agrees with a full eigen-decomposition when the top eigenvalues are close', () => {
    const planted = plantedConversation({
      participants: 300,
      statements: 20,
      votes: 3000,
      shares: [1, 1, 1],
      seed: 5,
    })
    const excluded = excludedColumns(planted.matrix, planted.statements)
    const means = columnMeans(planted.matrix, excluded)
    const gram = centeredGram(planted.matrix, means, excluded)
    const exact = symmetricEigen(gram, 20)
    const { components, eigenvalues } = powerIteration(denseCovariance(gram, 20), { random: mulberry32(2) })
    close(eigenvalues[0]!, exact.values[0]!, 1e-6)
    close(eigenvalues[1]!, exact.values[1]!, 1e-6)
    for (let c = 0; c < 2; c++) {
      let dot = 0
      for (let j = 0; j < 20; j++) dot += components[c]![j]! * exact.vectors[j * 20 + c]!
      close(Math.abs(dot), 1, 1e-6)
    }
  })

  it('gives a zero second component when there is no variance left, as Pol.is keeps', () => {
    const matrix = fromRows([
      [1, 1],
      [-1, -1],
    ])
    const excluded = new Uint8Array(2)
    const means = columnMeans(matrix, excluded)
    const { components, eigenvalues } = powerIteration(
      denseCovariance(centeredGram(matrix, means, excluded), 2),
      {
        random: mulberry32(1),
      },
    )
    close(eigenvalues[0]!, 4)
    assert.equal(eigenvalues[1], 0)
    assert.ok(components[1]!.every((x) => x === 0))
  })

  it('is deterministic for a seed and orients signs the same way every time', () => {
    const planted = plantedConversation({
      participants: 200,
      statements: 15,
      votes: 2000,
      shares: [2, 1],
      seed: 8,
    })
    const excluded = excludedColumns(planted.matrix, planted.statements)
    const means = columnMeans(planted.matrix, excluded)
    const op = denseCovariance(centeredGram(planted.matrix, means, excluded), 15)
    const a = powerIteration(op, { random: mulberry32(1) })
    const b = powerIteration(op, { random: mulberry32(99) })
    for (let c = 0; c < 2; c++)
      for (let j = 0; j < 15; j++) close(a.components[c]![j]!, b.components[c]![j]!, 1e-7)
  })

  it('orients a component so its largest loading is positive', () => {
    const v = Float64Array.of(0.1, -0.9, 0.3)
    orientComponent(v)
    assert.deepEqual([...v], [-0.1, 0.9, -0.3])
  })

  it('diagonalises a small symmetric matrix (Jacobi)', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2)
    close(values[0]!, 3)
    close(values[1]!, 1)
    close(Math.abs(vectors[0]!), Math.SQRT1_2)
  })
})
