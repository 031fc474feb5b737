import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { recordAudit } from '../../../platform/audit/audit.js'
import type { Actor } from '../../../platform/auth/actor.js'
import { STAFF_ROLES } from '../../../platform/auth/actor.js'
import { requirePermission } from '../../../platform/auth/plugin.js'
import { listStaff } from '../../../platform/auth/staff-store.js'
import { DomainError, notFound } from '../../../platform/errors/errors.js'
import { type FieldProblem, field, formErrors } from '../../../platform/http/forms.js'
import { londonDay, londonTime } from '../../../platform/time/london.js'
import '../../../platform/http/types.js'
import { clearBlueskySessions } from '../../../platform/social/index.js'
import {
  canDecide,
  findClashes,
  highlightParts,
  imageProblems,
  languagesOf,
  MAX_IMAGE_BYTES,
  sniffImageType,
  transition,
} from '../domain/post.js'
import { publishingPermissions } from '../permissions.js'
import { credentialsKey, encryptCredentials } from '../services/credentials.js'
import { buildReport } from '../services/report.js'
import { checkPostTexts, checksBlock, decidePost, submitPost, withdrawPost } from '../services/workflow.js'
import {
  type Account,
  findAccount,
  findAccountByName,
  findWorkflow,
  findWorkflowByName,
  insertAccount,
  insertWorkflow,
  listAccounts,
  listWorkflows,
  updateAccount,
  updateWorkflow,
} from '../store/account-store.js'
import { deleteMedia, findMedia, insertMedia, listMedia } from '../store/media-store.js'
import {
  findPost,
  insertPost,
  listApprovals,
  listPosts,
  listTargets,
  type Post,
  setTargets,
  setTargetText,
  updatePostContent,
} from '../store/post-store.js'
import {
  type AccountValues,
  checkAccountForm,
  checkPostForm,
  checkWorkflowForm,
  MAX_STEPS,
  POST_KINDS,
  type PostValues,
  readAccountForm,
  readPostForm,
  readWorkflowForm,
  type WorkflowValues,
} from './forms.js'

type Staff = Actor & { kind: 'staff' }

interface UploadedFile {
  readonly name: string
  readonly type: string
  readonly data: Uint8Array
}

/** One image at Bluesky's limit, plus the form's text fields. */
const UPLOAD_LIMIT = MAX_IMAGE_BYTES + 64 * 1024

function idParam(request: FastifyRequest): number {
  const n = Number((request.params as { id?: string }).id)
  return Number.isSafeInteger(n) && n > 0 ? n : -1
}

function staffActor(request: FastifyRequest): Staff {
  if (request.actor.kind !== 'staff') throw new DomainError('not-signed-in', 401)
  return request.actor
}

/** Maps a command's DomainError to its message, so staff see why an action was refused. */
function refusal(err: unknown): { key: string; status: number; vars?: Record<string, string> } | null {
  if (!(err instanceof DomainError) || !err.code.startsWith('publishing.')) return null
  const step = typeof err.details?.['step'] === 'string' ? { step: err.details['step'] } : undefined
  return {
    key: `publishing.errors.${err.code.slice('publishing.'.length)}`,
    status: err.statusCode,
    ...(step ? { vars: step } : {}),
  }
}

