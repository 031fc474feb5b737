/**
 * Counting a budget from stored ballots: the configured (official) rule, every other rule that
 * applies to the ballot style for the comparison on the results page, and each project's
 * votes and points. The rules themselves are in rules/.
 */
import { type Ballot, type BallotStyle, ballotProjects, countableBallots, defaultRule } from './ballots.js'
import type { Completion } from './rules/equal-shares.js'
import { type RuleSpec, tally } from './rules/tally.js'
import type { Explanation, Outcome, Project, ProjectId, RuleName } from './rules/types.js'

const COMPLETIONS: readonly Completion[] = ['none', 'greedy', 'add1', 'add1-greedy', 'phragmen']

/** A stable text name of a rule: `greedy`, `greedy-points`, `equal-shares/add1`, … */
export function ruleKey(spec: RuleSpec): string {
  return spec.rule === 'equal-shares' ? `equal-shares/${spec.completion ?? 'add1'}` : spec.rule
}

export function parseRuleKey(key: string): RuleSpec | null {
  if (key === 'greedy' || key === 'greedy-points') return { rule: key }
  const m = /^equal-shares(?:\/(.+))?$/.exec(key)
  if (!m) return null
  const completion = (m[1] ?? 'add1') as Completion
  return COMPLETIONS.includes(completion) ? { rule: 'equal-shares', completion } : null
}

/** The rules that can count ballots of a style (greedy by points needs points or rankings). */
export function applicableRules(kind: BallotStyle['kind']): RuleSpec[] {
  const equalShares: RuleSpec = { rule: 'equal-shares', completion: 'add1' }
  return kind === 'approval' || kind === 'cost-limited'
    ? [{ rule: 'greedy' }, equalShares]
    : [{ rule: 'greedy' }, { rule: 'greedy-points' }, equalShares]
}

/** Rule choices staff may configure for a style: the applicable rules and Equal Shares' other completions. */
export function configurableRules(kind: BallotStyle['kind']): string[] {
  const keys = applicableRules(kind).map(ruleKey)
  return [...keys, 'equal-shares/add1-greedy']
}

export function isApplicable(kind: BallotStyle['kind'], spec: RuleSpec): boolean {
  return !(spec.rule === 'greedy-points' && (kind === 'approval' || kind === 'cost-limited'))
}

/** The rule a budget is counted with: its configured rule if it applies to the style, else the style's default. */
export function officialRule(style: BallotStyle, configured: string | null): RuleSpec {
  const spec = configured ? parseRuleKey(configured) : null
  return spec && isApplicable(style.kind, spec) ? spec : defaultRule(style)
}

export interface ProjectTotals {
  /** Ballots naming the project (ticked, ranked, or given points). */
  readonly votes: number
  /** Cumulative: points given; ranked: positional points k, k−1, …, 1; approval: null. */
  readonly points: number | null
}

export interface Count {
  readonly rule: string
  readonly official: Outcome
  /** Every applicable rule, the official one included, in a fixed order. */
  readonly comparison: readonly { readonly rule: string; readonly outcome: Outcome }[]
  readonly totals: ReadonlyMap<ProjectId, ProjectTotals>
  readonly ballots: number
}

/** Votes and points per project. Ranked ballots score k…1 by position, k = `pointsScale`. */
export function projectTotals(
  style: BallotStyle,
  projects: readonly Project[],
  ballots: readonly Ballot[],
): Map<ProjectId, ProjectTotals> {
  const votes = new Map<ProjectId, number>(projects.map((p) => [p.id, 0]))
  const points = new Map<ProjectId, number>(projects.map((p) => [p.id, 0]))
  const k = style.kind === 'ranked' ? style.maxRanks : 0
  for (const ballot of ballots) {
    if (ballot.kind === 'cumulative') {
      for (const a of ballot.allocations) {
        if (!votes.has(a.projectId) || a.points <= 0) continue
        votes.set(a.projectId, (votes.get(a.projectId) ?? 0) + 1)
        points.set(a.projectId, (points.get(a.projectId) ?? 0) + a.points)
      }
      continue
    }
    ballotProjects(ballot).forEach((id, i) => {
      if (!votes.has(id)) return
      votes.set(id, (votes.get(id) ?? 0) + 1)
      if (ballot.kind === 'ranked') points.set(id, (points.get(id) ?? 0) + Math.max(k - i, 0))
    })
  }
  const withPoints = style.kind === 'cumulative' || style.kind === 'ranked'
  return new Map(
    projects.map((p) => [
      p.id,
      { votes: votes.get(p.id) ?? 0, points: withPoints ? (points.get(p.id) ?? 0) : null },
    ]),
  )
}

/** Drops any project a ballot names that is not on the list (a project ruled out after a paper vote, say). */
function onlyListed(ballot: Ballot, listed: ReadonlySet<ProjectId>): Ballot {
  switch (ballot.kind) {
    case 'approval':
    case 'cost-limited':
      return { kind: ballot.kind, projects: ballot.projects.filter((id) => listed.has(id)) }
    case 'ranked':
      return { kind: 'ranked', ranking: ballot.ranking.filter((id) => listed.has(id)) }
    case 'cumulative':
      return { kind: 'cumulative', allocations: ballot.allocations.filter((a) => listed.has(a.projectId)) }
  }
}

/**
 * Counts a budget. `projects` are the feasible projects at their final cost, in the official
 * order (used for ties); `ballots` are stored ballots of the budget's style.
 */
export function countBudget(input: {
  readonly style: BallotStyle
  readonly amount: number
  readonly projects: readonly Project[]
  readonly ballots: readonly Ballot[]
  readonly rule: RuleSpec
  /** Ranked ballots: positional points scale (default the style's maxRanks). */
  readonly pointsScale?: number
}): Count {
  const listed = new Set(input.projects.map((p) => p.id))
  const ballots = input.ballots.map((b) => onlyListed(b, listed))
  const instance = { budget: input.amount, projects: input.projects }
  const countable = countableBallots(input.style, ballots)
  const ballotsForRules =
    countable.kind === 'ranked' && input.pointsScale !== undefined
      ? { ...countable, pointsScale: input.pointsScale }
      : countable
  const official = tally(instance, ballotsForRules, input.rule)
  const officialKey = ruleKey(input.rule)
  const specs = applicableRules(input.style.kind)
  if (!specs.some((s) => ruleKey(s) === officialKey)) specs.push(input.rule)
  const comparison = specs.map((spec) => {
    const key = ruleKey(spec)
    return { rule: key, outcome: key === officialKey ? official : tally(instance, ballotsForRules, spec) }
  })
  return {
    rule: officialKey,
    official,
    comparison,
    totals: projectTotals(
      input.style.kind === 'ranked' && input.pointsScale !== undefined
        ? { ...input.style, maxRanks: input.pointsScale }
        : input.style,
      input.projects,
      ballots,
    ),
    ballots: ballots.length,
  }
}

/** A rule's name for people, as a catalogue key suffix. */
export function ruleLabelKey(key: string): string {
  return key.replace('/', '-')
}

export type { Explanation, RuleName }
