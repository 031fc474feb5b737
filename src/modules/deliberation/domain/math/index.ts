/** The deliberation opinion math (after Pol.is): see README.md in the module folder. */
export { analyze, analyzeMatrix, DEFAULT_ANALYSIS_OPTIONS } from './analyze.js'
export { adjustedRandIndex } from './ari.js'
export { LiveAnalysis } from './live.js'
export { DEFAULT_SEED, mulberry32 } from './random.js'
export { GROUP_K_BUFFER, type GroupKSmoother, smoothGroupK } from './smoother.js'
export { type PlantedConversation, type PlantedOptions, plantedConversation } from './synthetic.js'
export type * from './types.js'
export {
  excludedColumns,
  type VoteMatrix,
  voteMatrixFromConversation,
  voteMatrixFromEntries,
} from './vote-matrix.js'
