import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { recordAudit } from '../../../platform/audit/audit.js'
import { isPlausibleEmail } from '../../../platform/auth/citizens.js'
import { requirePermission } from '../../../platform/auth/plugin.js'
import { notFound } from '../../../platform/errors/errors.js'
import { type FieldProblem, field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import { type DayWindow, formatClock, parseClock, parseHolidays } from '../domain/business-hours.js'
import { CHANNELS, isPriority, PRIORITIES } from '../domain/case.js'
import { splitList } from '../domain/routing.js'
import { inboxPermissions } from '../permissions.js'
import { moderationStats } from '../services/cases.js'
import { invalidateRoutingContext } from '../services/intake.js'
import {
  addAnswerVersion,
  approveAnswerVersion,
  findAnswer,
  insertAnswer,
  listAnswers,
} from '../store/answer-store.js'
import {
  addTeamMember,
  defaultPolicy,
  deleteRule,
  insertHouseRule,
  insertRule,
  insertTeam,
  listAgents,
  listHouseRules,
  listRules,
  listSensitiveTopics,
  listTeams,
  removeTeamMember,
  replaceSensitiveTopics,
  setAgent,
  updatePolicy,
} from '../store/config-store.js'

const LANGS = ['en', 'cy'] as const
const SENTIMENTS = ['negative', 'neutral', 'positive'] as const
const DAY_ORDER = [1, 2, 3, 4, 5, 6, 0] as const

function idParam(request: FastifyRequest): number {
  const n = Number((request.params as { id?: string }).id)
  if (!Number.isSafeInteger(n) || n <= 0) throw notFound()
  return n
}

function list(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return []
  const v = (body as Record<string, unknown>)[name]
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String)
}

function intIn(value: string, min: number, max: number): number | null {
  if (!/^\d{1,7}$/.test(value.trim())) return null
  const n = Number(value)
  return n >= min && n <= max ? n : null
}

