/** What the public, staff and API routes share: loading records from parameters and shaping them for pages. */
import type { FastifyRequest } from 'fastify'
import type { DbOrTrx } from '../../../platform/db/database.js'
import { notFound } from '../../../platform/errors/errors.js'
import type { Locale, Translate } from '../../../platform/i18n/i18n.js'
import '../../../platform/http/types.js'
import { minimumSpend } from '../domain/ballots.js'
import { officialRule, ruleKey } from '../domain/counting.js'
import { timeline } from '../domain/phases.js'
import { inLanguage } from '../domain/projects.js'
import { type Budget, findBudget, findProcess, type Process } from '../store/process-store.js'
import { type BudgetProject, findProject, votableProjects } from '../store/project-store.js'
import { formatMoney, type Money, ruleDescription, ruleName, styleInstructions } from './present.js'

export function numberParam(request: FastifyRequest, name: string): number {
  const raw = (request.params as Record<string, string | undefined>)[name] ?? ''
  if (!/^\d{1,15}$/.test(raw)) throw notFound()
  return Number(raw)
}

/** A process by its URL id; drafts exist only for staff. */
export async function loadProcess(
  db: DbOrTrx,
  request: FastifyRequest,
  name = 'processId',
): Promise<Process> {
  const process = await findProcess(db, numberParam(request, name))
  if (!process || (process.phase === 'draft' && request.actor.kind !== 'staff')) throw notFound()
  return process
}

/** A budget of the process in the URL. */
export async function loadBudget(
  db: DbOrTrx,
  request: FastifyRequest,
  process: Process,
  name = 'budgetId',
): Promise<Budget> {
  const budget = await findBudget(db, numberParam(request, name))
  if (!budget || budget.processId !== process.id) throw notFound()
  return budget
}

export async function loadProject(
  db: DbOrTrx,
  request: FastifyRequest,
  budgets: readonly Budget[],
  name = 'projectId',
): Promise<{ project: BudgetProject; budget: Budget }> {
  const project = await findProject(db, numberParam(request, name))
  const budget = project ? budgets.find((b) => b.id === project.budgetId) : undefined
  if (!project || !budget) throw notFound()
  return { project, budget }
}

export function moneyIn(locale: Locale, currency: string): Money {
  return (minor: number) => formatMoney(minor, currency, locale)
}

export function processView(process: Process, locale: Locale) {
  return {
    id: process.id,
    phase: process.phase,
    title: inLanguage(locale, process.titleEn, process.titleCy),
    description: inLanguage(locale, process.descriptionEn, process.descriptionCy),
    timeline: timeline(process),
    schedule: process.schedule,
    source: process.source,
  }
}

export function budgetView(
  budget: Budget,
  locale: Locale,
  t: Translate,
  projects: readonly BudgetProject[] = [],
) {
  const money = moneyIn(locale, budget.currency)
  const rule = ruleKey(officialRule(budget.style, budget.rule))
  const votable = votableProjects(projects.filter((p) => p.budgetId === budget.id))
  const minimum = budget.style.kind === 'cost-limited' ? minimumSpend(budget.style, votable) : null
  return {
    id: budget.id,
    title: inLanguage(locale, budget.titleEn, budget.titleCy),
    description: inLanguage(locale, budget.descriptionEn, budget.descriptionCy),
    amount: money(budget.amount),
    amountMinor: budget.amount,
    currency: budget.currency,
    area: budget.area.join(', '),
    voterRule: budget.voterRule,
    styleKind: budget.style.kind,
    styleName: t(`budgets.styles.${budget.style.kind}.name`),
    instructions: styleInstructions(t, budget.style, money, minimum),
    rule,
    ruleName: ruleName(t, rule),
    ruleDescription: ruleDescription(t, rule),
  }
}

export function projectView(project: BudgetProject, budget: Budget, locale: Locale) {
  const money = moneyIn(locale, budget.currency)
  const cost = project.finalCost ?? project.estimatedCost
  return {
    id: project.id,
    budgetId: project.budgetId,
    externalId: project.externalId,
    title: inLanguage(locale, project.titleEn, project.titleCy),
    description: inLanguage(locale, project.descriptionEn, project.descriptionCy),
    location: project.location,
    status: project.status,
    cost: money(cost),
    costMinor: cost,
    estimatedCost: money(project.estimatedCost),
    finalCost: project.finalCost === null ? null : money(project.finalCost),
    reason: inLanguage(locale, project.reasonEn, project.reasonCy),
    source: project.source,
  }
}

/** A shortened text for lists: at most `max` characters, cut at a word. */
export function excerpt(text: string, max = 180): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20)).trimEnd()}…`
}
