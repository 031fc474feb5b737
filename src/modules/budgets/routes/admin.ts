/**
 * Staff pages under /admin/budgets: processes and their dates, moving phases on, budgets and
 * their ballot rules, feasibility review, census lists, paper ballots, counting, publishing
 * results and the delivery milestones of the winners. Every action is in the audit log.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { recordAudit } from '../../../platform/audit/audit.js'
import { requirePermission } from '../../../platform/auth/plugin.js'
import { DomainError, notFound } from '../../../platform/errors/errors.js'
import { type FieldProblem, field, formErrors } from '../../../platform/http/forms.js'
import { londonDay, londonToUtc } from '../../../platform/time/london.js'
import '../../../platform/http/types.js'
import { localePath } from '../../../platform/i18n/i18n.js'
import { formValues, submittedValues } from '../domain/ballot-forms.js'
import {
  budgetSettingsFromForm,
  budgetSettingsToForm,
  RULE_CHOICES,
  STYLE_KINDS,
} from '../domain/budget-settings.js'
import { isIsoDate, MILESTONE_STATES, validateMilestone } from '../domain/delivery.js'
import { parseCensusList, VOTER_RULES } from '../domain/eligibility.js'
import {
  areBudgetSettingsOpen,
  defaultSchedule,
  editablePhases,
  isPaperEntryOpen,
  isReviewOpen,
  nextPhase,
  type PhaseRefusal,
  resultsPublished,
  SCHEDULED_PHASES,
  type Schedule,
  type ScheduledPhase,
  scheduleEditProblems,
  transitionRefusal,
} from '../domain/phases.js'
import { amountText, validateReview } from '../domain/projects.js'
import {
  advanceProcess,
  checkBallotForm,
  enterPaperBallots,
  isPaperReference,
  type PaperLineProblem,
  parsePaperCsv,
  recountBudget,
  reviewProject,
  saveMilestone,
} from '../operations.js'
import { budgetsPermissions } from '../permissions.js'
import { ballotCounts, censusStats, importCensusCodes } from '../store/ballot-store.js'
import { listMilestones } from '../store/delivery-store.js'
import { findCount, winningProjectIds } from '../store/outcome-store.js'
import {
  type Budget,
  insertBudget,
  insertProcess,
  listBudgets,
  listProcesses,
  type Process,
  phaseFacts,
  updateBudget,
  updateProcess,
} from '../store/process-store.js'
import { listProjects } from '../store/project-store.js'
import { problemText } from './present.js'
import { unfollowToken } from './public.js'
import {
  budgetView,
  loadBudget,
  loadProcess,
  loadProject,
  moneyIn,
  processView,
  projectView,
} from './shared.js'

const can = (key: keyof typeof budgetsPermissions) => requirePermission(budgetsPermissions, key)

type Body = Record<string, unknown>

/** "2027-03-01" (a date in the UK) → the ISO instant of 00:00 London time that day. */
export function londonMidnight(date: string): string | null {
  return isIsoDate(date) ? (londonToUtc(date)?.toISOString() ?? null) : null
}

function processInput(body: Body) {
  return {
    titleEn: field(body, 'titleEn').trim(),
    titleCy: field(body, 'titleCy').trim(),
    descriptionEn: field(body, 'descriptionEn').trim(),
    descriptionCy: field(body, 'descriptionCy').trim(),
  }
}

function processProblems(input: ReturnType<typeof processInput>): FieldProblem[] {
  const problems: FieldProblem[] = []
  for (const f of ['titleEn', 'titleCy'] as const) {
    if (input[f] === '') problems.push({ field: f, code: 'required' })
    else if (input[f].length > 200) problems.push({ field: f, code: 'too-long' })
  }
  for (const f of ['descriptionEn', 'descriptionCy'] as const)
    if (input[f].length > 10_000) problems.push({ field: f, code: 'too-long' })
  return problems
}