/** Admin pages: teams and people, routing rules, the service standard, house rules, answers. */
const setupRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  const can = (key: keyof typeof inboxPermissions) => requirePermission(inboxPermissions, key)

  // ── Teams and people ─────────────────────────────────────────────────────────
  async function renderTeams(
    request: FastifyRequest,
    reply: FastifyReply,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) {
    if (problems.length > 0) reply.code(400)
    const staff = await db.selectFrom('staff_users').select(['id', 'name', 'email']).orderBy('name').execute()
    return reply.render('inbox/teams.njk', {
      pageTitle: request.t('inbox.teams.title'),
      teams: await listTeams(db),
      agents: await listAgents(db),
      staff: staff.map((s) => ({ id: Number(s.id), name: s.name, email: s.email })),
      values,
      ...(problems.length > 0 ? formErrors(problems, request.t, 'inbox.teams.errors') : {}),
    })
  }

  app.get('/admin/inbox/teams', { preHandler: can('manage:inbox') }, (request, reply) =>
    renderTeams(request, reply),
  )

  app.post('/admin/inbox/teams', { preHandler: can('manage:inbox') }, async (request, reply) => {
    const name = field(request.body, 'name').trim().slice(0, 200)
    const email = field(request.body, 'teamEmail').trim().slice(0, 254)
    const problems: FieldProblem[] = []
    if (name === '') problems.push({ field: 'name', code: 'required' })
    else if ((await listTeams(db)).some((t) => t.name.toLowerCase() === name.toLowerCase()))
      problems.push({ field: 'name', code: 'taken' })
    if (email !== '' && !isPlausibleEmail(email)) problems.push({ field: 'teamEmail', code: 'invalid' })
    if (problems.length > 0) return renderTeams(request, reply, problems, { name, teamEmail: email })
    const now = new Date()
    await db.transaction().execute(async (trx) => {
      const id = await insertTeam(trx, { name, email: email || null }, now)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'inbox.team.add',
        subject: { type: 'inbox_team', id },
        details: { name },
        at: now,
      })
    })
    invalidateRoutingContext(db)
    request.session.set('flash', { kind: 'success', text: request.t('inbox.teams.added') })
    return reply.redirectTo('/admin/inbox/teams')
  })

  app.post('/admin/inbox/teams/members', { preHandler: can('manage:inbox') }, async (request, reply) => {
    const body = request.body
    const teamId = intIn(field(body, 'team'), 1, 1e9)
    const staffId = intIn(field(body, 'staff'), 1, 1e9)
    const maxOpen = intIn(field(body, 'maxOpen'), 1, 1000)
    const problems: FieldProblem[] = []
    if (teamId === null) problems.push({ field: 'team', code: 'required' })
    if (staffId === null) problems.push({ field: 'staff', code: 'required' })
    if (maxOpen === null) problems.push({ field: 'maxOpen', code: 'invalid' })
    if (problems.length > 0)
      return renderTeams(request, reply, problems, {
        team: field(body, 'team'),
        staff: field(body, 'staff'),
        maxOpen: field(body, 'maxOpen'),
      })
    const now = new Date()
    await db.transaction().execute(async (trx) => {
      if (field(body, 'remove') === '1') await removeTeamMember(trx, teamId!, staffId!)
      else {
        await addTeamMember(trx, teamId!, staffId!, { maxOpen: maxOpen! })
        await setAgent(trx, staffId!, { maxOpen: maxOpen! })
      }
      await recordAudit(trx, {
        actor: request.actor,
        action: field(body, 'remove') === '1' ? 'inbox.team.remove-member' : 'inbox.team.add-member',
        subject: { type: 'inbox_team', id: teamId! },
        details: { staffId, maxOpen },
        at: now,
      })
    })
    request.session.set('flash', { kind: 'success', text: request.t('inbox.teams.memberSaved') })
    return reply.redirectTo('/admin/inbox/teams')
  })

  app.post('/admin/inbox/agents/:id', { preHandler: can('manage:inbox') }, async (request, reply) => {
    const staffId = idParam(request)
    const available = field(request.body, 'available') === '1'
    await setAgent(db, staffId, { available })
    await recordAudit(db, {
      actor: request.actor,
      action: 'inbox.agent.availability',
      subject: { type: 'staff', id: staffId },
      details: { available },
    })
    request.session.set('flash', { kind: 'success', text: request.t('inbox.availability.saved') })
    return reply.redirectTo('/admin/inbox/teams')
  })

  // ── Routing rules ────────────────────────────────────────────────────────────
  async function renderRules(
    request: FastifyRequest,
    reply: FastifyReply,
    problems: FieldProblem[] = [],
    values: Record<string, unknown> = {},
  ) {
    if (problems.length > 0) reply.code(400)
    const teams = await listTeams(db)
    const names = new Map(teams.map((t) => [t.id, t.name]))
    return reply.render('inbox/rules.njk', {
      pageTitle: request.t('inbox.rules.title'),
      rules: (await listRules(db)).map((r) => ({
        ...r,
        teamName: r.actions.teamId ? (names.get(r.actions.teamId) ?? '') : null,
      })),
      teams,
      channels: CHANNELS,
      languages: LANGS,
      sentiments: SENTIMENTS,
      priorities: PRIORITIES,
      values: { channels: [], languages: [], sentiments: [], ...values },
      ...(problems.length > 0 ? formErrors(problems, request.t, 'inbox.rules.errors') : {}),
    })
  }

  app.get('/admin/inbox/rules', { preHandler: can('manage:inbox') }, (request, reply) =>
    renderRules(request, reply),
  )

  app.post('/admin/inbox/rules', { preHandler: can('manage:inbox') }, async (request, reply) => {
    const body = request.body
    const values = {
      name: field(body, 'name').trim().slice(0, 200),
      keywords: field(body, 'keywords').slice(0, 2000),
      topics: field(body, 'topics').slice(0, 2000),
      channels: list(body, 'channels').filter((c) => (CHANNELS as readonly string[]).includes(c)),
      languages: list(body, 'languages').filter((c) => (LANGS as readonly string[]).includes(c)),
      sentiments: list(body, 'sentiments').filter((c) => (SENTIMENTS as readonly string[]).includes(c)),
      team: field(body, 'team'),
      tag: field(body, 'tag').trim().slice(0, 100),
      priority: field(body, 'priority'),
    }
    const problems: FieldProblem[] = []
    if (values.name === '') problems.push({ field: 'name', code: 'required' })
    const keywords = splitList(values.keywords)
    const topics = splitList(values.topics)
    if (
      keywords.length +
        topics.length +
        values.channels.length +
        values.languages.length +
        values.sentiments.length ===
      0
    )
      problems.push({ field: 'keywords', code: 'no-condition' })
    const teamId = /^\d+$/.test(values.team) ? Number(values.team) : null
    const priority = isPriority(values.priority) ? values.priority : null
    if (teamId === null && values.tag === '' && priority === null)
      problems.push({ field: 'team', code: 'no-action' })
    if (problems.length > 0) return renderRules(request, reply, problems, values)
    const now = new Date()
    await db.transaction().execute(async (trx) => {
      const id = await insertRule(
        trx,
        {
          name: values.name,
          conditions: {
            ...(keywords.length ? { keywords } : {}),
            ...(topics.length ? { topics: topics.map((t) => t.toLowerCase()) } : {}),
            ...(values.channels.length ? { channels: values.channels } : {}),
            ...(values.languages.length ? { languages: values.languages } : {}),
            ...(values.sentiments.length ? { sentiments: values.sentiments } : {}),
          },
          actions: { teamId, tag: values.tag || null, priority },
        },
        now,
      )
      await recordAudit(trx, {
        actor: request.actor,
        action: 'inbox.rule.add',
        subject: { type: 'inbox_rule', id },
        details: { name: values.name },
        at: now,
      })
    })
    invalidateRoutingContext(db)
    request.session.set('flash', { kind: 'success', text: request.t('inbox.rules.added') })
    return reply.redirectTo('/admin/inbox/rules')
  })

  app.post('/admin/inbox/rules/:id/delete', { preHandler: can('manage:inbox') }, async (request, reply) => {
    const id = idParam(request)
    if (!(await deleteRule(db, id))) throw notFound()
    await recordAudit(db, {
      actor: request.actor,
      action: 'inbox.rule.delete',
      subject: { type: 'inbox_rule', id },
    })
    invalidateRoutingContext(db)
    request.session.set('flash', { kind: 'success', text: request.t('inbox.rules.deleted') })
    return reply.redirectTo('/admin/inbox/rules')
  })

  // ── Service standard ─────────────────────────────────────────────────────────
  async function slaValues() {
    const p = await defaultPolicy(db)
    const values: Record<string, string> = {
      name: p.name,
      first: String(p.firstResponseMinutes / 60),
      next: String(p.nextResponseMinutes / 60),
      resolution: String(p.resolutionMinutes / 60),
      warn: String(p.warnMinutes),
      holidays: p.hours.holidays.join('\n'),
      sensitive: (await listSensitiveTopics(db)).join(', '),
    }
    for (const d of DAY_ORDER) {
      const w = p.hours.days[d]
      values[`open${d}`] = w ? formatClock(w[0]) : ''
      values[`close${d}`] = w ? formatClock(w[1]) : ''
    }
    return { policy: p, values }
  }

  async function renderSla(
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, string>,
    problems: FieldProblem[] = [],
  ) {
    if (problems.length > 0) reply.code(400)
    const current = await slaValues()
    return reply.render('inbox/sla.njk', {
      pageTitle: request.t('inbox.sla.title'),
      values: values ?? current.values,
      days: DAY_ORDER,
      ...(problems.length > 0 ? formErrors(problems, request.t, 'inbox.sla.errors') : {}),
    })
  }

  app.get('/admin/inbox/sla', { preHandler: can('manage:inbox') }, (request, reply) =>
    renderSla(request, reply),
  )

  app.post('/admin/inbox/sla', { preHandler: can('manage:inbox') }, async (request, reply) => {
    const body = request.body
    const values: Record<string, string> = {}
    for (const k of ['name', 'first', 'next', 'resolution', 'warn', 'holidays', 'sensitive'])
      values[k] = field(body, k).slice(0, 5000)
    for (const d of DAY_ORDER) {
      values[`open${d}`] = field(body, `open${d}`).trim()
      values[`close${d}`] = field(body, `close${d}`).trim()
    }
    const problems: FieldProblem[] = []
    if (values['name']!.trim() === '') problems.push({ field: 'name', code: 'required' })
    const hours = (k: string) => {
      const v = values[k]!.trim()
      if (!/^\d{1,4}(\.\d{1,2})?$/.test(v)) return null
      const m = Math.round(Number(v) * 60)
      return m >= 1 && m <= 60 * 24 * 60 ? m : null
    }
    const first = hours('first')
    const next = hours('next')
    const resolution = hours('resolution')
    const warn = intIn(values['warn']!, 0, 24 * 60)
    if (first === null) problems.push({ field: 'first', code: 'invalid' })
    if (next === null) problems.push({ field: 'next', code: 'invalid' })
    if (resolution === null) problems.push({ field: 'resolution', code: 'invalid' })
    if (warn === null) problems.push({ field: 'warn', code: 'invalid' })
    const days: (DayWindow | null)[] = [null, null, null, null, null, null, null]
    for (const d of DAY_ORDER) {
      const o = values[`open${d}`]!
      const c = values[`close${d}`]!
      if (o === '' && c === '') continue
      const a = parseClock(o)
      const b = parseClock(c)
      if (a === null || b === null || b <= a)
        problems.push({ field: `open${d}`, code: 'invalid', key: 'inbox.sla.errors.hours.invalid' })
      else days[d] = [a, b]
    }
    if (!days.some((d) => d !== null))
      problems.push({ field: 'open1', code: 'none', key: 'inbox.sla.errors.hours.none' })
    const holidays = parseHolidays(values['holidays']!)
    if (holidays.invalid.length > 0)
      problems.push({
        field: 'holidays',
        code: 'invalid',
        vars: { dates: holidays.invalid.slice(0, 5).join(', ') },
      })
    if (problems.length > 0) return renderSla(request, reply, values, problems)
    const now = new Date()
    const current = await defaultPolicy(db)
    await db.transaction().execute(async (trx) => {
      await updatePolicy(
        trx,
        current.id,
        {
          name: values['name']!.trim().slice(0, 200),
          firstResponseMinutes: first!,
          nextResponseMinutes: next!,
          resolutionMinutes: resolution!,
          warnMinutes: warn!,
          hours: { timeZone: current.hours.timeZone, days, holidays: holidays.dates },
        },
        now,
      )
      await replaceSensitiveTopics(trx, splitList(values['sensitive']!), now)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'inbox.sla.update',
        subject: { type: 'inbox_sla_policy', id: current.id },
        details: { first, next, resolution },
        at: now,
      })
    })
    invalidateRoutingContext(db)
    request.session.set('flash', { kind: 'success', text: request.t('inbox.sla.saved') })
    return reply.redirectTo('/admin/inbox/sla')
  })

  // ── House rules and monthly moderation statistics ─────────────────────────────
  async function renderHouseRules(
    request: FastifyRequest,
    reply: FastifyReply,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) {
    if (problems.length > 0) reply.code(400)
    const now = new Date()
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1))
    const rules = await listHouseRules(db)
    const names = new Map(rules.map((r) => [r.code, request.locale === 'cy' ? r.nameCy : r.nameEn]))
    return reply.render('inbox/house-rules.njk', {
      pageTitle: request.t('inbox.houseRules.title'),
      rules: rules.map((r) => ({ code: r.code, name: names.get(r.code) })),
      stats: (await moderationStats(db, from, now)).map((s) => ({ ...s, name: names.get(s.code) ?? s.code })),
      values,
      ...(problems.length > 0 ? formErrors(problems, request.t, 'inbox.houseRules.errors') : {}),
    })
  }

  app.get('/admin/inbox/house-rules', { preHandler: can('view:inbox') }, (request, reply) =>
    renderHouseRules(request, reply),
  )

  app.post('/admin/inbox/house-rules', { preHandler: can('manage:inbox') }, async (request, reply) => {
    const values = {
      code: field(request.body, 'code').trim().toLowerCase().slice(0, 60),
      nameEn: field(request.body, 'nameEn').trim().slice(0, 200),
      nameCy: field(request.body, 'nameCy').trim().slice(0, 200),
    }
    const problems: FieldProblem[] = []
    if (!/^[a-z0-9][a-z0-9-]{1,59}$/.test(values.code)) problems.push({ field: 'code', code: 'invalid' })
    if (values.nameEn === '') problems.push({ field: 'nameEn', code: 'required' })
    if (values.nameCy === '') problems.push({ field: 'nameCy', code: 'required' })
    if (problems.length === 0 && !(await insertHouseRule(db, values, new Date())))
      problems.push({ field: 'code', code: 'taken' })
    if (problems.length > 0) return renderHouseRules(request, reply, problems, values)
    await recordAudit(db, {
      actor: request.actor,
      action: 'inbox.house-rule.add',
      subject: { type: 'inbox_house_rule', id: values.code },
    })
    request.session.set('flash', { kind: 'success', text: request.t('inbox.houseRules.added') })
    return reply.redirectTo('/admin/inbox/house-rules')
  })

  // ── Approved answers ─────────────────────────────────────────────────────────
  app.get('/admin/inbox/answers', { preHandler: can('view:inbox') }, async (request, reply) => {
    const teams = new Map((await listTeams(db)).map((t) => [t.id, t.name]))
    const today = new Date().toISOString().slice(0, 10)
    return reply.render('inbox/answers.njk', {
      pageTitle: request.t('inbox.answers.title'),
      answers: (await listAnswers(db)).map((a) => ({
        ...a,
        team: a.teamId ? (teams.get(a.teamId) ?? '') : null,
        overdue: a.reviewOn < today,
        pending: a.versions[0] && !a.versions[0].approved,
      })),
    })
  })

  type AnswerValues = { title: string; team: string; reviewOn: string; textEn: string; textCy: string }

  async function renderAnswerForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values: AnswerValues,
    id: number | null,
    problems: FieldProblem[] = [],
  ) {
    if (problems.length > 0) reply.code(400)
    const answer = id ? await findAnswer(db, id) : undefined
    return reply.render('inbox/answer.njk', {
      pageTitle: answer ? answer.title : request.t('inbox.answers.new'),
      answer,
      values,
      teams: await listTeams(db),
      ...(problems.length > 0 ? formErrors(problems, request.t, 'inbox.answers.errors') : {}),
    })
  }

  /** What an answer form's values store, as a new answer or a new version of one. */
  function answerFields(values: AnswerValues, request: FastifyRequest) {
    return {
      title: values.title,
      teamId: /^\d+$/.test(values.team) ? Number(values.team) : null,
      reviewOn: values.reviewOn,
      textEn: values.textEn.trim(),
      textCy: values.textCy.trim(),
      createdBy: request.actor.kind === 'staff' ? request.actor.id : null,
    }
  }

  function readAnswer(body: unknown): { values: AnswerValues; problems: FieldProblem[] } {
    const values = {
      title: field(body, 'title').trim().slice(0, 200),
      team: field(body, 'team'),
      reviewOn: field(body, 'reviewOn').trim(),
      textEn: field(body, 'textEn').slice(0, 5000),
      textCy: field(body, 'textCy').slice(0, 5000),
    }
    const problems: FieldProblem[] = []
    if (values.title === '') problems.push({ field: 'title', code: 'required' })
    if (parseHolidays(values.reviewOn).dates.length !== 1 || values.reviewOn.length !== 10)
      problems.push({ field: 'reviewOn', code: 'invalid' })
    if (values.textEn.trim() === '') problems.push({ field: 'textEn', code: 'required' })
    if (values.textCy.trim() === '') problems.push({ field: 'textCy', code: 'required' })
    return { values, problems }
  }

  app.get('/admin/inbox/answers/new', { preHandler: can('manage:answers') }, async (request, reply) => {
    const review = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10)
    return renderAnswerForm(
      request,
      reply,
      { title: '', team: '', reviewOn: review, textEn: '', textCy: '' },
      null,
    )
  })

  app.post('/admin/inbox/answers', { preHandler: can('manage:answers') }, async (request, reply) => {
    const { values, problems } = readAnswer(request.body)
    if (problems.length > 0) return renderAnswerForm(request, reply, values, null, problems)
    const now = new Date()
    const id = await db.transaction().execute(async (trx) => {
      const id = await insertAnswer(trx, answerFields(values, request), now)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'inbox.answer.add',
        subject: { type: 'inbox_answer', id },
        at: now,
      })
      return id
    })
    request.session.set('flash', { kind: 'success', text: request.t('inbox.answers.saved') })
    return reply.redirectTo(`/admin/inbox/answers/${id}`)
  })

  app.get('/admin/inbox/answers/:id', { preHandler: can('view:inbox') }, async (request, reply) => {
    const answer = await findAnswer(db, idParam(request))
    if (!answer) throw notFound()
    const latest = answer.versions[0]!
    return renderAnswerForm(
      request,
      reply,
      {
        title: answer.title,
        team: answer.teamId ? String(answer.teamId) : '',
        reviewOn: answer.reviewOn,
        textEn: latest.textEn,
        textCy: latest.textCy,
      },
      answer.id,
    )
  })

  app.post('/admin/inbox/answers/:id', { preHandler: can('manage:answers') }, async (request, reply) => {
    const id = idParam(request)
    if (!(await findAnswer(db, id))) throw notFound()
    const { values, problems } = readAnswer(request.body)
    if (problems.length > 0) return renderAnswerForm(request, reply, values, id, problems)
    const now = new Date()
    await db.transaction().execute(async (trx) => {
      const version = await addAnswerVersion(trx, id, answerFields(values, request), now)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'inbox.answer.version',
        subject: { type: 'inbox_answer', id },
        details: { version },
        at: now,
      })
    })
    request.session.set('flash', { kind: 'success', text: request.t('inbox.answers.saved') })
    return reply.redirectTo(`/admin/inbox/answers/${id}`)
  })

  app.post(
    '/admin/inbox/answers/:id/approve',
    { preHandler: can('approve:reply') },
    async (request, reply) => {
      const id = idParam(request)
      const version = intIn(field(request.body, 'version'), 1, 1e6)
      if (
        version === null ||
        !(await approveAnswerVersion(
          db,
          id,
          version,
          request.actor.kind === 'staff' ? request.actor.id : null,
        ))
      )
        throw notFound()
      await recordAudit(db, {
        actor: request.actor,
        action: 'inbox.answer.approve',
        subject: { type: 'inbox_answer', id },
        details: { version },
      })
      request.session.set('flash', { kind: 'success', text: request.t('inbox.answers.approved') })
      return reply.redirectTo(`/admin/inbox/answers/${id}`)
    },
  )
}

export default setupRoutes
