/**
 * Shapes of the deliberation opinion math (after Pol.is, compdemocracy/polis `math/`).
 *
 * Votes use the Pol.is export convention: 1 = agree, −1 = disagree, 0 = pass. (Pol.is's own
 * database stores agree as −1; the sign is irrelevant to the geometry.)
 */

export type VoteValue = -1 | 0 | 1

/** Pol.is `comments.mod`: −1 moderated out, 0 not yet moderated, 1 accepted. */
export type Moderation = -1 | 0 | 1

export interface StatementInfo {
  readonly id: number
  readonly moderation: Moderation
  /** Meta statements ("I live in the city") are routed but kept out of the math, as in Pol.is. */
  readonly meta?: boolean
}

export interface VoteRecord {
  readonly participant: number
  readonly statement: number
  readonly vote: VoteValue
  /** Milliseconds since the epoch; when given, the latest vote per (participant, statement) wins. */
  readonly at?: number
}

/** What the math needs of a conversation: its statements and every vote cast. */
export interface Conversation {
  readonly statements: readonly StatementInfo[]
  /** In the order cast (or with `at`); a later vote replaces an earlier one on the same statement. */
  readonly votes: readonly VoteRecord[]
}

export interface AnalysisOptions {
  /** Seed of every random choice; the default makes results reproducible. */
  readonly seed?: number
  /** Pol.is `base-k`: number of base clusters (default 100). */
  readonly baseK?: number
  /** Pol.is `max-k`: largest number of opinion groups (default 5). */
  readonly maxK?: number
  /** k-means++ restarts for the base clusters; the tightest is kept (default 3). */
  readonly baseRestarts?: number
  /** k-means++ restarts for each group clustering; the tightest is kept (default 16). */
  readonly groupRestarts?: number
  /** Also leave out statements that nobody has moderated yet (Pol.is `strict_moderation`). */
  readonly strictModeration?: boolean
  /**
   * Move the chosen groups' centres to the k-means fixed point of the participants themselves
   * before giving each base cluster to its nearest group (default true). See README.md.
   */
  readonly refineGroups?: boolean
  /** Above this many statements the PCA works on the sparse votes instead of a dense covariance. */
  readonly maxDenseStatements?: number
}

/** One participant-level cluster, in participant ids. */
export interface BaseCluster {
  readonly id: number
  readonly members: readonly number[]
  readonly center: readonly [number, number]
}

export type RepfulFor = 'agree' | 'disagree'

/** Pol.is `finalize-cmt-stats`: why a statement represents a group. */
export interface RepresentativeStatement {
  readonly statementId: number
  readonly repfulFor: RepfulFor
  /** Group members who agreed (or disagreed, for `disagree`). */
  readonly nSuccess: number
  /** Group members who saw it (voted, passes included). */
  readonly nTrials: number
  /** (nSuccess + 1) / (nTrials + 2). */
  readonly pSuccess: number
  /** One-proportion z-test of pSuccess against ½. */
  readonly pTest: number
  /** pSuccess divided by the same share among everyone in another group. */
  readonly repness: number
  /** Two-proportion z-test, this group against the other groups. */
  readonly repnessTest: number
  /** Set on the group's best agree statement, which Pol.is always shows first. */
  readonly bestAgree: boolean
}

export interface OpinionGroup {
  /** 0-based, ordered by size (largest first). */
  readonly id: number
  /** Participant ids. */
  readonly members: readonly number[]
  readonly baseClusters: readonly number[]
  readonly center: readonly [number, number]
  readonly representative: readonly RepresentativeStatement[]
}

export interface ConsensusStatement {
  readonly statementId: number
  readonly nSuccess: number
  readonly nTrials: number
  readonly pSuccess: number
  readonly pTest: number
}

export interface GroupInformedConsensus {
  readonly statementId: number
  /** Product over groups of (agrees + 1) / (seen + 2). */
  readonly value: number
}

export interface DivisiveStatement {
  readonly statementId: number
  /** The group that agrees more. */
  readonly agreeingGroup: number
  /** The group that disagrees more. */
  readonly disagreeingGroup: number
  /** Half the gap in net agreement (agree share − disagree share) between the two groups, in (0, 1). */
  readonly divisiveness: number
}

/** Per group, per statement (column order of `statementIds`): agrees, disagrees and votes seen. */
export interface GroupVotes {
  readonly agree: Int32Array
  readonly disagree: Int32Array
  readonly seen: Int32Array
}

export interface PcaSummary {
  /** Column means of the vote matrix (moderated-out statements 0). */
  readonly center: Float64Array
  readonly components: readonly Float64Array[]
  readonly eigenvalues: readonly number[]
}

export interface AnalysisResult {
  /** Participants with at least one vote. */
  readonly participants: number
  /** Participants clustered: Pol.is `in-conv`. */
  readonly inConversation: number
  /** Statement ids of the matrix columns (statements with at least one vote). */
  readonly statementIds: readonly number[]
  /** Participant ids of the matrix rows. */
  readonly participantIds: readonly number[]
  /** 1 where a column is left out of the math (moderated out or meta). */
  readonly excluded: Uint8Array
  readonly pca: PcaSummary
  /** x, y of every row (participant), sparsity-aware as in Pol.is. */
  readonly projection: Float64Array
  /** x, y of every statement as if one participant had agreed with it alone. */
  readonly statementProjection: Float64Array
  /** Length of each statement's projection (Pol.is `comment-extremity`). */
  readonly statementExtremity: Float64Array
  readonly baseClusters: readonly BaseCluster[]
  /** Silhouette of each group count tried (Pol.is chooses the best). */
  readonly silhouettes: ReadonlyArray<{ readonly k: number; readonly silhouette: number }>
  /** Best k by silhouette on this run (before any live smoothing). */
  readonly bestK: number
  readonly groups: readonly OpinionGroup[]
  readonly groupVotes: readonly GroupVotes[]
  readonly consensus: {
    readonly agree: readonly ConsensusStatement[]
    readonly disagree: readonly ConsensusStatement[]
  }
  readonly groupInformedConsensus: readonly GroupInformedConsensus[]
  readonly divisive: readonly DivisiveStatement[]
}
