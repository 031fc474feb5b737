/** One entry point for every rule and ballot kind: what the CLI and the web layer call. */
import { type Completion, equalShares } from './equal-shares.js'
import { greedyByPoints, greedyByVotes, positionalPoints } from './greedy.js'
import {
  type ApprovalBallot,
  type Instance,
  type Outcome,
  type PointsBallot,
  type ProjectId,
  RuleInputError,
  type RuleName,
} from './types.js'

export type CountableBallots =
  | { readonly kind: 'approval'; readonly ballots: readonly ApprovalBallot[] }
  /** Rankings, best first. `pointsScale` for greedy-points: see `positionalPoints`; default k = longest ranking. */
  | {
      readonly kind: 'ranked'
      readonly rankings: readonly ApprovalBallot[]
      readonly pointsScale?: number | readonly number[]
    }
  | { readonly kind: 'points'; readonly ballots: readonly PointsBallot[] }

export type RuleSpec =
  | { readonly rule: 'greedy' }
  | { readonly rule: 'greedy-points' }
  | { readonly rule: 'equal-shares'; readonly completion?: Completion; readonly add1Step?: number }

export const RULE_NAMES: readonly RuleName[] = ['greedy', 'greedy-points', 'equal-shares']

export interface TallyOptions {
  readonly tieBreakOrder?: readonly ProjectId[]
}

/** The projects each ballot supports (named, or given more than 0 points). */
export function supportedProjects(ballots: CountableBallots): readonly ApprovalBallot[] {
  switch (ballots.kind) {
    case 'approval':
      return ballots.ballots
    case 'ranked':
      return ballots.rankings
    case 'points':
      return ballots.ballots.map((b) => b.projects.filter((_, i) => b.points[i] > 0))
  }
}

/**
 * Counts `ballots` with `spec`. greedy: by number of ballots naming a project. greedy-points:
 * by points (ranked: by position; points ballots: their own points). equal-shares: each
 * project a ballot names (or gives points to) counts as approved; ranking order is ignored.
 */
export function tally(
  instance: Instance,
  ballots: CountableBallots,
  spec: RuleSpec,
  options: TallyOptions = {},
): Outcome {
  const tie = options.tieBreakOrder ? { tieBreakOrder: options.tieBreakOrder } : {}
  switch (spec.rule) {
    case 'greedy':
      return greedyByVotes(instance, supportedProjects(ballots), tie)
    case 'greedy-points': {
      if (ballots.kind === 'approval') {
        throw new RuleInputError(
          'invalid-option',
          'greedy-points needs ranked or points ballots, not approval ballots',
        )
      }
      if (ballots.kind === 'points') return greedyByPoints(instance, ballots.ballots, tie)
      const scale = ballots.pointsScale ?? ballots.rankings.reduce((k, r) => Math.max(k, r.length), 0)
      return greedyByPoints(instance, positionalPoints(ballots.rankings, scale), tie)
    }
    case 'equal-shares':
      return equalShares(instance, supportedProjects(ballots), {
        ...tie,
        ...(spec.completion ? { completion: spec.completion } : {}),
        ...(spec.add1Step !== undefined ? { add1Step: spec.add1Step } : {}),
      })
  }
}
