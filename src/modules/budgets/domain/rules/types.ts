/**
 * Shared shapes of the counting rules.
 *
 * Money is always an integer number of minor units (cents), so sums and "does it still fit"
 * checks are exact. Only the Method of Equal Shares divides money between voters; it works in
 * floating point on those cents and compares with a relative tolerance (see equal-shares.ts).
 */

export type ProjectId = string

export interface Project {
  readonly id: ProjectId
  /** Integer minor units (cents). */
  readonly cost: number
}

/** What the rules count over. `projects` is in the official (file) order, used for output and ties. */
export interface Instance {
  /** Integer minor units (cents). */
  readonly budget: number
  readonly projects: readonly Project[]
}

/** The projects a voter approved (or named, for ranked ballots), each at most once. */
export type ApprovalBallot = readonly ProjectId[]

/** A ballot that gives points: `points[i]` goes to `projects[i]`. */
export interface PointsBallot {
  readonly projects: readonly ProjectId[]
  readonly points: readonly number[]
}

export type RuleName = 'greedy' | 'greedy-points' | 'equal-shares'

/**
 * Why a project was or was not funded, as data: a stable `code` plus the numbers behind it.
 * The web layer turns these into sentences ("selected: 412 supporters paid 38 € each").
 * Money fields are minor units; `perVoterPayment` and `supportersMoneyLeft` may be fractional cents.
 */
export type Explanation =
  /** Funded by the Method of Equal Shares: `supporters` shared the cost, none paying more than `perVoterPayment`. */
  | {
      readonly code: 'selected'
      readonly supporters: number
      readonly perVoterPayment: number
      /** How many supporters paid less than `perVoterPayment` because it was all they had left. */
      readonly supportersPayingLess: number
      /** 1 for the first project bought, 2 for the second, … */
      readonly round: number
    }
  /** Funded by a greedy rule: the `rank`-th highest `score` (votes or points), and it fitted. */
  | {
      readonly code: 'selected-by-score'
      readonly score: number
      readonly supporters: number
      readonly rank: number
      readonly remainingBefore: number
    }
  /** Funded by the greedy completion after Equal Shares, with money still left. */
  | {
      readonly code: 'selected-by-completion'
      readonly supporters: number
      readonly remainingBefore: number
    }
  /** Funded by the Phragmén phase after Equal Shares: its supporters' load rose to `load` each. */
  | {
      readonly code: 'selected-by-phragmen'
      readonly supporters: number
      readonly remainingBefore: number
      readonly load: number
    }
  /** Not funded by Equal Shares: its supporters together had less money left than it costs. */
  | {
      readonly code: 'supporters-could-not-afford'
      readonly supporters: number
      readonly supportersMoneyLeft: number
      /** Each voter's starting share used in the final run (raised by the completion, if any). */
      readonly perVoterBudget: number
      readonly cost: number
    }
  /** Not funded: when its turn came, less money was left than it costs. */
  | {
      readonly code: 'did-not-fit'
      readonly score: number
      readonly supporters: number
      readonly cost: number
      readonly remainingBudget: number
    }
  /** Not funded: no ballot supports it. */
  | { readonly code: 'no-support'; readonly cost: number }

export type ExplanationCode = Explanation['code']

export interface Outcome {
  readonly rule: RuleName
  /** Selected project ids in the instance's (file) order. */
  readonly selected: readonly ProjectId[]
  /** Total cost of the selected projects, minor units. */
  readonly cost: number
  readonly budget: number
  /** One explanation per project of the instance. */
  readonly explanations: ReadonlyMap<ProjectId, Explanation>
}

export class RuleInputError extends Error {
  constructor(
    readonly code:
      | 'unknown-project'
      | 'invalid-money'
      | 'invalid-points'
      | 'duplicate-project'
      | 'invalid-option',
    message: string,
  ) {
    super(message)
    this.name = 'RuleInputError'
  }
}

export function assertMoney(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RuleInputError('invalid-money', `${what} must be a non-negative integer number of minor units`)
  }
}

/** Checks the instance and returns a map from project id to its index. */
export function indexProjects(instance: Instance): Map<ProjectId, number> {
  assertMoney(instance.budget, 'budget')
  const index = new Map<ProjectId, number>()
  instance.projects.forEach((p, i) => {
    if (index.has(p.id)) throw new RuleInputError('duplicate-project', `project ${p.id} is listed twice`)
    assertMoney(p.cost, `cost of project ${p.id}`)
    index.set(p.id, i)
  })
  return index
}

/**
 * Tie-breaking, documented in the module README. When two projects are equal on the rule's own
 * measure (votes, points, or Equal Shares' price per unit of utility), the one with more
 * supporters wins, then the cheaper one, then the one listed first (the file's PROJECTS order,
 * as pabutools' default lexicographic tie-breaking does). `explicitOrder` replaces this with a
 * given priority list (first = preferred), e.g. to follow abcvoting's "lowest index first".
 * Returns each project's rank: lower is preferred.
 */
export function tieBreakRanks(
  instance: Instance,
  supporters: ArrayLike<number>,
  explicitOrder?: readonly ProjectId[],
): Int32Array {
  const m = instance.projects.length
  const order = Array.from({ length: m }, (_, i) => i)
  if (explicitOrder) {
    const pos = new Map(explicitOrder.map((id, i) => [id, i]))
    if (pos.size !== explicitOrder.length) {
      throw new RuleInputError('invalid-option', 'the tie-breaking order names a project twice')
    }
    const at = (i: number) => pos.get(instance.projects[i].id) ?? Number.MAX_SAFE_INTEGER
    order.sort((a, b) => at(a) - at(b) || a - b)
  } else {
    order.sort(
      (a, b) =>
        supporters[b] - supporters[a] || instance.projects[a].cost - instance.projects[b].cost || a - b,
    )
  }
  const rank = new Int32Array(m)
  order.forEach((p, r) => {
    rank[p] = r
  })
  return rank
}

/** Approval sets as project indices; unknown or repeated projects are input errors. */
export function approvalIndices(
  ballots: readonly ApprovalBallot[],
  index: ReadonlyMap<ProjectId, number>,
): Int32Array[] {
  return ballots.map((ballot, v) => {
    const out = new Int32Array(ballot.length)
    const seen = new Set<number>()
    ballot.forEach((id, j) => {
      const p = index.get(id)
      if (p === undefined)
        throw new RuleInputError('unknown-project', `ballot ${v + 1} names unknown project ${id}`)
      if (seen.has(p))
        throw new RuleInputError('duplicate-project', `ballot ${v + 1} names project ${id} twice`)
      seen.add(p)
      out[j] = p
    })
    return out
  })
}

export function selectedInOrder(instance: Instance, chosen: ReadonlySet<number>): ProjectId[] {
  return instance.projects.filter((_, i) => chosen.has(i)).map((p) => p.id)
}
