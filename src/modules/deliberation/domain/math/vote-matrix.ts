import type { Conversation, StatementInfo, VoteRecord, VoteValue } from './types.js'

/**
 * Votes as a sparse participants × statements matrix in compressed-sparse-row form: row i's
 * votes are the entries `rowStart[i]` up to (not including) `rowStart[i + 1]`, columns ascending.
 * A missing entry means "not voted"; a 0 entry is a pass. This is Pol.is's `raw-rating-mat`.
 */
export interface VoteMatrix {
  /** Row → participant id. */
  readonly participantIds: readonly number[]
  /** Column → statement id. */
  readonly statementIds: readonly number[]
  readonly rowStart: Int32Array
  readonly column: Int32Array
  /** 1 agree, −1 disagree, 0 pass. */
  readonly value: Int8Array
}

export function rowCount(matrix: VoteMatrix): number {
  return matrix.participantIds.length
}

export function columnCount(matrix: VoteMatrix): number {
  return matrix.statementIds.length
}

/**
 * Builds a matrix from entries (row, column, value). Where the same cell appears more than
 * once, the last entry wins, as Pol.is keeps only the latest vote (`votes_latest_unique`).
 */
export function voteMatrixFromEntries(
  participantIds: readonly number[],
  statementIds: readonly number[],
  rows: Int32Array,
  columns: Int32Array,
  values: Int8Array,
): VoteMatrix {
  const n = participantIds.length
  const m = statementIds.length
  const count = rows.length
  // Two stable counting sorts (by column, then by row) order entries by (row, column) while
  // keeping their original order within a cell, so the last of a run is the latest vote.
  const byColumn = countingSort(columns, m, identityOrder(count))
  const order = countingSort(rows, n, byColumn)
  const rowStart = new Int32Array(n + 1)
  const column = new Int32Array(count)
  const value = new Int8Array(count)
  let size = 0
  for (let p = 0; p < count; p++) {
    const e = order[p]
    const next = p + 1 < count ? order[p + 1] : -1
    if (next >= 0 && rows[next] === rows[e] && columns[next] === columns[e]) continue
    const v = values[e]
    if (v !== 1 && v !== -1 && v !== 0) throw new RangeError(`vote must be -1, 0 or 1 (got ${v})`)
    column[size] = columns[e]
    value[size] = v
    rowStart[rows[e] + 1]++
    size++
  }
  for (let i = 0; i < n; i++) rowStart[i + 1] += rowStart[i]
  return {
    participantIds,
    statementIds,
    rowStart,
    column: column.slice(0, size),
    value: value.slice(0, size),
  }
}

function identityOrder(count: number): Int32Array {
  const order = new Int32Array(count)
  for (let i = 0; i < count; i++) order[i] = i
  return order
}

function countingSort(keys: Int32Array, range: number, order: Int32Array): Int32Array {
  const start = new Int32Array(range + 1)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    if (key < 0 || key >= range) throw new RangeError(`index ${key} outside 0..${range - 1}`)
    start[key + 1]++
  }
  for (let k = 0; k < range; k++) start[k + 1] += start[k]
  const out = new Int32Array(order.length)
  for (const e of order) out[start[keys[e]]++] = e
  return out
}

/**
 * The matrix of a conversation: one row per participant who voted (in order of first vote),
 * one column per statement that received a vote (in the order of `statements`), as Pol.is's
 * rating matrix only has columns for statements with votes.
 */
export function voteMatrixFromConversation(conversation: Conversation): VoteMatrix {
  const votes = chronological(conversation.votes)
  const known = new Set(conversation.statements.map((s) => s.id))
  const voted = new Set<number>()
  for (const v of votes) {
    if (!known.has(v.statement)) throw new RangeError(`vote on unknown statement ${v.statement}`)
    voted.add(v.statement)
  }
  const statementIds = conversation.statements.filter((s) => voted.has(s.id)).map((s) => s.id)
  const columnOf = new Map(statementIds.map((id, j) => [id, j]))
  const rowOf = new Map<number, number>()
  const participantIds: number[] = []
  const rows = new Int32Array(votes.length)
  const columns = new Int32Array(votes.length)
  const values = new Int8Array(votes.length)
  votes.forEach((v, e) => {
    let row = rowOf.get(v.participant)
    if (row === undefined) {
      row = participantIds.length
      rowOf.set(v.participant, row)
      participantIds.push(v.participant)
    }
    rows[e] = row
    columns[e] = columnOf.get(v.statement)!
    values[e] = v.vote
  })
  return voteMatrixFromEntries(participantIds, statementIds, rows, columns, values)
}

/** Votes sorted by `at` where every vote has one (a stable sort), otherwise as given. */
function chronological(votes: readonly VoteRecord[]): readonly VoteRecord[] {
  if (votes.length === 0 || votes.some((v) => v.at === undefined)) return votes
  return [...votes].sort((a, b) => a.at! - b.at!)
}

/**
 * Columns left out of the math: moderated out or meta, and with strict moderation also the
 * statements nobody has moderated yet. Pol.is zeroes these columns (`mod-out`).
 */
export function excludedColumns(
  matrix: VoteMatrix,
  statements: readonly StatementInfo[],
  strictModeration = false,
): Uint8Array {
  const byId = new Map(statements.map((s) => [s.id, s]))
  const excluded = new Uint8Array(columnCount(matrix))
  matrix.statementIds.forEach((id, j) => {
    const s = byId.get(id)
    if (!s) return
    if (s.moderation === -1 || s.meta === true || (strictModeration && s.moderation === 0)) excluded[j] = 1
  })
  return excluded
}