const adminRoutes: FastifyPluginAsync = async (app) => {
  const { db, mailer, config } = app.services
  const flash = (request: FastifyRequest, key: string, vars?: Record<string, string | number>) =>
    request.session.set('flash', { kind: 'success', text: request.t(key, vars) })

  // ── Processes ──────────────────────────────────────────────────────────────────────
  async function indexPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) {
    const processes = await listProcesses(db)
    return reply.render('budgets/admin/index.njk', {
      pageTitle: request.t('budgets.admin.title'),
      processes: processes.map((p) => processView(p, request.locale)),
      values: {},
      ...extra,
    })
  }

  app.get('/admin/budgets', { preHandler: can('view:budgets-admin') }, async (request, reply) =>
    indexPage(request, reply),
  )

  app.post('/admin/budgets', { preHandler: can('manage:process') }, async (request, reply) => {
    const input = processInput(request.body as Body)
    const problems = processProblems(input)
    if (problems.length > 0) {
      reply.code(400)
      return indexPage(request, reply, {
        values: input,
        ...formErrors(problems, request.t, 'budgets.admin.process.errors'),
      })
    }
    const now = new Date()
    const start = new Date(londonMidnight(londonDay(new Date(now.getTime() + 7 * 86_400_000).toISOString()))!)
    const id = await db.transaction().execute(async (trx) => {
      const processId = await insertProcess(
        trx,
        { ...input, phase: 'draft', schedule: defaultSchedule(start), source: 'staff' },
        now,
      )
      await recordAudit(trx, {
        actor: request.actor,
        action: 'budgets.process.create',
        subject: { type: 'budgets_process', id: processId },
        details: { title: input.titleEn },
        requestId: request.id,
      })
      return processId
    })
    flash(request, 'budgets.admin.process.created')
    return reply.redirectTo(`/admin/budgets/${id}`)
  })

  async function processPage(
    request: FastifyRequest,
    reply: FastifyReply,
    process: Process,
    extra: Record<string, unknown> = {},
  ) {
    const now = new Date()
    const budgets = await listBudgets(db, process.id)
    const ids = budgets.map((b) => b.id)
    const [projects, counts, facts] = await Promise.all([
      listProjects(db, ids),
      ballotCounts(db, ids),
      phaseFacts(db, process.id),
    ])
    const next = nextPhase(process.phase)
    const refusal: PhaseRefusal | null = next ? transitionRefusal(process, next, now, facts) : 'last-phase'
    const counted: ({ selected: number; cost: string; at: string } | null)[] = []
    for (const b of budgets) {
      const count = await findCount(db, b.id)
      const money = moneyIn(request.locale, b.currency)
      counted.push(
        count
          ? {
              selected: count.official.selected.length,
              cost: money(count.official.cost),
              at: count.official.countedAt,
            }
          : null,
      )
    }
    const editable = new Set(editablePhases(process))
    return reply.render('budgets/admin/process.njk', {
      pageTitle: processView(process, request.locale).title.text,
      process: processView(process, request.locale),
      next,
      refusal,
      facts,
      budgets: budgets.map((b, i) => ({
        ...budgetView(b, request.locale, request.t, projects),
        projects: projects.filter((p) => p.budgetId === b.id).length,
        feasible: projects.filter((p) => p.budgetId === b.id && p.status === 'feasible').length,
        ballots: counts.get(b.id)?.total ?? 0,
        count: counted[i],
      })),
      awaiting: projects
        .filter((p) => p.status === 'proposed')
        .map((p) => projectView(p, budgets.find((b) => b.id === p.budgetId)!, request.locale)),
      reviewOpen: isReviewOpen(process),
      settingsOpen: areBudgetSettingsOpen(process),
      phases: SCHEDULED_PHASES.map((p) => ({
        phase: p,
        editable: editable.has(p),
        date: londonDay(process.schedule[p]),
      })),
      values: {
        titleEn: process.titleEn,
        titleCy: process.titleCy,
        descriptionEn: process.descriptionEn,
        descriptionCy: process.descriptionCy,
        ...Object.fromEntries(SCHEDULED_PHASES.map((p) => [`date-${p}`, londonDay(process.schedule[p])])),
      },
      published: resultsPublished(process),
      ...extra,
    })
  }

  app.get('/admin/budgets/:processId', { preHandler: can('view:budgets-admin') }, async (request, reply) => {
    const process = await loadProcess(db, request)
    return processPage(request, reply, process)
  })

  app.post('/admin/budgets/:processId', { preHandler: can('manage:process') }, async (request, reply) => {
    const process = await loadProcess(db, request)
    const body = request.body as Body
    const input = processInput(body)
    const problems = processProblems(input)
    const editable = new Set(editablePhases(process))
    const schedule = { ...process.schedule } as Record<ScheduledPhase, string>
    for (const p of SCHEDULED_PHASES) {
      if (!editable.has(p)) continue
      const typed = field(body, `date-${p}`).trim()
      const at = londonMidnight(typed)
      if (!at) problems.push({ field: `date-${p}`, code: typed ? 'invalid' : 'required' })
      else schedule[p] = at
    }
    const now = new Date()
    if (problems.length === 0) {
      for (const p of scheduleEditProblems(process, schedule, now)) {
        problems.push({ field: `date-${p.phase}`, code: p.code })
      }
    }
    if (problems.length > 0) {
      reply.code(400)
      return processPage(request, reply, process, {
        values: {
          ...input,
          ...Object.fromEntries(
            SCHEDULED_PHASES.map((p) => [
              `date-${p}`,
              field(body, `date-${p}`) || londonDay(process.schedule[p]),
            ]),
          ),
        },
        ...formErrors(problems, request.t, 'budgets.admin.process.errors'),
      })
    }
    await db.transaction().execute(async (trx) => {
      await updateProcess(trx, process.id, { ...input, schedule: schedule as Schedule }, now)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'budgets.process.update',
        subject: { type: 'budgets_process', id: process.id },
        details: { before: process.schedule, after: schedule },
        requestId: request.id,
      })
    })
    flash(request, 'budgets.admin.saved')
    return reply.redirectTo(`/admin/budgets/${process.id}`)
  })

  app.post(
    '/admin/budgets/:processId/phase',
    { preHandler: can('manage:process') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const to = field(request.body, 'to')
      const next = nextPhase(process.phase)
      if (!next || to !== next) throw new DomainError('conflict', 409, { reason: 'not-next' })
      try {
        await advanceProcess(db, process.id, next, request.actor, new Date())
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'conflict') throw err
        const reason = String(err.details?.['reason'] ?? 'not-next')
        reply.code(409)
        return processPage(request, reply, process, {
          errorList: [{ text: request.t(`budgets.admin.refusals.${reason}`), href: '#phase' }],
        })
      }
      flash(request, 'budgets.admin.phaseMoved', { phase: request.t(`budgets.phases.${next}.name`) })
      return reply.redirectTo(`/admin/budgets/${process.id}`)
    },
  )

  // ── Budgets ────────────────────────────────────────────────────────────────────────
  const choices = { styles: STYLE_KINDS, rules: RULE_CHOICES, voterRules: VOTER_RULES }

  async function budgetPage(
    request: FastifyRequest,
    reply: FastifyReply,
    process: Process,
    budget: Budget | null,
    extra: Record<string, unknown> = {},
  ) {
    const projects = budget ? await listProjects(db, [budget.id]) : []
    const census = budget ? await censusStats(db, budget.id) : null
    const counts = budget ? (await ballotCounts(db, [budget.id])).get(budget.id) : null
    const count = budget ? await findCount(db, budget.id) : null
    const money = budget ? moneyIn(request.locale, budget.currency) : null
    return reply.render('budgets/admin/budget.njk', {
      pageTitle: budget
        ? budgetView(budget, request.locale, request.t).title.text
        : request.t('budgets.admin.budget.new'),
      process: processView(process, request.locale),
      budget: budget ? budgetView(budget, request.locale, request.t, projects) : null,
      projects: budget ? projects.map((p) => projectView(p, budget, request.locale)) : [],
      census,
      ballots: counts,
      count:
        count && money
          ? {
              selected: count.official.selected.length,
              cost: money(count.official.cost),
              at: count.official.countedAt,
              rule: count.official.rule,
            }
          : null,
      settingsOpen: areBudgetSettingsOpen(process),
      paperOpen: isPaperEntryOpen(process),
      counting: process.phase === 'counting',
      choices,
      values: budget
        ? budgetSettingsToForm(budget)
        : {
            currency: 'GBP',
            style: 'approval',
            voterRule: 'residents',
            rule: 'default',
            costMinPercent: '70',
          },
      ...extra,
    })
  }

  app.get(
    '/admin/budgets/:processId/budgets/new',
    { preHandler: can('manage:process') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      return budgetPage(request, reply, process, null)
    },
  )

  app.get(
    '/admin/budgets/:processId/budgets/:budgetId',
    { preHandler: can('view:budgets-admin') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const budget = await loadBudget(db, request, process)
      return budgetPage(request, reply, process, budget)
    },
  )

  async function saveBudget(
    request: FastifyRequest,
    reply: FastifyReply,
    process: Process,
    budget: Budget | null,
  ) {
    if (!areBudgetSettingsOpen(process)) throw new DomainError('conflict', 409, { reason: 'settings-closed' })
    const body = request.body as Body
    const { problems, settings } = budgetSettingsFromForm(body)
    if (!settings) {
      reply.code(400)
      const values = Object.fromEntries(
        Object.entries(body).map(([k, v]) => [k, String(v ?? '').slice(0, 2000)]),
      )
      return budgetPage(request, reply, process, budget, {
        values,
        ...formErrors(problems, request.t, 'budgets.admin.budget.errors'),
      })
    }
    const now = new Date()
    const id = await db.transaction().execute(async (trx) => {
      let budgetId: number
      if (budget) {
        await updateBudget(
          trx,
          budget.id,
          { ...settings, pointsScale: budget.pointsScale, meta: budget.meta },
          now,
        )
        budgetId = budget.id
      } else budgetId = await insertBudget(trx, process.id, settings, now)
      await recordAudit(trx, {
        actor: request.actor,
        action: budget ? 'budgets.budget.update' : 'budgets.budget.create',
        subject: { type: 'budgets_budget', id: budgetId },
        details: {
          amount: settings.amount,
          currency: settings.currency,
          style: settings.style,
          rule: settings.rule,
          area: settings.area,
          voterRule: settings.voterRule,
        },
        requestId: request.id,
      })
      return budgetId
    })
    flash(request, 'budgets.admin.saved')
    return reply.redirectTo(`/admin/budgets/${process.id}/budgets/${id}`)
  }

  app.post(
    '/admin/budgets/:processId/budgets',
    { preHandler: can('manage:process') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      return saveBudget(request, reply, process, null)
    },
  )

  app.post(
    '/admin/budgets/:processId/budgets/:budgetId',
    { preHandler: can('manage:process') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const budget = await loadBudget(db, request, process)
      return saveBudget(request, reply, process, budget)
    },
  )

  app.post(
    '/admin/budgets/:processId/budgets/:budgetId/census',
    { preHandler: can('import:census') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const budget = await loadBudget(db, request, process)
      const text = field(request.body, 'codes')
      const parsed = parseCensusList(text)
      const problems: FieldProblem[] = []
      if (budget.voterRule === 'residents') problems.push({ field: 'codes', code: 'not-census' })
      else if (parsed.invalid.length > 0)
        problems.push({
          field: 'codes',
          code: 'invalid',
          vars: { lines: parsed.invalid.slice(0, 10).join(', ') },
        })
      else if (parsed.codes.length === 0) problems.push({ field: 'codes', code: 'required' })
      if (problems.length > 0) {
        reply.code(400)
        return budgetPage(request, reply, process, budget, {
          censusText: text.slice(0, 100_000),
          ...formErrors(problems, request.t, 'budgets.admin.census.errors'),
        })
      }
      const now = new Date()
      const result = await db.transaction().execute(async (trx) => {
        const r = await importCensusCodes(trx, budget.id, parsed.codes, now)
        await recordAudit(trx, {
          actor: request.actor,
          action: 'budgets.census.import',
          subject: { type: 'budgets_budget', id: budget.id },
          details: { ...r, duplicatesInFile: parsed.duplicates },
          requestId: request.id,
        })
        return r
      })
      flash(request, 'budgets.admin.census.imported', { added: result.added, existing: result.alreadyListed })
      return reply.redirectTo(`/admin/budgets/${process.id}/budgets/${budget.id}`)
    },
  )

  app.post(
    '/admin/budgets/:processId/budgets/:budgetId/count',
    { preHandler: can('count:budget') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const budget = await loadBudget(db, request, process)
      await recountBudget(db, budget.id, request.actor, new Date())
      flash(request, 'budgets.admin.counted')
      return reply.redirectTo(`/admin/budgets/${process.id}/budgets/${budget.id}`)
    },
  )

  // ── Paper ballots ──────────────────────────────────────────────────────────────────
  async function paperPage(
    request: FastifyRequest,
    reply: FastifyReply,
    process: Process,
    budget: Budget,
    extra: Record<string, unknown> = {},
  ) {
    const projects = await listProjects(db, [budget.id], { status: ['feasible'] })
    const counts = (await ballotCounts(db, [budget.id])).get(budget.id)
    const kind = budget.style.kind
    return reply.render('budgets/admin/paper.njk', {
      pageTitle: request.t('budgets.admin.paper.title'),
      process: processView(process, request.locale),
      budget: budgetView(budget, request.locale, request.t, projects),
      projects: projects.map((p) => projectView(p, budget, request.locale)),
      open: isPaperEntryOpen(process),
      ballots: counts,
      values: formValues(null),
      reference: '',
      csv: '',
      rankOptions: Array.from({ length: kind === 'ranked' ? budget.style.maxRanks : 0 }, (_, i) => i + 1),
      ...extra,
    })
  }

  const lineText = (
    request: FastifyRequest,
    budget: Budget,
    titles: Map<string, string>,
    p: PaperLineProblem,
  ) => {
    const money = moneyIn(request.locale, budget.currency)
    const detail =
      p.code === 'ballot'
        ? p.problems.map((x) => problemText(request.t, x, money, (id) => titles.get(id) ?? id)).join('; ')
        : request.t(`budgets.admin.paper.problems.${p.code}`)
    return p.line > 0 ? request.t('budgets.admin.paper.line', { line: p.line, detail }) : detail
  }

  app.get(
    '/admin/budgets/:processId/budgets/:budgetId/paper',
    { preHandler: can('enter:paper-ballots') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const budget = await loadBudget(db, request, process)
      return paperPage(request, reply, process, budget)
    },
  )

  app.post(
    '/admin/budgets/:processId/budgets/:budgetId/paper',
    { preHandler: can('enter:paper-ballots') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const budget = await loadBudget(db, request, process)
      const body = request.body as Body
      const projects = await listProjects(db, [budget.id], { status: ['feasible'] })
      const titles = new Map(
        projects.map((p) => [String(p.id), projectView(p, budget, request.locale).title.text]),
      )
      const now = new Date()
      const csv = field(body, 'csv')
      if (field(body, 'how') === 'csv') {
        const parsed = parsePaperCsv(csv, budget, projects)
        let problems = parsed.problems
        if (problems.length === 0 && parsed.ballots.length === 0)
          problems = [{ line: 1, code: 'unreadable', detail: 'empty' }]
        if (problems.length === 0)
          problems = await enterPaperBallots(db, budget, parsed.ballots, request.actor, now, 'csv')
        if (problems.length > 0) {
          reply.code(400)
          return paperPage(request, reply, process, budget, {
            csv: csv.slice(0, 500_000),
            errorList: problems
              .slice(0, 20)
              .map((p) => ({ text: lineText(request, budget, titles, p), href: '#csv' })),
            fieldErrors: {
              csv: { text: request.t('budgets.admin.paper.csvRefused', { count: problems.length }) },
            },
          })
        }
        flash(request, 'budgets.admin.paper.imported', { count: parsed.ballots.length })
        return reply.redirectTo(`/admin/budgets/${process.id}/budgets/${budget.id}/paper`)
      }
      const reference = field(body, 'reference').trim()
      const check = await checkBallotForm(db, budget, body)
      const errorList: { text: string; href: string }[] = []
      const fieldErrors: Record<string, { text: string }> = {}
      if (!isPaperReference(reference)) {
        const text = request.t('budgets.admin.paper.problems.reference-missing')
        errorList.push({ text, href: '#reference' })
        fieldErrors['reference'] = { text }
      }
      if (!check.ok) {
        const text = check.problems
          .map((x) =>
            problemText(request.t, x, moneyIn(request.locale, budget.currency), (id) => titles.get(id) ?? id),
          )
          .join('; ')
        errorList.push({ text, href: '#paper-ballot' })
        fieldErrors['ballot'] = { text }
      }
      if (errorList.length === 0) {
        const refused = await enterPaperBallots(
          db,
          budget,
          [{ reference, ballot: check.ballot }],
          request.actor,
          now,
          'form',
        )
        if (refused.length > 0) {
          const text = request.t('budgets.admin.paper.problems.reference-exists')
          errorList.push({ text, href: '#reference' })
          fieldErrors['reference'] = { text }
        }
      }
      if (errorList.length > 0) {
        reply.code(400)
        const typed = submittedValues(
          body,
          projects.map((p) => ({ id: String(p.id), cost: 0 })),
        )
        return paperPage(request, reply, process, budget, {
          reference,
          values: typed,
          errorList,
          fieldErrors,
        })
      }
      flash(request, 'budgets.admin.paper.entered', { reference })
      return reply.redirectTo(`/admin/budgets/${process.id}/budgets/${budget.id}/paper`)
    },
  )

  // ── Projects: review and delivery ──────────────────────────────────────────────────
  async function projectPage(
    request: FastifyRequest,
    reply: FastifyReply,
    process: Process,
    extra: Record<string, unknown> = {},
  ) {
    const budgets = await listBudgets(db, process.id)
    const { project, budget } = await loadProject(db, request, budgets)
    const winners = resultsPublished(process) ? await winningProjectIds(db, [budget.id]) : new Set<number>()
    const milestones = winners.has(project.id) ? await listMilestones(db, [project.id]) : []
    return reply.render('budgets/admin/project.njk', {
      pageTitle: projectView(project, budget, request.locale).title.text,
      process: processView(process, request.locale),
      budget: budgetView(budget, request.locale, request.t),
      project: projectView(project, budget, request.locale),
      raw: project,
      reviewOpen: isReviewOpen(process),
      winner: winners.has(project.id),
      milestones,
      milestoneStates: MILESTONE_STATES,
      values: {
        decision: project.status === 'proposed' ? '' : project.status,
        finalCost: amountText(project.finalCost ?? project.estimatedCost),
        reasonEn: project.reasonEn,
        reasonCy: project.reasonCy,
        titleEn: project.titleEn,
        titleCy: project.titleCy,
        descriptionEn: project.descriptionEn,
        descriptionCy: project.descriptionCy,
      },
      milestoneValues: { status: 'planned' },
      ...extra,
    })
  }

  app.get(
    '/admin/budgets/:processId/projects/:projectId',
    { preHandler: can('view:budgets-admin') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      return projectPage(request, reply, process)
    },
  )

  app.post(
    '/admin/budgets/:processId/projects/:projectId',
    { preHandler: can('review:project') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const budgets = await listBudgets(db, process.id)
      const { project, budget } = await loadProject(db, request, budgets)
      const body = request.body as Body
      const input = {
        decision: field(body, 'decision'),
        finalCost: field(body, 'finalCost'),
        reasonEn: field(body, 'reasonEn'),
        reasonCy: field(body, 'reasonCy'),
      }
      const texts = {
        titleEn: field(body, 'titleEn').trim().slice(0, 300),
        titleCy: field(body, 'titleCy').trim().slice(0, 300),
        descriptionEn: field(body, 'descriptionEn').trim().slice(0, 10_000),
        descriptionCy: field(body, 'descriptionCy').trim().slice(0, 10_000),
      }
      const { problems, review } = validateReview(input, budget.amount)
      if (texts.titleEn === '' && texts.titleCy === '') problems.push({ field: 'titleEn', code: 'required' })
      if (!review || problems.length > 0) {
        reply.code(400)
        return projectPage(request, reply, process, {
          values: { ...input, ...texts },
          ...formErrors(problems, request.t, 'budgets.admin.review.errors'),
        })
      }
      await reviewProject(db, project.id, review, texts, request.actor, new Date())
      flash(request, 'budgets.admin.review.saved')
      return reply.redirectTo(`/admin/budgets/${process.id}/projects/${project.id}`)
    },
  )

  app.post(
    '/admin/budgets/:processId/projects/:projectId/milestones',
    { preHandler: can('manage:delivery') },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const budgets = await listBudgets(db, process.id)
      const { project } = await loadProject(db, request, budgets)
      const body = request.body as Body
      const milestoneId = field(body, 'milestoneId') ? Number(field(body, 'milestoneId')) : null
      if (milestoneId !== null) {
        const existing = (await listMilestones(db, [project.id])).find((m) => m.id === milestoneId)
        if (!existing) throw notFound()
      }
      const input = {
        titleEn: field(body, 'titleEn'),
        titleCy: field(body, 'titleCy'),
        date: field(body, 'date'),
        status: field(body, 'status'),
      }
      const { problems, milestone } = validateMilestone(input)
      if (!milestone) {
        reply.code(400)
        return projectPage(request, reply, process, {
          milestoneValues: input,
          ...formErrors(problems, request.t, 'budgets.admin.milestones.errors'),
        })
      }
      const base = config.publicUrl
      const result = await saveMilestone(
        db,
        mailer,
        {
          projectId: project.id,
          milestoneId,
          value: milestone,
          links: {
            project: (processId, projectId, language) =>
              `${base}${localePath(language === 'cy' ? 'cy' : 'en', `/budgets/${processId}/projects/${projectId}`)}`,
            unfollow: (followerId, language) =>
              `${base}${localePath(language === 'cy' ? 'cy' : 'en', `/budgets/unfollow?f=${followerId}&token=${unfollowToken(app.services.sessionKey, followerId)}`)}`,
          },
        },
        request.actor,
        new Date(),
      )
      flash(request, 'budgets.admin.milestones.saved', { count: result.notified })
      return reply.redirectTo(`/admin/budgets/${process.id}/projects/${project.id}`)
    },
  )
}

export default adminRoutes
