import { isSignificant90, propTest, twoPropTest } from './stats.js'
import type {
  ConsensusStatement,
  DivisiveStatement,
  GroupInformedConsensus,
  GroupVotes,
  RepfulFor,
  RepresentativeStatement,
} from './types.js'
import { columnCount, rowCount, type VoteMatrix } from './vote-matrix.js'

/**
 * What the groups say: Pol.is's representative statements (math/repness.clj), consensus,
 * group-informed consensus (conversation.clj `group-aware-consensus`) and, our addition,
 * divisive statements.
 */

/**
 * Agree, disagree and seen counts per column, for each group (rows of group −1 belong to none)
 * and for everyone, in one pass over the votes.
 */
export function countGroupVotes(
  matrix: VoteMatrix,
  groupOfRow: Int32Array,
  groupCount: number,
): { groups: GroupVotes[]; everyone: GroupVotes } {
  const m = columnCount(matrix)
  // One tally per bucket (the last one: participants in no group), three cells per column
  // indexed by vote + 1, so each vote costs a single increment.
  const tallies = Array.from({ length: groupCount + 1 }, () => new Int32Array(3 * m))
  const { rowStart, column, value } = matrix
  for (let i = 0; i < rowCount(matrix); i++) {
    const g = groupOfRow[i]
    const tally = tallies[g < 0 ? groupCount : g]
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) tally[3 * column[e] + value[e] + 1]++
  }
  const unpack = (tally: Int32Array): GroupVotes => {
    const votes = { agree: new Int32Array(m), disagree: new Int32Array(m), seen: new Int32Array(m) }
    for (let j = 0; j < m; j++) {
      votes.disagree[j] = tally[3 * j]
      votes.agree[j] = tally[3 * j + 2]
      votes.seen[j] = tally[3 * j] + tally[3 * j + 1] + tally[3 * j + 2]
    }
    return votes
  }
  const all = new Int32Array(3 * m)
  for (const tally of tallies) for (let c = 0; c < 3 * m; c++) all[c] += tally[c]
  return { groups: tallies.slice(0, groupCount).map(unpack), everyone: unpack(all) }
}

/** Pol.is's per group and statement statistics (n = count, p = probability, r = ratio, t = test). */
interface CommentStats {
  readonly column: number
  readonly na: number
  readonly nd: number
  readonly ns: number
  readonly pa: number
  readonly pd: number
  readonly pat: number
  readonly pdt: number
  readonly ra: number
  readonly rd: number
  readonly rat: number
  readonly rdt: number
}

function commentStats(votes: readonly GroupVotes[], g: number, j: number): CommentStats {
  const na = votes[g].agree[j]
  const nd = votes[g].disagree[j]
  const ns = votes[g].seen[j]
  let restA = 0
  let restD = 0
  let restS = 0
  for (let h = 0; h < votes.length; h++) {
    if (h === g) continue
    restA += votes[h].agree[j]
    restD += votes[h].disagree[j]
    restS += votes[h].seen[j]
  }
  const pa = (na + 1) / (ns + 2)
  const pd = (nd + 1) / (ns + 2)
  return {
    column: j,
    na,
    nd,
    ns,
    pa,
    pd,
    pat: propTest(na, ns),
    pdt: propTest(nd, ns),
    ra: pa / ((restA + 1) / (restS + 2)),
    rd: pd / ((restD + 1) / (restS + 2)),
    rat: twoPropTest(na, restA, ns, restS),
    rdt: twoPropTest(nd, restD, ns, restS),
  }
}

/** Pol.is `finalize-cmt-stats`: agree or disagree, whichever test is stronger. */
function finalise(
  s: CommentStats,
  statementIds: readonly number[],
  bestAgree = false,
): RepresentativeStatement {
  const agree = s.rat > s.rdt
  const repfulFor: RepfulFor = agree ? 'agree' : 'disagree'
  return {
    statementId: statementIds[s.column],
    repfulFor,
    nSuccess: agree ? s.na : s.nd,
    nTrials: s.ns,
    pSuccess: agree ? s.pa : s.pd,
    pTest: agree ? s.pat : s.pdt,
    repness: agree ? s.ra : s.rd,
    repnessTest: agree ? s.rat : s.rdt,
    bestAgree,
  }
}

const repnessMetric = (r: RepresentativeStatement): number => r.repness * r.repnessTest * r.pSuccess * r.pTest

/** Pol.is `passes-by-test?`: the group differs from the rest, and the group itself leans, significantly. */
function passesByTest(s: CommentStats): boolean {
  return (
    (isSignificant90(s.rat) && isSignificant90(s.pat)) || (isSignificant90(s.rdt) && isSignificant90(s.pdt))
  )
}

/** Pol.is `beats-best-agr?`: the statement the group most clearly agrees with. */
function beatsBestAgree(s: CommentStats, best: CommentStats | null): boolean {
  if (s.na === 0 && s.nd === 0) return false
  if (best !== null && best.ra > 1)
    return s.ra * s.rat * s.pa * s.pat > best.ra * best.rat * best.pa * best.pat
  if (best !== null) return s.pa * s.pat > best.pa * best.pat
  return isSignificant90(s.pat) || (s.ra > 1 && s.pa > 0.5)
}

/**
 * Representative statements per group, Pol.is `select-rep-comments`: statements passing both
 * z-tests, ranked by repness × its test × p × its test, top 5, the group's best agree statement
 * first and agrees before disagrees. Without any passing statement, the best agree statement
 * (or else the best by test) alone. Excluded statements never represent a group.
 */
