import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { recordAudit } from '../../../platform/audit/audit.js'
import { requirePermission } from '../../../platform/auth/plugin.js'
import { notFound } from '../../../platform/errors/errors.js'
import { field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import {
  createConversation,
  dismissAlert,
  editConversation,
  isModerationAction,
  moderateStatement,
  setParticipantBan,
} from '../actions.js'
import type { ConversationRecord } from '../domain/conversation.js'
import { deliberationPermissions } from '../permissions.js'
import { recomputeConversation } from '../recompute.js'
import { findAlert, listAlerts } from '../store/alert-store.js'
import {
  conversationFigures,
  findConversation,
  findStatement,
  listConversations,
  listStatements,
} from '../store/conversation-store.js'
import { countParticipants, findParticipant, listParticipants } from '../store/participant-store.js'
import { resultInfo } from '../store/result-store.js'
import {
  blankFormValues,
  type ConversationFormValues,
  dateAnchors,
  formValuesOf,
  readConversationForm,
} from './conversation-form.js'
import { conversationView, idParam, statementView } from './support.js'

const PAGE_SIZE = 50
const MODERATION_FILTERS = ['pending', 'accepted', 'rejected', 'meta', 'all'] as const

/** Staff pages under /admin/deliberation: conversations, moderation, participants, alerts. */
const adminRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  const can = (key: keyof typeof deliberationPermissions) => requirePermission(deliberationPermissions, key)
  const base = '/admin/deliberation'

  async function conversationOr404(request: FastifyRequest): Promise<ConversationRecord> {
    const c = await findConversation(db, idParam(request))
    if (!c) throw notFound()
    return c
  }

  app.get(base, { preHandler: can('view:conversations') }, async (request, reply) => {
    const now = new Date()
    const [conversations, figures] = await Promise.all([listConversations(db), conversationFigures(db)])
    return reply.render('deliberation/admin/index.njk', {
      pageTitle: request.t('deliberation.admin.title'),
      conversations: conversations.map((c) => ({
        ...conversationView(c, request.locale, now),
        figures: figures.get(c.id) ?? { participants: 0, pending: 0, statements: 0, votes: 0, alerts: 0 },
      })),
    })
  })

  function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    data: {
      conversation?: ConversationRecord
      values: ConversationFormValues
      errors?: ReturnType<typeof formErrors>
    },
  ) {
    const editing = data.conversation !== undefined
    return reply.render('deliberation/admin/form.njk', {
      pageTitle: editing
        ? request.t('deliberation.admin.form.editTitle')
        : request.t('deliberation.admin.form.newTitle'),
      conversation: data.conversation
        ? conversationView(data.conversation, request.locale, new Date())
        : null,
      action: editing ? `${base}/${data.conversation!.id}/edit` : base,
      values: data.values,
      ...(data.errors ?? {}),
    })
  }

  app.get(`${base}/new`, { preHandler: can('manage:conversation') }, async (request, reply) =>
    renderForm(request, reply, { values: blankFormValues(new Date()) }),
  )

  app.post(base, { preHandler: can('manage:conversation') }, async (request, reply) => {
    const org = await app.services.organisation()
    const { values, input, problems } = readConversationForm(request.body, { welsh: org.welsh })
    if (problems.length > 0 || input.opensAt === null) {
      reply.code(400)
      return renderForm(request, reply, {
        values,
        errors: dateAnchors(formErrors(problems, request.t, 'deliberation.admin.form.errors')),
      })
    }
    const id = await createConversation(
      app.services,
      request.actor,
      { ...input, opensAt: input.opensAt },
      new Date(),
      request.id,
    )
    request.session.set('flash', { kind: 'success', text: request.t('deliberation.admin.form.created') })
    return reply.redirectTo(`${base}/${id}`)
  })

  app.get(`${base}/:id`, { preHandler: can('view:conversations') }, async (request, reply) => {
    const c = await conversationOr404(request)
    const [figures, result, alerts] = await Promise.all([
      conversationFigures(db),
      resultInfo(db, c.id),
      listAlerts(db, c.id, { open: true }),
    ])
    return reply.render('deliberation/admin/show.njk', {
      pageTitle: conversationView(c, request.locale, new Date()).title,
      conversation: conversationView(c, request.locale, new Date()),
      record: c,
      figures: figures.get(c.id) ?? { participants: 0, pending: 0, statements: 0, votes: 0, alerts: 0 },
      result: result ?? null,
      openAlerts: alerts.length,
      section: 'overview',
    })
  })

  app.get(`${base}/:id/edit`, { preHandler: can('manage:conversation') }, async (request, reply) => {
    const c = await conversationOr404(request)
    return renderForm(request, reply, { conversation: c, values: formValuesOf(c) })
  })

  app.post(`${base}/:id/edit`, { preHandler: can('manage:conversation') }, async (request, reply) => {
    const c = await conversationOr404(request)
    const org = await app.services.organisation()
    const { values, input, problems } = readConversationForm(request.body, { welsh: org.welsh })
    if (problems.length > 0 || input.opensAt === null) {
      reply.code(400)
      return renderForm(request, reply, {
        conversation: c,
        values,
        errors: dateAnchors(formErrors(problems, request.t, 'deliberation.admin.form.errors')),
      })
    }
    await editConversation(
      app.services,
      request.actor,
      c.id,
      { ...input, opensAt: input.opensAt },
      new Date(),
      request.id,
    )
    request.session.set('flash', { kind: 'success', text: request.t('deliberation.admin.form.saved') })
    return reply.redirectTo(`${base}/${c.id}`)
  })

  // ── Moderation ────────────────────────────────────────────────────────────────────────
  app.get(`${base}/:id/moderation`, { preHandler: can('moderate:statement') }, async (request, reply) => {
    const c = await conversationOr404(request)
    const wanted = String((request.query as { show?: string }).show ?? 'pending')
    const show = (MODERATION_FILTERS as readonly string[]).includes(wanted) ? wanted : 'pending'
    const statements = await listStatements(db, c.id)
    const count = (f: string) => statements.filter((s) => matches(s, f)).length
    return reply.render('deliberation/admin/moderation.njk', {
      pageTitle: request.t('deliberation.admin.moderation.title'),
      conversation: conversationView(c, request.locale, new Date()),
      show,
      filters: MODERATION_FILTERS.map((f) => ({ key: f, count: count(f), current: f === show })),
      statements: statements.filter((s) => matches(s, show)).map((s) => statementView(s, request.locale)),
      section: 'moderation',
    })
  })

  app.post(
    `${base}/:id/statements/:sid`,
    { preHandler: can('moderate:statement') },
    async (request, reply) => {
      const c = await conversationOr404(request)
      const statement = await findStatement(db, c.id, idParam(request, 'sid'))
      if (!statement) throw notFound()
      const action = field(request.body, 'action')
      if (!isModerationAction(action)) {
        reply.code(400)
        return reply.redirectTo(`${base}/${c.id}/moderation`)
      }
      await moderateStatement(app.services, request.actor, statement, action, new Date(), request.id)
      request.session.set('flash', {
        kind: 'success',
        text: request.t(`deliberation.admin.moderation.done.${action}`, { number: statement.number }),
      })
      const show = field(request.body, 'show')
      return reply.redirectTo(
        `${base}/${c.id}/moderation${(MODERATION_FILTERS as readonly string[]).includes(show) ? `?show=${show}` : ''}`,
      )
    },
  )

  // ── Participants and alerts ─────────────────────────────────────────────────────────────
  app.get(`${base}/:id/participants`, { preHandler: can('moderate:participant') }, async (request, reply) => {
    const c = await conversationOr404(request)
    const page = Math.max(1, Math.min(10_000, Number((request.query as { page?: string }).page) || 1))
    const bannedOnly = (request.query as { banned?: string }).banned === '1'
    const [participants, total] = await Promise.all([
      listParticipants(db, c.id, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, bannedOnly }),
      countParticipants(db, c.id),
    ])
    return reply.render('deliberation/admin/participants.njk', {
      pageTitle: request.t('deliberation.admin.participants.title'),
      conversation: conversationView(c, request.locale, new Date()),
      participants,
      total,
      page,
      bannedOnly,
      hasNext: participants.length === PAGE_SIZE,
      section: 'participants',
    })
  })

  app.post(
    `${base}/:id/participants/:pid`,
    { preHandler: can('moderate:participant') },
    async (request, reply) => {
      const c = await conversationOr404(request)
      const participant = await findParticipant(db, c.id, idParam(request, 'pid'))
      if (!participant) throw notFound()
      const action = field(request.body, 'action')
      const reason = field(request.body, 'reason').trim().slice(0, 500)
      if (action !== 'ban' && action !== 'unban') throw notFound()
      await setParticipantBan(
        app.services,
        request.actor,
        participant,
        action === 'ban' ? { banned: true, reason } : { banned: false },
        new Date(),
        request.id,
      )
      request.session.set('flash', {
        kind: 'success',
        text: request.t(`deliberation.admin.participants.done.${action}`, { number: participant.number }),
      })
      return reply.redirectTo(
        field(request.body, 'from') === 'alerts' ? `${base}/${c.id}/alerts` : `${base}/${c.id}/participants`,
      )
    },
  )

  app.get(`${base}/:id/alerts`, { preHandler: can('moderate:participant') }, async (request, reply) => {
    const c = await conversationOr404(request)
    const alerts = await listAlerts(db, c.id)
    return reply.render('deliberation/admin/alerts.njk', {
      pageTitle: request.t('deliberation.admin.alerts.title'),
      conversation: conversationView(c, request.locale, new Date()),
      open: alerts.filter((a) => a.resolvedAt === null),
      resolved: alerts.filter((a) => a.resolvedAt !== null),
      section: 'alerts',
    })
  })

  app.post(`${base}/:id/alerts/:aid`, { preHandler: can('moderate:participant') }, async (request, reply) => {
    const c = await conversationOr404(request)
    const alert = await findAlert(db, c.id, idParam(request, 'aid'))
    if (!alert) throw notFound()
    await dismissAlert(app.services, request.actor, alert, new Date(), request.id)
    request.session.set('flash', { kind: 'success', text: request.t('deliberation.admin.alerts.dismissed') })
    return reply.redirectTo(`${base}/${c.id}/alerts`)
  })

  app.post(`${base}/:id/recompute`, { preHandler: can('recompute:conversation') }, async (request, reply) => {
    const c = await conversationOr404(request)
    const outcome = await recomputeConversation(db, c.id, new Date(), app.services.logger)
    await recordAudit(db, {
      actor: request.actor,
      action: 'deliberation.recompute',
      subject: { type: 'deliberation_conversation', id: c.id },
      details: { groups: outcome?.groups ?? 0, durationMs: outcome?.durationMs ?? 0 },
      requestId: request.id,
    })
    request.session.set('flash', {
      kind: 'success',
      text: request.t('deliberation.admin.show.recomputed', { ms: outcome?.durationMs ?? 0 }),
    })
    return reply.redirectTo(`${base}/${c.id}`)
  })
}

function matches(s: { moderation: number; meta: boolean }, filter: string): boolean {
  switch (filter) {
    case 'pending':
      return s.moderation === 0
    case 'accepted':
      return s.moderation === 1 && !s.meta
    case 'rejected':
      return s.moderation === -1
    case 'meta':
      return s.meta
    default:
      return true
  }
}

export default adminRoutes
