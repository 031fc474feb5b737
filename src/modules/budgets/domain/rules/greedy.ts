/**
 * Greedy counting ("utilitarian greedy", what most cities use): take projects in order of
 * support, fund each one that still fits the remaining budget, skip the ones that do not.
 *
 * - `greedyByVotes`: support = number of ballots naming the project (approval ballots;
 *   Warszawa counts this way).
 * - `greedyByPoints`: support = points (ranked ballots scored by position, Kraków's
 *   3 / 2 / 1, or cumulative ballots' own points).
 *
 * All arithmetic is on integers (cents, votes, points), so the outcome is exact.
 * Ties on support: more supporters first, then the cheaper project, then the project listed
 * first (see `tieBreakRanks`). A project nobody supports is never funded.
 */
import {
  type ApprovalBallot,
  type Explanation,
  type Instance,
  indexProjects,
  type Outcome,
  type PointsBallot,
  type ProjectId,
  RuleInputError,
  type RuleName,
  selectedInOrder,
  tieBreakRanks,
} from './types.js'

export interface GreedyOptions {
  /** Replaces the default tie-breaking with this priority list (first = preferred). */
  readonly tieBreakOrder?: readonly ProjectId[]
}

/** The core: fund in descending `score` order what still fits. `score[i]` and `supporters[i]` per project. */
export function greedyByScore(
  instance: Instance,
  score: readonly number[],
  supporters: readonly number[],
  rule: RuleName,
  options: GreedyOptions = {},
): Outcome {
  indexProjects(instance)
  const m = instance.projects.length
  const ranks = tieBreakRanks(instance, supporters, options.tieBreakOrder)
  const order = Array.from({ length: m }, (_, i) => i)
    .filter((i) => score[i] > 0)
    .sort((a, b) => score[b] - score[a] || ranks[a] - ranks[b])
  const explanations = new Map<ProjectId, Explanation>()
  const chosen = new Set<number>()
  let remaining = instance.budget
  order.forEach((p, position) => {
    const project = instance.projects[p]
    if (project.cost <= remaining) {
      explanations.set(project.id, {
        code: 'selected-by-score',
        score: score[p],
        supporters: supporters[p],
        rank: position + 1,
        remainingBefore: remaining,
      })
      remaining -= project.cost
      chosen.add(p)
    } else {
      explanations.set(project.id, {
        code: 'did-not-fit',
        score: score[p],
        supporters: supporters[p],
        cost: project.cost,
        remainingBudget: remaining,
      })
    }
  })
  for (const project of instance.projects) {
    if (!explanations.has(project.id))
      explanations.set(project.id, { code: 'no-support', cost: project.cost })
  }
  return {
    rule,
    selected: selectedInOrder(instance, chosen),
    cost: instance.budget - remaining,
    budget: instance.budget,
    explanations,
  }
}

/** Greedy by number of ballots naming each project. Works for any ballot that lists projects. */
export function greedyByVotes(
  instance: Instance,
  ballots: readonly ApprovalBallot[],
  options: GreedyOptions = {},
): Outcome {
  const votes = countSupporters(instance, ballots)
  return greedyByScore(instance, votes, votes, 'greedy', options)
}

/** Greedy by total points. */
export function greedyByPoints(
  instance: Instance,
  ballots: readonly PointsBallot[],
  options: GreedyOptions = {},
): Outcome {
  const index = indexProjects(instance)
  const points = new Array<number>(instance.projects.length).fill(0)
  const supporters = new Array<number>(instance.projects.length).fill(0)
  ballots.forEach((ballot, v) => {
    if (ballot.points.length !== ballot.projects.length) {
      throw new RuleInputError(
        'invalid-points',
        `ballot ${v + 1} has ${ballot.projects.length} projects but ${ballot.points.length} point values`,
      )
    }
    const seen = new Set<number>()
    ballot.projects.forEach((id, j) => {
      const p = index.get(id)
      if (p === undefined)
        throw new RuleInputError('unknown-project', `ballot ${v + 1} names unknown project ${id}`)
      if (seen.has(p))
        throw new RuleInputError('duplicate-project', `ballot ${v + 1} names project ${id} twice`)
      seen.add(p)
      const value = ballot.points[j]
      if (!Number.isFinite(value) || value < 0) {
        throw new RuleInputError('invalid-points', `ballot ${v + 1} gives ${value} points to project ${id}`)
      }
      points[p] += value
      if (value > 0) supporters[p] += 1
    })
  })
  return greedyByScore(instance, points, supporters, 'greedy-points', options)
}

export function countSupporters(instance: Instance, ballots: readonly ApprovalBallot[]): number[] {
  const index = indexProjects(instance)
  const votes = new Array<number>(instance.projects.length).fill(0)
  ballots.forEach((ballot, v) => {
    const seen = new Set<number>()
    for (const id of ballot) {
      const p = index.get(id)
      if (p === undefined)
        throw new RuleInputError('unknown-project', `ballot ${v + 1} names unknown project ${id}`)
      if (seen.has(p))
        throw new RuleInputError('duplicate-project', `ballot ${v + 1} names project ${id} twice`)
      seen.add(p)
      votes[p] += 1
    }
  })
  return votes
}

/**
 * Points by position for ranked ballots: with `scale` = [3, 2, 1] (Kraków), the first choice
 * gets 3 points, the second 2, the third 1, any later one 0. A number `k` means [k, k-1, …, 1].
 */
export function positionalPoints(
  rankings: readonly ApprovalBallot[],
  scale: number | readonly number[],
): PointsBallot[] {
  const table = typeof scale === 'number' ? Array.from({ length: scale }, (_, i) => scale - i) : scale
  if (table.some((x) => !Number.isFinite(x) || x < 0)) {
    throw new RuleInputError('invalid-option', 'positional points must be non-negative numbers')
  }
  return rankings.map((ranking) => ({ projects: ranking, points: ranking.map((_, i) => table[i] ?? 0) }))
}

/** Kraków's scale: 3 points for a first choice, 2 for a second, 1 for a third. */
export const KRAKOW_POINTS: readonly number[] = [3, 2, 1]
