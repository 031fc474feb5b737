import { clusterTwoLevel, finalGroups } from './clustering.js'
import { selectInConversation } from './participants.js'
import {
  alignSign,
  type CovarianceOperator,
  centeredGram,
  denseCovariance,
  powerIteration,
  sparseCovariance,
} from './pca.js'
import { projectParticipants, projectStatements } from './projection.js'
import { DEFAULT_SEED, mulberry32 } from './random.js'
import {
  consensusStatements,
  countGroupVotes,
  divisiveStatements,
  groupInformedConsensus,
  representativeStatements,
} from './repness.js'
import { type GroupKSmoother, smoothGroupK } from './smoother.js'
import type { AnalysisOptions, AnalysisResult, BaseCluster, Conversation, OpinionGroup } from './types.js'
import {
  columnCount,
  columnMeans,
  excludedColumns,
  rowCount,
  type VoteMatrix,
  voteCounts,
  voteMatrixFromConversation,
} from './vote-matrix.js'

/**
 * The whole opinion analysis of a conversation, after Pol.is (compdemocracy/polis
 * math/src/polismath/math/conversation.clj): vote matrix → PCA → sparsity-aware projection →
 * base clusters → opinion groups chosen by silhouette → representative statements, consensus,
 * group-informed consensus and divisive statements. Pure: no I/O, deterministic for a seed.
 */
export function analyze(conversation: Conversation, options: AnalysisOptions = {}): AnalysisResult {
  const resolved = resolveOptions(options)
  const matrix = voteMatrixFromConversation(conversation)
  const excluded = excludedColumns(matrix, conversation.statements, resolved.strictModeration)
  return runAnalysis({ matrix, excluded, options: resolved }).result
}

/** The same from a ready-made matrix and its excluded columns (the benchmark starts here). */
export function analyzeMatrix(
  matrix: VoteMatrix,
  excluded: Uint8Array,
  options: AnalysisOptions = {},
): AnalysisResult {
  return runAnalysis({ matrix, excluded, options: resolveOptions(options) }).result
}

export type ResolvedOptions = Required<AnalysisOptions>

export const DEFAULT_ANALYSIS_OPTIONS: ResolvedOptions = {
  seed: DEFAULT_SEED,
  baseK: 100,
  maxK: 5,
  baseRestarts: 3,
  groupRestarts: 16,
  strictModeration: false,
  refineGroups: true,
  maxDenseStatements: 3000,
}

export function resolveOptions(options: AnalysisOptions): ResolvedOptions {
  return { ...DEFAULT_ANALYSIS_OPTIONS, ...options }
}

/** What a live update carries over to the next one. */
export interface AnalysisState {
  readonly components: readonly Float64Array[]
  /** The whole block of the last power iteration, to start the next from. */
  readonly basis: readonly Float64Array[]
  readonly inConversation: Uint8Array
  readonly baseCenters: Float64Array
  /** Base-level group centres by k. */
  readonly groupCenters: ReadonlyMap<number, Float64Array>
  readonly smoother: GroupKSmoother | undefined
}

export interface RunInput {
  readonly matrix: VoteMatrix
  readonly excluded: Uint8Array
  readonly options: ResolvedOptions
  /** Column means when the caller maintains them (live updates); otherwise computed here. */
  readonly means?: Float64Array
  /** XᵀX when the caller maintains it (live updates); otherwise built here. */
  readonly covariance?: CovarianceOperator
  /** The previous update: warm starts, the in-conversation set, and the group-count smoother. */
  readonly previous?: AnalysisState
}

