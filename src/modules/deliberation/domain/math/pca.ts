import type { Random } from './random.js'
import { columnCount, rowCount, type VoteMatrix } from './vote-matrix.js'

/**
 * Two-component PCA of the vote matrix as Pol.is computes it (math/pca.clj, conversation.clj):
 * missing votes are filled with the statement's mean, moderated-out columns are zero, the data is
 * mean-centred, and the components come from power iteration with deflation.
 *
 * Filling with the column mean and then centring leaves exactly the voted cells non-zero (each
 * vote minus its column mean), so the centred matrix keeps the sparsity of the votes. We never
 * build the dense participants × statements matrix (a dense SVD of 33,000 × 800 takes minutes):
 * power iteration only needs products with the covariance XᵀX, which is either accumulated once
 * as a dense statements × statements matrix (cost Σ votes-per-participant², small) or applied
 * through the sparse votes when there are too many statements for that.
 */

/** v ↦ XᵀX v for the centred vote matrix X. */
export interface CovarianceOperator {
  readonly size: number
  apply(v: Float64Array, out: Float64Array): void
  /** The same for several vectors at once (one pass over the data). */
  applyBlock?(vs: readonly Float64Array[], outs: Float64Array[]): void
}

function applyBlock(operator: CovarianceOperator, vs: readonly Float64Array[]): Float64Array[] {
  const outs = vs.map(() => new Float64Array(operator.size))
  if (operator.applyBlock) operator.applyBlock(vs, outs)
  else for (const [i, v] of vs.entries()) operator.apply(v, outs[i])
  return outs
}

/** XᵀX accumulated from the sparse rows: C[j][k] = Σ over participants who voted on both of (x_ij − μ_j)(x_ik − μ_k). */
export function centeredGram(matrix: VoteMatrix, means: Float64Array, excluded: Uint8Array): Float64Array {
  const m = columnCount(matrix)
  const n = rowCount(matrix)
  const gram = new Float64Array(m * m)
  const cols = new Int32Array(m)
  const centred = new Float64Array(m)
  const { rowStart, column, value } = matrix
  for (let i = 0; i < n; i++) {
    let r = 0
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const j = column[e]
      if (excluded[j]) continue
      cols[r] = j
      centred[r] = value[e] - means[j]
      r++
    }
    // Columns ascend within a row, so (a ≤ b) fills the upper triangle.
    for (let a = 0; a < r; a++) {
      const base = cols[a] * m
      const va = centred[a]
      for (let b = a; b < r; b++) gram[base + cols[b]] += va * centred[b]
    }
  }
  mirrorUpper(gram, m)
  return gram
}

function mirrorUpper(square: Float64Array, m: number): void {
  for (let j = 0; j < m; j++) for (let k = j + 1; k < m; k++) square[k * m + j] = square[j * m + k]
}

export function denseCovariance(gram: Float64Array, m: number): CovarianceOperator {
  return {
    size: m,
    apply(v, out) {
      for (let j = 0; j < m; j++) {
        let s = 0
        const base = j * m
        for (let k = 0; k < m; k++) s += gram[base + k] * v[k]
        out[j] = s
      }
    },
    applyBlock(vs, outs) {
      // Four vectors per pass over C, so each entry is read once for all four.
      let r = 0
      for (; r + 4 <= vs.length; r += 4) {
        const [v0, v1, v2, v3] = [vs[r], vs[r + 1], vs[r + 2], vs[r + 3]]
        const [o0, o1, o2, o3] = [outs[r], outs[r + 1], outs[r + 2], outs[r + 3]]
        for (let j = 0; j < m; j++) {
          let s0 = 0
          let s1 = 0
          let s2 = 0
          let s3 = 0
          const base = j * m
          for (let k = 0; k < m; k++) {
            const c = gram[base + k]
            s0 += c * v0[k]
            s1 += c * v1[k]
            s2 += c * v2[k]
            s3 += c * v3[k]
          }
          o0[j] = s0
          o1[j] = s1
          o2[j] = s2
          o3[j] = s3
        }
      }
      for (; r < vs.length; r++) this.apply(vs[r], outs[r])
    },
  }
}

