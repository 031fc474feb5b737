import type { FastifyPluginAsync } from 'fastify'
import { recordAudit } from '../../../platform/audit/audit.js'
import { decide } from '../../../platform/auth/permissions.js'
import { requirePermission } from '../../../platform/auth/plugin.js'
import { notFound } from '../../../platform/errors/errors.js'
import { type FieldProblem, field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import { toCsv } from '../../../platform/http/csv.js'
import { barChartSvg } from '../../../platform/views/charts.js'
import { closeAllEarly } from '../commands/maintenance.js'
import { type ModerationAction, moderatePetition } from '../commands/moderate.js'
import { recordOutcome, respondToPetition } from '../commands/respond.js'
import { moderationFacet, responseDueAt } from '../domain/petition.js'
import { petitionPermissions } from '../permissions.js'
import { loadPetitionSettings } from '../settings.js'
import {
  findCounts,
  findPetitionById,
  listRejectionReasons,
  moderationQueue,
  takeModerationLock,
  upsertRejectionReason,
} from '../store/petition-store.js'
import { petitionStatistics } from '../store/statistics-store.js'

/** The moderators' side: the queue with its overdue facets, the decision page, the reasons library. */
const adminRoutes: FastifyPluginAsync = async (app) => {
  const { db, mailer, config } = app.services
  const view = requirePermission(petitionPermissions, 'view:petition-admin')
  const moderate = requirePermission(petitionPermissions, 'moderate:petition')
  const manage = requirePermission(petitionPermissions, 'invalidate:signatures')

  app.get('/admin/petitions', { preHandler: view }, async (request, reply) => {
    const settings = await loadPetitionSettings(db)
    const now = new Date()
    const facet = (request.query as { facet?: string }).facet
    const queue = (await moderationQueue(db)).map((p) => ({
      ...p,
      facet: moderationFacet(p.moderationThresholdReachedAt, settings, now),
    }))
    const counts = { recent: 0, 'nearly-overdue': 0, overdue: 0 }
    for (const p of queue) counts[p.facet]++
    return reply.render('petitions/admin-queue.njk', {
      pageTitle: request.t('petitions.admin.queue.title'),
      queue: facet ? queue.filter((p) => p.facet === facet) : queue,
      counts,
      total: queue.length,
      facet: facet ?? null,
      delayed: queue.length > settings.moderationDelayThreshold,
    })
  })

  async function renderPetition(
    id: number,
    request: Parameters<typeof moderate>[0],
    reply: Parameters<typeof moderate>[1],
    extra: object = {},
  ) {
    const petition = await findPetitionById(db, id)
    if (!petition) throw notFound()
    const actor = request.actor
    // Only moderators take the lock (e-petitions' checkout), and only on the queue.
    const canModerate = decide(petitionPermissions, 'moderate:petition', actor).allowed
    const holder =
      actor.kind === 'staff' && canModerate && petition.state === 'sponsored'
        ? await takeModerationLock(db, id, actor.id, new Date())
        : null
    const settings = await loadPetitionSettings(db)
    return reply.render('petitions/admin-petition.njk', {
      pageTitle: petition.action,
      petition,
      responseDue: responseDueAt(petition, settings),
      response: petition.response ?? { respondedOn: new Date().toISOString().slice(0, 10) },
      outcome: petition.debate
        ? {
            debatedOn: petition.debate['debated_on'],
            overview: petition.debate['overview'],
            transcriptUrl: petition.debate['transcript_url'],
            videoUrl: petition.debate['video_url'],
          }
        : {},
      reasons: await listRejectionReasons(db),
      canModerate,
      canRespond: decide(petitionPermissions, 'respond:petition', actor).allowed,
      lockedByOther: holder !== null && actor.kind === 'staff' && holder !== actor.id,
      values: {},
      ...extra,
    })
  }

  app.get('/admin/petitions/:id(^\\d+)', { preHandler: view }, async (request, reply) =>
    renderPetition(Number((request.params as { id: string }).id), request, reply),
  )

  app.post('/admin/petitions/:id(^\\d+)/moderate', { preHandler: moderate }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id)
    const actor = request.actor
    if (actor.kind !== 'staff') throw notFound()
    const decision = field(request.body, 'decision')
    const details = field(request.body, 'details').slice(0, 10_000)
    let action: ModerationAction | null = null
    if (decision === 'approve') action = { kind: 'approve' }
    else if (decision === 'reject')
      action = { kind: 'reject', reasonCode: field(request.body, 'reasonCode'), details }
    else if (decision === 'duplicate')
      action = { kind: 'duplicate', duplicateOf: Number(field(request.body, 'duplicateOf')) || 0, details }
    const values = {
      decision,
      details,
      reasonCode: field(request.body, 'reasonCode'),
      duplicateOf: field(request.body, 'duplicateOf'),
    }
    if (!action) {
      reply.code(400)
      return renderPetition(id, request, reply, {
        values,
        ...formErrors([{ field: 'decision', code: 'required' }], request.t, 'petitions.admin.errors'),
      })
    }
    const settings = await loadPetitionSettings(db)
    const outcome = await moderatePetition(
      { db, mailer, publicUrl: config.publicUrl, rules: settings },
      actor,
      id,
      action,
      new Date(),
    )
    if (!outcome.ok) {
      reply.code('lockedBy' in outcome ? 409 : 400)
      const problems: FieldProblem[] =
        'lockedBy' in outcome ? [{ field: 'decision', code: 'locked' }] : [...outcome.problems]
      return renderPetition(id, request, reply, {
        values,
        ...formErrors(problems, request.t, 'petitions.admin.errors'),
      })
    }
    request.session.set('flash', {
      kind: 'success',
      text: request.t(`petitions.admin.done.${outcome.state}`),
    })
    return reply.redirectTo('/admin/petitions')
  })

  const respond = requirePermission(petitionPermissions, 'respond:petition')

  app.post('/admin/petitions/:id(^\\d+)/response', { preHandler: respond }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id)
    const input = {
      summary: field(request.body, 'summary').slice(0, 5000),
      details: field(request.body, 'details').slice(0, 20_000),
      respondedOn: field(request.body, 'respondedOn').trim(),
    }
    const problems = await respondToPetition(app.services, request.actor, id, input, new Date())
    if (problems.length > 0) {
      reply.code(400)
      return renderPetition(id, request, reply, {
        response: input,
        ...formErrors(problems, request.t, 'petitions.admin.errors'),
      })
    }
    request.session.set('flash', { kind: 'success', text: request.t('petitions.admin.response.saved') })
    return reply.redirectTo(`/admin/petitions/${id}`)
  })

  app.post('/admin/petitions/:id(^\\d+)/outcome', { preHandler: respond }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id)
    const input = {
      debatedOn: field(request.body, 'debatedOn').trim(),
      overview: field(request.body, 'overview').slice(0, 20_000),
      transcriptUrl: field(request.body, 'transcriptUrl').trim().slice(0, 500),
      videoUrl: field(request.body, 'videoUrl').trim().slice(0, 500),
    }
    const problems = await recordOutcome(app.services, request.actor, id, input, new Date())
    if (problems.length > 0) {
      reply.code(400)
      return renderPetition(id, request, reply, {
        outcome: input,
        ...formErrors(problems, request.t, 'petitions.admin.errors'),
      })
    }
    request.session.set('flash', { kind: 'success', text: request.t('petitions.admin.outcome.saved') })
    return reply.redirectTo(`/admin/petitions/${id}`)
  })

  const stats = requirePermission(petitionPermissions, 'view:statistics')

  app.get('/admin/petitions/:id(^\\d+)/statistics', { preHandler: stats }, async (request, reply) => {
    const petition = await findPetitionById(db, Number((request.params as { id: string }).id))
    if (!petition) throw notFound()
    const now = new Date()
    const statistics = await petitionStatistics(db, petition.id, now)
    const [areas, countries, assurance] = await Promise.all([
      findCounts(db, petition.id, 'area'),
      findCounts(db, petition.id, 'country'),
      findCounts(db, petition.id, 'assurance'),
    ])
    const t = request.t
    return reply.render('petitions/admin-statistics.njk', {
      pageTitle: t('petitions.stats.title'),
      petition,
      statistics,
      areas: [...areas].sort((a, b) => b.count - a.count),
      countries: [...countries].sort((a, b) => b.count - a.count),
      assurance,
      chart: barChartSvg({
        title: t('petitions.stats.perHour'),
        description: t('petitions.stats.perHourDesc', { hours: statistics.perHour.length }),
        bars: statistics.perHour.map((h) => ({ label: h.hour, value: h.signed })),
      }),
    })
  })

  app.get('/admin/petitions/:id(^\\d+)/areas.csv', { preHandler: stats }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id)
    const rows = [
      ...(await findCounts(db, id, 'area')).map((c) => ['area', c.code, c.name, c.count]),
      ...(await findCounts(db, id, 'region')).map((c) => ['region', c.code, c.name, c.count]),
      ...(await findCounts(db, id, 'country')).map((c) => ['country', c.code, c.name, c.count]),
      ...(await findCounts(db, id, 'assurance')).map((c) => ['assurance', c.code, c.name, c.count]),
    ]
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="petition-${id}-counts.csv"`)
      .send(toCsv(['kind', 'code', 'name', 'signatures'], rows))
  })

  app.get('/admin/petitions/reasons', { preHandler: view }, async (request, reply) =>
    reply.render('petitions/admin-reasons.njk', {
      pageTitle: request.t('petitions.admin.reasons.title'),
      reasons: await listRejectionReasons(db),
      values: {},
    }),
  )

  app.post('/admin/petitions/reasons', { preHandler: manage }, async (request, reply) => {
    const body = request.body
    const reason = {
      code: field(body, 'code').trim().toLowerCase(),
      titleEn: field(body, 'titleEn').trim(),
      titleCy: field(body, 'titleCy').trim(),
      descriptionEn: field(body, 'descriptionEn').trim(),
      descriptionCy: field(body, 'descriptionCy').trim(),
      hidden: field(body, 'hidden') === 'yes',
    }
    const problems: FieldProblem[] = []
    if (!/^[a-z][a-z0-9-]{1,49}$/.test(reason.code)) problems.push({ field: 'code', code: 'invalid' })
    if (!reason.titleEn || reason.titleEn.length > 100) problems.push({ field: 'titleEn', code: 'required' })
    if (!reason.titleCy || reason.titleCy.length > 100) problems.push({ field: 'titleCy', code: 'required' })
    if (reason.descriptionEn.length > 1000 || reason.descriptionCy.length > 1000)
      problems.push({ field: 'descriptionEn', code: 'too-long' })
    if (problems.length > 0) {
      reply.code(400)
      return reply.render('petitions/admin-reasons.njk', {
        pageTitle: request.t('petitions.admin.reasons.title'),
        reasons: await listRejectionReasons(db),
        values: reason,
        ...formErrors(problems, request.t, 'petitions.admin.errors'),
      })
    }
    await db.transaction().execute(async (trx) => {
      await upsertRejectionReason(trx, reason, new Date())
      await recordAudit(trx, {
        actor: request.actor,
        action: 'petitions.reason.save',
        subject: { type: 'rejection_reason', id: reason.code },
        details: reason,
      })
    })
    request.session.set('flash', { kind: 'success', text: request.t('petitions.admin.reasons.saved') })
    return reply.redirectTo('/admin/petitions/reasons')
  })

  app.post('/admin/petitions/close-early', { preHandler: manage }, async (request, reply) => {
    if (field(request.body, 'confirm') !== 'yes') {
      request.session.set('flash', {
        kind: 'info',
        text: request.t('petitions.admin.closeEarly.notConfirmed'),
      })
      return reply.redirectTo('/admin/petitions')
    }
    const actor = request.actor
    const result = await closeAllEarly(db, new Date(), actor.kind === 'staff' ? actor : undefined)
    request.session.set('flash', {
      kind: 'success',
      text: request.t('petitions.admin.closeEarly.done', {
        closed: result.closed.length,
        stopped: result.stopped.length,
      }),
    })
    return reply.redirectTo('/admin/petitions')
  })
}

export default adminRoutes