export function runAnalysis(input: RunInput): { result: AnalysisResult; state: AnalysisState } {
  const { matrix, excluded, options, previous } = input
  const n = rowCount(matrix)
  const m = columnCount(matrix)
  const random = mulberry32(options.seed)
  const means = input.means ?? columnMeans(matrix, excluded)
  const covariance =
    input.covariance ??
    (m <= options.maxDenseStatements
      ? denseCovariance(centeredGram(matrix, means, excluded), m)
      : sparseCovariance(matrix, means, excluded))
  const pca = powerIteration(covariance, {
    components: 2,
    random,
    ...(previous ? { start: previous.basis } : {}),
  })
  // A live map keeps its orientation from one update to the next.
  if (previous) {
    for (const [c, pc] of pca.components.entries()) alignSign(pc, previous.components[c])
  }
  const projection = projectParticipants(matrix, means, pca.components, excluded)
  const statements = projectStatements(means, pca.components, excluded)

  const inConversation = selectInConversation(
    voteCounts(matrix),
    m,
    matrix.participantIds,
    previous?.inConversation,
  )
  const rows: number[] = []
  for (let i = 0; i < n; i++) if (inConversation[i]) rows.push(i)
  const points = new Float64Array(2 * rows.length)
  rows.forEach((i, p) => {
    points[2 * p] = projection[2 * i]
    points[2 * p + 1] = projection[2 * i + 1]
  })

  const clustering = clusterTwoLevel(points, {
    baseK: options.baseK,
    maxK: options.maxK,
    baseRestarts: options.baseRestarts,
    groupRestarts: options.groupRestarts,
    random,
    ...(previous ? { warmBase: previous.baseCenters, warmGroups: previous.groupCenters } : {}),
  })
  const smoother = previous ? smoothGroupK(previous.smoother, clustering.bestK) : undefined
  const wantedK = smoother?.smoothedK ?? clustering.bestK
  const k = clustering.candidates.some((c) => c.k === wantedK) ? wantedK : clustering.bestK
  const final = rows.length > 0 ? finalGroups(points, clustering, k, options.refineGroups) : null
  const groupCount = final?.count ?? 0

  const groupOfRow = new Int32Array(n).fill(-1)
  rows.forEach((i, p) => {
    groupOfRow[i] = final!.groupOfBase[clustering.baseOfPoint[p]]
  })
  const { groups: groupVotes, everyone } = countGroupVotes(matrix, groupOfRow, groupCount)
  const representative = representativeStatements(groupVotes, excluded, matrix.statementIds)

  const baseMembers: number[][] = Array.from({ length: clustering.baseSizes.length }, () => [])
  rows.forEach((i, p) => {
    baseMembers[clustering.baseOfPoint[p]].push(matrix.participantIds[i])
  })
  const baseClusters: BaseCluster[] = baseMembers.map((members, b) => ({
    id: b,
    members,
    center: [clustering.baseCenters[2 * b], clustering.baseCenters[2 * b + 1]],
  }))
  const groups: OpinionGroup[] = Array.from({ length: groupCount }, (_, g) => {
    const members: number[] = []
    let x = 0
    let y = 0
    rows.forEach((i, p) => {
      if (groupOfRow[i] !== g) return
      members.push(matrix.participantIds[i])
      x += points[2 * p]
      y += points[2 * p + 1]
    })
    const bases: number[] = []
    final!.groupOfBase.forEach((gb, b) => {
      if (gb === g) bases.push(b)
    })
    const size = Math.max(members.length, 1)
    return {
      id: g,
      members,
      baseClusters: bases,
      center: [x / size, y / size],
      representative: representative[g],
    }
  })

  const result: AnalysisResult = {
    participants: n,
    inConversation: rows.length,
    statementIds: matrix.statementIds,
    participantIds: matrix.participantIds,
    excluded,
    pca: { center: means, components: pca.components, eigenvalues: pca.eigenvalues },
    projection,
    statementProjection: statements.projection,
    statementExtremity: statements.extremity,
    baseClusters,
    silhouettes: clustering.candidates.map((c) => ({ k: c.k, silhouette: c.silhouette })),
    bestK: clustering.bestK,
    groups,
    groupVotes,
    consensus: consensusStatements(everyone, excluded, matrix.statementIds),
    groupInformedConsensus:
      groupCount > 0 ? groupInformedConsensus(groupVotes, excluded, matrix.statementIds) : [],
    divisive: divisiveStatements(groupVotes, excluded, matrix.statementIds),
  }
  const state: AnalysisState = {
    components: pca.components,
    basis: pca.basis,
    inConversation,
    baseCenters: clustering.baseCenters,
    groupCenters: new Map(clustering.candidates.map((c) => [c.k, c.centers])),
    smoother: smoother ?? smoothGroupK(undefined, clustering.bestK),
  }
  return { result, state }
}
