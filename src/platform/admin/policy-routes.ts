/**
 * Admin pages for the social media policy (/admin/policy) and the elections calendar
 * (/admin/elections). Admins only; every change is in the audit log.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { recordAudit } from '../audit/audit.js'
import { requirePermission } from '../auth/plugin.js'
import {
  addElectionPeriod,
  electionProblems,
  findElectionPeriod,
  isIsoDay,
  listElectionPeriods,
  londonDay,
  removeElectionPeriod,
} from '../elections/index.js'
import { notFound } from '../errors/errors.js'
import { type FieldProblem, field, formErrors } from '../http/forms.js'
import '../http/types.js'
import {
  CHANNELS,
  type Channel,
  checkPost,
  type Finding,
  loadPolicy,
  type Policy,
  type PolicyRule,
  policyProblems,
  RULE_CODE,
  SEVERITIES,
  type Severity,
  savePolicy,
} from '../policy/index.js'
import { adminPermissions } from './permissions.js'

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)

/** Which form fields a rule of each kind has. */
function fieldsOf(rule: PolicyRule): Record<string, boolean> {
  return {
    terms: rule.kind === 'terms',
    patterns: rule.kind === 'terms',
    allow: rule.kind === 'personal-data',
    limits: rule.kind === 'length' || rule.kind === 'links',
    threshold: ['hashtag-case', 'reading-ease', 'emoji-bullets'].includes(rule.kind),
    minWords: rule.kind === 'reading-ease',
    appliesTo: rule.kind === 'pre-election',
  }
}

/** The form's values for a rule, as typed (strings). */
function ruleValues(rule: PolicyRule): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {
    enabled: rule.enabled,
    severity: rule.severity,
    messageEn: rule.message.en,
    messageCy: rule.message.cy,
    terms: (rule.terms ?? []).join('\n'),
    patterns: (rule.patterns ?? []).join('\n'),
    allow: (rule.allow ?? []).join('\n'),
    threshold: rule.threshold === undefined ? '' : String(rule.threshold),
    minWords: rule.minWords === undefined ? '' : String(rule.minWords),
    appliesTo: (rule.appliesTo ?? []).join('\n'),
  }
  for (const c of CHANNELS)
    values[`limit_${c}`] = rule.limits?.[c] === undefined ? '' : String(rule.limits[c])
  return values
}

/** Form field of a validation problem (`message.en` → `messageEn`, `limits.bluesky` → `limit_bluesky`). */
function formField(problemField: string): string {
  if (problemField === 'message.en') return 'messageEn'
  if (problemField === 'message.cy') return 'messageCy'
  if (problemField.startsWith('limits.')) return `limit_${problemField.slice('limits.'.length)}`
  if (problemField === 'limits') return 'limit_mastodon'
  return problemField
}

/** Reads the edit form into a rule; numbers that are not numbers become problems. */
function ruleFromForm(
  base: PolicyRule,
  body: unknown,
): { rule: PolicyRule; problems: FieldProblem[]; values: Record<string, string | boolean> } {
  const problems: FieldProblem[] = []
  const fields = fieldsOf(base)
  const severity = field(body, 'severity')
  const values: Record<string, string | boolean> = {
    enabled: field(body, 'enabled') === 'yes',
    severity,
    messageEn: field(body, 'messageEn').trim(),
    messageCy: field(body, 'messageCy').trim(),
    terms: field(body, 'terms'),
    patterns: field(body, 'patterns'),
    allow: field(body, 'allow'),
    threshold: field(body, 'threshold').trim(),
    minWords: field(body, 'minWords').trim(),
    appliesTo: field(body, 'appliesTo'),
  }
  const number = (name: string, integer: boolean): number | undefined => {
    const raw = String(values[name] ?? '')
    if (raw === '') return undefined
    const n = Number(raw)
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      problems.push({ field: name, code: 'invalid' })
      return undefined
    }
    return n
  }
  let rule: PolicyRule = {
    ...base,
    enabled: values['enabled'] as boolean,
    severity: ((SEVERITIES as readonly string[]).includes(severity) ? severity : base.severity) as Severity,
    message: { en: values['messageEn'] as string, cy: values['messageCy'] as string },
  }
  if (fields['terms'])
    rule = { ...rule, terms: lines(values['terms'] as string), patterns: lines(values['patterns'] as string) }
  if (fields['allow']) rule = { ...rule, allow: lines(values['allow'] as string) }
  if (fields['appliesTo']) rule = { ...rule, appliesTo: lines(values['appliesTo'] as string) }
  if (fields['limits']) {
    const limits: Partial<Record<Channel, number>> = {}
    for (const c of CHANNELS) {
      values[`limit_${c}`] = field(body, `limit_${c}`).trim()
      const n = number(`limit_${c}`, true)
      if (n !== undefined) limits[c] = n
    }
    rule = { ...rule, limits }
  }
  if (fields['threshold']) {
    const n = number('threshold', false)
    const { threshold: _t, ...rest } = rule
    rule = n === undefined ? rest : { ...rest, threshold: n }
  }
  if (fields['minWords']) {
    const n = number('minWords', true)
    const { minWords: _m, ...rest } = rule
    rule = n === undefined ? rest : { ...rest, minWords: n }
  }
  return { rule, problems, values }
}

