import type {
  AnalysisResult,
  ConsensusStatement,
  DivisiveStatement,
  GroupInformedConsensus,
  RepresentativeStatement,
} from './math/types.js'
import { statementPriority } from './routing.js'

/**
 * The stored result of a recompute: what the report, the routing and the participant's map
 * need, as plain JSON. Statements and participants are named by their numbers in the
 * conversation (the Pol.is comment-id and participant id).
 */
export interface Snapshot {
  readonly version: 1
  readonly computedAt: string
  /** The last vote-log row the computation saw. */
  readonly lastVoteId: number
  /** Participants with at least one vote (banned ones left out). */
  readonly participants: number
  /** Participants placed in groups (Pol.is in-conv: at least min(7, statements) votes). */
  readonly inConversation: number
  /** Latest votes counted (one per participant and statement). */
  readonly votes: number
  readonly groups: readonly SnapshotGroup[]
  /** Pol.is base clusters: the points of the opinion map. */
  readonly baseClusters: readonly {
    readonly x: number
    readonly y: number
    readonly size: number
    readonly group: number
  }[]
  readonly consensus: {
    readonly agree: readonly ConsensusStatement[]
    readonly disagree: readonly ConsensusStatement[]
  }
  readonly groupInformedConsensus: readonly GroupInformedConsensus[]
  readonly divisive: readonly DivisiveStatement[]
  /** Per statement number. */
  readonly statements: Readonly<Record<string, SnapshotStatement>>
}

export interface SnapshotGroup {
  readonly id: number
  readonly size: number
  readonly center: readonly [number, number]
  readonly representative: readonly RepresentativeStatement[]
}

export interface SnapshotStatement {
  readonly agree: number
  readonly disagree: number
  readonly pass: number
  /** Length of its projection: Pol.is's comment extremity. */
  readonly extremity: number
  /** Where a participant agreeing with it alone would sit. */
  readonly x: number
  readonly y: number
  /** Per group: [agree, disagree, seen]. */
  readonly groups: readonly (readonly [number, number, number])[]
  /** Routing priority (routing.ts), without the meta override. */
  readonly priority: number
}

/** Participant number → [x, y, group] for everyone placed on the map. */
export type Positions = Readonly<Record<string, readonly [number, number, number]>>

export interface VoteCounts {
  readonly agree: number
  readonly disagree: number
  readonly pass: number
}

const round = (x: number, digits = 4): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** Turns the math's result (on statement and participant numbers) into the stored snapshot. */
export function snapshotFromAnalysis(
  result: AnalysisResult,
  counts: ReadonlyMap<number, VoteCounts>,
  meta: { computedAt: string; lastVoteId: number },
): { snapshot: Snapshot; positions: Positions } {
  const column = new Map(result.statementIds.map((id, j) => [id, j]))
  const statements: Record<string, SnapshotStatement> = {}
  const numbers = new Set<number>([...counts.keys(), ...result.statementIds])
  let votes = 0
  for (const n of numbers) {
    const c = counts.get(n) ?? { agree: 0, disagree: 0, pass: 0 }
    const seen = c.agree + c.disagree + c.pass
    votes += seen
    const j = column.get(n)
    const extremity = j === undefined ? 0 : result.statementExtremity[j]
    statements[String(n)] = {
      ...c,
      extremity: round(extremity),
      x: j === undefined ? 0 : round(result.statementProjection[2 * j]),
      y: j === undefined ? 0 : round(result.statementProjection[2 * j + 1]),
      groups: result.groupVotes.map((g) =>
        j === undefined ? [0, 0, 0] : ([g.agree[j], g.disagree[j], g.seen[j]] as const),
      ),
      priority: round(statementPriority({ agree: c.agree, pass: c.pass, seen, extremity }), 6),
    }
  }
  const groupOf = new Map<number, number>()
  for (const g of result.groups) for (const m of g.members) groupOf.set(m, g.id)
  const baseGroup = new Map<number, number>()
  for (const g of result.groups) for (const b of g.baseClusters) baseGroup.set(b, g.id)
  const positions: Record<string, [number, number, number]> = {}
  result.participantIds.forEach((p, i) => {
    const g = groupOf.get(p)
    if (g === undefined) return
    positions[String(p)] = [round(result.projection[2 * i]), round(result.projection[2 * i + 1]), g]
  })
  const snapshot: Snapshot = {
    version: 1,
    computedAt: meta.computedAt,
    lastVoteId: meta.lastVoteId,
    participants: result.participants,
    inConversation: result.inConversation,
    votes,
    groups: result.groups.map((g) => ({
      id: g.id,
      size: g.members.length,
      center: [round(g.center[0]), round(g.center[1])],
      representative: g.representative,
    })),
    baseClusters: result.baseClusters
      .filter((b) => b.members.length > 0)
      .map((b) => ({
        x: round(b.center[0]),
        y: round(b.center[1]),
        size: b.members.length,
        group: baseGroup.get(b.id) ?? -1,
      })),
    consensus: result.consensus,
    groupInformedConsensus: result.groupInformedConsensus.slice(0, 10),
    divisive: result.divisive,
    statements,
  }
  return { snapshot, positions }
}

/** An empty snapshot: nobody has voted yet. */
export function emptySnapshot(computedAt: string, lastVoteId: number): Snapshot {
  return {
    version: 1,
    computedAt,
    lastVoteId,
    participants: 0,
    inConversation: 0,
    votes: 0,
    groups: [],
    baseClusters: [],
    consensus: { agree: [], disagree: [] },
    groupInformedConsensus: [],
    divisive: [],
    statements: {},
  }
}