/**
 * Column means over the votes cast, the value Pol.is fills missing votes with before its PCA
 * (`:mat`, since 2017). Excluded columns are all zeros in Pol.is, so their mean is 0.
 */
export function columnMeans(matrix: VoteMatrix, excluded: Uint8Array): Float64Array {
  const { sum, count } = columnSums(matrix)
  return meansFromSums(sum, count, excluded)
}

/** Sum and number of the votes in each column. */
export function columnSums(matrix: VoteMatrix): { sum: Float64Array; count: Float64Array } {
  const m = columnCount(matrix)
  const sum = new Float64Array(m)
  const count = new Float64Array(m)
  const { column, value } = matrix
  for (let e = 0; e < column.length; e++) {
    sum[column[e]] += value[e]
    count[column[e]]++
  }
  return { sum, count }
}

export function meansFromSums(sum: Float64Array, count: Float64Array, excluded: Uint8Array): Float64Array {
  const means = new Float64Array(excluded.length)
  for (let j = 0; j < excluded.length; j++) means[j] = excluded[j] || !(count[j] > 0) ? 0 : sum[j] / count[j]
  return means
}

/** Votes per participant, on every statement (Pol.is `user-vote-counts`, from the raw matrix). */
export function voteCounts(matrix: VoteMatrix): Int32Array {
  const n = rowCount(matrix)
  const counts = new Int32Array(n)
  for (let i = 0; i < n; i++) counts[i] = matrix.rowStart[i + 1] - matrix.rowStart[i]
  return counts
}

/** The vote of row i on column j, or undefined when not voted (binary search in the row). */
export function voteAt(matrix: VoteMatrix, i: number, j: number): VoteValue | undefined {
  let lo = matrix.rowStart[i]
  let hi = matrix.rowStart[i + 1] - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const c = matrix.column[mid]
    if (c === j) return matrix.value[mid] as VoteValue
    if (c < j) lo = mid + 1
    else hi = mid - 1
  }
  return undefined
}

export interface VoteChange {
  readonly row: number
  readonly column: number
  readonly value: VoteValue
}

/**
 * A new matrix with the given votes applied (a later vote on the same cell wins); rows and
 * columns may be added by passing longer id lists. Untouched rows are copied in blocks, so
 * applying a few thousand votes to millions costs little more than a copy.
 * Returns the rows that changed, for incremental updates.
 */
export function withVotes(
  matrix: VoteMatrix,
  participantIds: readonly number[],
  statementIds: readonly number[],
  changes: readonly VoteChange[],
): { readonly matrix: VoteMatrix; readonly changedRows: Int32Array } {
  const n = participantIds.length
  const oldN = rowCount(matrix)
  if (n < oldN || statementIds.length < columnCount(matrix))
    throw new RangeError('rows and columns can only be added')
  const byRow = new Map<number, Map<number, VoteValue>>()
  for (const c of changes) {
    if (c.row < 0 || c.row >= n || c.column < 0 || c.column >= statementIds.length) {
      throw new RangeError(`vote outside the matrix (row ${c.row}, column ${c.column})`)
    }
    const cells = byRow.get(c.row) ?? new Map<number, VoteValue>()
    byRow.set(c.row, cells)
    cells.set(c.column, c.value)
  }
  const changedRows = Int32Array.from([...byRow.keys()].sort((a, b) => a - b))
  let extra = 0
  for (const [row, cells] of byRow) {
    for (const j of cells.keys()) if (row >= oldN || voteAt(matrix, row, j) === undefined) extra++
  }
  const rowStart = new Int32Array(n + 1)
  const column = new Int32Array(matrix.column.length + extra)
  const value = new Int8Array(matrix.column.length + extra)
  let out = 0
  let copyFrom = 0 // first old row not yet copied
  const copyRows = (until: number): void => {
    // Copies old rows copyFrom..until-1 unchanged, shifting their offsets.
    const last = Math.min(until, oldN)
    if (copyFrom < last) {
      const a = matrix.rowStart[copyFrom]
      const b = matrix.rowStart[last]
      column.set(matrix.column.subarray(a, b), out)
      value.set(matrix.value.subarray(a, b), out)
      const shift = out - a
      for (let i = copyFrom; i < last; i++) rowStart[i + 1] = matrix.rowStart[i + 1] + shift
      out += b - a
    }
    for (let i = Math.max(copyFrom, oldN); i < until; i++) rowStart[i + 1] = out
    copyFrom = Math.max(copyFrom, until)
  }
  for (const row of changedRows) {
    copyRows(row)
    // Merge the row's old votes (columns ascending) with its new ones; a new vote replaces an old.
    const cells = [...byRow.get(row)!].sort((a, b) => a[0] - b[0])
    let e = row < oldN ? matrix.rowStart[row] : 0
    const end = row < oldN ? matrix.rowStart[row + 1] : 0
    let c = 0
    while (e < end || c < cells.length) {
      const oldColumn = e < end ? matrix.column[e] : Number.POSITIVE_INFINITY
      const newColumn = c < cells.length ? cells[c][0] : Number.POSITIVE_INFINITY
      if (oldColumn < newColumn) {
        column[out] = oldColumn
        value[out++] = matrix.value[e++]
      } else {
        column[out] = newColumn
        value[out++] = cells[c++][1]
        if (oldColumn === newColumn) e++
      }
    }
    rowStart[row + 1] = out
    copyFrom = row + 1
  }
  copyRows(n)
  return {
    matrix: {
      participantIds,
      statementIds,
      rowStart,
      column: column.subarray(0, out),
      value: value.subarray(0, out),
    },
    changedRows,
  }
}
