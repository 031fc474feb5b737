import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { decide } from '../../../platform/auth/permissions.js'
import { notFound } from '../../../platform/errors/errors.js'
import { toCsv } from '../../../platform/http/csv.js'
import { field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import { localePath } from '../../../platform/i18n/i18n.js'
import { detectLanguage } from '../../../platform/text/index.js'
import { addStatement, castVote, nextStatement, type StatementOutcome } from '../actions.js'
import { mapGeometry, timelineGeometry } from '../domain/charts.js'
import {
  type ConversationRecord,
  isVisible,
  type RefusalReason,
  statementRefusal,
  voteChoice,
  voteRefusal,
  voteValue,
} from '../domain/conversation.js'
import { groupLabel, reportCsvRows } from '../domain/report.js'
import { deliberationPermissions } from '../permissions.js'
import { findConversation, listConversations, listStatements } from '../store/conversation-store.js'
import { findParticipantFor } from '../store/participant-store.js'
import { loadPosition, loadSummary } from '../store/result-store.js'
import { votesOf } from '../store/vote-store.js'
import { loadReport } from './report-data.js'
import { conversationView, idParam, participationOf, statementView } from './support.js'

/** The language a participant wrote in: Welsh or English when the text says so clearly, else the page's. */
function languageOf(text: string, fallback: 'en' | 'cy'): 'en' | 'cy' {
  const guess = detectLanguage(text)
  return guess.language === 'en' || guess.language === 'cy' ? guess.language : fallback
}

/** How many votes place a participant on the map (Pol.is in-conv). */
function votesToBePlaced(statementCount: number): number {
  return Math.min(7, statementCount)
}

const REFUSAL_STATUS: Record<RefusalReason | 'not-found', number> = {
  upcoming: 409,
  closed: 409,
  'needs-verification': 403,
  banned: 403,
  'staff-only': 403,
  'not-found': 404,
}

/** The public pages: the list, taking part (no JavaScript needed), the report and its CSV. */
const publicRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  // Per participant (a vote a second on average is already fast), and per address with room for
  // a school or an office behind one address; statements far more sparingly.
  const participantKey = (request: FastifyRequest): string => {
    if (request.actor?.kind === 'citizen') return `citizen:${request.actor.id}`
    const key = request.session?.get('deliberationKey')
    return key ? `browser:${key}` : `ip:${request.ip}`
  }
  const voteLimit = [
    app.rateLimit({ max: 1200, timeWindow: 60_000 }),
    app.rateLimit({ max: 60, timeWindow: 60_000, keyGenerator: participantKey }),
  ]
  const statementLimit = [
    app.rateLimit({ max: 100, timeWindow: 10 * 60_000 }),
    app.rateLimit({ max: 10, timeWindow: 10 * 60_000, keyGenerator: participantKey }),
  ]

  async function conversationOr404(request: FastifyRequest): Promise<ConversationRecord> {
    const c = await findConversation(db, idParam(request))
    if (!c) throw notFound()
    return c
  }

  app.get('/conversations', async (request, reply) => {
    const now = new Date()
    const all = (await listConversations(db)).map((c) => conversationView(c, request.locale, now))
    return reply.render('deliberation/list.njk', {
      pageTitle: request.t('deliberation.list.title'),
      open: all.filter((c) => c.status === 'open'),
      upcoming: all.filter((c) => c.status === 'upcoming'),
      closed: all.filter((c) => c.status === 'closed'),
    })
  })

  /** The conversation page: one statement and three buttons, the add form, and the participant's place. */
  async function renderConversation(
    request: FastifyRequest,
    reply: FastifyReply,
    c: ConversationRecord,
    extra: { status?: number; values?: Record<string, string>; outcome?: StatementOutcome } = {},
  ) {
    const now = new Date()
    const who = participationOf(request, false)
    const participant = who ? await findParticipantFor(db, c.id, who.identity) : undefined
    const [statements, summary, voted] = await Promise.all([
      listStatements(db, c.id),
      loadSummary(db, c.id),
      participant ? votesOf(db, participant.id) : Promise.resolve(new Map<number, number>()),
    ])
    const taking = { assurance: who?.assurance ?? 'none', banned: participant?.bannedAt != null } as const
    const refusal = voteRefusal(c, taking, now)
    const writeRefusal = statementRefusal(c, taking, now)
    const visible = statements.filter((s) => isVisible(s, c.strictModeration))
    const snapshot = summary?.snapshot ?? null
    const next = refusal ? null : nextStatement(c, statements, new Set(voted.keys()), participant, snapshot)
    const votedVisible = visible.filter((s) => voted.has(s.id)).length
    const ownStatements = participant
      ? visible.filter((s) => s.authorParticipantId === participant.id).length
      : 0
    let place = null
    if (c.showMap && participant && snapshot && snapshot.groups.length > 0) {
      const position = await loadPosition(db, c.id, participant.number)
      if (position) {
        const group = snapshot.groups.find((g) => g.id === position[2])
        const report = await loadReport(db, c, request.locale, now)
        place = {
          group: groupLabel(position[2]),
          others: Math.max(0, (group?.size ?? 1) - 1),
          map: mapGeometry(snapshot.baseClusters, [position[0], position[1]]),
          groups: report.groups,
          representative: report.groups.find((g) => g.id === position[2])?.representative.slice(0, 3) ?? [],
        }
      }
    }
    const outcome = extra.outcome
    const problems = outcome && !outcome.ok && 'problem' in outcome ? [outcome.problem] : []
    const duplicate =
      outcome && !outcome.ok && 'duplicateOf' in outcome && outcome.duplicateOf
        ? statementView(outcome.duplicateOf, request.locale)
        : null
    if (extra.status) reply.code(extra.status)
    const view = conversationView(c, request.locale, now)
    return reply.render('deliberation/conversation.njk', {
      pageTitle: view.title,
      conversation: view,
      refusal,
      writeRefusal,
      statement: next ? statementView(next, request.locale) : null,
      progress: { voted: votedVisible, total: visible.length - ownStatements },
      hasVoted: voted.size > 0,
      place,
      placeAfter: votesToBePlaced(visible.length),
      canReadReport: decide(deliberationPermissions, 'read:report', request.actor, { openData: c.openData })
        .allowed,
      signInUrl: `/account/sign-in?next=${encodeURIComponent(localePath(request.locale, `/conversations/${c.id}`))}`,
      values: extra.values ?? {},
      duplicate,
      ...(problems.length > 0
        ? formErrors(
            problems.map((p) => ({ field: p.field, code: p.code, ...(p.vars ? { vars: p.vars } : {}) })),
            request.t,
            'deliberation.statement.errors',
          )
        : {}),
    })
  }

  app.get('/conversations/:id', async (request, reply) =>
    renderConversation(request, reply, await conversationOr404(request)),
  )

  /** A refusal the person can act on, in words: closed, not open yet, sign in first, or banned. */
  function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    c: ConversationRecord,
    reason: RefusalReason | 'not-found',
  ) {
    if (reason === 'not-found') throw notFound()
    reply.code(REFUSAL_STATUS[reason])
    return reply.render('deliberation/refused.njk', {
      pageTitle: request.t(`deliberation.refused.${reason}.title`),
      reason,
      conversation: conversationView(c, request.locale, new Date()),
      signInUrl: `/account/sign-in?next=${encodeURIComponent(localePath(request.locale, `/conversations/${c.id}`))}`,
    })
  }

  app.post('/conversations/:id/vote', { preHandler: voteLimit }, async (request, reply) => {
    const c = await conversationOr404(request)
    const vote = voteValue(field(request.body, 'vote'))
    const statementId = Number(field(request.body, 'statementId'))
    if (vote === null || !Number.isSafeInteger(statementId) || statementId <= 0) {
      reply.code(400)
      return renderConversation(request, reply, c, { status: 400 })
    }
    const now = new Date()
    // Refuse before creating anything for a browser that cannot take part.
    const early = voteRefusal(
      c,
      { assurance: participationOf(request, false)?.assurance ?? 'none', banned: false },
      now,
    )
    if (early) return refuse(request, reply, c, early)
    const who = participationOf(request, true)!
    const outcome = await castVote(app.services, { conversationId: c.id, who, statementId, vote }, now)
    if (!outcome.ok && outcome.reason === 'not-found') {
      // Moderated out while the page was open: say so, and show the next statement.
      request.session.set('flash', { kind: 'info', text: request.t('deliberation.vote.gone') })
      return reply.redirectTo(`/conversations/${c.id}`)
    }
    if (!outcome.ok) return refuse(request, reply, c, outcome.reason)
    const back =
      field(request.body, 'returnTo') === 'votes'
        ? `/conversations/${c.id}/votes#statement-${statementId}`
        : `/conversations/${c.id}`
    return reply.redirectTo(back)
  })

  app.post('/conversations/:id/statements', { preHandler: statementLimit }, async (request, reply) => {
    const c = await conversationOr404(request)
    const now = new Date()
    const text = field(request.body, 'statement')
    const early = statementRefusal(
      c,
      { assurance: participationOf(request, false)?.assurance ?? 'none', banned: false },
      now,
    )
    if (early) return refuse(request, reply, c, early)
    const who = participationOf(request, true)!
    const outcome = await addStatement(
      app.services,
      {
        conversationId: c.id,
        who,
        actor: request.actor,
        text,
        language: languageOf(text, request.locale),
        requestId: request.id,
      },
      now,
    )
    if (!outcome.ok && 'reason' in outcome) return refuse(request, reply, c, outcome.reason)
    if (!outcome.ok)
      return renderConversation(request, reply, c, {
        status: 400,
        values: { statement: text.slice(0, 2000) },
        outcome,
      })
    request.session.set('flash', {
      kind: 'success',
      text: request.t(
        c.strictModeration ? 'deliberation.statement.addedModerated' : 'deliberation.statement.added',
      ),
    })
    return reply.redirectTo(`/conversations/${c.id}`)
  })

  /** The participant's votes, each changeable: voting again replaces the vote (the last one counts). */
  app.get('/conversations/:id/votes', async (request, reply) => {
    const c = await conversationOr404(request)
    const who = participationOf(request, false)
    const participant = who ? await findParticipantFor(db, c.id, who.identity) : undefined
    const voted = participant ? await votesOf(db, participant.id) : new Map<number, number>()
    const statements = (await listStatements(db, c.id)).filter((s) => voted.has(s.id) && s.moderation !== -1)
    const now = new Date()
    return reply.render('deliberation/votes.njk', {
      pageTitle: request.t('deliberation.votes.title'),
      conversation: conversationView(c, request.locale, now),
      refusal: voteRefusal(
        c,
        { assurance: who?.assurance ?? 'none', banned: participant?.bannedAt != null },
        now,
      ),
      votes: statements.map((s) => ({
        ...statementView(s, request.locale),
        choice: voteChoice(voted.get(s.id)!),
      })),
    })
  })

  async function readableReport(request: FastifyRequest) {
    const c = await conversationOr404(request)
    const decision = decide(deliberationPermissions, 'read:report', request.actor, { openData: c.openData })
    // A report that is not public does not exist, as far as the public can tell.
    if (!decision.allowed) throw notFound()
    return { c, report: await loadReport(db, c, request.locale, new Date()) }
  }

  app.get('/conversations/:id/report', async (request, reply) => {
    const { c, report } = await readableReport(request)
    return reply.render('deliberation/report.njk', {
      pageTitle: request.t('deliberation.report.title', { title: report.conversation.title }),
      conversation: conversationView(c, request.locale, new Date()),
      report,
      map: report.map.baseClusters.length > 0 ? mapGeometry(report.map.baseClusters, null) : null,
      timeline: report.participation.length > 0 ? timelineGeometry(report.participation) : null,
      isStaff: request.actor.kind === 'staff',
    })
  })

  app.get('/conversations/:id/report.csv', async (request, reply) => {
    const { c, report } = await readableReport(request)
    const { header, rows } = reportCsvRows(report)
    if (c.openData) reply.header('access-control-allow-origin', '*')
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="conversation-${c.id}-report.csv"`)
      .header('cache-control', 'no-store')
      .send(toCsv(header, rows))
  })
}

export default publicRoutes