export function representativeStatements(
  votes: readonly GroupVotes[],
  excluded: Uint8Array,
  statementIds: readonly number[],
  limit = 5,
): RepresentativeStatement[][] {
  return votes.map((_, g) => {
    const sufficient: RepresentativeStatement[] = []
    let best: RepresentativeStatement | null = null
    let bestAgree: CommentStats | null = null
    for (let j = 0; j < statementIds.length; j++) {
      if (excluded[j]) continue
      const s = commentStats(votes, g, j)
      if (passesByTest(s)) sufficient.push(finalise(s, statementIds))
      if (sufficient.length === 0 && (best === null || Math.max(s.rat, s.rdt) > best.repnessTest)) {
        best = finalise(s, statementIds)
      }
      if (beatsBestAgree(s, bestAgree)) bestAgree = s
    }
    const head = bestAgree ? [finalise(bestAgree, statementIds, true)] : best ? [best] : []
    if (sufficient.length === 0) return head
    const bestAgreeId = bestAgree ? statementIds[bestAgree.column] : undefined
    const ranked = sufficient
      .filter((r) => r.statementId !== bestAgreeId)
      .sort((a, b) => repnessMetric(b) - repnessMetric(a))
    const chosen = [...(bestAgree ? head : []), ...ranked].slice(0, limit)
    return [
      ...chosen.filter((r) => r.repfulFor === 'agree'),
      ...chosen.filter((r) => r.repfulFor === 'disagree'),
    ]
  })
}

/**
 * Pol.is `select-consensus-comments`, over every participant: statements with agree share > ½
 * and a significant one-proportion test, top 5 by share × test; likewise for disagree.
 */
export function consensusStatements(
  votes: GroupVotes,
  excluded: Uint8Array,
  statementIds: readonly number[],
  limit = 5,
): { agree: ConsensusStatement[]; disagree: ConsensusStatement[] } {
  const pick = (success: Int32Array): ConsensusStatement[] => {
    const found: ConsensusStatement[] = []
    for (let j = 0; j < statementIds.length; j++) {
      if (excluded[j]) continue
      const n = votes.seen[j]
      const p = (success[j] + 1) / (n + 2)
      const test = propTest(success[j], n)
      if (p > 0.5 && isSignificant90(test)) {
        found.push({
          statementId: statementIds[j],
          nSuccess: success[j],
          nTrials: n,
          pSuccess: p,
          pTest: test,
        })
      }
    }
    return found.sort((a, b) => b.pSuccess * b.pTest - a.pSuccess * a.pTest).slice(0, limit)
  }
  return { agree: pick(votes.agree), disagree: pick(votes.disagree) }
}

/**
 * Group-informed consensus (Pol.is `group-aware-consensus`): per statement, the product over
 * groups of (agrees + 1) / (seen + 2), high only when every group agrees. Sorted, highest first.
 */
export function groupInformedConsensus(
  votes: readonly GroupVotes[],
  excluded: Uint8Array,
  statementIds: readonly number[],
): GroupInformedConsensus[] {
  const out: GroupInformedConsensus[] = []
  if (votes.length === 0) return out
  for (let j = 0; j < statementIds.length; j++) {
    if (excluded[j]) continue
    let value = 1
    for (const g of votes) value *= (g.agree[j] + 1) / (g.seen[j] + 2)
    out.push({ statementId: statementIds[j], value })
  }
  return out.sort((a, b) => b.value - a.value || a.statementId - b.statementId)
}

/**
 * Divisive statements (not in Pol.is): where one group agrees and another disagrees. For each
 * pair of groups g, h the statement counts as dividing them when g's agree share is
 * significantly higher than h's AND h's disagree share significantly higher than g's (the
 * two-proportion z-test of the repness step, 90 %). Its divisiveness is half the gap in net
 * agreement, ((pa_g − pd_g) − (pa_h − pd_h)) / 2, with the pseudocounts of Pol.is; the pair with
 * the widest gap is reported. Sorted by divisiveness, top `limit`.
 */
export function divisiveStatements(
  votes: readonly GroupVotes[],
  excluded: Uint8Array,
  statementIds: readonly number[],
  limit = 5,
): DivisiveStatement[] {
  const out: DivisiveStatement[] = []
  for (let j = 0; j < statementIds.length; j++) {
    if (excluded[j]) continue
    let found: DivisiveStatement | null = null
    for (let g = 0; g < votes.length; g++) {
      for (let h = 0; h < votes.length; h++) {
        if (g === h) continue
        const a = votes[g]
        const b = votes[h]
        const agreeMore = twoPropTest(a.agree[j], b.agree[j], a.seen[j], b.seen[j])
        const disagreeMore = twoPropTest(b.disagree[j], a.disagree[j], b.seen[j], a.seen[j])
        if (!isSignificant90(agreeMore) || !isSignificant90(disagreeMore)) continue
        const net = (v: GroupVotes): number => (v.agree[j] - v.disagree[j]) / (v.seen[j] + 2)
        const divisiveness = (net(a) - net(b)) / 2
        if (found === null || divisiveness > found.divisiveness) {
          found = { statementId: statementIds[j], agreeingGroup: g, disagreeingGroup: h, divisiveness }
        }
      }
    }
    if (found) out.push(found)
  }
  return out.sort((a, b) => b.divisiveness - a.divisiveness || a.statementId - b.statementId).slice(0, limit)
}
