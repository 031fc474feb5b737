/**
 * The Method of Equal Shares (Peters & Skowron) for approval ballots, as used in Wieliczka,
 * Aarau and Assen and as Pabulib's `equalshares` rules name it.
 *
 * Core: every voter starts with an equal share of the budget. Repeatedly, among the projects
 * whose supporters can still pay for them, buy the one that is cheapest *per unit of
 * utility*: a voter's utility from a project is its cost (the "cost utilities" of
 * equalshares.net and pabutools' `Cost_Sat`), so a project is bought at the smallest
 * ρ = q / cost, where q is the most any supporter pays (supporters pay q each, or everything
 * they have left if that is less). Stop when no project is affordable.
 *
 * Completion (`completion` option), because the core usually leaves money unspent:
 * - `add1` (Pabulib `equalshares/add1`, the equalshares.net "Add1" method): raise every
 *   voter's starting share step by step (1 currency unit a step, from the whole-unit share
 *   below budget/n) and rerun; keep the last outcome that still fits the real budget, and
 *   stop as soon as an outcome is exhaustive (no further supported project fits).
 * - `add1-greedy` (Pabulib `equalshares/add1u`): `add1`, then fund the remaining projects
 *   by number of supporters while money is left (greedy), as the issue describes.
 * - `greedy`: the core, then the greedy fill (abcvoting's "AV completion").
 * - `phragmen`: the core, then sequential Phragmén (abcvoting's plain `equal-shares`, after
 *   Peters & Skowron's "Rule X with Phragmén phase"): every voter starts with the load of what
 *   they paid in the core (abcvoting: `start_load[v] = k/n − budget[v]`); repeatedly, among the
 *   projects that still fit the budget, fund the one whose supporters' load would rise least,
 *   (cost + their loads) / their number, and give every supporter that load.
 * - `none`: the core only.
 *
 * Arithmetic. Costs and the budget are integer cents and every "does it fit the real budget"
 * test is exact. Voters' shares (budget/n) are not whole cents, so the core works in IEEE
 * doubles on cents and treats two values as equal when they differ by less than a relative
 * 1e-9 (`REL_EPS`): then a project whose supporters hold its cost up to rounding is
 * affordable, and two projects whose ρ agree up to rounding are tied and go to the
 * tie-breaking order. Values that differ that little in exact arithmetic would be differences
 * below a millionth of a cent per voter; the unit tests compare this core with an exact
 * rational (BigInt) implementation on thousands of random small instances full of exact ties.
 *
 * Tie-breaking (equal ρ): more supporters, then cheaper, then listed first (`tieBreakRanks`);
 * `tieBreakOrder` replaces it with an explicit priority list.
 */
import {
  type ApprovalBallot,
  approvalIndices,
  type Explanation,
  type Instance,
  indexProjects,
  type Outcome,
  type ProjectId,
  RuleInputError,
  selectedInOrder,
  tieBreakRanks,
} from './types.js'

export const REL_EPS = 1e-9

export type Completion = 'none' | 'greedy' | 'add1' | 'add1-greedy' | 'phragmen'

export interface EqualSharesOptions {
  /** Default `add1`, what Pabulib's `equalshares/add1` files were counted with. */
  readonly completion?: Completion
  /** Add1 step: how much every voter's share grows per step, minor units. Default 100 (1 currency unit). */
  readonly add1Step?: number
  /** Add1 gives up after this many steps, keeping the last outcome that fitted. Default 100,000. */
  readonly maxAdd1Steps?: number
  readonly tieBreakOrder?: readonly ProjectId[]
}

export interface EqualSharesOutcome extends Outcome {
  readonly rule: 'equal-shares'
  /** Each voter's starting share in the kept run, minor units (budget/n unless Add1 raised it). */
  readonly perVoterBudget: number
  /** How many Add1 steps the kept run is above the whole-unit share (0 if Add1 changed nothing). */
  readonly add1Steps: number
  /** Projects bought by Equal Shares itself, in the order bought. */
  readonly boughtInOrder: readonly ProjectId[]
  /** Projects added by the greedy fill, in the order added. */
  readonly completedByGreedy: readonly ProjectId[]
  /** Projects added by the Phragmén phase, in the order added. */
  readonly completedByPhragmen: readonly ProjectId[]
}

interface Model {
  readonly n: number
  readonly m: number
  readonly cost: Float64Array
  readonly supporters: readonly Int32Array[]
  readonly rank: Int32Array
  readonly maxSupport: number
}

