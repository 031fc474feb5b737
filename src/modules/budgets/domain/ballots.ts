/**
 * Ballot styles of a participatory budget, as data, and pure validators.
 *
 * - approval: choose between `minProjects` and `maxProjects` projects (CONSUL "approval").
 * - cost-limited: choose projects whose costs add up to at most the budget, and to at least
 *   `minSpendPercent` % of it (Decidim's `vote_threshold_percent`, 70 by default; CONSUL
 *   "knapsack" is the same with 0). The minimum is capped at what all projects together cost,
 *   so a ballot can always satisfy it.
 * - cumulative: spread `totalPoints` whole points over projects, at most `maxPointsPerProject`
 *   on one; with `mustUseAllPoints`, exactly `totalPoints`.
 * - ranked: choose and order between `minRanks` and `maxRanks` projects (best first).
 *
 * Validators never throw on a bad ballot: they return every problem found, each a stable
 * `code` plus the numbers behind it, for the web layer to translate.
 */
import type { CountableBallots, RuleSpec } from './rules/tally.js'
import type { Project, ProjectId } from './rules/types.js'

export type BallotStyle =
  | { readonly kind: 'approval'; readonly minProjects: number; readonly maxProjects: number | null }
  | {
      readonly kind: 'cost-limited'
      /** Integer minor units. */
      readonly budget: number
      /** 0–100. */
      readonly minSpendPercent: number
      readonly minProjects: number
      readonly maxProjects: number | null
    }
  | {
      readonly kind: 'cumulative'
      readonly totalPoints: number
      readonly maxPointsPerProject: number | null
      readonly mustUseAllPoints: boolean
    }
  | { readonly kind: 'ranked'; readonly minRanks: number; readonly maxRanks: number }

export type BallotKind = BallotStyle['kind']

export type Ballot =
  | { readonly kind: 'approval'; readonly projects: readonly ProjectId[] }
  | { readonly kind: 'cost-limited'; readonly projects: readonly ProjectId[] }
  | {
      readonly kind: 'cumulative'
      readonly allocations: readonly { readonly projectId: ProjectId; readonly points: number }[]
    }
  | { readonly kind: 'ranked'; readonly ranking: readonly ProjectId[] }

export type BallotProblem =
  | { readonly code: 'wrong-ballot-kind'; readonly expected: BallotKind; readonly got: BallotKind }
  | { readonly code: 'unknown-project'; readonly projectId: ProjectId }
  | { readonly code: 'duplicate-project'; readonly projectId: ProjectId }
  | { readonly code: 'too-few-projects'; readonly count: number; readonly min: number }
  | { readonly code: 'too-many-projects'; readonly count: number; readonly max: number }
  | { readonly code: 'over-budget'; readonly total: number; readonly budget: number }
  | {
      readonly code: 'under-minimum-spend'
      readonly total: number
      readonly minimum: number
      readonly percent: number
    }
  | { readonly code: 'invalid-points'; readonly projectId: ProjectId; readonly points: number }
  | { readonly code: 'too-many-points'; readonly total: number; readonly max: number }
  | { readonly code: 'too-few-points'; readonly total: number; readonly required: number }
  | {
      readonly code: 'too-many-points-on-project'
      readonly projectId: ProjectId
      readonly points: number
      readonly max: number
    }

export type BallotProblemCode = BallotProblem['code']

export type StyleProblem =
  | { readonly code: 'invalid-number'; readonly field: string; readonly value: number }
  | { readonly code: 'min-above-max'; readonly min: number; readonly max: number }
  | { readonly code: 'percent-out-of-range'; readonly value: number }

/** Decidim's default: a cost-limited ballot must spend at least 70 % of the budget. */
export const DEFAULT_MIN_SPEND_PERCENT = 70

export function approvalStyle(o: { minProjects?: number; maxProjects?: number | null } = {}): BallotStyle {
  return { kind: 'approval', minProjects: o.minProjects ?? 1, maxProjects: o.maxProjects ?? null }
}

