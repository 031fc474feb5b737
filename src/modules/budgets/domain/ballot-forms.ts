/**
 * The ballot as an HTML form that works without JavaScript, as pure functions: reading a
 * submitted form into a `Ballot`, the running total shown after "Check my choices", and the
 * form values that show a stored ballot again.
 *
 * Field names: approval and cost-limited ballots tick `projects` checkboxes; cumulative ballots
 * type whole points in `points-<projectId>`; ranked ballots pick a position (1…k) in
 * `rank-<projectId>`, left empty for projects not ranked.
 */
import {
  type Ballot,
  type BallotProblem,
  type BallotStyle,
  ballotProjects,
  minimumSpend,
  validateBallot,
} from './ballots.js'
import type { Project, ProjectId } from './rules/types.js'

export type FormBody = Readonly<Record<string, unknown>>

/** A problem in the form itself, before the style's rules: points that are not whole numbers, a rank used twice. */
export type FormProblem =
  | { readonly code: 'not-a-number'; readonly projectId: ProjectId; readonly text: string }
  | { readonly code: 'duplicate-rank'; readonly rank: number }

function list(body: FormBody, name: string): string[] {
  const value = body[name]
  if (value === undefined || value === null) return []
  return (Array.isArray(value) ? value : [value]).map(String)
}

function one(body: FormBody, name: string): string {
  const value = body[name]
  if (Array.isArray(value)) return String(value[0] ?? '')
  return value === undefined || value === null ? '' : String(value)
}

/**
 * Reads the ballot a form describes. Unknown project ids are kept (the validator reports them);
 * form-level problems (bad numbers, a rank used twice) are returned beside it.
 */
export function ballotFromForm(
  style: BallotStyle,
  body: FormBody,
  projects: readonly Project[],
): { ballot: Ballot; formProblems: FormProblem[] } {
  const formProblems: FormProblem[] = []
  switch (style.kind) {
    case 'approval':
    case 'cost-limited':
      return { ballot: { kind: style.kind, projects: list(body, 'projects') }, formProblems }
    case 'cumulative': {
      const allocations: { projectId: ProjectId; points: number }[] = []
      for (const p of projects) {
        const text = one(body, `points-${p.id}`).trim()
        if (text === '' || text === '0') continue
        if (!/^\d{1,9}$/.test(text)) {
          formProblems.push({ code: 'not-a-number', projectId: p.id, text: text.slice(0, 20) })
          continue
        }
        allocations.push({ projectId: p.id, points: Number(text) })
      }
      return { ballot: { kind: 'cumulative', allocations }, formProblems }
    }
    case 'ranked': {
      const ranked: { projectId: ProjectId; rank: number }[] = []
      const used = new Set<number>()
      for (const p of projects) {
        const text = one(body, `rank-${p.id}`).trim()
        if (text === '') continue
        const rank = Number(text)
        if (!Number.isSafeInteger(rank) || rank < 1) {
          formProblems.push({ code: 'not-a-number', projectId: p.id, text: text.slice(0, 20) })
          continue
        }
        if (used.has(rank)) formProblems.push({ code: 'duplicate-rank', rank })
        used.add(rank)
        ranked.push({ projectId: p.id, rank })
      }
      ranked.sort((a, b) => a.rank - b.rank)
      return { ballot: { kind: 'ranked', ranking: ranked.map((r) => r.projectId) }, formProblems }
    }
  }
}

/** The form values that show a ballot again (checked boxes, typed points, chosen ranks). */
export function formValues(ballot: Ballot | null): {
  projects: string[]
  points: Record<string, string>
  ranks: Record<string, string>
} {
  const values = {
    projects: [] as string[],
    points: {} as Record<string, string>,
    ranks: {} as Record<string, string>,
  }
  if (!ballot) return values
  switch (ballot.kind) {
    case 'approval':
    case 'cost-limited':
      values.projects = [...ballot.projects]
      break
    case 'cumulative':
      for (const a of ballot.allocations) values.points[a.projectId] = String(a.points)
      break
    case 'ranked':
      ballot.ranking.forEach((id, i) => {
        values.ranks[id] = String(i + 1)
      })
      break
  }
  return values
}

/**
 * The form values exactly as submitted, to show the form again after a problem: what people
 * typed or picked is kept even when it is not a valid ballot (a rank used twice, "lots" points).
 */
