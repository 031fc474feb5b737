import { createHash, randomBytes } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { recordAudit } from '../../../platform/audit/audit.js'
import { isPlausibleEmail } from '../../../platform/auth/citizens.js'
import { decide } from '../../../platform/auth/permissions.js'
import { requirePermission } from '../../../platform/auth/plugin.js'
import { notFound } from '../../../platform/errors/errors.js'
import { toCsv } from '../../../platform/http/csv.js'
import { type FieldProblem, field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import { isSentimentLabel } from '../../../platform/text/index.js'
import { barChart, columnChart } from '../domain/charts.js'
import { insightsFor } from '../domain/insights.js'
import { isSourceType, type SourceType } from '../domain/post.js'
import {
  compileQuery,
  formatQueryError,
  type Highlight,
  parseQueryWithWarnings,
  QueryParseError,
} from '../domain/query/index.js'
import { listeningPermissions } from '../permissions.js'
import { previewStored, rematchQuery } from '../services/ingest.js'
import { summaryCsv, weeklySummary, weekStart } from '../services/report.js'
import { runPollSource } from '../services/runner.js'
import { listeningSettings } from '../settings.js'
import { correctSentiment } from '../store/correction-store.js'
import { findPostsByIds, matchedPosts } from '../store/post-store.js'
import {
  countMatchesOf,
  deleteQuery,
  findQuery,
  insertQuery,
  type ListeningQuery,
  listQueries,
  updateQuery,
} from '../store/query-store.js'
import {
  deleteSource,
  findSource,
  findSourceByName,
  insertSource,
  type ListeningSource,
  listSources,
  updateSource,
} from '../store/source-store.js'
import { listSpikes } from '../store/spike-store.js'
import { validateSourceInput } from './sources.js'

const DAY_MS = 86_400_000

/** Text split into plain and highlighted parts, for `<mark>` in templates (escaped there). */
export function highlightParts(
  text: string,
  highlights: readonly Highlight[],
): { text: string; mark: boolean }[] {
  const out: { text: string; mark: boolean }[] = []
  let at = 0
  for (const h of highlights) {
    if (h.start > at) out.push({ text: text.slice(at, h.start), mark: false })
    out.push({ text: text.slice(h.start, h.end), mark: true })
    at = h.end
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false })
  return out
}

function idParam(request: FastifyRequest): number {
  const n = Number((request.params as { id?: string }).id)
  return Number.isSafeInteger(n) && n > 0 ? n : -1
}