/** The same operator without the m × m matrix: XᵀX v = Σ_i x_i (x_i · v) over the sparse rows. */
export function sparseCovariance(
  matrix: VoteMatrix,
  means: Float64Array,
  excluded: Uint8Array,
): CovarianceOperator {
  const m = columnCount(matrix)
  const n = rowCount(matrix)
  const { rowStart, column, value } = matrix
  const centred = new Float64Array(column.length)
  for (let e = 0; e < column.length; e++) centred[e] = excluded[column[e]] ? 0 : value[e] - means[column[e]]
  return {
    size: m,
    apply(v, out) {
      out.fill(0)
      for (let i = 0; i < n; i++) {
        let dot = 0
        for (let e = rowStart[i]; e < rowStart[i + 1]; e++) dot += centred[e] * v[column[e]]
        if (dot === 0) continue
        for (let e = rowStart[i]; e < rowStart[i + 1]; e++) out[column[e]] += centred[e] * dot
      }
    },
  }
}

/**
 * Raw co-vote sums from which XᵀX can be rebuilt for any column means, so a live conversation
 * updates its covariance per changed participant instead of from scratch. For columns j ≤ k:
 * S = Σ x_ij x_ik and N = number of participants who voted on both; for every (j, k):
 * T = Σ x_ij over participants who voted on both. Then
 * C[j][k] = S − μ_k T[j][k] − μ_j T[k][j] + μ_j μ_k N.
 * Votes are −1/0/1, so the sums are exact integers.
 */
export class CoVoteSums {
  private capacity = 0
  private size = 0
  private product: Int32Array = new Int32Array(0)
  private first: Int32Array = new Int32Array(0)
  private both: Int32Array = new Int32Array(0)
  /** Scratch marks of the columns whose vote changed, for `replaceRow`. */
  private changed: Uint8Array = new Uint8Array(0)

  constructor(columns: number) {
    this.resize(columns)
  }

  get columns(): number {
    return this.size
  }

  /** Makes room for more columns (the sums of existing columns are kept). */
  resize(columns: number): void {
    if (columns <= this.capacity) {
      this.size = Math.max(this.size, columns)
      return
    }
    const capacity = Math.max(columns, Math.ceil(this.capacity * 1.5), 16)
    const grow = (old: Int32Array): Int32Array => {
      const next = new Int32Array(capacity * capacity)
      for (let j = 0; j < this.size; j++)
        next.set(old.subarray(j * this.capacity, j * this.capacity + this.size), j * capacity)
      return next
    }
    this.product = grow(this.product)
    this.first = grow(this.first)
    this.both = grow(this.both)
    this.changed = new Uint8Array(capacity)
    this.capacity = capacity
    this.size = columns
  }

  /** Adds (sign 1) or removes (sign −1) one participant's votes; `columns` ascending. */
  addRow(columns: Int32Array, values: Int8Array, sign: 1 | -1): void {
    const cap = this.capacity
    const { product, first, both } = this
    const r = columns.length
    for (let a = 0; a < r; a++) {
      const j = columns[a]
      const va = values[a] * sign
      const base = j * cap
      for (let b = a; b < r; b++) {
        const k = columns[b]
        const vb = values[b]
        product[base + k] += va * vb
        both[base + k] += sign
        first[base + k] += va
        if (b !== a) first[k * cap + j] += vb * sign
      }
    }
  }

  /**
   * Replaces one participant's votes (old row → new row, columns ascending), touching only the
   * pairs that involve a column whose vote changed: O(changed × votes) instead of O(votes²).
   */
  replaceRow(
    oldColumns: Int32Array,
    oldValues: Int8Array,
    newColumns: Int32Array,
    newValues: Int8Array,
  ): void {
    const changed = this.changed
    const marked: number[] = []
    let a = 0
    let b = 0
    while (a < oldColumns.length || b < newColumns.length) {
      const ja = a < oldColumns.length ? oldColumns[a] : Number.POSITIVE_INFINITY
      const jb = b < newColumns.length ? newColumns[b] : Number.POSITIVE_INFINITY
      if (ja === jb) {
        if (oldValues[a] !== newValues[b]) marked.push(ja)
        a++
        b++
      } else if (ja < jb) marked.push(oldColumns[a++])
      else marked.push(newColumns[b++])
    }
    if (marked.length === 0) return
    for (const j of marked) changed[j] = 1
    this.pairsTouchingChanged(oldColumns, oldValues, -1)
    this.pairsTouchingChanged(newColumns, newValues, 1)
    for (const j of marked) changed[j] = 0
  }

