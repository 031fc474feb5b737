import type { FastifyPluginAsync } from 'fastify'
import { recordAudit } from '../../../platform/audit/audit.js'
import { requirePermission } from '../../../platform/auth/plugin.js'
import { notFound } from '../../../platform/errors/errors.js'
import { type FieldProblem, field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import { cancelInvalidation, prepareInvalidation, startInvalidation } from '../commands/fraud.js'
import {
  type FraudList,
  type FraudRuleKind,
  type InvalidationConditions,
  validFraudPattern,
} from '../domain/fraud.js'
import { petitionPermissions } from '../permissions.js'
import {
  addFraudRule,
  findInvalidation,
  listFraudRules,
  listInvalidations,
  removeFraudRule,
} from '../store/fraud-store.js'

const CONDITION_FIELDS = [
  'petitionId',
  'ip',
  'domain',
  'email',
  'name',
  'postcode',
  'createdAfter',
  'createdBefore',
] as const

/** Anti-fraud for staff: block and allow lists, trending IPs and domains, bulk invalidation. */
const fraudRoutes: FastifyPluginAsync = async (app) => {
  const { db, jobs } = app.services
  const guard = requirePermission(petitionPermissions, 'invalidate:signatures')

  async function page(request: Parameters<typeof guard>[0], extra: object = {}) {
    const trending = await db
      .selectFrom('petition_trending')
      .selectAll()
      .orderBy('hour_start', 'desc')
      .limit(50)
      .execute()
    return {
      pageTitle: request.t('petitions.fraud.title'),
      rules: await listFraudRules(db),
      invalidations: await listInvalidations(db),
      trending,
      values: {},
      ...extra,
    }
  }

  app.get('/admin/petitions/fraud', { preHandler: guard }, async (request, reply) =>
    reply.render('petitions/admin-fraud.njk', await page(request)),
  )

  app.post('/admin/petitions/fraud/rules', { preHandler: guard }, async (request, reply) => {
    const list = field(request.body, 'list') as FraudList
    const kind = field(request.body, 'kind') as FraudRuleKind
    const pattern = field(request.body, 'pattern').trim().slice(0, 320)
    const note = field(request.body, 'note').trim().slice(0, 500)
    const problems: FieldProblem[] = []
    if (!['block', 'allow'].includes(list)) problems.push({ field: 'list', code: 'required' })
    if (!['ip', 'domain', 'email'].includes(kind)) problems.push({ field: 'kind', code: 'required' })
    else if (!validFraudPattern(kind, pattern)) problems.push({ field: 'pattern', code: kind })
    if (problems.length > 0) {
      reply.code(400)
      return reply.render(
        'petitions/admin-fraud.njk',
        await page(request, {
          values: { list, kind, pattern, note },
          ...formErrors(problems, request.t, 'petitions.fraud.errors'),
        }),
      )
    }
    await addFraudRule(db, { list, kind, pattern, note }, new Date())
    await recordAudit(db, {
      actor: request.actor,
      action: 'petitions.fraud.rule-add',
      details: { list, kind, pattern, note },
    })
    return reply.redirectTo('/admin/petitions/fraud')
  })

  app.post(
    '/admin/petitions/fraud/rules/:id(^\\d+)/delete',
    { preHandler: guard },
    async (request, reply) => {
      const id = Number((request.params as { id: string }).id)
      await removeFraudRule(db, id)
      await recordAudit(db, {
        actor: request.actor,
        action: 'petitions.fraud.rule-remove',
        subject: { type: 'fraud_rule', id },
      })
      return reply.redirectTo('/admin/petitions/fraud')
    },
  )

  app.post('/admin/petitions/invalidations', { preHandler: guard }, async (request, reply) => {
    const conditions: Record<string, string | number> = {}
    for (const f of CONDITION_FIELDS) {
      const v = field(request.body, f).trim().slice(0, 320)
      if (v) conditions[f] = f === 'petitionId' ? Number(v) || 0 : v
    }
    const summary = field(request.body, 'summary').slice(0, 1000)
    const result = await prepareInvalidation(
      db,
      request.actor,
      summary,
      conditions as InvalidationConditions,
      new Date(),
    )
    if (!result.ok) {
      reply.code(400)
      const problem =
        result.code === 'summary'
          ? { field: 'summary', code: 'required' }
          : { field: 'petitionId', code: 'no-conditions' }
      return reply.render(
        'petitions/admin-fraud.njk',
        await page(request, {
          values: { ...conditions, summary },
          ...formErrors([problem], request.t, 'petitions.fraud.errors'),
        }),
      )
    }
    return reply.redirectTo(`/admin/petitions/invalidations/${result.id}`)
  })

  app.get('/admin/petitions/invalidations/:id(^\\d+)', { preHandler: guard }, async (request, reply) => {
    const invalidation = await findInvalidation(db, Number((request.params as { id: string }).id))
    if (!invalidation) throw notFound()
    const percent =
      invalidation.matching === 0
        ? 100
        : Math.min(100, Math.round((invalidation.invalidated / invalidation.matching) * 100))
    return reply.render('petitions/admin-invalidation.njk', {
      pageTitle: invalidation.summary,
      invalidation,
      percent,
    })
  })

  app.post(
    '/admin/petitions/invalidations/:id(^\\d+)/:action(^start|cancel$)',
    { preHandler: guard },
    async (request, reply) => {
      const { id, action } = request.params as { id: string; action: string }
      if (action === 'start') await startInvalidation(db, jobs, request.actor, Number(id), new Date())
      else await cancelInvalidation(db, request.actor, Number(id), new Date())
      return reply.redirectTo(`/admin/petitions/invalidations/${id}`)
    },
  )
}

export default fraudRoutes