/** Validation problems of one rule inside the whole policy, as form problems. */
function problemsFor(policy: Policy, code: string): FieldProblem[] {
  return policyProblems(policy)
    .filter((p) => p.rule === code)
    .map((p) => ({
      field: formField(p.field),
      code: p.problem,
      key: `policy.admin.errors.${p.field.startsWith('limits') ? 'limits' : p.field.replace('.', '_')}.${p.problem}`,
      vars: { value: p.value ?? '' },
    }))
}

/**
 * A finding's place shown with a little context either side, the span to be marked, and its
 * position for people: characters (not UTF-16 units) counted from 1.
 */
function excerpt(
  text: string,
  f: Finding,
): { before: string; span: string; after: string; from: number; to: number } {
  const isLow = (i: number) => /[\uDC00-\uDFFF]/.test(text.charAt(i))
  let from = Math.max(0, f.start - 30)
  let to = Math.min(text.length, f.end + 30)
  // Never cut an emoji (a surrogate pair) in half.
  if (from > 0 && isLow(from)) from--
  if (to < text.length && isLow(to)) to++
  return {
    before: `${from > 0 ? '…' : ''}${text.slice(from, f.start)}`,
    span: text.slice(f.start, f.end),
    after: `${text.slice(f.end, to)}${to < text.length ? '…' : ''}`,
    from: [...text.slice(0, f.start)].length + 1,
    to: [...text.slice(0, f.end)].length,
  }
}

const policyAdminRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  const can = (key: keyof typeof adminPermissions) => requirePermission(adminPermissions, key)

  const ruleName = (request: FastifyRequest, rule: PolicyRule) =>
    rule.builtin ? request.t(`policy.rules.${rule.code}.name`) : rule.code

  async function renderPolicy(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const policy = await loadPolicy(db)
    return reply.render('admin/policy.njk', {
      pageTitle: request.t('policy.admin.title'),
      rules: policy.rules.map((r) => ({
        code: r.code,
        name: ruleName(request, r),
        kind: r.kind,
        severity: r.severity,
        enabled: r.enabled,
        builtin: Boolean(r.builtin),
      })),
      channels: CHANNELS,
      severities: SEVERITIES,
      values: { severity: 'warn', date: londonDay(new Date()), channel: '' },
      tryValues: { date: londonDay(new Date()), channel: '' },
      ...extra,
    })
  }

  app.get('/admin/policy', { preHandler: can('manage:policy') }, async (request, reply) =>
    renderPolicy(request, reply),
  )

  // "Try a text": runs the installed policy on a text without saving anything.
  app.post('/admin/policy/try', { preHandler: can('manage:policy') }, async (request, reply) => {
    const text = field(request.body, 'text')
    const channel = field(request.body, 'channel')
    const date = field(request.body, 'date').trim()
    const tryValues = { text, channel, date }
    const problems: FieldProblem[] = []
    if (!text.trim()) problems.push({ field: 'text', code: 'required' })
    else if (text.length > 10_000) problems.push({ field: 'text', code: 'too-long' })
    if (channel && !(CHANNELS as readonly string[]).includes(channel))
      problems.push({ field: 'channel', code: 'invalid' })
    if (date && !isIsoDay(date)) problems.push({ field: 'date', code: 'invalid' })
    if (problems.length > 0) {
      reply.code(400)
      return renderPolicy(request, reply, {
        tryValues,
        ...formErrors(problems, request.t, 'policy.admin.try.errors'),
      })
    }
    const [policy, elections] = await Promise.all([loadPolicy(db), listElectionPeriods(db)])
    const findings = checkPost(
      policy,
      {
        text,
        date: date ? new Date(`${date}T12:00:00Z`) : new Date(),
        elections,
        ...(channel ? { channel: channel as Channel } : {}),
      },
      request.locale,
    )
    return renderPolicy(request, reply, {
      tryValues,
      tried: true,
      findings: findings.map((f) => ({ ...f, ...excerpt(text, f) })),
    })
  })

  app.post('/admin/policy/rules', { preHandler: can('manage:policy') }, async (request, reply) => {
    const policy = await loadPolicy(db)
    const name = field(request.body, 'code').trim().toLowerCase()
    const code = `custom.${name}`
    const base: PolicyRule = {
      code,
      kind: 'terms',
      severity: 'warn',
      enabled: true,
      message: { en: '', cy: '' },
      terms: [],
      patterns: [],
    }
    const { rule, problems, values } = ruleFromForm(base, request.body)
    values['code'] = name
    if (!name) problems.push({ field: 'code', code: 'required' })
    else if (!RULE_CODE.test(code)) problems.push({ field: 'code', code: 'invalid' })
    else if (policy.rules.some((r) => r.code === code)) problems.push({ field: 'code', code: 'duplicate' })
    const next: Policy = { rules: [...policy.rules, { ...rule, enabled: true }] }
    if (problems.length === 0) problems.push(...problemsFor(next, code).filter((p) => p.field !== 'code'))
    if (problems.length > 0) {
      reply.code(400)
      return renderPolicy(request, reply, {
        values,
        ...formErrors(problems, request.t, 'policy.admin.errors'),
      })
    }
    await db.transaction().execute(async (trx) => {
      await savePolicy(trx, next)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'platform.policy.rule.add',
        subject: { type: 'policy_rule', id: code },
        details: { rule: { ...rule, enabled: true } },
        requestId: request.id,
      })
    })
    request.session.set('flash', { kind: 'success', text: request.t('policy.admin.added', { code }) })
    return reply.redirectTo(`/admin/policy/rules/${encodeURIComponent(code)}`)
  })

  async function findRule(request: FastifyRequest): Promise<{ policy: Policy; rule: PolicyRule }> {
    const code = (request.params as { code: string }).code
    const policy = await loadPolicy(db)
    const rule = policy.rules.find((r) => r.code === code)
    if (!rule) throw notFound()
    return { policy, rule }
  }

  const renderRule = (
    request: FastifyRequest,
    reply: FastifyReply,
    rule: PolicyRule,
    values: Record<string, string | boolean>,
    extra: Record<string, unknown> = {},
  ) =>
    reply.render('admin/policy-rule.njk', {
      pageTitle: request.t('policy.admin.rule.title', { name: ruleName(request, rule) }),
      rule: { ...rule, name: ruleName(request, rule), builtin: Boolean(rule.builtin) },
      fields: fieldsOf(rule),
      severities: SEVERITIES,
      channels: CHANNELS,
      values,
      ...extra,
    })

  app.get('/admin/policy/rules/:code', { preHandler: can('manage:policy') }, async (request, reply) => {
    const { rule } = await findRule(request)
    return renderRule(request, reply, rule, ruleValues(rule))
  })

  app.post('/admin/policy/rules/:code', { preHandler: can('manage:policy') }, async (request, reply) => {
    const { policy, rule: before } = await findRule(request)
    const { rule, problems, values } = ruleFromForm(before, request.body)
    const next: Policy = { rules: policy.rules.map((r) => (r.code === before.code ? rule : r)) }
    if (problems.length === 0) problems.push(...problemsFor(next, before.code))
    if (problems.length > 0) {
      reply.code(400)
      return renderRule(request, reply, before, values, {
        ...formErrors(problems, request.t, 'policy.admin.errors'),
      })
    }
    await db.transaction().execute(async (trx) => {
      await savePolicy(trx, next)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'platform.policy.rule.update',
        subject: { type: 'policy_rule', id: before.code },
        details: { before, after: rule },
        requestId: request.id,
      })
    })
    request.session.set('flash', { kind: 'success', text: request.t('policy.admin.saved') })
    return reply.redirectTo(`/admin/policy/rules/${encodeURIComponent(before.code)}`)
  })

  // Only rules an admin added can be removed; built-in ones are switched off instead.
  app.post(
    '/admin/policy/rules/:code/remove',
    { preHandler: can('manage:policy') },
    async (request, reply) => {
      const { policy, rule } = await findRule(request)
      if (rule.builtin) throw notFound()
      await db.transaction().execute(async (trx) => {
        await savePolicy(trx, { rules: policy.rules.filter((r) => r.code !== rule.code) })
        await recordAudit(trx, {
          actor: request.actor,
          action: 'platform.policy.rule.remove',
          subject: { type: 'policy_rule', id: rule.code },
          details: { rule },
          requestId: request.id,
        })
      })
      request.session.set('flash', {
        kind: 'success',
        text: request.t('policy.admin.removed', { code: rule.code }),
      })
      return reply.redirectTo('/admin/policy')
    },
  )

  // ── Elections calendar ──────────────────────────────────────────────────────────────────
  const renderElections = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) =>
    reply.render('admin/elections.njk', {
      pageTitle: request.t('policy.elections.title'),
      periods: await listElectionPeriods(db),
      today: londonDay(new Date()),
      values: {},
      ...extra,
    })

  app.get('/admin/elections', { preHandler: can('manage:elections') }, async (request, reply) =>
    renderElections(request, reply),
  )

  app.post('/admin/elections', { preHandler: can('manage:elections') }, async (request, reply) => {
    const values = {
      name: field(request.body, 'name').trim(),
      startsOn: field(request.body, 'startsOn').trim(),
      pollsOn: field(request.body, 'pollsOn').trim(),
    }
    const problems = electionProblems(values)
    if (problems.length > 0) {
      reply.code(400)
      return renderElections(request, reply, {
        values,
        ...formErrors(problems, request.t, 'policy.elections.errors'),
      })
    }
    const period = await db.transaction().execute(async (trx) => {
      const added = await addElectionPeriod(trx, values)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'platform.elections.add',
        subject: { type: 'election_period', id: added.id },
        details: { name: added.name, startsOn: added.startsOn, pollsOn: added.pollsOn },
        requestId: request.id,
      })
      return added
    })
    request.session.set('flash', {
      kind: 'success',
      text: request.t('policy.elections.added', { name: period.name }),
    })
    return reply.redirectTo('/admin/elections')
  })

  app.post('/admin/elections/:id/remove', { preHandler: can('manage:elections') }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id)
    const period = Number.isInteger(id) ? await findElectionPeriod(db, id) : null
    if (!period) throw notFound()
    await db.transaction().execute(async (trx) => {
      await removeElectionPeriod(trx, id)
      await recordAudit(trx, {
        actor: request.actor,
        action: 'platform.elections.remove',
        subject: { type: 'election_period', id },
        details: { name: period.name, startsOn: period.startsOn, pollsOn: period.pollsOn },
        requestId: request.id,
      })
    })
    request.session.set('flash', {
      kind: 'success',
      text: request.t('policy.elections.removed', { name: period.name }),
    })
    return reply.redirectTo('/admin/elections')
  })
}

export default policyAdminRoutes