interface Run {
  readonly winners: number[]
  /** Per winner: the largest payment of a supporter (q). */
  readonly q: number[]
  /** Per winner: supporters who paid less than q (all they had). */
  readonly poor: number[]
  readonly budgets: Float64Array
  readonly spent: number
}

function buildModel(
  instance: Instance,
  approvals: readonly Int32Array[],
  tieBreakOrder?: readonly ProjectId[],
): Model {
  const m = instance.projects.length
  const counts = new Int32Array(m)
  for (const ballot of approvals) for (const p of ballot) counts[p]++
  const supporters = Array.from({ length: m }, (_, p) => new Int32Array(counts[p]))
  const fill = new Int32Array(m)
  approvals.forEach((ballot, v) => {
    for (const p of ballot) supporters[p][fill[p]++] = v
  })
  let maxSupport = 0
  for (const c of counts) maxSupport = Math.max(maxSupport, c)
  return {
    n: approvals.length,
    m,
    cost: Float64Array.from(instance.projects, (p) => p.cost),
    supporters,
    rank: tieBreakRanks(instance, counts, tieBreakOrder),
    maxSupport,
  }
}

const definitelyLess = (a: number, b: number) => a < b - REL_EPS * Math.max(Math.abs(a), Math.abs(b))

/** One run of the core with every voter starting at `perVoter`; projects must also fit `spendLimit`. */
function runFixed(model: Model, perVoter: number, spendLimit = Number.POSITIVE_INFINITY): Run {
  const { n, m, cost, supporters, rank } = model
  const budgets = new Float64Array(n).fill(perVoter)
  const scratch = new Float64Array(model.maxSupport)
  // Lower bound on each project's ρ. Budgets only shrink, so a project's ρ only grows and the
  // last computed value stays a lower bound: we re-evaluate projects in order of it and stop
  // once the bound is worse than the best found (equalshares.net's speed-up).
  const lowerBound = new Float64Array(m)
  let candidates: number[] = []
  for (let p = 0; p < m; p++) {
    if (supporters[p].length === 0) continue
    lowerBound[p] = 1 / supporters[p].length
    candidates.push(p)
  }
  const winners: number[] = []
  const qs: number[] = []
  const poors: number[] = []
  let spent = 0
  let poorOut = 0

  /** Smallest q with Σ min(budget, q) = cost over the supporters, or -1 if they cannot pay. */
  const price = (c: number): number => {
    const sup = supporters[c]
    const k = sup.length
    const need = cost[c]
    let total = 0
    let min = Number.POSITIVE_INFINITY
    for (let j = 0; j < k; j++) {
      const b = budgets[sup[j]]
      scratch[j] = b
      total += b
      if (b < min) min = b
    }
    if (need === 0) {
      poorOut = 0
      return 0
    }
    if (total < need * (1 - REL_EPS)) return -1
    const equal = need / k
    if (min >= equal) {
      poorOut = 0
      return equal
    }
    // Water-filling: those who hold less than the equal split of what is still needed pay all
    // they have; repeat with the rest. Same q as walking the sorted budgets, without sorting
    // (usually two or three linear passes; a pathological spread falls back to the sort).
    let rich = k
    let paid = 0
    for (let pass = 0; pass < 16 && rich > 0; pass++) {
      const q = (need - paid) / rich
      let kept = 0
      for (let j = 0; j < rich; j++) {
        const b = scratch[j]
        if (b < q) paid += b
        else scratch[kept++] = b
      }
      if (kept === rich) {
        poorOut = k - rich
        return q
      }
      rich = kept
    }
    if (rich > 0) {
      const sorted = scratch.subarray(0, rich).sort()
      for (let j = 0; j < rich; j++) {
        const q = (need - paid) / (rich - j)
        if (sorted[j] >= q) {
          poorOut = k - rich + j
          return q
        }
        paid += sorted[j]
      }
    }
    // Everyone pays all they have (they hold the cost only up to rounding): the largest
    // payment is the largest budget.
    let max = 0
    for (let j = 0; j < k; j++) max = Math.max(max, budgets[sup[j]])
    poorOut = 0
    for (let j = 0; j < k; j++) if (budgets[sup[j]] < max) poorOut++
    return max
  }

  while (candidates.length > 0) {
    candidates.sort((a, b) => lowerBound[a] - lowerBound[b] || rank[a] - rank[b])
    let best = -1
    let bestRho = Number.POSITIVE_INFINITY
    let bestQ = 0
    let bestPoor = 0
    const keep: number[] = []
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]
      if (best !== -1 && definitelyLess(bestRho, lowerBound[c])) {
        for (let j = i; j < candidates.length; j++) keep.push(candidates[j])
        break
      }
      if (cost[c] > spendLimit - spent) continue // can never fit again: drop
      const q = price(c)
      if (q < 0) continue // its supporters cannot pay, now or later: drop
      const rho = cost[c] === 0 ? 0 : q / cost[c]
      lowerBound[c] = rho
      keep.push(c)
      if (
        best === -1 ||
        definitelyLess(rho, bestRho) ||
        (!definitelyLess(bestRho, rho) && rank[c] < rank[best])
      ) {
        best = c
        bestRho = rho
        bestQ = q
        bestPoor = poorOut
      }
    }
    if (best === -1) break
    const sup = supporters[best]
    for (let j = 0; j < sup.length; j++) {
      const b = budgets[sup[j]]
      budgets[sup[j]] = b > bestQ ? b - bestQ : 0
    }
    winners.push(best)
    qs.push(bestQ)
    poors.push(bestPoor)
    spent += cost[best]
    candidates = keep.filter((c) => c !== best)
  }
  return { winners, q: qs, poor: poors, budgets, spent }
}