export function costLimitedStyle(o: {
  budget: number
  minSpendPercent?: number
  minProjects?: number
  maxProjects?: number | null
}): BallotStyle {
  return {
    kind: 'cost-limited',
    budget: o.budget,
    minSpendPercent: o.minSpendPercent ?? DEFAULT_MIN_SPEND_PERCENT,
    minProjects: o.minProjects ?? 1,
    maxProjects: o.maxProjects ?? null,
  }
}

export function cumulativeStyle(o: {
  totalPoints: number
  maxPointsPerProject?: number | null
  mustUseAllPoints?: boolean
}): BallotStyle {
  return {
    kind: 'cumulative',
    totalPoints: o.totalPoints,
    maxPointsPerProject: o.maxPointsPerProject ?? null,
    mustUseAllPoints: o.mustUseAllPoints ?? false,
  }
}

export function rankedStyle(o: { maxRanks: number; minRanks?: number }): BallotStyle {
  return { kind: 'ranked', maxRanks: o.maxRanks, minRanks: o.minRanks ?? 1 }
}

/** Problems with a style's own settings (an admin's form), empty when usable. */
export function validateStyle(style: BallotStyle): StyleProblem[] {
  const problems: StyleProblem[] = []
  const count = (field: string, value: number, allowZero = true) => {
    if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1))
      problems.push({ code: 'invalid-number', field, value })
  }
  const range = (min: number, max: number | null) => {
    if (max !== null && Number.isSafeInteger(min) && Number.isSafeInteger(max) && min > max) {
      problems.push({ code: 'min-above-max', min, max })
    }
  }
  switch (style.kind) {
    case 'approval':
      count('minProjects', style.minProjects)
      if (style.maxProjects !== null) count('maxProjects', style.maxProjects, false)
      range(style.minProjects, style.maxProjects)
      break
    case 'cost-limited':
      count('budget', style.budget, false)
      if (
        !Number.isFinite(style.minSpendPercent) ||
        style.minSpendPercent < 0 ||
        style.minSpendPercent > 100
      ) {
        problems.push({ code: 'percent-out-of-range', value: style.minSpendPercent })
      }
      count('minProjects', style.minProjects)
      if (style.maxProjects !== null) count('maxProjects', style.maxProjects, false)
      range(style.minProjects, style.maxProjects)
      break
    case 'cumulative':
      count('totalPoints', style.totalPoints, false)
      if (style.maxPointsPerProject !== null) count('maxPointsPerProject', style.maxPointsPerProject, false)
      break
    case 'ranked':
      count('minRanks', style.minRanks)
      count('maxRanks', style.maxRanks, false)
      range(style.minRanks, style.maxRanks)
      break
  }
  return problems
}

/** The projects a ballot names, in ballot order. */
export function ballotProjects(ballot: Ballot): readonly ProjectId[] {
  switch (ballot.kind) {
    case 'approval':
    case 'cost-limited':
      return ballot.projects
    case 'ranked':
      return ballot.ranking
    case 'cumulative':
      return ballot.allocations.map((a) => a.projectId)
  }
}

/**
 * Every problem of `ballot` under `style`, given the budget's projects (costs in minor units).
 * An empty list means the ballot is valid.
 */
