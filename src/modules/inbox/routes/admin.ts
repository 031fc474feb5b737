import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { decide } from '../../../platform/auth/permissions.js'
import { requirePermission } from '../../../platform/auth/plugin.js'
import { DomainError, notFound } from '../../../platform/errors/errors.js'
import { type FieldProblem, field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import { SOCIAL_LIMITS } from '../../../platform/social/index.js'
import {
  CASE_STATES,
  caseReference,
  isCaseState,
  isPriority,
  PRIORITIES,
  postedReplyText,
} from '../domain/case.js'
import { hoursMinutes, timerStates } from '../domain/sla.js'
import { inboxPermissions } from '../permissions.js'
import {
  addNote,
  assignCase,
  changeStatus,
  MODERATION_ACTIONS,
  type ModerationAction,
  moderateMessage,
  type PolicyFinding,
  reviewReply,
  submitReply,
} from '../services/cases.js'
import { deliverReply } from '../services/delivery.js'
import { inboxDeps } from '../services/deps.js'
import { policyFor, routingContext } from '../services/intake.js'
import { checkReply, highlightFindings } from '../services/policy-check.js'
import { findAnswer, listAnswers } from '../store/answer-store.js'
import {
  type Case,
  caseMessages,
  findCase,
  listCases,
  type Message,
  messagesInState,
} from '../store/case-store.js'
import { listAgents, listHouseRules, listTeams, setAgent } from '../store/config-store.js'

function idParam(request: FastifyRequest): number {
  const n = Number((request.params as { id?: string }).id)
  if (!Number.isSafeInteger(n) || n <= 0) throw notFound()
  return n
}

/** Staff pages of the inbox under /admin/inbox: the queue, a case, approvals. */
const adminRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  const can = (key: keyof typeof inboxPermissions) => requirePermission(inboxPermissions, key)
  const allowed = (request: FastifyRequest, key: keyof typeof inboxPermissions) =>
    decide(inboxPermissions, key, request.actor).allowed

  async function staffNames(): Promise<Map<number, string>> {
    const rows = await db.selectFrom('staff_users').select(['id', 'name']).execute()
    return new Map(rows.map((r) => [Number(r.id), r.name]))
  }

  async function timersOf(c: Case, now: Date, t: FastifyRequest['t']) {
    const ctx = await routingContext(db, now.getTime())
    const policy = policyFor(ctx, c.teamId, c.slaPolicyId)
    return timerStates(policy, c, now).map((s) => {
      const hm = hoursMinutes(s.businessMinutesLeft)
      return {
        ...s,
        label: t(`inbox.timers.${s.timer}`),
        text:
          s.state === 'breached'
            ? t('inbox.timers.overdue', { hours: hm.hours, minutes: hm.minutes })
            : t('inbox.timers.dueIn', { hours: hm.hours, minutes: hm.minutes }),
      }
    })
  }

  // ── The queue ─────────────────────────────────────────────────────────────────
  app.get('/admin/inbox', { preHandler: can('view:inbox') }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>
    const now = new Date()
    const status = q['status'] === 'all' || isCaseState(q['status']) ? (q['status'] as string) : 'open'
    const teamId = q['team'] && /^\d+$/.test(q['team']) ? Number(q['team']) : undefined
    const mine = q['mine'] === '1' && request.actor.kind === 'staff'
    const breaching = q['breaching'] === '1'
    const cases = await listCases(db, {
      status: status as 'open',
      ...(teamId !== undefined ? { teamId } : {}),
      ...(mine && request.actor.kind === 'staff' ? { assigneeId: request.actor.id } : {}),
      limit: 200,
    })
    const names = await staffNames()
    const teams = await listTeams(db)
    const teamNames = new Map(teams.map((tm) => [tm.id, tm.name]))
    const rows = []
    for (const c of cases) {
      const timers = await timersOf(c, now, request.t)
      if (breaching && !timers.some((x) => x.state !== 'ok')) continue
      rows.push({
        ...c,
        reference: caseReference(c.id),
        assignee: c.assigneeId ? (names.get(c.assigneeId) ?? '') : null,
        team: c.teamId ? (teamNames.get(c.teamId) ?? '') : null,
        timer: timers[0] ?? null,
      })
    }
    const me =
      request.actor.kind === 'staff'
        ? (await listAgents(db)).find((a) => a.staffId === (request.actor as { id: number }).id)
        : undefined
    return reply.render('inbox/index.njk', {
      pageTitle: request.t('inbox.title'),
      cases: rows,
      teams,
      filters: { status, team: teamId ?? '', mine, breaching },
      statuses: ['open', 'pending', 'closed', 'all'],
      me,
      awaiting: (await messagesInState(db, 'awaiting-approval')).length,
      canManage: allowed(request, 'manage:inbox'),
      canAnswers: allowed(request, 'manage:answers'),
    })
  })

  app.post('/admin/inbox/availability', { preHandler: can('view:inbox') }, async (request, reply) => {
    if (request.actor.kind !== 'staff') throw notFound()
    await setAgent(db, request.actor.id, { available: field(request.body, 'available') === '1' })
    request.session.set('flash', { kind: 'success', text: request.t('inbox.availability.saved') })
    return reply.redirectTo('/admin/inbox')
  })

  // ── A case ────────────────────────────────────────────────────────────────────
  async function renderCase(
    request: FastifyRequest,
    reply: FastifyReply,
    c: Case,
    options: {
      values?: { text: string; answerId: string; answerVersion: string }
      problems?: FieldProblem[]
    } = {},
  ) {
    const t = request.t
    const now = new Date()
    const [messages, names, answers, teams, agents, houseRules] = await Promise.all([
      caseMessages(db, c.id),
      staffNames(),
      listAnswers(db, { approvedOnly: true }),
      listTeams(db),
      listAgents(db),
      listHouseRules(db),
    ])
    const me = request.actor.kind === 'staff' ? request.actor.id : null
    const thread = messages.map((m: Message) => ({
      ...m,
      author: m.authorStaffId
        ? (names.get(m.authorStaffId) ?? '')
        : (m.authorHandle ?? c.citizenHandle ?? ''),
      approver: m.approvedBy ? (names.get(m.approvedBy) ?? '') : null,
      parts: highlightFindings(m.text, m.findings),
      canReview:
        m.state === 'awaiting-approval' && allowed(request, 'approve:reply') && m.authorStaffId !== me,
    }))
    const problems = options.problems ?? []
    if (problems.length > 0) reply.code(400)
    const limit =
      c.channel === 'mastodon' || c.channel === 'bluesky' ? SOCIAL_LIMITS[c.channel].maxLength : null
    return reply.render('inbox/case.njk', {
      pageTitle: t('inbox.case.title', { reference: caseReference(c.id) }),
      c,
      reference: caseReference(c.id),
      thread,
      timers: await timersOf(c, now, t),
      answers: answers.map((a) => ({ id: a.id, title: a.title, version: a.current!.version })),
      teams,
      agents: agents.filter((a) => c.teamId === null || a.teamIds.includes(c.teamId)),
      houseRules: houseRules.map((r) => ({
        code: r.code,
        name: request.locale === 'cy' ? r.nameCy : r.nameEn,
      })),
      priorities: PRIORITIES,
      statuses: CASE_STATES.filter((s) => s !== c.status),
      moderationActions: MODERATION_ACTIONS,
      limit,
      values: options.values ?? { text: '', answerId: '', answerVersion: '' },
      canReply: allowed(request, 'reply:case'),
      canModerate: allowed(request, 'moderate:message'),
      ...(problems.length > 0 ? formErrors(problems, t, 'inbox.reply.errors') : {}),
    })
  }

  app.get('/admin/inbox/cases/:id', { preHandler: can('view:inbox') }, async (request, reply) => {
    const c = await findCase(db, idParam(request))
    if (!c) throw notFound()
    return renderCase(request, reply, c)
  })

  app.post('/admin/inbox/cases/:id/reply', { preHandler: can('reply:case') }, async (request, reply) => {
    const c = await findCase(db, idParam(request))
    if (!c) throw notFound()
    const body = request.body
    const action = field(body, 'action')
    const values = {
      text: field(body, 'text').slice(0, 10_000),
      answerId: field(body, 'answerId'),
      answerVersion: field(body, 'answerVersion'),
    }
    if (action === 'insert') {
      // The no-JavaScript answer picker: the chosen approved answer goes into the reply box.
      const answer = /^\d+$/.test(values.answerId) ? await findAnswer(db, Number(values.answerId)) : undefined
      if (!answer?.current)
        return renderCase(request, reply, c, { values, problems: [{ field: 'answerId', code: 'required' }] })
      const text = c.language === 'cy' ? answer.current.textCy : answer.current.textEn
      return renderCase(request, reply, c, {
        values: {
          text: values.text.trim() === '' ? text : `${values.text.trimEnd()}\n\n${text}`,
          answerId: String(answer.id),
          answerVersion: String(answer.current.version),
        },
      })
    }
    const text = values.text.trim()
    const problems: FieldProblem[] = []
    const limit =
      c.channel === 'mastodon' || c.channel === 'bluesky' ? SOCIAL_LIMITS[c.channel].maxLength : 5000
    if (text === '') problems.push({ field: 'text', code: 'required' })
    else if ([...postedReplyText(c.channel, c.citizenHandle, text)].length > limit)
      problems.push({ field: 'text', code: 'too-long', vars: { limit } })
    if (c.status === 'closed') problems.push({ field: 'text', code: 'closed' })
    if (problems.length > 0) return renderCase(request, reply, c, { values, problems })
    const now = new Date()
    const findings: PolicyFinding[] = await checkReply(
      db,
      { text, channel: c.channel, language: c.language },
      now,
      request.locale,
    )
    const answerId = /^\d+$/.test(values.answerId) ? Number(values.answerId) : null
    const answerVersion = /^\d+$/.test(values.answerVersion) ? Number(values.answerVersion) : null
    const result = await submitReply(
      db,
      request.actor,
      { caseId: c.id, text, findings, answerId, answerVersion },
      now,
    )
    let flash: string
    if (result.state === 'queued') {
      const deps = inboxDeps(app.services)
      const state = await deliverReply(db, result.messageId, { mailer: app.services.mailer, ...deps, now })
      flash = request.t(state === 'sent' ? 'inbox.reply.sent' : 'inbox.reply.queued')
    } else flash = request.t('inbox.reply.awaiting')
    request.session.set('flash', { kind: 'success', text: flash })
    return reply.redirectTo(`/admin/inbox/cases/${c.id}`)
  })

  app.post('/admin/inbox/cases/:id/note', { preHandler: can('view:inbox') }, async (request, reply) => {
    const c = await findCase(db, idParam(request))
    if (!c) throw notFound()
    const text = field(request.body, 'note').trim().slice(0, 10_000)
    if (text === '') return renderCase(request, reply, c, { problems: [{ field: 'note', code: 'required' }] })
    await addNote(db, request.actor, c.id, text, new Date())
    request.session.set('flash', { kind: 'success', text: request.t('inbox.case.noteSaved') })
    return reply.redirectTo(`/admin/inbox/cases/${c.id}`)
  })

  app.post('/admin/inbox/cases/:id/status', { preHandler: can('reply:case') }, async (request, reply) => {
    const id = idParam(request)
    const to = field(request.body, 'status')
    if (!isCaseState(to)) throw new DomainError('validation-failed', 400, { field: 'status' })
    await changeStatus(db, request.actor, id, to, new Date())
    request.session.set('flash', { kind: 'success', text: request.t(`inbox.status.changed.${to}`) })
    return reply.redirectTo(`/admin/inbox/cases/${id}`)
  })

  app.post('/admin/inbox/cases/:id/assign', { preHandler: can('reply:case') }, async (request, reply) => {
    const id = idParam(request)
    const body = request.body
    const assignee = field(body, 'assignee')
    const team = field(body, 'team')
    const priority = field(body, 'priority')
    if (!isPriority(priority)) throw new DomainError('validation-failed', 400, { field: 'priority' })
    await assignCase(
      db,
      request.actor,
      id,
      {
        assigneeId: /^\d+$/.test(assignee) ? Number(assignee) : null,
        teamId: /^\d+$/.test(team) ? Number(team) : null,
        priority,
      },
      new Date(),
    )
    request.session.set('flash', { kind: 'success', text: request.t('inbox.case.assigned') })
    return reply.redirectTo(`/admin/inbox/cases/${id}`)
  })

  app.post(
    '/admin/inbox/messages/:id/review',
    { preHandler: can('approve:reply') },
    async (request, reply) => {
      const id = idParam(request)
      const decision = field(request.body, 'decision') === 'approve' ? 'approve' : 'reject'
      const now = new Date()
      const c = await reviewReply(
        db,
        request.actor,
        id,
        decision,
        field(request.body, 'note').slice(0, 2000),
        now,
      )
      let text = request.t('inbox.approvals.rejected')
      if (decision === 'approve') {
        const state = await deliverReply(db, id, {
          mailer: app.services.mailer,
          ...inboxDeps(app.services),
          now,
        })
        text = request.t(state === 'sent' ? 'inbox.reply.sent' : 'inbox.reply.queued')
      }
      request.session.set('flash', { kind: 'success', text })
      return reply.redirectTo(`/admin/inbox/cases/${c.id}`)
    },
  )

  app.post(
    '/admin/inbox/messages/:id/moderate',
    { preHandler: can('moderate:message') },
    async (request, reply) => {
      const id = idParam(request)
      const action = field(request.body, 'action')
      const code = field(request.body, 'rule')
      if (!(MODERATION_ACTIONS as readonly string[]).includes(action))
        throw new DomainError('validation-failed', 400, { field: 'action' })
      await moderateMessage(
        db,
        request.actor,
        id,
        action as ModerationAction,
        code,
        field(request.body, 'note').slice(0, 2000),
        new Date(),
      )
      const m = await db
        .selectFrom('inbox_messages')
        .select('case_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      request.session.set('flash', { kind: 'success', text: request.t(`inbox.moderation.done.${action}`) })
      return reply.redirectTo(`/admin/inbox/cases/${Number(m.case_id)}`)
    },
  )

  app.get('/admin/inbox/approvals', { preHandler: can('view:inbox') }, async (request, reply) => {
    const waiting = await messagesInState(db, 'awaiting-approval')
    const names = await staffNames()
    return reply.render('inbox/approvals.njk', {
      pageTitle: request.t('inbox.approvals.title'),
      waiting: waiting.map((m) => ({
        ...m,
        reference: caseReference(m.caseId),
        author: m.authorStaffId ? (names.get(m.authorStaffId) ?? '') : '',
      })),
    })
  })
}

export default adminRoutes