function isExhaustive(model: Model, run: Run, budget: number): boolean {
  const left = budget - run.spent
  const chosen = new Set(run.winners)
  for (let p = 0; p < model.m; p++) {
    if (!chosen.has(p) && model.supporters[p].length > 0 && model.cost[p] <= left) return false
  }
  return true
}

function checkOptions(options: EqualSharesOptions): void {
  const step = options.add1Step
  if (step !== undefined && !(Number.isFinite(step) && step > 0)) {
    throw new RuleInputError('invalid-option', 'add1Step must be a positive number of minor units')
  }
  const max = options.maxAdd1Steps
  if (max !== undefined && !(Number.isInteger(max) && max >= 0)) {
    throw new RuleInputError('invalid-option', 'maxAdd1Steps must be a non-negative integer')
  }
}

/** The Method of Equal Shares with the chosen completion. */
export function equalShares(
  instance: Instance,
  ballots: readonly ApprovalBallot[],
  options: EqualSharesOptions = {},
): EqualSharesOutcome {
  checkOptions(options)
  const index = indexProjects(instance)
  const model = buildModel(instance, approvalIndices(ballots, index), options.tieBreakOrder)
  const completion = options.completion ?? 'add1'
  const budget = instance.budget
  const n = model.n
  let perVoter = n > 0 ? budget / n : 0
  let run = runFixed(model, perVoter)
  let steps = 0

  if ((completion === 'add1' || completion === 'add1-greedy') && n > 0) {
    const step = options.add1Step ?? 100
    const maxSteps = options.maxAdd1Steps ?? 100_000
    const base = Math.floor(perVoter / step) * step
    for (let k = 1; k <= maxSteps && !isExhaustive(model, run, budget); k++) {
      const next = runFixed(model, base + k * step)
      if (next.spent > budget) break
      run = next
      perVoter = base + k * step
      steps = k
    }
  }

  const explanations = new Map<ProjectId, Explanation>()
  const chosen = new Set<number>()
  run.winners.forEach((p, i) => {
    chosen.add(p)
    explanations.set(instance.projects[p].id, {
      code: 'selected',
      supporters: model.supporters[p].length,
      perVoterPayment: run.q[i],
      supportersPayingLess: run.poor[i],
      round: i + 1,
    })
  })

  let remaining = budget - run.spent
  const completedByGreedy: ProjectId[] = []
  const fill = completion === 'greedy' || completion === 'add1-greedy'
  if (fill) {
    const rest = Array.from({ length: model.m }, (_, p) => p)
      .filter((p) => !chosen.has(p) && model.supporters[p].length > 0)
      .sort(
        (a, b) => model.supporters[b].length - model.supporters[a].length || model.rank[a] - model.rank[b],
      )
    for (const p of rest) {
      const project = instance.projects[p]
      const supporters = model.supporters[p].length
      if (project.cost <= remaining) {
        explanations.set(project.id, {
          code: 'selected-by-completion',
          supporters,
          remainingBefore: remaining,
        })
        remaining -= project.cost
        chosen.add(p)
        completedByGreedy.push(project.id)
      } else {
        explanations.set(project.id, {
          code: 'did-not-fit',
          score: supporters,
          supporters,
          cost: project.cost,
          remainingBudget: remaining,
        })
      }
    }
  }

  const completedByPhragmen: ProjectId[] = []
  if (completion === 'phragmen') {
    for (const p of phragmenPhase(model, run, perVoter, chosen, remaining)) {
      const project = instance.projects[p.project]
      explanations.set(project.id, {
        code: 'selected-by-phragmen',
        supporters: model.supporters[p.project].length,
        remainingBefore: remaining,
        load: p.load,
      })
      remaining -= project.cost
      chosen.add(p.project)
      completedByPhragmen.push(project.id)
    }
  }

  instance.projects.forEach((project, p) => {
    if (explanations.has(project.id)) return
    const sup = model.supporters[p]
    if (sup.length === 0) {
      explanations.set(project.id, { code: 'no-support', cost: project.cost })
      return
    }
    let left = 0
    for (let j = 0; j < sup.length; j++) left += run.budgets[sup[j]]
    explanations.set(project.id, {
      code: 'supporters-could-not-afford',
      supporters: sup.length,
      supportersMoneyLeft: left,
      perVoterBudget: perVoter,
      cost: project.cost,
    })
  })

  return {
    rule: 'equal-shares',
    selected: selectedInOrder(instance, chosen),
    cost: budget - remaining,
    budget,
    explanations,
    perVoterBudget: perVoter,
    add1Steps: steps,
    boughtInOrder: run.winners.map((p) => instance.projects[p].id),
    completedByGreedy,
    completedByPhragmen,
  }
}