  /** Adds or removes every pair of the row's votes with at least one changed column, each pair once. */
  private pairsTouchingChanged(columns: Int32Array, values: Int8Array, sign: 1 | -1): void {
    const cap = this.capacity
    const { product, first, both, changed } = this
    const r = columns.length
    for (let a = 0; a < r; a++) {
      if (!changed[columns[a]]) continue
      for (let b = 0; b < r; b++) {
        // A pair of two changed columns is counted from its first member only.
        if (b < a && changed[columns[b]]) continue
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        const j = columns[lo]
        const k = columns[hi]
        const vj = values[lo] * sign
        const cell = j * cap + k
        product[cell] += vj * values[hi]
        both[cell] += sign
        first[cell] += vj
        if (lo !== hi) first[k * cap + j] += values[hi] * sign
      }
    }
  }

  /** Adds every row of a matrix. */
  addMatrix(matrix: VoteMatrix): void {
    this.resize(columnCount(matrix))
    for (let i = 0; i < rowCount(matrix); i++) {
      const a = matrix.rowStart[i]
      const b = matrix.rowStart[i + 1]
      this.addRow(matrix.column.subarray(a, b), matrix.value.subarray(a, b), 1)
    }
  }

  /** The dense m × m covariance XᵀX for these means; excluded columns are zero, as in Pol.is. */
  covariance(means: Float64Array, excluded: Uint8Array): Float64Array {
    const m = this.size
    const cap = this.capacity
    const gram = new Float64Array(m * m)
    for (let j = 0; j < m; j++) {
      if (excluded[j]) continue
      const mj = means[j]
      for (let k = j; k < m; k++) {
        if (excluded[k]) continue
        const mk = means[k]
        const jk = j * cap + k
        gram[j * m + k] =
          this.product[jk] - mk * this.first[jk] - mj * this.first[k * cap + j] + mj * mk * this.both[jk]
      }
    }
    mirrorUpper(gram, m)
    return gram
  }
}

export interface PowerIterationOptions {
  readonly components?: number
  /** Vectors iterated together; more than `components` speeds convergence when eigenvalues are close. */
  readonly blockSize?: number
  /** Pol.is runs 100 iterations warm-started from the last update; from cold we run to convergence. */
  readonly maxIterations?: number
  /** Stop once the subspace of the components moves less than this. */
  readonly tolerance?: number
  /** Warm starts, e.g. the previous update's components. */
  readonly start?: readonly (Float64Array | undefined)[]
  readonly random: Random
}

export interface PowerIterationResult {
  readonly components: Float64Array[]
  readonly eigenvalues: number[]
  readonly iterations: number
  /** Every vector of the final block (components first): the warm start of the next update. */
  readonly basis: Float64Array[]
}

/**
 * The leading eigenvectors of the covariance by power iteration with deflation, run on a block
 * of vectors at once (simultaneous or "orthogonal" iteration): each step multiplies every vector
 * by C, then deflates each against the ones before it (Gram–Schmidt), which is what Pol.is's
 * `factor-matrix` does to the data between its components. Iterating the vectors together
 * makes the plane of the first two converge at the rate λ(b+1)/λ2 (b = block size) even when
 * λ1 ≈ λ2, where Pol.is's one-at-a-time iteration crawls; a final Rayleigh–Ritz step then
 * rotates the block onto the principal axes. Signs follow `orientComponent`.
 */
export function powerIteration(
  operator: CovarianceOperator,
  options: PowerIterationOptions,
): PowerIterationResult {
  const m = operator.size
  const wanted = Math.min(options.components ?? 2, m)
  const size = Math.min(Math.max(options.blockSize ?? wanted + 2, wanted), m)
  const maxIterations = options.maxIterations ?? 500
  const tolerance = options.tolerance ?? 1e-9
  if (wanted === 0) return { components: [], eigenvalues: [], iterations: 0, basis: [] }
  let block: Float64Array[] = []
  for (let c = 0; c < size; c++) {
    const start = options.start?.[c]
    const v = new Float64Array(m)
    if (start?.some((x) => x !== 0)) v.set(start.subarray(0, m))
    // A random start (rather than Pol.is's all-ones) cannot be orthogonal to the answer by symmetry.
    else for (let j = 0; j < m; j++) v[j] = options.random() - 0.5
    block.push(v)
  }
  block = orthonormalise(block)
  let iterations = 0
  while (iterations < maxIterations && block.length > 0) {
    iterations++
    const next = orthonormalise(applyBlock(operator, block))
    const moved = subspaceDistance(block.slice(0, wanted), next.slice(0, wanted))
    block = next
    if (moved < tolerance) break
  }
  // Rayleigh–Ritz: the eigenvectors of C restricted to the block, largest eigenvalue first.
  const images = applyBlock(operator, block)
  const b = block.length
  const small = new Float64Array(b * b)
  for (let r = 0; r < b; r++) for (let c = 0; c < b; c++) small[r * b + c] = dot(block[r], images[c])
  const { values, vectors } = symmetricEigen(small, b)
  const basis: Float64Array[] = []
  for (let c = 0; c < Math.max(b, wanted); c++) {
    const v = new Float64Array(m)
    if (c < b) for (let r = 0; r < b; r++) axpy(vectors[r * b + c], block[r], v)
    orientComponent(v)
    basis.push(v)
  }
  const eigenvalues = Array.from({ length: wanted }, (_, c) => (c < b ? Math.max(values[c], 0) : 0))
  return { components: basis.slice(0, wanted), eigenvalues, iterations, basis }
}

