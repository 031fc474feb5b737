/**
 * Public pages under /budgets: processes, proposing a project, the ballot (which works
 * without JavaScript: "Check my choices" recomputes the running total on the server), results
 * with explanations and the rule comparison, and following a project's delivery by email.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { recordAudit } from '../../../platform/audit/audit.js'
import { consumeEmailToken, isPlausibleEmail, issueEmailToken } from '../../../platform/auth/citizens.js'
import { decide } from '../../../platform/auth/permissions.js'
import { notFound } from '../../../platform/errors/errors.js'
import { field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import { isLocale, localePath } from '../../../platform/i18n/i18n.js'
import {
  type FormProblem,
  formValues,
  problemField,
  submittedValues,
  summariseBallot,
} from '../domain/ballot-forms.js'
import type { Ballot, BallotProblem } from '../domain/ballots.js'
import { deliveryStatus } from '../domain/delivery.js'
import {
  type EligibilityRefusal,
  eligibility,
  normaliseCensusCode,
  normalisePostcode,
  type Voter,
} from '../domain/eligibility.js'
import { isProposingOpen, isVotingOpen, phaseEnds, resultsPublished } from '../domain/phases.js'
import { validateProposal } from '../domain/projects.js'
import { castVoterBallot, checkBallotForm } from '../operations.js'
import { budgetsPermissions } from '../permissions.js'
import { findBallot, findCensusCode, findPostcode, statePostcode } from '../store/ballot-store.js'
import { findFollower, follow, listMilestones, unfollow } from '../store/delivery-store.js'
import { findCount } from '../store/outcome-store.js'
import { type Budget, listBudgets, listProcesses, type Process } from '../store/process-store.js'
import { insertProject, listProjects, votableProjects } from '../store/project-store.js'
import { explanationText, isSelectedExplanation, problemText } from './present.js'
import { resultsData } from './results.js'
import {
  budgetView,
  excerpt,
  loadBudget,
  loadProcess,
  loadProject,
  moneyIn,
  processView,
  projectView,
} from './shared.js'

declare module '@fastify/secure-session' {
  interface SessionData {
    /** Census codes presented in this browser: budget id → census code id. */
    budgetsCensus: Record<string, number>
  }
}

/** Follow links are valid for a day and work once. */
const FOLLOW_LINK_MINUTES = 24 * 60