/** Staff pages of the publishing module under /admin/publishing. */
const adminRoutes: FastifyPluginAsync = async (app) => {
  const services = app.services
  const { db } = services
  const can = (key: keyof typeof publishingPermissions) => requirePermission(publishingPermissions, key)
  const allowed = (request: FastifyRequest, key: keyof typeof publishingPermissions) =>
    publishingPermissions[key](request.actor, undefined as never).allowed

  // Image uploads: multipart forms, parsed only inside this plugin (files as bytes, fields as
  // strings, so the CSRF check reads `_csrf` as from any form). One image plus the form fits.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT },
    async (request: FastifyRequest, body: Buffer) => {
      let form: FormData
      try {
        form = await new Response(new Uint8Array(body), {
          headers: { 'content-type': String(request.headers['content-type']) },
        }).formData()
      } catch {
        throw new DomainError('bad-request', 400)
      }
      const out: Record<string, string | UploadedFile> = {}
      for (const [key, value] of form) {
        out[key] =
          typeof value === 'string'
            ? value
            : { name: value.name, type: value.type, data: new Uint8Array(await value.arrayBuffer()) }
      }
      return out
    },
  )

  // ── Posts ─────────────────────────────────────────────────────────────────────
  app.get('/admin/publishing', { preHandler: can('view:publishing') }, async (request, reply) => {
    const posts = await listPosts(db, { limit: 500 })
    const staffId = request.actor.kind === 'staff' ? request.actor.id : -1
    const toReview: Post[] = []
    for (const p of posts) {
      if (p.state !== 'in_review') continue
      if (canDecide(p, p.reviewSteps, await listApprovals(db, p.id, p.round), staffId)) toReview.push(p)
    }
    return reply.render('publishing/index.njk', {
      pageTitle: request.t('publishing.title'),
      posts: [...posts].reverse(),
      toReview,
      canEdit: allowed(request, 'edit:posts'),
    })
  })

  async function renderPostForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { post: Post | null; values: PostValues; problems: FieldProblem[] },
  ) {
    const accounts = (await listAccounts(db)).filter((a) => a.enabled)
    const t = request.t
    return reply.code(options.problems.length > 0 ? 400 : 200).render('publishing/post-form.njk', {
      pageTitle: t(options.post ? 'publishing.postForm.editTitle' : 'publishing.postForm.newTitle'),
      post: options.post,
      values: options.values,
      accounts,
      kinds: POST_KINDS,
      ...formErrors(options.problems, t, 'publishing.postForm.errors'),
    })
  }

  const emptyPost = (): PostValues => ({
    title: '',
    topic: '',
    team: '',
    kind: 'text',
    day: '',
    time: '09:00',
    textEn: '',
    textCy: '',
    accounts: [],
  })

  app.get('/admin/publishing/posts/new', { preHandler: can('edit:posts') }, async (request, reply) =>
    renderPostForm(request, reply, { post: null, values: emptyPost(), problems: [] }),
  )

  /** Targets for the chosen accounts: one per account and language the account publishes in. */
  async function targetsFor(accountIds: readonly number[]) {
    const accounts = await listAccounts(db)
    return accounts
      .filter((a) => accountIds.includes(a.id))
      .flatMap((a) => languagesOf(a.language).map((language) => ({ accountId: a.id, language })))
  }

  app.post('/admin/publishing/posts/new', { preHandler: can('edit:posts') }, async (request, reply) => {
    const actor = staffActor(request)
    const values = readPostForm(request.body)
    const accountIds = (await listAccounts(db)).filter((a) => a.enabled).map((a) => a.id)
    const { problems, input, accounts } = checkPostForm(values, accountIds)
    if (!input) return renderPostForm(request, reply, { post: null, values, problems })
    const now = new Date()
    const wanted = await targetsFor(accounts)
    const id = await db.transaction().execute(async (trx) => {
      const postId = await insertPost(trx, input, actor.id, now)
      await setTargets(trx, postId, wanted)
      await recordAudit(trx, {
        actor,
        action: 'publishing.create',
        subject: { type: 'publishing_post', id: postId },
        details: { title: input.title },
        requestId: request.id,
        at: now,
      })
      return postId
    })
    request.session.set('flash', { kind: 'success', text: request.t('publishing.post.created') })
    return reply.redirectTo(`/admin/publishing/posts/${id}`)
  })

  async function loadPost(request: FastifyRequest): Promise<Post> {
    const post = await findPost(db, idParam(request))
    if (!post) throw notFound()
    return post
  }

  function valuesOf(post: Post, accountIds: readonly number[]): PostValues {
    return {
      title: post.title,
      topic: post.topic,
      team: post.team,
      kind: post.kind,
      day: londonDay(post.plannedAt),
      time: londonTime(post.plannedAt),
      textEn: post.textEn,
      textCy: post.textCy,
      accounts: [...new Set(accountIds)].map(String),
    }
  }

  app.get('/admin/publishing/posts/:id/edit', { preHandler: can('edit:posts') }, async (request, reply) => {
    const post = await loadPost(request)
    if (post.state !== 'draft') return reply.redirectTo(`/admin/publishing/posts/${post.id}`)
    const targets = await listTargets(db, post.id)
    return renderPostForm(request, reply, {
      post,
      values: valuesOf(
        post,
        targets.map((t) => t.accountId),
      ),
      problems: [],
    })
  })

  app.post('/admin/publishing/posts/:id/edit', { preHandler: can('edit:posts') }, async (request, reply) => {
    const actor = staffActor(request)
    const post = await loadPost(request)
    transition(post.state, 'edit')
    const values = readPostForm(request.body)
    const accountIds = (await listAccounts(db)).filter((a) => a.enabled).map((a) => a.id)
    const { problems, input, accounts } = checkPostForm(values, accountIds)
    if (!input) return renderPostForm(request, reply, { post, values, problems })
    const now = new Date()
    const wanted = await targetsFor(accounts)
    await db.transaction().execute(async (trx) => {
      await updatePostContent(trx, post.id, input, now)
      await setTargets(trx, post.id, wanted)
      await recordAudit(trx, {
        actor,
        action: 'publishing.edit',
        subject: { type: 'publishing_post', id: post.id },
        details: { title: input.title },
        requestId: request.id,
        at: now,
      })
    })
    request.session.set('flash', { kind: 'success', text: request.t('publishing.post.saved') })
    return reply.redirectTo(`/admin/publishing/posts/${post.id}`)
  })

  async function renderPost(
    request: FastifyRequest,
    reply: FastifyReply,
    post: Post,
    error: { key: string; status: number; vars?: Record<string, string> } | null,
    upload: { problems: FieldProblem[]; values: { altEn: string; altCy: string } } | null = null,
  ) {
    const t = request.t
    const locale = request.locale === 'cy' ? 'cy' : 'en'
    const checks = await checkPostTexts(db, post, new Date(post.plannedAt), locale)
    const approvals = await listApprovals(db, post.id, post.round)
    const staff = await listStaff(db)
    const names = new Map(staff.map((s) => [s.id, s.name]))
    const staffId = request.actor.kind === 'staff' ? request.actor.id : -1
    const steps = post.reviewSteps.map((s, i) => ({
      name: s.name,
      mode: s.mode,
      current: post.state === 'in_review' && i === post.stepIndex,
      approvers: s.approverIds.map((id) => {
        const a = approvals.find((x) => x.stepIndex === i && x.staffId === id)
        return {
          name: names.get(id) ?? String(id),
          decision: a?.decision ?? null,
          note: a?.note ?? null,
          at: a?.at ?? null,
        }
      }),
    }))
    const uploadErrors = formErrors(upload?.problems ?? [], t, 'publishing.media.errors')
    return reply
      .code(error?.status ?? (upload && upload.problems.length > 0 ? 400 : 200))
      .render('publishing/post.njk', {
        pageTitle: post.title,
        post,
        errorList: error ? [{ text: t(error.key, error.vars), href: '#checks' }] : uploadErrors.errorList,
        fieldErrors: uploadErrors.fieldErrors,
        uploadValues: upload?.values ?? { altEn: '', altCy: '' },
        media: await listMedia(db, post.id),
        checks: checks.map((c) => ({
          ...c,
          label: c.account
            ? `${c.account.name} — ${t(`publishing.languages.${c.language}`)}`
            : t(`publishing.languages.${c.language}`),
          parts: highlightParts(c.text, c.findings),
          blocking: c.findings.some((f) => f.severity === 'block'),
        })),
        blocked: checksBlock(checks),
        steps,
        rejectionNote: post.rejectionNote,
        canEdit: allowed(request, 'edit:posts') && post.state === 'draft',
        canSubmit: allowed(request, 'edit:posts') && post.state === 'draft',
        canDecide: allowed(request, 'review:posts') && canDecide(post, post.reviewSteps, approvals, staffId),
        canWithdraw:
          allowed(request, 'edit:posts') && ['in_review', 'scheduled', 'failed'].includes(post.state),
        plannedDay: londonDay(post.plannedAt),
        plannedTime: londonTime(post.plannedAt),
      })
  }

  app.get('/admin/publishing/posts/:id', { preHandler: can('view:publishing') }, async (request, reply) =>
    renderPost(request, reply, await loadPost(request), null),
  )

  /** Runs a post command; a refusal re-renders the post page with the reason (never a 500). */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    run: (actor: Staff, post: Post) => Promise<string>,
  ) {
    const actor = staffActor(request)
    const post = await loadPost(request)
    try {
      const message = await run(actor, post)
      request.session.set('flash', { kind: 'success', text: request.t(message) })
      return reply.redirectTo(`/admin/publishing/posts/${post.id}`)
    } catch (err) {
      const r = refusal(err)
      if (!r) throw err
      return renderPost(request, reply, (await findPost(db, post.id)) ?? post, r)
    }
  }

  app.post('/admin/publishing/posts/:id/submit', { preHandler: can('edit:posts') }, async (request, reply) =>
    act(request, reply, async (actor, post) => {
      await submitPost(services, actor, post.id, new Date())
      return 'publishing.post.submitted'
    }),
  )

  app.post(
    '/admin/publishing/posts/:id/decide',
    { preHandler: can('review:posts') },
    async (request, reply) =>
      act(request, reply, async (actor, post) => {
        const decision = field(request.body, 'decision') === 'reject' ? 'reject' : 'approve'
        const note = field(request.body, 'note').trim() || null
        const result = await decidePost(services, actor, post.id, decision, note, new Date())
        return `publishing.post.decided.${result}`
      }),
  )

  app.post(
    '/admin/publishing/posts/:id/withdraw',
    { preHandler: can('edit:posts') },
    async (request, reply) =>
      act(request, reply, async (actor, post) => {
        await withdrawPost(services, actor, post.id, new Date())
        return 'publishing.post.withdrawn'
      }),
  )

  app.post('/admin/publishing/posts/:id/variant', { preHandler: can('edit:posts') }, async (request, reply) =>
    act(request, reply, async (actor, post) => {
      transition(post.state, 'edit')
      const targetId = Number(field(request.body, 'target'))
      const target = (await listTargets(db, post.id)).find((t) => t.id === targetId)
      if (!target) throw notFound()
      const text = field(request.body, 'text').replace(/\r\n/g, '\n').trim()
      await db.transaction().execute(async (trx) => {
        await setTargetText(trx, target.id, text === '' ? null : text)
        await recordAudit(trx, {
          actor,
          action: 'publishing.variant',
          subject: { type: 'publishing_post', id: post.id },
          details: { target: target.id },
          requestId: request.id,
        })
      })
      return 'publishing.post.variantSaved'
    }),
  )

  // ── Images ────────────────────────────────────────────────────────────────────
  app.post(
    '/admin/publishing/posts/:id/media',
    { preHandler: can('edit:posts'), bodyLimit: UPLOAD_LIMIT },
    async (request, reply) => {
      const actor = staffActor(request)
      const post = await loadPost(request)
      if (post.state !== 'draft')
        return renderPost(request, reply, post, { key: 'publishing.errors.bad-state', status: 409 })
      const body = (request.body ?? {}) as Record<string, unknown>
      const file = body['image'] && typeof body['image'] === 'object' ? (body['image'] as UploadedFile) : null
      const altEn = field(body, 'altEn').trim()
      const altCy = field(body, 'altCy').trim()
      // The bytes decide the type, not the name or the browser's claim.
      const type = file && file.data.length > 0 ? sniffImageType(file.data) : null
      const existing = (await listMedia(db, post.id)).length
      const problems: FieldProblem[] = imageProblems(
        file && file.data.length > 0 ? { mimeType: type ?? 'unknown', size: file.data.length } : null,
        altEn,
        altCy,
        existing,
      ).map((p) => ({ ...p }))
      if (problems.length > 0 || !file || !type)
        return renderPost(request, reply, post, null, { problems, values: { altEn, altCy } })
      const now = new Date()
      await db.transaction().execute(async (trx) => {
        const mediaId = await insertMedia(
          trx,
          { postId: post.id, mimeType: type, data: file.data, altEn, altCy },
          now,
        )
        await recordAudit(trx, {
          actor,
          action: 'publishing.media.add',
          subject: { type: 'publishing_post', id: post.id },
          details: { media: mediaId, type, size: file.data.length },
          requestId: request.id,
          at: now,
        })
      })
      request.session.set('flash', { kind: 'success', text: request.t('publishing.media.added') })
      return reply.redirectTo(`/admin/publishing/posts/${post.id}`)
    },
  )

  app.post(
    '/admin/publishing/posts/:id/media/:mediaId/remove',
    { preHandler: can('edit:posts') },
    async (request, reply) =>
      act(request, reply, async (actor, post) => {
        transition(post.state, 'edit')
        const mediaId = Number((request.params as { mediaId?: string }).mediaId)
        await db.transaction().execute(async (trx) => {
          if (!(await deleteMedia(trx, post.id, mediaId))) throw notFound()
          await recordAudit(trx, {
            actor,
            action: 'publishing.media.remove',
            subject: { type: 'publishing_post', id: post.id },
            details: { media: mediaId },
            requestId: request.id,
          })
        })
        return 'publishing.media.removed'
      }),
  )

  app.get('/admin/publishing/media/:id', { preHandler: can('view:publishing') }, async (request, reply) => {
    const media = await findMedia(db, idParam(request))
    if (!media) throw notFound()
    return reply
      .type(media.mimeType)
      .header('cache-control', 'private, max-age=3600')
      .send(Buffer.from(media.data))
  })

  // ── Calendar ──────────────────────────────────────────────────────────────────
  app.get('/admin/publishing/calendar', { preHandler: can('view:publishing') }, async (request, reply) => {
    const q = request.query as { month?: string }
    const now = new Date()
    const month = /^\d{4}-\d{2}$/.test(q.month ?? '') ? q.month! : londonDay(now.toISOString()).slice(0, 7)
    const [y, m] = month.split('-').map(Number) as [number, number]
    // A day either side, so London days at the month's edges are complete.
    const from = new Date(Date.UTC(y, m - 1, 1) - 86_400_000).toISOString()
    const to = new Date(Date.UTC(y, m, 1) + 86_400_000).toISOString()
    const posts = (await listPosts(db, { from, to })).filter((p) => londonDay(p.plannedAt).startsWith(month))
    const clashes = findClashes(posts)
    const clashIds = new Set(clashes.flatMap((c) => c.postIds))
    const days = new Map<string, { day: string; posts: (Post & { time: string; clash: boolean })[] }>()
    for (const p of posts) {
      const day = londonDay(p.plannedAt)
      const entry = days.get(day) ?? { day, posts: [] }
      entry.posts.push({ ...p, time: londonTime(p.plannedAt), clash: clashIds.has(p.id) })
      days.set(day, entry)
    }
    const prev = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7)
    const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7)
    return reply.render('publishing/calendar.njk', {
      pageTitle: request.t('publishing.calendar.title'),
      month,
      monthLabel: new Intl.DateTimeFormat(request.locale === 'cy' ? 'cy-GB' : 'en-GB', {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(Date.UTC(y, m - 1, 1))),
      days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
      clashes,
      prev,
      next,
    })
  })

  // ── Report ────────────────────────────────────────────────────────────────────
  app.get('/admin/publishing/report', { preHandler: can('view:report') }, async (request, reply) => {
    const q = request.query as { days?: string }
    const days = [7, 30, 90].includes(Number(q.days)) ? Number(q.days) : 30
    const report = await buildReport(db, new Date(), days, request.t)
    return reply.render('publishing/report.njk', {
      pageTitle: request.t('publishing.report.title'),
      days,
      ...report,
    })
  })

  // ── Accounts ──────────────────────────────────────────────────────────────────
  app.get('/admin/publishing/accounts', { preHandler: can('manage:accounts') }, async (request, reply) => {
    const workflows = new Map((await listWorkflows(db)).map((w) => [w.id, w.name]))
    const accounts = (await listAccounts(db)).map((a) => ({
      ...a,
      workflowName: workflows.get(a.workflowId) ?? '–',
    }))
    return reply.render('publishing/accounts.njk', {
      pageTitle: request.t('publishing.accounts.title'),
      accounts,
    })
  })

  async function renderAccountForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { account: Account | null; values: AccountValues; problems: FieldProblem[] },
  ) {
    const t = request.t
    const workflows = await listWorkflows(db)
    return reply.code(options.problems.length > 0 ? 400 : 200).render('publishing/account-form.njk', {
      pageTitle: options.account ? options.account.name : t('publishing.accountForm.newTitle'),
      account: options.account,
      // The secret is never sent back to the browser, even after a form error.
      values: { ...options.values, secret: '' },
      workflows,
      keyConfigured: credentialsKey(services) !== null,
      ...formErrors(options.problems, t, 'publishing.accountForm.errors'),
    })
  }

  const emptyAccount = (): AccountValues => ({
    name: '',
    network: '',
    kind: 'official',
    team: '',
    language: 'bilingual',
    serviceUrl: '',
    identifier: '',
    secret: '',
    workflowId: '',
    enabled: 'yes',
  })

  app.get('/admin/publishing/accounts/new', { preHandler: can('manage:accounts') }, async (request, reply) =>
    renderAccountForm(request, reply, { account: null, values: emptyAccount(), problems: [] }),
  )

  async function saveAccount(request: FastifyRequest, reply: FastifyReply, account: Account | null) {
    const actor = staffActor(request)
    const values = readAccountForm(request.body)
    const { problems, input } = checkAccountForm(
      values,
      (await listWorkflows(db)).map((w) => w.id),
    )
    const other = input ? await findAccountByName(db, input.name) : undefined
    if (other && other.id !== account?.id) problems.push({ field: 'name', code: 'taken' })
    if (!account && values.secret === '') problems.push({ field: 'secret', code: 'missing' })
    if (values.secret !== '' && credentialsKey(services) === null)
      problems.push({ field: 'secret', code: 'noKey' })
    if (!input || problems.length > 0) return renderAccountForm(request, reply, { account, values, problems })
    const now = new Date()
    const secretEnc = values.secret === '' ? undefined : encryptCredentials(services, values.secret)
    const id = await db.transaction().execute(async (trx) => {
      const accountId = account ? account.id : await insertAccount(trx, input, secretEnc ?? null, now)
      if (account) await updateAccount(trx, account.id, input, secretEnc, now)
      // The audit log records that credentials changed, never what they are.
      await recordAudit(trx, {
        actor,
        action: account ? 'publishing.account.update' : 'publishing.account.add',
        subject: { type: 'publishing_account', id: accountId },
        details: {
          name: input.name,
          network: input.network,
          kind: input.kind,
          credentialsReplaced: secretEnc !== undefined,
        },
        requestId: request.id,
        at: now,
      })
      return accountId
    })
    if (secretEnc !== undefined) clearBlueskySessions()
    request.session.set('flash', { kind: 'success', text: request.t('publishing.accountForm.saved') })
    return reply.redirectTo(`/admin/publishing/accounts/${id}`)
  }

  app.post('/admin/publishing/accounts/new', { preHandler: can('manage:accounts') }, async (request, reply) =>
    saveAccount(request, reply, null),
  )

  app.get(
    '/admin/publishing/accounts/:id',
    { preHandler: can('manage:accounts') },
    async (request, reply) => {
      const account = await findAccount(db, idParam(request))
      if (!account) throw notFound()
      return renderAccountForm(request, reply, {
        account,
        values: {
          name: account.name,
          network: account.network,
          kind: account.kind,
          team: account.team,
          language: account.language,
          serviceUrl: account.serviceUrl,
          identifier: account.identifier,
          secret: '',
          workflowId: String(account.workflowId),
          enabled: account.enabled ? 'yes' : '',
        },
        problems: [],
      })
    },
  )

  app.post(
    '/admin/publishing/accounts/:id',
    { preHandler: can('manage:accounts') },
    async (request, reply) => {
      const account = await findAccount(db, idParam(request))
      if (!account) throw notFound()
      return saveAccount(request, reply, account)
    },
  )

  // ── Workflows ─────────────────────────────────────────────────────────────────
  app.get('/admin/publishing/workflows', { preHandler: can('manage:workflows') }, async (request, reply) => {
    const staff = new Map((await listStaff(db)).map((s) => [s.id, s.name]))
    const workflows = (await listWorkflows(db)).map((w) => ({
      ...w,
      summary: w.steps.map((s) => ({
        name: s.name,
        mode: s.mode,
        who: [
          ...(s.role ? [request.t(`publishing.roles.${s.role}`)] : []),
          ...s.staffIds.map((id) => staff.get(id) ?? String(id)),
        ].join(', '),
      })),
    }))
    return reply.render('publishing/workflows.njk', {
      pageTitle: request.t('publishing.workflows.title'),
      workflows,
    })
  })

  async function renderWorkflowForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { id: number | null; values: WorkflowValues; problems: FieldProblem[] },
  ) {
    const t = request.t
    const staff = (await listStaff(db)).filter((s) => !s.disabled)
    return reply.code(options.problems.length > 0 ? 400 : 200).render('publishing/workflow-form.njk', {
      pageTitle: t(options.id ? 'publishing.workflowForm.editTitle' : 'publishing.workflowForm.newTitle'),
      id: options.id,
      values: options.values,
      staff,
      roles: STAFF_ROLES,
      ...formErrors(options.problems, t, 'publishing.workflowForm.errors'),
    })
  }

  const emptyWorkflow = (): WorkflowValues => ({
    name: '',
    steps: Array.from({ length: MAX_STEPS }, () => ({ name: '', mode: 'any', role: '', staff: [] })),
  })

  app.get(
    '/admin/publishing/workflows/new',
    { preHandler: can('manage:workflows') },
    async (request, reply) =>
      renderWorkflowForm(request, reply, { id: null, values: emptyWorkflow(), problems: [] }),
  )

  async function saveWorkflow(request: FastifyRequest, reply: FastifyReply, id: number | null) {
    const actor = staffActor(request)
    const values = readWorkflowForm(request.body)
    const { problems, steps } = checkWorkflowForm(
      values,
      (await listStaff(db)).map((s) => s.id),
    )
    const other = values.name ? await findWorkflowByName(db, values.name) : undefined
    if (other && other.id !== id) problems.push({ field: 'name', code: 'taken' })
    if (problems.length > 0) return renderWorkflowForm(request, reply, { id, values, problems })
    const now = new Date()
    const savedId = await db.transaction().execute(async (trx) => {
      const wid = id ?? (await insertWorkflow(trx, values.name, steps, now))
      if (id) await updateWorkflow(trx, id, values.name, steps, now)
      await recordAudit(trx, {
        actor,
        action: id ? 'publishing.workflow.update' : 'publishing.workflow.add',
        subject: { type: 'publishing_workflow', id: wid },
        details: { name: values.name, steps },
        requestId: request.id,
        at: now,
      })
      return wid
    })
    request.session.set('flash', { kind: 'success', text: request.t('publishing.workflowForm.saved') })
    return reply.redirectTo(`/admin/publishing/workflows/${savedId}`)
  }

  app.post(
    '/admin/publishing/workflows/new',
    { preHandler: can('manage:workflows') },
    async (request, reply) => saveWorkflow(request, reply, null),
  )

  app.get(
    '/admin/publishing/workflows/:id',
    { preHandler: can('manage:workflows') },
    async (request, reply) => {
      const wf = await findWorkflow(db, idParam(request))
      if (!wf) throw notFound()
      const values = emptyWorkflow()
      values.name = wf.name
      wf.steps.slice(0, MAX_STEPS).forEach((s, i) => {
        values.steps[i] = { name: s.name, mode: s.mode, role: s.role ?? '', staff: s.staffIds.map(String) }
      })
      return renderWorkflowForm(request, reply, { id: wf.id, values, problems: [] })
    },
  )

  app.post(
    '/admin/publishing/workflows/:id',
    { preHandler: can('manage:workflows') },
    async (request, reply) => {
      const wf = await findWorkflow(db, idParam(request))
      if (!wf) throw notFound()
      return saveWorkflow(request, reply, wf.id)
    },
  )
}

export default adminRoutes