/**
 * Modified Gram–Schmidt, twice for accuracy. A vector with nothing left once deflated against
 * the ones before it (no variance in a new direction) is dropped.
 */
function orthonormalise(vectors: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = []
  for (const original of vectors) {
    const v = Float64Array.from(original)
    const before = Math.sqrt(dot(v, v))
    for (let pass = 0; pass < 2; pass++) deflate(v, out)
    const norm = normalise(v)
    if (norm > 1e-12 * before && norm > 0) out.push(v)
  }
  return out
}

/** ‖(I − QQᵀ)P‖ for orthonormal blocks: how far the span of P is from the span of Q. */
function subspaceDistance(q: Float64Array[], p: Float64Array[]): number {
  if (q.length !== p.length) return Number.POSITIVE_INFINITY
  let total = 0
  for (const v of p) {
    const r = Float64Array.from(v)
    deflate(r, q)
    total += dot(r, r)
  }
  return Math.sqrt(total)
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let j = 0; j < a.length; j++) s += a[j] * b[j]
  return s
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let j = 0; j < y.length; j++) y[j] += alpha * x[j]
}

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. Returns the
 * eigenvalues in decreasing order and the eigenvectors as the columns of `vectors`.
 */
export function symmetricEigen(
  matrix: Float64Array,
  size: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix)
  const v = new Float64Array(size * size)
  for (let i = 0; i < size; i++) v[i * size + i] = 1
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) off += a[p * size + q] ** 2
    if (off < 1e-30) break
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q]
        if (apq === 0) continue
        const theta = (a[q * size + q] - a[p * size + p]) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p]
          const akq = a[k * size + q]
          a[k * size + p] = c * akp - s * akq
          a[k * size + q] = s * akp + c * akq
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k]
          const aqk = a[q * size + k]
          a[p * size + k] = c * apk - s * aqk
          a[q * size + k] = s * apk + c * aqk
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p]
          const vkq = v[k * size + q]
          v[k * size + p] = c * vkp - s * vkq
          v[k * size + q] = s * vkp + c * vkq
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((x, y) => a[y * size + y] - a[x * size + x])
  const values = Float64Array.from(order, (i) => a[i * size + i])
  const vectors = new Float64Array(size * size)
  order.forEach((from, to) => {
    for (let k = 0; k < size; k++) vectors[k * size + to] = v[k * size + from]
  })
  return { values, vectors }
}

/** Removes from v its projection on each (unit) component. */
function deflate(v: Float64Array, components: readonly Float64Array[]): void {
  for (const pc of components) {
    let dot = 0
    for (let j = 0; j < v.length; j++) dot += v[j] * pc[j]
    for (let j = 0; j < v.length; j++) v[j] -= dot * pc[j]
  }
}

function normalise(v: Float64Array): number {
  let s = 0
  for (let j = 0; j < v.length; j++) s += v[j] * v[j]
  const norm = Math.sqrt(s)
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j] /= norm
  return norm
}

/**
 * Deterministic sign: the loading largest in absolute value is made positive (the first one
 * when several are equal to within 1e-9 of the largest). Pol.is leaves the sign to chance.
 */
export function orientComponent(v: Float64Array): void {
  let largest = 0
  for (let j = 0; j < v.length; j++) largest = Math.max(largest, Math.abs(v[j]))
  if (largest === 0) return
  for (let j = 0; j < v.length; j++) {
    if (Math.abs(v[j]) >= largest - 1e-9 * largest) {
      if (v[j] < 0) for (let k = 0; k < v.length; k++) v[k] = -v[k]
      return
    }
  }
}

/** Flips `v` if it points away from `reference`: keeps a live map from mirroring between updates. */
export function alignSign(v: Float64Array, reference: Float64Array | undefined): void {
  if (!reference) return
  let dot = 0
  for (let j = 0; j < Math.min(v.length, reference.length); j++) dot += v[j] * reference[j]
  if (dot < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j]
}