export function submittedValues(
  body: FormBody,
  projects: readonly Project[],
): { projects: string[]; points: Record<string, string>; ranks: Record<string, string> } {
  const points: Record<string, string> = {}
  const ranks: Record<string, string> = {}
  for (const p of projects) {
    const typed = one(body, `points-${p.id}`)
    if (typed !== '') points[p.id] = typed.slice(0, 20)
    const rank = one(body, `rank-${p.id}`)
    if (rank !== '') ranks[p.id] = rank.slice(0, 20)
  }
  return { projects: list(body, 'projects'), points, ranks }
}

/** The running total shown beside the ballot. Money in minor units. */
export interface BallotSummary {
  readonly kind: BallotStyle['kind']
  /** Projects chosen (ticked, ranked or given points). */
  readonly count: number
  /** What the chosen projects cost together. */
  readonly cost: number
  /** The budget's amount. */
  readonly budget: number
  /** budget − cost (negative when over). */
  readonly remaining: number
  readonly minProjects: number | null
  readonly maxProjects: number | null
  /** Cost-limited: the least a ballot must spend. */
  readonly minimumSpend: number | null
  /** Cumulative: points given and points left. */
  readonly pointsUsed: number | null
  readonly pointsLeft: number | null
  readonly totalPoints: number | null
}

export function summariseBallot(
  style: BallotStyle,
  ballot: Ballot,
  projects: readonly Project[],
  budget: number,
): BallotSummary {
  const costs = new Map(projects.map((p) => [p.id, p.cost]))
  const ids = [...new Set(ballotProjects(ballot))].filter((id) => costs.has(id))
  const cost = ids.reduce((sum, id) => sum + (costs.get(id) ?? 0), 0)
  const base = { kind: style.kind, count: ids.length, cost, budget, remaining: budget - cost }
  switch (style.kind) {
    case 'approval':
      return {
        ...base,
        minProjects: style.minProjects,
        maxProjects: style.maxProjects,
        minimumSpend: null,
        pointsUsed: null,
        pointsLeft: null,
        totalPoints: null,
      }
    case 'cost-limited':
      return {
        ...base,
        budget: style.budget,
        remaining: style.budget - cost,
        minProjects: style.minProjects,
        maxProjects: style.maxProjects,
        minimumSpend: minimumSpend(style, projects),
        pointsUsed: null,
        pointsLeft: null,
        totalPoints: null,
      }
    case 'ranked':
      return {
        ...base,
        minProjects: style.minRanks,
        maxProjects: style.maxRanks,
        minimumSpend: null,
        pointsUsed: null,
        pointsLeft: null,
        totalPoints: null,
      }
    case 'cumulative': {
      const used =
        ballot.kind === 'cumulative'
          ? ballot.allocations.reduce((s, a) => s + (Number.isSafeInteger(a.points) ? a.points : 0), 0)
          : 0
      return {
        ...base,
        minProjects: null,
        maxProjects: null,
        minimumSpend: null,
        pointsUsed: used,
        pointsLeft: style.totalPoints - used,
        totalPoints: style.totalPoints,
      }
    }
  }
}

/** The form field a problem belongs to, for the error summary's link and the inline message. */
export function problemField(problem: BallotProblem | FormProblem, style: BallotStyle): string {
  if ('projectId' in problem && (problem.code === 'not-a-number' || problem.code === 'invalid-points')) {
    return style.kind === 'ranked' ? `rank-${problem.projectId}` : `points-${problem.projectId}`
  }
  if (problem.code === 'too-many-points-on-project') return `points-${problem.projectId}`
  switch (style.kind) {
    case 'approval':
    case 'cost-limited':
      return 'projects'
    case 'cumulative':
      return 'points'
    case 'ranked':
      return 'ranking'
  }
}

/** Every problem of a submitted ballot: the form's own, then the style's. */
export function checkSubmittedBallot(
  style: BallotStyle,
  body: FormBody,
  projects: readonly Project[],
): { ballot: Ballot; problems: (BallotProblem | FormProblem)[] } {
  const { ballot, formProblems } = ballotFromForm(style, body, projects)
  return { ballot, problems: [...formProblems, ...validateBallot(style, ballot, projects)] }
}