/** An unguessable, stateless unfollow token for a follower (HMAC with the session key). */
export function unfollowToken(key: Buffer, followerId: number): string {
  return createHmac('sha256', key).update(`budgets.unfollow:${followerId}`).digest('base64url').slice(0, 32)
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const publicRoutes: FastifyPluginAsync = async (app) => {
  const { db, mailer, config } = app.services
  const followLimit = app.rateLimit({ max: 5, timeWindow: 10 * 60_000 })

  // ── Processes ──────────────────────────────────────────────────────────────────────
  app.get('/budgets', async (request, reply) => {
    const processes = await listProcesses(db, { publicOnly: true })
    return reply.render('budgets/index.njk', {
      pageTitle: request.t('budgets.index.title'),
      processes: processes.map((p) => ({ ...processView(p, request.locale), ends: phaseEnds(p) })),
    })
  })

  app.get('/budgets/:processId', async (request, reply) => {
    const process = await loadProcess(db, request)
    const budgets = await listBudgets(db, process.id)
    const projects = await listProjects(
      db,
      budgets.map((b) => b.id),
    )
    const now = new Date()
    return reply.render('budgets/process.njk', {
      pageTitle: processView(process, request.locale).title.text,
      process: processView(process, request.locale),
      ends: phaseEnds(process),
      proposing: isProposingOpen(process, now),
      voting: isVotingOpen(process, now),
      published: resultsPublished(process),
      budgets: budgets.map((b) => ({
        ...budgetView(b, request.locale, request.t, projects),
        projects: projects
          .filter((p) => p.budgetId === b.id)
          .map((p) => ({
            ...projectView(p, b, request.locale),
            excerpt: excerpt(p.descriptionEn || p.descriptionCy),
          })),
      })),
    })
  })

  // ── Proposing a project ────────────────────────────────────────────────────────────
  async function proposePage(
    request: FastifyRequest,
    reply: FastifyReply,
    process: Process,
    extra: Record<string, unknown> = {},
  ) {
    const budgets = await listBudgets(db, process.id)
    return reply.render('budgets/propose.njk', {
      pageTitle: request.t('budgets.propose.title'),
      process: processView(process, request.locale),
      budgets: budgets.map((b) => budgetView(b, request.locale, request.t)),
      open: isProposingOpen(process, new Date()),
      values: {},
      ...extra,
    })
  }

  app.get('/budgets/:processId/propose', async (request, reply) => {
    const process = await loadProcess(db, request)
    return proposePage(request, reply, process)
  })

  app.post('/budgets/:processId/propose', async (request, reply) => {
    const process = await loadProcess(db, request)
    const actor = request.actor
    const allowed = decide(budgetsPermissions, 'propose:project', actor)
    if (!allowed.allowed || actor.kind !== 'citizen') return reply.redirectTo('/account/sign-in')
    const now = new Date()
    if (!isProposingOpen(process, now)) {
      // The page says proposals are closed; nothing is saved.
      reply.code(409)
      return proposePage(request, reply, process)
    }
    const input = {
      budgetId: field(request.body, 'budgetId'),
      title: field(request.body, 'title'),
      description: field(request.body, 'description'),
      cost: field(request.body, 'cost'),
      location: field(request.body, 'location'),
    }
    const budgets = await listBudgets(db, process.id)
    const { problems, proposal } = validateProposal(input, budgets)
    if (!proposal) {
      reply.code(400)
      return proposePage(request, reply, process, {
        values: Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v.slice(0, 6000)])),
        ...formErrors(problems, request.t, 'budgets.propose.errors'),
      })
    }
    const cy = request.locale === 'cy'
    const id = await db.transaction().execute(async (trx) => {
      const projectId = await insertProject(
        trx,
        {
          budgetId: proposal.budgetId,
          titleEn: cy ? '' : proposal.title,
          titleCy: cy ? proposal.title : '',
          descriptionEn: cy ? '' : proposal.description,
          descriptionCy: cy ? proposal.description : '',
          location: proposal.location,
          estimatedCost: proposal.estimatedCost,
          status: 'proposed',
          proposerId: actor.id,
          source: 'citizen',
        },
        now,
      )
      await recordAudit(trx, {
        actor,
        action: 'budgets.project.propose',
        subject: { type: 'budgets_project', id: projectId },
        details: { budget: proposal.budgetId, estimatedCost: proposal.estimatedCost },
        requestId: request.id,
        at: now,
      })
      return projectId
    })
    request.session.set('flash', { kind: 'success', text: request.t('budgets.propose.thanks') })
    return reply.redirectTo(`/budgets/${process.id}/projects/${id}`)
  })

  // ── A project and its delivery ────────────────────────────────────────────────────
  app.get('/budgets/:processId/projects/:projectId', async (request, reply) => {
    const process = await loadProcess(db, request)
    const budgets = await listBudgets(db, process.id)
    const { project, budget } = await loadProject(db, request, budgets)
    const published = resultsPublished(process)
    const count = published ? await findCount(db, budget.id) : null
    const explanation = count?.official.explanations[String(project.id)]
    const winner = isSelectedExplanation(explanation)
    const milestones = winner ? await listMilestones(db, [project.id]) : []
    const money = moneyIn(request.locale, budget.currency)
    const view = projectView(project, budget, request.locale)
    return reply.render('budgets/project.njk', {
      pageTitle: view.title.text,
      process: processView(process, request.locale),
      budget: budgetView(budget, request.locale, request.t),
      project: view,
      published,
      winner,
      explanation:
        explanation && count ? explanationText(request.t, explanation, money, count.official.rule) : null,
      totals: count?.official.totals[String(project.id)] ?? null,
      delivery: deliveryStatus(milestones),
      milestones: milestones.map((m) => ({
        ...m,
        title: request.locale === 'cy' ? m.titleCy || m.titleEn : m.titleEn || m.titleCy,
      })),
      values: {},
    })
  })

  app.post(
    '/budgets/:processId/projects/:projectId/follow',
    { preValidation: followLimit },
    async (request, reply) => {
      const process = await loadProcess(db, request)
      const budgets = await listBudgets(db, process.id)
      const { project, budget } = await loadProject(db, request, budgets)
      const now = new Date()
      const actor = request.actor
      const path = `/budgets/${process.id}/projects/${project.id}`
      if (actor.kind === 'citizen') {
        await db.transaction().execute(async (trx) => {
          await follow(trx, project.id, actor.email, request.locale, now)
          await recordAudit(trx, {
            actor,
            action: 'budgets.follow',
            subject: { type: 'budgets_project', id: project.id },
            requestId: request.id,
            at: now,
          })
        })
        request.session.set('flash', { kind: 'success', text: request.t('budgets.follow.following') })
        return reply.redirectTo(path)
      }
      const email = field(request.body, 'email').trim()
      if (!isPlausibleEmail(email)) {
        request.session.set('flash', { kind: 'info', text: request.t('budgets.follow.emailInvalid') })
        return reply.redirectTo(`${path}#follow`)
      }
      await db.transaction().execute(async (trx) => {
        const token = await issueEmailToken(
          trx,
          {
            purpose: 'budgets.follow',
            email,
            payload: { projectId: project.id, language: request.locale },
            ttlMinutes: FOLLOW_LINK_MINUTES,
          },
          now,
        )
        await mailer.send(
          trx,
          {
            to: email,
            template: 'budgets-follow-confirm',
            language: request.locale,
            data: {
              project: projectView(project, budget, request.locale).title.text,
              link: `${config.publicUrl}${localePath(request.locale, `/budgets/follow?token=${token}`)}`,
            },
          },
          now,
        )
      })
      return reply.render('budgets/message.njk', {
        pageTitle: request.t('budgets.follow.checkEmail'),
        heading: request.t('budgets.follow.checkEmail'),
        paragraphs: [request.t('budgets.follow.sent', { email })],
      })
    },
  )

  app.get('/budgets/follow', async (request, reply) => {
    const token = String((request.query as { token?: string }).token ?? '')
    return reply.render('budgets/confirm.njk', {
      pageTitle: request.t('budgets.follow.confirmTitle'),
      heading: request.t('budgets.follow.confirmTitle'),
      body: request.t('budgets.follow.confirmBody'),
      action: '/budgets/follow',
      hidden: { token },
      button: request.t('budgets.follow.confirm'),
    })
  })

  app.post('/budgets/follow', async (request, reply) => {
    const now = new Date()
    const result = await consumeEmailToken(db, field(request.body, 'token'), 'budgets.follow', now)
    if (!result.ok) {
      reply.code(400)
      return reply.render('budgets/message.njk', {
        pageTitle: request.t(`citizen.link.${result.problem}`),
        heading: request.t(`citizen.link.${result.problem}`),
        paragraphs: [],
      })
    }
    const projectId = Number(result.token.payload['projectId'])
    const language = result.token.payload['language']
    await db.transaction().execute(async (trx) => {
      await follow(trx, projectId, result.token.email, isLocale(language) ? language : request.locale, now)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'budgets.follow',
        subject: { type: 'budgets_project', id: projectId },
        details: { confirmedByEmail: true },
        requestId: request.id,
        at: now,
      })
    })
    return reply.render('budgets/message.njk', {
      pageTitle: request.t('budgets.follow.following'),
      heading: request.t('budgets.follow.following'),
      paragraphs: [request.t('budgets.follow.followingBody')],
    })
  })

  app.get('/budgets/unfollow', async (request, reply) => {
    const q = request.query as { f?: string; token?: string }
    return reply.render('budgets/confirm.njk', {
      pageTitle: request.t('budgets.follow.unfollowTitle'),
      heading: request.t('budgets.follow.unfollowTitle'),
      body: request.t('budgets.follow.unfollowBody'),
      action: '/budgets/unfollow',
      hidden: { f: String(q.f ?? ''), token: String(q.token ?? '') },
      button: request.t('budgets.follow.unfollow'),
    })
  })

  app.post('/budgets/unfollow', async (request, reply) => {
    const id = Number(field(request.body, 'f'))
    const follower = Number.isSafeInteger(id) ? await findFollower(db, id) : undefined
    if (
      !follower ||
      !sameToken(field(request.body, 'token'), unfollowToken(app.services.sessionKey, follower.id))
    ) {
      reply.code(400)
      return reply.render('budgets/message.njk', {
        pageTitle: request.t('citizen.link.token-invalid'),
        heading: request.t('citizen.link.token-invalid'),
        paragraphs: [],
      })
    }
    const now = new Date()
    await db.transaction().execute(async (trx) => {
      if (await unfollow(trx, follower.id, now)) {
        await recordAudit(trx, {
          actor: request.actor,
          action: 'budgets.unfollow',
          subject: { type: 'budgets_project', id: follower.projectId },
          requestId: request.id,
          at: now,
        })
      }
    })
    return reply.render('budgets/message.njk', {
      pageTitle: request.t('budgets.follow.unfollowed'),
      heading: request.t('budgets.follow.unfollowed'),
      paragraphs: [],
    })
  })

  // ── Voting ────────────────────────────────────────────────────────────────────────
  interface VoterContext {
    readonly voter: Voter
    readonly key: string | null
    readonly eligible: boolean
    readonly reason: EligibilityRefusal | null
    readonly postcode: string | null
    readonly censusCodeId: number | null
  }

  /** Who is voting in this budget: the signed-in resident, or a census code presented in this browser. */
  async function voterContext(request: FastifyRequest, budget: Budget): Promise<VoterContext> {
    const actor = request.actor
    const census = request.session.get('budgetsCensus')?.[String(budget.id)] ?? null
    let resident: VoterContext | null = null
    if (actor.kind === 'citizen') {
      const postcode = await findPostcode(db, actor.id)
      const voter: Voter = { kind: 'citizen', assurance: actor.assurance, postcode }
      const e = eligibility(budget, voter)
      resident = {
        voter,
        key: `citizen:${actor.id}`,
        eligible: e.eligible,
        reason: e.eligible ? null : e.reason,
        postcode,
        censusCodeId: null,
      }
      if (e.eligible) return resident
    }
    if (census !== null && eligibility(budget, { kind: 'census' }).eligible) {
      return {
        voter: { kind: 'census' },
        key: `census:${census}`,
        eligible: true,
        reason: null,
        postcode: null,
        censusCodeId: census,
      }
    }
    if (resident) return resident
    const e = eligibility(budget, { kind: 'anonymous' })
    return {
      voter: { kind: 'anonymous' },
      key: null,
      eligible: false,
      reason: e.eligible ? null : e.reason,
      postcode: null,
      censusCodeId: null,
    }
  }

  async function ballotPage(
    request: FastifyRequest,
    reply: FastifyReply,
    process: Process,
    budget: Budget,
    options: {
      ballot?: Ballot | null
      problems?: readonly (BallotProblem | FormProblem)[]
      checked?: boolean
      eligibilityErrors?: ReturnType<typeof formErrors>
      values?: Record<string, string>
      /** The submitted form, shown again as it was typed. */
      body?: Readonly<Record<string, unknown>>
    } = {},
  ) {
    const now = new Date()
    const voter = await voterContext(request, budget)
    const projects = await listProjects(db, [budget.id], { status: ['feasible'] })
    const votable = votableProjects(projects)
    const stored = voter.key ? await findBallot(db, budget.id, voter.key) : undefined
    const ballot = options.ballot ?? stored?.ballot ?? null
    const money = moneyIn(request.locale, budget.currency)
    const views = projects.map((p) => ({
      ...projectView(p, budget, request.locale),
      excerpt: excerpt(
        request.locale === 'cy' ? p.descriptionCy || p.descriptionEn : p.descriptionEn || p.descriptionCy,
        140,
      ),
    }))
    const titleOf = (id: string) => views.find((v) => String(v.id) === id)?.title.text ?? id
    const summary = ballot ? summariseBallot(budget.style, ballot, votable, budget.amount) : null
    const problems = options.problems ?? []
    const errorList: { text: string; href: string }[] = []
    const fieldErrors: Record<string, { text: string }> = {}
    for (const p of problems) {
      const text = problemText(request.t, p, money, titleOf)
      const fieldId = problemField(p, budget.style)
      errorList.push({ text, href: `#${fieldId}` })
      fieldErrors[fieldId] ??= { text }
    }
    const kind = budget.style.kind
    const ranks = kind === 'ranked' ? budget.style.maxRanks : 0
    if (options.eligibilityErrors) {
      errorList.push(...options.eligibilityErrors.errorList)
      Object.assign(fieldErrors, options.eligibilityErrors.fieldErrors)
    }
    if (errorList.length > 0) reply.code(400)
    return reply.render('budgets/vote.njk', {
      pageTitle: request.t('budgets.vote.title', {
        budget: budgetView(budget, request.locale, request.t).title.text,
      }),
      process: processView(process, request.locale),
      budget: budgetView(budget, request.locale, request.t, projects),
      open: isVotingOpen(process, now),
      closes: process.schedule.counting,
      voter: {
        eligible: voter.eligible,
        reason: voter.reason,
        postcode: voter.postcode,
        census: voter.voter.kind === 'census',
      },
      censusAllowed: budget.voterRule !== 'residents',
      residentsAllowed: budget.voterRule !== 'census',
      stored: stored ? { version: stored.version, updatedAt: stored.updatedAt } : null,
      projects: views,
      values: options.body ? submittedValues(options.body, votable) : formValues(ballot),
      eligibilityValues: options.values ?? {},
      rankOptions: Array.from({ length: ranks }, (_, i) => i + 1),
      summary: summary
        ? {
            ...summary,
            costText: money(summary.cost),
            budgetText: money(summary.budget),
            remainingText: money(Math.abs(summary.remaining)),
            minimumText: summary.minimumSpend === null ? null : money(summary.minimumSpend),
          }
        : null,
      checked: options.checked === true && problems.length === 0,
      errorList,
      fieldErrors,
    })
  }

  app.get('/budgets/:processId/vote/:budgetId', async (request, reply) => {
    const process = await loadProcess(db, request)
    const budget = await loadBudget(db, request, process)
    return ballotPage(request, reply, process, budget)
  })

  app.post('/budgets/:processId/vote/:budgetId', async (request, reply) => {
    const process = await loadProcess(db, request)
    const budget = await loadBudget(db, request, process)
    const now = new Date()
    if (!isVotingOpen(process, now)) return ballotPage(request, reply, process, budget)
    const voter = await voterContext(request, budget)
    if (!voter.eligible || !voter.key) return ballotPage(request, reply, process, budget)
    const check = await checkBallotForm(db, budget, request.body as Record<string, unknown>)
    const action = field(request.body, 'action')
    const body = request.body as Record<string, unknown>
    if (!check.ok)
      return ballotPage(request, reply, process, budget, {
        ballot: check.ballot,
        problems: check.problems,
        body,
      })
    if (action !== 'cast')
      return ballotPage(request, reply, process, budget, { ballot: check.ballot, checked: true, body })
    const actor = request.actor
    await castVoterBallot(
      db,
      {
        budget,
        process,
        voterKey: voter.key,
        ballot: check.ballot,
        actor,
        assurance:
          voter.voter.kind === 'census' ? 'census' : actor.kind === 'citizen' ? actor.assurance : 'none',
        citizenId: voter.voter.kind === 'citizen' && actor.kind === 'citizen' ? actor.id : null,
        censusCodeId: voter.censusCodeId,
        postcode: voter.postcode,
      },
      now,
    )
    return reply.redirectTo(`/budgets/${process.id}/vote/${budget.id}/done`)
  })

  app.post('/budgets/:processId/vote/:budgetId/postcode', async (request, reply) => {
    const process = await loadProcess(db, request)
    const budget = await loadBudget(db, request, process)
    const actor = request.actor
    if (actor.kind !== 'citizen') return reply.redirectTo('/account/sign-in')
    const typed = field(request.body, 'postcode').trim()
    const postcode = normalisePostcode(typed)
    if (!postcode) {
      return ballotPage(request, reply, process, budget, {
        values: { postcode: typed.slice(0, 20) },
        eligibilityErrors: formErrors(
          [{ field: 'postcode', code: typed ? 'invalid' : 'required' }],
          request.t,
          'budgets.eligibility.errors',
        ),
      })
    }
    const now = new Date()
    await db.transaction().execute(async (trx) => {
      await statePostcode(trx, actor.id, postcode, now)
      await recordAudit(trx, {
        actor,
        action: 'budgets.postcode',
        subject: { type: 'citizen', id: actor.id },
        requestId: request.id,
        at: now,
      })
    })
    return reply.redirectTo(`/budgets/${process.id}/vote/${budget.id}`)
  })

  app.post('/budgets/:processId/vote/:budgetId/code', async (request, reply) => {
    const process = await loadProcess(db, request)
    const budget = await loadBudget(db, request, process)
    const typed = field(request.body, 'code').trim()
    const code = normaliseCensusCode(typed)
    const found =
      code && budget.voterRule !== 'residents' ? await findCensusCode(db, budget.id, code) : undefined
    // A used code may come back to change its own ballot; its ballot is keyed by the code.
    if (!found) {
      return ballotPage(request, reply, process, budget, {
        values: { code: typed.slice(0, 70) },
        eligibilityErrors: formErrors(
          [{ field: 'code', code: typed ? 'unknown' : 'required' }],
          request.t,
          'budgets.eligibility.errors',
        ),
      })
    }
    const census = { ...(request.session.get('budgetsCensus') ?? {}), [String(budget.id)]: found.id }
    request.session.set('budgetsCensus', census)
    return reply.redirectTo(`/budgets/${process.id}/vote/${budget.id}`)
  })

  app.get('/budgets/:processId/vote/:budgetId/done', async (request, reply) => {
    const process = await loadProcess(db, request)
    const budget = await loadBudget(db, request, process)
    const voter = await voterContext(request, budget)
    const stored = voter.key ? await findBallot(db, budget.id, voter.key) : undefined
    if (!stored) return reply.redirectTo(`/budgets/${process.id}/vote/${budget.id}`)
    const projects = await listProjects(db, [budget.id], { status: ['feasible'] })
    const money = moneyIn(request.locale, budget.currency)
    const chosen: { title: string; detail: string }[] = []
    const byId = new Map(projects.map((p) => [String(p.id), projectView(p, budget, request.locale)]))
    const b = stored.ballot
    if (b.kind === 'cumulative') {
      for (const a of b.allocations)
        chosen.push({
          title: byId.get(a.projectId)?.title.text ?? a.projectId,
          detail: request.t('budgets.vote.pointsGiven', { count: a.points }),
        })
    } else {
      const ids = b.kind === 'ranked' ? b.ranking : b.projects
      for (const [i, id] of ids.entries()) {
        chosen.push({
          title: byId.get(id)?.title.text ?? id,
          detail:
            b.kind === 'ranked'
              ? request.t('budgets.vote.choice', { rank: i + 1 })
              : (byId.get(id)?.cost ?? ''),
        })
      }
    }
    const summary = summariseBallot(budget.style, b, votableProjects(projects), budget.amount)
    return reply.render('budgets/voted.njk', {
      pageTitle: request.t('budgets.voted.title'),
      process: processView(process, request.locale),
      budget: budgetView(budget, request.locale, request.t),
      stored: { version: stored.version, updatedAt: stored.updatedAt },
      chosen,
      cost: money(summary.cost),
      closes: process.schedule.counting,
    })
  })

  // ── Results ───────────────────────────────────────────────────────────────────────
  app.get('/budgets/:processId/results', async (request, reply) => {
    const process = await loadProcess(db, request)
    const preview = !resultsPublished(process)
    if (preview && request.actor.kind !== 'staff') throw notFound()
    const data = await resultsData(db, process, request.locale, request.t)
    return reply.render('budgets/results.njk', {
      pageTitle: request.t('budgets.results.title', {
        process: processView(process, request.locale).title.text,
      }),
      process: processView(process, request.locale),
      preview,
      ...data,
    })
  })
}

export default publicRoutes
