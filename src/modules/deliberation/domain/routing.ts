/**
 * Which statement a participant sees next: Pol.is's priority-weighted random routing
 * (compdemocracy/polis math conversation.clj `importance-metric`, `priority-metric`; server
 * `selectProbabilistically`). New statements, extreme ones (far from the centre of the opinion
 * map) and ones people rarely pass on come first; meta statements have a fixed priority.
 */

/** Pol.is routes meta statements at a fixed priority of 7². */
export const META_PRIORITY = 49

export interface StatementStats {
  /** Agree votes (latest per participant). */
  readonly agree: number
  /** Pass votes. */
  readonly pass: number
  /** Votes of any kind: how many participants have seen it. */
  readonly seen: number
  /** Length of the statement's projection on the opinion map (0 before the math has seen it). */
  readonly extremity: number
}

/**
 * priority = (importance × (1 + 8 · 2^(−S/5)))², importance = (1 − p) · (E + 1) · a, with
 * p = (P + 1)/(S + 2) the pass share and a = (A + 1)/(S + 2) the agree share. The second factor
 * boosts statements few people have seen (×9 at S = 0, ×5 at S = 5, ≈ ×1 after 30).
 */
export function statementPriority(stats: StatementStats, meta = false): number {
  if (meta) return META_PRIORITY
  const s = stats.seen
  const p = (stats.pass + 1) / (s + 2)
  const a = (stats.agree + 1) / (s + 2)
  const importance = (1 - p) * (stats.extremity + 1) * a
  const novelty = 1 + 8 * 2 ** (-s / 5)
  return (importance * novelty) ** 2
}

/** Priority of a statement the math has not seen yet (no votes, no position): about 5. */
export const NEW_STATEMENT_PRIORITY = statementPriority({ agree: 0, pass: 0, seen: 0, extremity: 0 })

export interface Candidate<Id> {
  readonly id: Id
  readonly priority: number
}

/**
 * Draws one candidate with probability proportional to its priority. A missing, zero or
 * non-finite priority counts as 1, as in Pol.is, so every unvoted statement can come up.
 * `random` returns a number in [0, 1).
 */
export function chooseStatement<Id>(candidates: readonly Candidate<Id>[], random: () => number): Id | null {
  if (candidates.length === 0) return null
  const weights = candidates.map((c) => (Number.isFinite(c.priority) && c.priority > 0 ? c.priority : 1))
  const total = weights.reduce((s, w) => s + w, 0)
  let u = random() * total
  for (let i = 0; i < candidates.length; i++) {
    u -= weights[i]
    if (u < 0) return candidates[i].id
  }
  return candidates[candidates.length - 1].id
}