export function validateBallot(
  style: BallotStyle,
  ballot: Ballot,
  projects: readonly Project[],
): BallotProblem[] {
  if (ballot.kind !== style.kind)
    return [{ code: 'wrong-ballot-kind', expected: style.kind, got: ballot.kind }]
  const problems: BallotProblem[] = []
  const costs = new Map(projects.map((p) => [p.id, p.cost]))
  const ids = ballotProjects(ballot)
  const seen = new Set<ProjectId>()
  for (const id of ids) {
    if (!costs.has(id)) problems.push({ code: 'unknown-project', projectId: id })
    else if (seen.has(id)) problems.push({ code: 'duplicate-project', projectId: id })
    seen.add(id)
  }
  const countRange = (min: number, max: number | null) => {
    if (ids.length < min) problems.push({ code: 'too-few-projects', count: ids.length, min })
    if (max !== null && ids.length > max) problems.push({ code: 'too-many-projects', count: ids.length, max })
  }
  switch (style.kind) {
    case 'approval':
      countRange(style.minProjects, style.maxProjects)
      break
    case 'ranked':
      countRange(style.minRanks, style.maxRanks)
      break
    case 'cost-limited': {
      countRange(style.minProjects, style.maxProjects)
      let total = 0
      for (const id of seen) total += costs.get(id) ?? 0
      if (total > style.budget) problems.push({ code: 'over-budget', total, budget: style.budget })
      const minimum = minimumSpend(style, projects)
      if (total < minimum) {
        problems.push({ code: 'under-minimum-spend', total, minimum, percent: style.minSpendPercent })
      }
      break
    }
    case 'cumulative': {
      if (ballot.kind !== 'cumulative') break
      let total = 0
      let valid = true
      for (const { projectId, points } of ballot.allocations) {
        if (!Number.isSafeInteger(points) || points <= 0) {
          problems.push({ code: 'invalid-points', projectId, points })
          valid = false
          continue
        }
        total += points
        if (style.maxPointsPerProject !== null && points > style.maxPointsPerProject) {
          problems.push({
            code: 'too-many-points-on-project',
            projectId,
            points,
            max: style.maxPointsPerProject,
          })
        }
      }
      if (total > style.totalPoints) problems.push({ code: 'too-many-points', total, max: style.totalPoints })
      else if (valid && style.mustUseAllPoints && total < style.totalPoints) {
        problems.push({ code: 'too-few-points', total, required: style.totalPoints })
      }
      if (ballot.allocations.length === 0) problems.push({ code: 'too-few-projects', count: 0, min: 1 })
      break
    }
  }
  return problems
}

/**
 * The least a cost-limited ballot must spend: ⌈percent × budget / 100⌉ in minor units, exact
 * integer arithmetic, capped at the total cost of all projects.
 */
export function minimumSpend(
  style: Extract<BallotStyle, { kind: 'cost-limited' }>,
  projects: readonly Project[],
): number {
  const product = style.budget * style.minSpendPercent
  const required = Number.isSafeInteger(product) ? Math.floor((product + 99) / 100) : Math.ceil(product / 100)
  const all = projects.reduce((sum, p) => sum + p.cost, 0)
  return Math.min(required, all)
}

export function isValidBallot(style: BallotStyle, ballot: Ballot, projects: readonly Project[]): boolean {
  return validateBallot(style, ballot, projects).length === 0
}

/** Valid ballots in the shape the counting rules take. Call `validateBallot` first: this does not check. */
export function countableBallots(style: BallotStyle, ballots: readonly Ballot[]): CountableBallots {
  switch (style.kind) {
    case 'approval':
    case 'cost-limited':
      return { kind: 'approval', ballots: ballots.map(ballotProjects) }
    case 'ranked':
      return { kind: 'ranked', rankings: ballots.map(ballotProjects), pointsScale: style.maxRanks }
    case 'cumulative':
      return {
        kind: 'points',
        ballots: ballots.map((b) =>
          b.kind === 'cumulative'
            ? { projects: b.allocations.map((a) => a.projectId), points: b.allocations.map((a) => a.points) }
            : { projects: ballotProjects(b), points: ballotProjects(b).map(() => 1) },
        ),
      }
  }
}

/** The rule a style is counted with unless the budget says otherwise. */
export function defaultRule(style: BallotStyle): RuleSpec {
  switch (style.kind) {
    case 'approval':
    case 'cost-limited':
      return { rule: 'equal-shares', completion: 'add1' }
    case 'ranked':
    case 'cumulative':
      return { rule: 'greedy-points' }
  }
}