/** Hashes a webhook token (random, 256 bits: a fast hash is enough, as for API keys). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

const P_VALUES = ['0.01', '0.001', '0.0001'] as const

/** Staff pages of the listening module under /admin/listening. */
const adminRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  const can = (key: keyof typeof listeningPermissions) => requirePermission(listeningPermissions, key)

  // ── Overview ──────────────────────────────────────────────────────────────────
  app.get('/admin/listening', { preHandler: can('view:listening') }, async (request, reply) => {
    const now = new Date()
    const from = new Date(now.getTime() - 7 * DAY_MS).toISOString()
    const queries = await listQueries(db)
    const counts = await db
      .selectFrom('listening_matches')
      .select(['query_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('published_at', '>=', from)
      .groupBy('query_id')
      .execute()
    const byQuery = new Map(counts.map((c) => [Number(c.query_id), Number(c.n)]))
    const rows = queries.map((q) => ({ ...q, week: byQuery.get(q.id) ?? 0 }))
    const total = rows.reduce((a, r) => a + r.week, 0)
    const share = rows.map((r) => ({
      ...r,
      share: total === 0 ? 0 : Math.round((r.week / total) * 1000) / 10,
    }))
    const t = request.t
    return reply.render('listening/index.njk', {
      pageTitle: t('listening.title'),
      queries: share,
      shareChart:
        total > 0
          ? barChart(
              {
                id: 'share',
                title: t('listening.overview.shareTitle'),
                description: t('listening.overview.shareDesc'),
              },
              share.map((r) => ({ label: r.name, value: r.share })),
              640,
              '%',
            )
          : null,
      spikes: await spikesWithNames(await listSpikes(db, { limit: 5 }), queries),
      sources: (await listSources(db)).length,
      canManageSources: listeningPermissions['manage:sources'](request.actor, undefined as never).allowed,
    })
  })

  async function spikesWithNames(spikes: Awaited<ReturnType<typeof listSpikes>>, queries?: ListeningQuery[]) {
    const all = queries ?? (await listQueries(db))
    const names = new Map(all.map((q) => [q.id, q.name]))
    return spikes.map((s) => ({ ...s, queryName: names.get(s.queryId) ?? String(s.queryId) }))
  }

  app.get('/admin/listening/spikes', { preHandler: can('view:listening') }, async (request, reply) => {
    const spikes = await spikesWithNames(await listSpikes(db, { limit: 200 }))
    return reply.render('listening/spikes.njk', { pageTitle: request.t('listening.spikes.title'), spikes })
  })

  // ── Queries ───────────────────────────────────────────────────────────────────
  type QueryFormValues = { name: string; query: string }

  async function renderQueryForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      values: QueryFormValues
      existing?: ListeningQuery
      problems?: FieldProblem[]
      preview?: boolean
    },
  ) {
    const t = request.t
    const { values, existing } = options
    const problems = [...(options.problems ?? [])]
    let parseError: { position: number; diagram: string; message: string } | null = null
    let understood: { query: string; warnings: { position: number; message: string }[] } | null = null
    let preview: unknown = null
    if (values.query.trim() !== '') {
      try {
        const parsed = parseQueryWithWarnings(values.query)
        understood = {
          query: parsed.query,
          warnings: parsed.warnings.map((w) => ({ position: w.position, message: w.message })),
        }
        if (options.preview) {
          const result = await previewStored(db, compileQuery(parsed.ast))
          preview = {
            total: result.total,
            matched: result.matched,
            samples: result.samples.map((s) => ({
              post: s.post,
              parts: highlightParts(s.post.text, s.result.highlights),
              terms: s.result.terms,
            })),
          }
        }
      } catch (err) {
        if (!(err instanceof QueryParseError)) throw err
        parseError = {
          position: err.position,
          diagram: formatQueryError(values.query, err, { message: false }),
          message: err.message,
        }
        if (!problems.some((p) => p.field === 'query'))
          problems.push({ field: 'query', code: 'invalid', vars: { position: err.position } })
      }
    }
    if (problems.length > 0) reply.code(400)
    return reply.render('listening/query-form.njk', {
      pageTitle: existing
        ? t('listening.queryForm.editTitle', { name: existing.name })
        : t('listening.queryForm.newTitle'),
      values,
      existing,
      parseError,
      understood,
      preview,
      ...(problems.length > 0 ? formErrors(problems, t, 'listening.queryForm.errors') : {}),
    })
  }

  /**
   * Reads the query form: its values, field problems, whether only a preview was asked for, and
   * the parsed query (null when it does not parse — the form shows where).
   */
  function readQueryForm(body: unknown): {
    values: QueryFormValues
    problems: FieldProblem[]
    previewOnly: boolean
    parsed: ReturnType<typeof parseQueryWithWarnings> | null
  } {
    const values = { name: field(body, 'name').trim(), query: field(body, 'query').trim() }
    const problems: FieldProblem[] = []
    if (!values.name) problems.push({ field: 'name', code: 'required' })
    else if (values.name.length > 200) problems.push({ field: 'name', code: 'too-long' })
    if (!values.query) problems.push({ field: 'query', code: 'required' })
    let parsed: ReturnType<typeof parseQueryWithWarnings> | null = null
    try {
      if (values.query) parsed = parseQueryWithWarnings(values.query)
    } catch {
      parsed = null
    }
    return { values, problems, previewOnly: field(body, 'action') === 'preview', parsed }
  }

  /** Re-matches stored posts against a saved query and tells the analyst how many matched. */
  async function rematchAndTell(
    request: FastifyRequest,
    id: number,
    parsed: ReturnType<typeof parseQueryWithWarnings>,
  ) {
    const matched = await rematchQuery(db, id, compileQuery(parsed.ast))
    request.session.set('flash', {
      kind: 'success',
      text: request.t('listening.queryForm.saved', { count: matched }),
    })
  }

  app.get('/admin/listening/queries/new', { preHandler: can('manage:queries') }, async (request, reply) =>
    renderQueryForm(request, reply, { values: { name: '', query: '' } }),
  )

  app.post('/admin/listening/queries', { preHandler: can('manage:queries') }, async (request, reply) => {
    const { values, problems, previewOnly, parsed } = readQueryForm(request.body)
    if (previewOnly || problems.length > 0 || !parsed)
      return renderQueryForm(request, reply, { values, problems: previewOnly ? [] : problems, preview: true })
    const now = new Date()
    const id = await db.transaction().execute(async (trx) => {
      const newId = await insertQuery(
        trx,
        {
          name: values.name,
          query: values.query,
          normalised: parsed!.query,
          createdBy: request.actor.kind === 'staff' ? request.actor.id : null,
        },
        now,
      )
      await recordAudit(trx, {
        actor: request.actor,
        action: 'listening.query.create',
        subject: { type: 'listening_query', id: newId },
        details: { name: values.name, query: values.query },
        requestId: request.id,
      })
      return newId
    })
    await rematchAndTell(request, id, parsed)
    return reply.redirectTo(`/admin/listening/queries/${id}`)
  })

  app.get(
    '/admin/listening/queries/:id/edit',
    { preHandler: can('manage:queries') },
    async (request, reply) => {
      const q = await findQuery(db, idParam(request))
      if (!q) throw notFound()
      return renderQueryForm(request, reply, { values: { name: q.name, query: q.query }, existing: q })
    },
  )

  app.post(
    '/admin/listening/queries/:id/edit',
    { preHandler: can('manage:queries') },
    async (request, reply) => {
      const q = await findQuery(db, idParam(request))
      if (!q) throw notFound()
      const { values, problems, previewOnly, parsed } = readQueryForm(request.body)
      if (previewOnly || problems.length > 0 || !parsed)
        return renderQueryForm(request, reply, {
          values,
          existing: q,
          problems: previewOnly ? [] : problems,
          preview: true,
        })
      await db.transaction().execute(async (trx) => {
        await updateQuery(
          trx,
          q.id,
          { name: values.name, query: values.query, normalised: parsed!.query },
          new Date(),
        )
        await recordAudit(trx, {
          actor: request.actor,
          action: 'listening.query.update',
          subject: { type: 'listening_query', id: q.id },
          details: { before: { name: q.name, query: q.query }, after: values },
          requestId: request.id,
        })
      })
      await rematchAndTell(request, q.id, parsed)
      return reply.redirectTo(`/admin/listening/queries/${q.id}`)
    },
  )

  app.post(
    '/admin/listening/queries/:id/delete',
    { preHandler: can('manage:queries') },
    async (request, reply) => {
      const q = await findQuery(db, idParam(request))
      if (!q) throw notFound()
      await db.transaction().execute(async (trx) => {
        await deleteQuery(trx, q.id)
        await recordAudit(trx, {
          actor: request.actor,
          action: 'listening.query.delete',
          subject: { type: 'listening_query', id: q.id },
          details: { name: q.name, query: q.query },
          requestId: request.id,
        })
      })
      request.session.set('flash', {
        kind: 'success',
        text: request.t('listening.query.deleted', { name: q.name }),
      })
      return reply.redirectTo('/admin/listening')
    },
  )

  // ── Dashboard of one query ─────────────────────────────────────────────────────
  app.get('/admin/listening/queries/:id', { preHandler: can('view:listening') }, async (request, reply) => {
    const q = await findQuery(db, idParam(request))
    if (!q) throw notFound()
    const t = request.t
    const daysParam = Number((request.query as { days?: string }).days)
    const days = [7, 30, 90].includes(daysParam) ? daysParam : 30
    const to = new Date(Math.ceil(Date.now() / DAY_MS) * DAY_MS)
    const from = new Date(to.getTime() - days * DAY_MS)
    const posts = await matchedPosts(db, q.id, {
      from: from.toISOString(),
      to: to.toISOString(),
      limit: 20_000,
    })
    const insights = insightsFor(posts, { from, to })
    const fmt = (iso: string) =>
      new Intl.DateTimeFormat(request.locale === 'cy' ? 'cy-GB' : 'en-GB', {
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      }).format(new Date(iso))
    const volumeChart = columnChart(
      {
        id: 'volume',
        title: t('listening.dashboard.volumeTitle', { name: q.name }),
        description: t('listening.dashboard.volumeDesc', { count: insights.total, days }),
      },
      insights.buckets.map((b) => ({ label: fmt(b.start), value: b.total })),
    )
    const sentimentChart = barChart(
      {
        id: 'sentiment',
        title: t('listening.dashboard.sentimentTitle'),
        description: t('listening.dashboard.sentimentDesc', {
          negative: insights.sentiment.negative,
          neutral: insights.sentiment.neutral,
          positive: insights.sentiment.positive,
        }),
      },
      (['negative', 'neutral', 'positive'] as const).map((s) => ({
        label: t(`listening.sentiment.${s}`),
        value: insights.sentiment[s],
      })),
    )
    const sentimentTotal = insights.total || 1
    return reply.render('listening/query.njk', {
      pageTitle: q.name,
      q,
      days,
      insights,
      volumeChart,
      sentimentChart,
      sentimentShare: (['negative', 'neutral', 'positive'] as const).map((s) => ({
        label: t(`listening.sentiment.${s}`),
        count: insights.sentiment[s],
        share: Math.round((insights.sentiment[s] / sentimentTotal) * 1000) / 10,
      })),
      buckets: insights.buckets.map((b) => ({ ...b, label: fmt(b.start) })),
      spikes: await listSpikes(db, { queryId: q.id, limit: 10 }),
      totalMatches: await countMatchesOf(db, q.id),
      recent: posts.slice(0, 10),
      canCorrect: decide(listeningPermissions, 'correct:sentiment', request.actor).allowed,
    })
  })

  app.get(
    '/admin/listening/queries/:id/export.csv',
    { preHandler: can('export:posts') },
    async (request, reply) => {
      const q = await findQuery(db, idParam(request))
      if (!q) throw notFound()
      const posts = await matchedPosts(db, q.id, { limit: 100_000 })
      await recordAudit(db, {
        actor: request.actor,
        action: 'listening.export',
        subject: { type: 'listening_query', id: q.id },
        details: { posts: posts.length },
        requestId: request.id,
      })
      const csv = toCsv(
        [
          'published_at',
          'source',
          'author',
          'url',
          'language',
          'sentiment',
          'score',
          'text',
          'matched_terms',
          'keywords',
          'hashtags',
          'places',
        ],
        posts.map((p) => [
          p.publishedAt,
          p.source,
          p.author,
          p.url,
          p.lang,
          p.sentiment,
          p.sentimentScore,
          p.text,
          p.terms.join('; '),
          p.keywords.join('; '),
          p.hashtags.join('; '),
          p.places.join('; '),
        ]),
      )
      const slug =
        q.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || 'query'
      reply.header('content-type', 'text/csv; charset=utf-8')
      reply.header('content-disposition', `attachment; filename="listening-${slug}.csv"`)
      reply.header('cache-control', 'no-store')
      return reply.send(csv)
    },
  )

  // ── Alerts of one query ───────────────────────────────────────────────────────
  // Staff correct a post's sentiment; kept for the next training (`listening corrections`).
  app.post(
    '/admin/listening/posts/:id/sentiment',
    { preHandler: can('correct:sentiment') },
    async (request, reply) => {
      const postId = idParam(request)
      const label = field(request.body, 'label')
      const back = field(request.body, 'queryId')
      const returnTo = /^\d+$/.test(back) ? `/admin/listening/queries/${back}` : '/admin/listening'
      if (!isSentimentLabel(label)) {
        request.session.set('flash', { kind: 'info', text: request.t('listening.corrections.invalid') })
        return reply.redirectTo(returnTo)
      }
      const actor = request.actor
      const now = new Date()
      const found = await db.transaction().execute(async (trx) => {
        const ok = await correctSentiment(trx, postId, label, actor.kind === 'staff' ? actor.id : null, now)
        if (ok)
          await recordAudit(trx, {
            actor,
            action: 'listening.sentiment.correct',
            subject: { type: 'listening_post', id: postId },
            details: { label },
            requestId: request.id,
            at: now,
          })
        return ok
      })
      if (!found) throw notFound()
      request.session.set('flash', {
        kind: 'success',
        text: request.t('listening.corrections.saved', { label: request.t(`listening.sentiment.${label}`) }),
      })
      return reply.redirectTo(returnTo)
    },
  )

  app.get(
    '/admin/listening/queries/:id/alerts',
    { preHandler: can('manage:queries') },
    async (request, reply) => {
      const q = await findQuery(db, idParam(request))
      if (!q) throw notFound()
      return reply.render('listening/alerts.njk', {
        pageTitle: request.t('listening.alerts.title', { name: q.name }),
        q,
        pValues: P_VALUES,
        values: {
          enabled: q.alertsEnabled,
          emails: q.alertEmails.join(', '),
          pValue: String(q.alertPValue),
          minCount: String(q.alertMinCount),
        },
      })
    },
  )

  app.post(
    '/admin/listening/queries/:id/alerts',
    { preHandler: can('manage:queries') },
    async (request, reply) => {
      const q = await findQuery(db, idParam(request))
      if (!q) throw notFound()
      const body = request.body
      const values = {
        enabled: field(body, 'enabled') === 'yes',
        emails: field(body, 'emails').trim(),
        pValue: field(body, 'pValue'),
        minCount: field(body, 'minCount').trim(),
      }
      const emails = values.emails
        .split(/[,;\s]+/)
        .map((e) => e.trim())
        .filter(Boolean)
      const problems: FieldProblem[] = []
      if (values.enabled && emails.length === 0) problems.push({ field: 'emails', code: 'required' })
      else if (emails.some((e) => !isPlausibleEmail(e))) problems.push({ field: 'emails', code: 'invalid' })
      else if (emails.length > 20) problems.push({ field: 'emails', code: 'too-many' })
      if (!(P_VALUES as readonly string[]).includes(values.pValue))
        problems.push({ field: 'pValue', code: 'required' })
      const minCount = Number(values.minCount)
      if (!Number.isInteger(minCount) || minCount < 1 || minCount > 100000)
        problems.push({ field: 'minCount', code: 'invalid' })
      if (problems.length > 0) {
        reply.code(400)
        return reply.render('listening/alerts.njk', {
          pageTitle: request.t('listening.alerts.title', { name: q.name }),
          q,
          pValues: P_VALUES,
          values,
          ...formErrors(problems, request.t, 'listening.alerts.errors'),
        })
      }
      const patch = {
        alertsEnabled: values.enabled,
        alertEmails: emails,
        alertPValue: Number(values.pValue),
        alertMinCount: minCount,
      }
      await db.transaction().execute(async (trx) => {
        await updateQuery(trx, q.id, patch, new Date())
        await recordAudit(trx, {
          actor: request.actor,
          action: 'listening.alerts.update',
          subject: { type: 'listening_query', id: q.id },
          details: patch,
          requestId: request.id,
        })
      })
      request.session.set('flash', { kind: 'success', text: request.t('listening.alerts.saved') })
      return reply.redirectTo(`/admin/listening/queries/${q.id}`)
    },
  )

  // ── Weekly report as CSV ──────────────────────────────────────────────────────
  app.get('/admin/listening/report.csv', { preHandler: can('export:posts') }, async (request, reply) => {
    const week = String((request.query as { week?: string }).week ?? '')
    const given = /^\d{4}-\d{2}-\d{2}$/.test(week) ? new Date(`${week}T00:00:00Z`) : null
    const from =
      given && !Number.isNaN(given.getTime())
        ? weekStart(given)
        : new Date(weekStart(new Date()).getTime() - 7 * DAY_MS)
    const csv = summaryCsv(await weeklySummary(db, from))
    await recordAudit(db, {
      actor: request.actor,
      action: 'listening.report.export',
      subject: { type: 'listening_report', id: from.toISOString().slice(0, 10) },
      requestId: request.id,
    })
    reply.header('content-type', 'text/csv; charset=utf-8')
    reply.header(
      'content-disposition',
      `attachment; filename="listening-week-${from.toISOString().slice(0, 10)}.csv"`,
    )
    reply.header('cache-control', 'no-store')
    return reply.send(csv)
  })

  // ── Sources (admins) ──────────────────────────────────────────────────────────
  app.get('/admin/listening/sources', { preHandler: can('manage:sources') }, async (request, reply) =>
    reply.render('listening/sources.njk', {
      pageTitle: request.t('listening.sources.title'),
      sources: await listSources(db),
    }),
  )

  app.get('/admin/listening/sources/new', { preHandler: can('manage:sources') }, async (request, reply) => {
    const settings = await listeningSettings(db)
    return reply.render('listening/source-form.njk', {
      pageTitle: request.t('listening.sourceForm.newTitle'),
      values: { type: 'mastodon', retentionDays: String(settings.defaultRetentionDays), timeline: 'hashtag' },
    })
  })

  app.post('/admin/listening/sources', { preHandler: can('manage:sources') }, async (request, reply) => {
    const input = validateSourceInput(request.body, { creating: true })
    if (input.problems.length === 0 && (await findSourceByName(db, input.values.name)))
      input.problems.push({ field: 'name', code: 'taken' })
    if (input.problems.length > 0) {
      reply.code(400)
      return reply.render('listening/source-form.njk', {
        pageTitle: request.t('listening.sourceForm.newTitle'),
        values: input.values,
        ...formErrors(input.problems, request.t, 'listening.sourceForm.errors'),
      })
    }
    const token = input.type === 'webhook' ? randomBytes(32).toString('base64url') : null
    const id = await db.transaction().execute(async (trx) => {
      const newId = await insertSource(
        trx,
        {
          name: input.values.name,
          type: input.type as SourceType,
          config: input.config,
          secrets: input.secrets,
          tokenHash: token ? hashToken(token) : null,
          retentionDays: input.retentionDays,
        },
        new Date(),
      )
      // Credentials are never written to the audit log.
      await recordAudit(trx, {
        actor: request.actor,
        action: 'listening.source.create',
        subject: { type: 'listening_source', id: newId },
        details: { name: input.values.name, type: input.type, config: input.config },
        requestId: request.id,
      })
      return newId
    })
    if (token) return renderSource(request, reply, id, token)
    request.session.set('flash', { kind: 'success', text: request.t('listening.sourceForm.saved') })
    return reply.redirectTo(`/admin/listening/sources/${id}`)
  })

  async function renderSource(
    _request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    newToken: string | null = null,
    extra: Record<string, unknown> = {},
  ) {
    const source = await findSource(db, id)
    if (!source) throw notFound()
    return reply.render('listening/source.njk', {
      pageTitle: source.name,
      source: publicView(source),
      newToken,
      webhookUrl: `${app.services.config.publicUrl}/api/v1/listening/webhook/${source.id}`,
      values: editValues(source),
      ...extra,
    })
  }

  app.get('/admin/listening/sources/:id', { preHandler: can('manage:sources') }, async (request, reply) =>
    renderSource(request, reply, idParam(request)),
  )

  app.post('/admin/listening/sources/:id', { preHandler: can('manage:sources') }, async (request, reply) => {
    const source = await findSource(db, idParam(request))
    if (!source) throw notFound()
    const action = field(request.body, 'action')
    const subject = { type: 'listening_source', id: source.id }
    if (action === 'run') {
      const outcome = await runPollSource(db, source.id, { force: true })
      await recordAudit(db, {
        actor: request.actor,
        action: 'listening.source.run',
        subject,
        details: { ...outcome },
        requestId: request.id,
      })
      request.session.set('flash', {
        kind: outcome.status === 'ran' ? 'success' : 'info',
        text: request.t(`listening.source.run.${outcome.status}`, {
          stored: outcome.stored,
          skipped: outcome.skipped,
          error: outcome.error ?? '',
        }),
      })
      return reply.redirectTo(`/admin/listening/sources/${source.id}`)
    }
    if (action === 'token') {
      const token = randomBytes(32).toString('base64url')
      await db.transaction().execute(async (trx) => {
        await updateSource(trx, source.id, { tokenHash: hashToken(token) }, new Date())
        await recordAudit(trx, {
          actor: request.actor,
          action: 'listening.source.token',
          subject,
          requestId: request.id,
        })
      })
      return renderSource(request, reply, source.id, token)
    }
    if (action === 'delete') {
      await db.transaction().execute(async (trx) => {
        await deleteSource(trx, source.id)
        await recordAudit(trx, {
          actor: request.actor,
          action: 'listening.source.delete',
          subject,
          details: { name: source.name },
          requestId: request.id,
        })
      })
      request.session.set('flash', {
        kind: 'success',
        text: request.t('listening.source.deleted', { name: source.name }),
      })
      return reply.redirectTo('/admin/listening/sources')
    }
    // Save: the same checks as when creating, the type stays; an empty credential field keeps the old one.
    const input = validateSourceInput({ ...(request.body as object), type: source.type }, { creating: false })
    const other = input.problems.length === 0 ? await findSourceByName(db, input.values.name) : undefined
    if (other && other.id !== source.id) input.problems.push({ field: 'name', code: 'taken' })
    if (input.problems.length > 0) {
      reply.code(400)
      return renderSource(request, reply, source.id, null, {
        values: input.values,
        ...formErrors(input.problems, request.t, 'listening.sourceForm.errors'),
      })
    }
    const secrets = {
      ...source.secrets,
      ...Object.fromEntries(Object.entries(input.secrets).filter(([, v]) => v !== '')),
    }
    const enabled = field(request.body, 'enabled') === 'yes'
    await db.transaction().execute(async (trx) => {
      await updateSource(
        trx,
        source.id,
        {
          name: input.values.name,
          config: input.config,
          secrets,
          retentionDays: input.retentionDays,
          enabled,
        },
        new Date(),
      )
      await recordAudit(trx, {
        actor: request.actor,
        action: 'listening.source.update',
        subject,
        details: {
          name: input.values.name,
          config: input.config,
          enabled,
          retentionDays: input.retentionDays,
          credentialsChanged: Object.values(input.secrets).some((v) => v !== ''),
        },
        requestId: request.id,
      })
    })
    request.session.set('flash', { kind: 'success', text: request.t('listening.sourceForm.saved') })
    return reply.redirectTo(`/admin/listening/sources/${source.id}`)
  })

  // ── Posts referenced by spikes (sample posts) ──────────────────────────────────
  app.get('/admin/listening/spikes/:id', { preHandler: can('view:listening') }, async (request, reply) => {
    const id = idParam(request)
    const spike = (await listSpikes(db, { limit: 10_000 })).find((s) => s.id === id)
    if (!spike) throw notFound()
    const q = await findQuery(db, spike.queryId)
    return reply.render('listening/spike.njk', {
      pageTitle: request.t('listening.spike.title', { name: q?.name ?? '' }),
      spike,
      q,
      samples: await findPostsByIds(db, spike.samplePostIds),
    })
  })
}

/** What staff may see of a source: never its credentials. */
function publicView(s: ListeningSource) {
  const { secrets: _secrets, tokenHash, ...rest } = s
  return { ...rest, hasToken: tokenHash !== null }
}

function editValues(s: ListeningSource): Record<string, string> {
  const c = s.config
  const str = (k: string) => (c[k] === undefined ? '' : String(c[k]))
  return {
    name: s.name,
    type: s.type,
    retentionDays: String(s.retentionDays),
    instance: str('instance'),
    timeline: str('timeline') || 'hashtag',
    hashtag: str('hashtag'),
    url: str('url'),
    endpoint: str('endpoint'),
    filter: str('filter'),
    enabled: s.enabled ? 'yes' : 'no',
  }
}

export { isSourceType }
export default adminRoutes
