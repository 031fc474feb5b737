import { type AnalysisState, type ResolvedOptions, resolveOptions, runAnalysis } from './analyze.js'
import { CoVoteSums, denseCovariance, sparseCovariance } from './pca.js'
import type {
  AnalysisOptions,
  AnalysisResult,
  Conversation,
  Moderation,
  StatementInfo,
  VoteRecord,
} from './types.js'
import {
  columnCount,
  columnSums,
  excludedColumns,
  meansFromSums,
  rowCount,
  type VoteChange,
  type VoteMatrix,
  voteMatrixFromConversation,
  withVotes,
} from './vote-matrix.js'

/**
 * The analysis of a conversation that keeps running as votes arrive, as Pol.is's math worker
 * does. Between updates it keeps the co-vote sums (so the covariance is updated per changed
 * participant, not rebuilt), and each update starts from the previous one: PCA from the last
 * components, base clusters from the last centres, group clusterings from the last ones for
 * the same k, participants once in the analysis stay in, and the number of groups goes through
 * Pol.is's smoother (a new k must be best on 4 consecutive updates before it is shown).
 */
export class LiveAnalysis {
  private matrix: VoteMatrix
  private readonly statements = new Map<number, StatementInfo>()
  private readonly rowOf = new Map<number, number>()
  private readonly columnOf = new Map<number, number>()
  private participantIds: number[]
  private statementIds: number[]
  private pending: VoteChange[] = []
  private readonly options: ResolvedOptions
  /** Null above `maxDenseStatements` columns: the sparse operator needs no running sums. */
  private sums: CoVoteSums | null
  /** Sum and count of the votes per column, kept up to date for the column means. */
  private columnSum: Float64Array = new Float64Array(0)
  private columnVotes: Float64Array = new Float64Array(0)
  private state: AnalysisState | undefined

  private constructor(matrix: VoteMatrix, statements: readonly StatementInfo[], options: AnalysisOptions) {
    this.options = resolveOptions(options)
    for (const s of statements) this.statements.set(s.id, s)
    this.matrix = matrix
    this.participantIds = [...matrix.participantIds]
    this.statementIds = [...matrix.statementIds]
    for (const [i, id] of this.participantIds.entries()) this.rowOf.set(id, i)
    for (const [j, id] of this.statementIds.entries()) this.columnOf.set(id, j)
    this.sums = null
    this.rebuildSums()
    const { sum, count } = columnSums(matrix)
    this.columnSum = sum
    this.columnVotes = count
  }

  static fromConversation(conversation: Conversation, options: AnalysisOptions = {}): LiveAnalysis {
    return new LiveAnalysis(voteMatrixFromConversation(conversation), conversation.statements, options)
  }

  /** Starts from a matrix; `statements` must include every statement id of its columns. */
  static fromMatrix(
    matrix: VoteMatrix,
    statements: readonly StatementInfo[],
    options: AnalysisOptions = {},
  ): LiveAnalysis {
    return new LiveAnalysis(matrix, statements, options)
  }

  /** Participants with votes so far. */
  get participants(): number {
    return this.participantIds.length
  }

  addStatement(statement: StatementInfo): void {
    this.statements.set(statement.id, statement)
  }

  /** Moderating a statement in or out takes effect at the next update. */
  setModeration(statementId: number, moderation: Moderation): void {
    const s = this.statements.get(statementId)
    if (!s) throw new RangeError(`unknown statement ${statementId}`)
    this.statements.set(statementId, { ...s, moderation })
  }

  /** Queues votes (in the order cast) for the next update. */
  addVotes(votes: readonly VoteRecord[]): void {
    for (const v of votes) {
      if (!this.statements.has(v.statement)) throw new RangeError(`vote on unknown statement ${v.statement}`)
      let row = this.rowOf.get(v.participant)
      if (row === undefined) {
        row = this.participantIds.length
        this.rowOf.set(v.participant, row)
        this.participantIds.push(v.participant)
      }
      let column = this.columnOf.get(v.statement)
      if (column === undefined) {
        column = this.statementIds.length
        this.columnOf.set(v.statement, column)
        this.statementIds.push(v.statement)
      }
      this.pending.push({ row, column, value: v.vote })
    }
  }

  /** Applies the queued votes and recomputes the analysis from the previous one. */
  update(): AnalysisResult {
    if (this.pending.length > 0 || this.participantIds.length > rowCount(this.matrix)) this.applyPending()
    const excluded = excludedColumns(
      this.matrix,
      [...this.statements.values()],
      this.options.strictModeration,
    )
    const m = columnCount(this.matrix)
    const means = meansFromSums(this.columnSum, this.columnVotes, excluded)
    const covariance = this.sums
      ? denseCovariance(this.sums.covariance(means, excluded), m)
      : sparseCovariance(this.matrix, means, excluded)
    const { result, state } = runAnalysis({
      matrix: this.matrix,
      excluded,
      options: this.options,
      means,
      covariance,
      ...(this.state ? { previous: this.state } : {}),
    })
    this.state = state
    return result
  }

  private applyPending(): void {
    const before = this.matrix
    const { matrix, changedRows } = withVotes(
      before,
      [...this.participantIds],
      [...this.statementIds],
      this.pending,
    )
    this.pending = []
    this.matrix = matrix
    const m = columnCount(matrix)
    if (m > this.columnSum.length) {
      this.columnSum = grow(this.columnSum, m)
      this.columnVotes = grow(this.columnVotes, m)
    }
    const oldRows = rowCount(before)
    const empty = { columns: new Int32Array(0), values: new Int8Array(0) }
    // The co-vote sums follow the changed rows, unless they are (re)built from the new matrix.
    let incremental = false
    if (m > this.options.maxDenseStatements) this.sums = null
    else if (!this.sums) this.rebuildSums()
    else {
      this.sums.resize(m)
      incremental = true
    }
    for (const i of changedRows) {
      const old = i < oldRows ? { columns: rowColumns(before, i), values: rowValues(before, i) } : empty
      const now = { columns: rowColumns(matrix, i), values: rowValues(matrix, i) }
      for (let e = 0; e < old.columns.length; e++) {
        this.columnSum[old.columns[e]] -= old.values[e]
        this.columnVotes[old.columns[e]]--
      }
      for (let e = 0; e < now.columns.length; e++) {
        this.columnSum[now.columns[e]] += now.values[e]
        this.columnVotes[now.columns[e]]++
      }
      if (incremental) this.sums!.replaceRow(old.columns, old.values, now.columns, now.values)
    }
  }

  /** Builds the co-vote sums from the whole matrix (on start, or when the dense form becomes possible). */
  private rebuildSums(): void {
    if (columnCount(this.matrix) > this.options.maxDenseStatements) {
      this.sums = null
      return
    }
    this.sums = new CoVoteSums(columnCount(this.matrix))
    this.sums.addMatrix(this.matrix)
  }
}

function grow(array: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length)
  out.set(array)
  return out
}

function rowColumns(matrix: VoteMatrix, i: number): Int32Array {
  return matrix.column.subarray(matrix.rowStart[i], matrix.rowStart[i + 1])
}

function rowValues(matrix: VoteMatrix, i: number): Int8Array {
  return matrix.value.subarray(matrix.rowStart[i], matrix.rowStart[i + 1])
}
