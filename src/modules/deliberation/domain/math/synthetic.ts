import { mulberry32, type Random } from './random.js'
import type { StatementInfo, VoteValue } from './types.js'
import { type VoteMatrix, voteMatrixFromEntries } from './vote-matrix.js'

/**
 * Generated conversations with planted opinion groups, for the benchmark, tests and demo data.
 * Each group has, per statement, a stance: mostly agree (45 %), mostly disagree (40 %) or split
 * (15 %); each participant votes on a random subset of the statements (0.2 to 1.8 times the
 * mean count) and draws each vote from their group's stance. Seeded: the same options give the
 * same conversation.
 */

export interface PlantedOptions {
  readonly participants: number
  readonly statements: number
  /** Votes to cast in total (approximately). */
  readonly votes: number
  /** Relative size of each planted group. */
  readonly shares: readonly number[]
  readonly seed: number
  /** Share of statements moderated out (default 5 %). */
  readonly moderatedOut?: number
  /** Probability of the stance's vote (agree for an agreeing group; default 0.75). */
  readonly conviction?: number
}

export interface PlantedConversation {
  readonly matrix: VoteMatrix
  readonly statements: StatementInfo[]
  /** Planted group of each participant (participant id = row). */
  readonly group: Int32Array
  /** The same generator, to draw further votes consistently. */
  readonly random: Random
  /** A vote of a member of `group` on `statement`, drawn from the group's stance. */
  vote(group: number, statement: number): VoteValue
}

export function plantedConversation(options: PlantedOptions): PlantedConversation {
  const random = mulberry32(options.seed)
  const { participants, shares } = options
  const m = options.statements
  const strong = options.conviction ?? 0.75
  const weak = (1 - strong) / 2.5
  const agree = shares.map(() => new Float64Array(m))
  const disagree = shares.map(() => new Float64Array(m))
  for (let g = 0; g < shares.length; g++) {
    for (let j = 0; j < m; j++) {
      const u = random()
      const [a, d] = u < 0.45 ? [strong, weak] : u < 0.85 ? [weak, strong] : [0.35, 0.35]
      agree[g][j] = a
      disagree[g][j] = d
    }
  }
  const moderatedOut = options.moderatedOut ?? 0.05
  const statements: StatementInfo[] = Array.from({ length: m }, (_, id) => ({
    id,
    moderation: random() < moderatedOut ? -1 : 1,
  }))
  const total = shares.reduce((s, x) => s + x, 0)
  const group = new Int32Array(participants)
  for (let i = 0; i < participants; i++) {
    let u = random() * total
    let g = 0
    while (g < shares.length - 1 && u >= shares[g]) u -= shares[g++]
    group[i] = g
  }
  const vote = (g: number, j: number): VoteValue => {
    const u = random()
    return u < agree[g][j] ? 1 : u < agree[g][j] + disagree[g][j] ? -1 : 0
  }
  const mean = options.votes / participants
  const counts = new Int32Array(participants)
  let sum = 0
  for (let i = 0; i < participants; i++) {
    counts[i] = Math.min(m, Math.max(1, Math.round(mean * (0.2 + 1.6 * random()))))
    sum += counts[i]
  }
  const rows = new Int32Array(sum)
  const cols = new Int32Array(sum)
  const values = new Int8Array(sum)
  const deck = Int32Array.from({ length: m }, (_, j) => j)
  let e = 0
  for (let i = 0; i < participants; i++) {
    // Partial Fisher–Yates: the first counts[i] cards are a uniform sample without replacement.
    for (let c = 0; c < counts[i]; c++) {
      const pick = c + Math.floor(random() * (m - c))
      const j = deck[pick]
      deck[pick] = deck[c]
      deck[c] = j
      rows[e] = i
      cols[e] = j
      values[e] = vote(group[i], j)
      e++
    }
  }
  const matrix = voteMatrixFromEntries(
    Array.from({ length: participants }, (_, i) => i),
    Array.from({ length: m }, (_, j) => j),
    rows,
    cols,
    values,
  )
  return { matrix, statements, group, random, vote }
}