/**
 * Sequential Phragmén after the core (abcvoting `_equal_shares_algorithm`, completion
 * "seqphragmen"; pabutools `sequential_phragmen` with costs). Loads start at what each voter
 * paid; a project can be added while its cost fits the money left. Ties on the new load go to
 * the tie-breaking order. Returns the projects added, in order, with the load they set.
 */
function phragmenPhase(
  model: Model,
  run: Run,
  perVoter: number,
  chosen: ReadonlySet<number>,
  remaining: number,
): { project: number; load: number }[] {
  const load = new Float64Array(model.n)
  for (let v = 0; v < model.n; v++) load[v] = perVoter - run.budgets[v]
  const taken = new Set(chosen)
  const added: { project: number; load: number }[] = []
  let left = remaining
  for (;;) {
    let best = -1
    let bestLoad = Number.POSITIVE_INFINITY
    for (let p = 0; p < model.m; p++) {
      const sup = model.supporters[p]
      if (taken.has(p) || sup.length === 0 || model.cost[p] > left) continue
      let sum = model.cost[p]
      for (let j = 0; j < sup.length; j++) sum += load[sup[j]]
      const newLoad = sum / sup.length
      const better =
        best < 0 ||
        definitelyLess(newLoad, bestLoad) ||
        (!definitelyLess(bestLoad, newLoad) && model.rank[p] < model.rank[best])
      if (better) {
        best = p
        bestLoad = newLoad
      }
    }
    if (best < 0) return added
    for (const v of model.supporters[best]) load[v] = bestLoad
    taken.add(best)
    left -= model.cost[best]
    added.push({ project: best, load: bestLoad })
  }
}

export interface FixedBudgetRun {
  /** Projects bought, in the order bought. */
  readonly bought: readonly ProjectId[]
  /** Per bought project: the largest payment of a supporter. */
  readonly perVoterPayment: readonly number[]
  readonly spent: number
}

/**
 * The core alone, with an explicit starting share per voter (minor units). `spendLimit` also
 * excludes projects that no longer fit that much money; it is how abcvoting's "increment"
 * completion caps the committee size while raising the voters' budgets.
 */
export function equalSharesFixedBudget(
  instance: Instance,
  ballots: readonly ApprovalBallot[],
  options: {
    readonly perVoterBudget: number
    readonly spendLimit?: number
    readonly tieBreakOrder?: readonly ProjectId[]
  },
): FixedBudgetRun {
  if (!(Number.isFinite(options.perVoterBudget) && options.perVoterBudget >= 0)) {
    throw new RuleInputError('invalid-option', 'perVoterBudget must be a non-negative number')
  }
  const index = indexProjects(instance)
  const model = buildModel(instance, approvalIndices(ballots, index), options.tieBreakOrder)
  const run = runFixed(model, options.perVoterBudget, options.spendLimit)
  return {
    bought: run.winners.map((p) => instance.projects[p].id),
    perVoterPayment: run.q,
    spent: run.spent,
  }
}
