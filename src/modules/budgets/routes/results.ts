/**
 * Results of a process, shared by the results page, the JSON open data and the CSV: per budget
 * the official winners with costs, votes and each project's explanation, and what every
 * applicable rule would have chosen.
 */
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { Locale, Translate } from '../../../platform/i18n/i18n.js'
import { deliveryStatus } from '../domain/delivery.js'
import { ballotCounts } from '../store/ballot-store.js'
import { listMilestones } from '../store/delivery-store.js'
import { findCount, type StoredCount } from '../store/outcome-store.js'
import { type Budget, listBudgets, type Process } from '../store/process-store.js'
import { type BudgetProject, listProjects } from '../store/project-store.js'
import { explanationText, isSelectedExplanation, ruleName } from './present.js'
import { budgetView, moneyIn, projectView } from './shared.js'

export async function budgetResults(db: DbOrTrx, budget: Budget) {
  const [count, projects, counts] = await Promise.all([
    findCount(db, budget.id),
    listProjects(db, [budget.id], { status: ['feasible'] }),
    ballotCounts(db, [budget.id]),
  ])
  return { count, projects, ballots: counts.get(budget.id) ?? { total: 0, online: 0, paper: 0, import: 0 } }
}

/** The longest bar in the votes chart is this wide (SVG units). */
const CHART_WIDTH = 400

function budgetData(
  budget: Budget,
  count: StoredCount | null,
  projects: readonly BudgetProject[],
  ballots: Record<string, number>,
  milestonesByProject: Map<
    number,
    { status: 'planned' | 'in-progress' | 'done' | 'delayed' | 'cancelled' }[]
  >,
  locale: Locale,
  t: Translate,
) {
  const money = moneyIn(locale, budget.currency)
  const view = budgetView(budget, locale, t, projects)
  if (!count) return { ...view, counted: false as const, ballots }
  const official = count.official
  const rows = projects.map((p) => {
    const id = String(p.id)
    const e = official.explanations[id]
    const totals = official.totals[id] ?? { votes: 0, points: null }
    return {
      ...projectView(p, budget, locale),
      votes: totals.votes,
      points: totals.points,
      selected: isSelectedExplanation(e),
      explanation: e ? explanationText(t, e, money, official.rule) : '',
      comparison: count.comparison.map((o) => o.selected.includes(id)),
      delivery: deliveryStatus(milestonesByProject.get(p.id) ?? []),
    }
  })
  const winners = rows.filter((r) => r.selected)
  const maxVotes = Math.max(1, ...rows.map((r) => r.votes))
  const byVotes = [...rows].sort((a, b) => b.votes - a.votes || a.id - b.id)
  return {
    ...view,
    counted: true as const,
    ballots,
    countedAt: official.countedAt,
    officialRule: official.rule,
    officialRuleName: ruleName(t, official.rule),
    cost: money(official.cost),
    remaining: money(budget.amount - official.cost),
    winners,
    projects: rows,
    rules: count.comparison.map((o) => ({
      key: o.rule,
      name: ruleName(t, o.rule),
      official: o.official,
      cost: money(o.cost),
      selected: o.selected.length,
    })),
    chart: {
      height: byVotes.length * 28 + 10,
      bars: byVotes.map((r, i) => ({
        y: i * 28 + 5,
        width: Math.max(1, Math.round((r.votes / maxVotes) * CHART_WIDTH)),
        votes: r.votes,
        title: r.title.text,
        selected: r.selected,
      })),
    },
  }
}

export async function resultsData(db: DbOrTrx, process: Process, locale: Locale, t: Translate) {
  const budgets = await listBudgets(db, process.id)
  const out = []
  for (const budget of budgets) {
    const { count, projects, ballots } = await budgetResults(db, budget)
    const winnerIds = count ? count.official.selected.map(Number) : []
    const milestones = await listMilestones(db, winnerIds)
    const byProject = new Map<number, { status: (typeof milestones)[number]['status'] }[]>()
    for (const m of milestones) byProject.set(m.projectId, [...(byProject.get(m.projectId) ?? []), m])
    out.push(budgetData(budget, count, projects, ballots, byProject, locale, t))
  }
  return { budgets: out }
}
