import type { FastifyPluginAsync } from 'fastify'
import { Value } from 'typebox/value'
import { modules } from '../../modules/index.js'
import { findAuditEntries, recordAudit } from '../audit/audit.js'
import { isStaffRole, STAFF_ROLES, type StaffRole } from '../auth/actor.js'
import { isPlausibleEmail } from '../auth/citizens.js'
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../auth/passwords.js'
import { requirePermission } from '../auth/plugin.js'
import {
  countStaff,
  findStaffByEmail,
  findStaffById,
  insertStaff,
  listStaff,
  setStaffDisabled,
  unlockStaff,
  updateStaffRoles,
} from '../auth/staff-store.js'
import { notFound } from '../errors/errors.js'
import { type FieldProblem, field, formErrors } from '../http/forms.js'
import '../http/types.js'
import { findOutboxMessage, listOutbox } from '../mail/mail.js'
import { validateOrganisation } from '../settings/organisation.js'
import { readSetting, writeSetting } from '../settings/settings.js'
import { adminPermissions } from './permissions.js'
import policyAdminRoutes from './policy-routes.js'

function list(body: unknown, name: string): string[] {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map(String)
}

/** The staff admin area: dashboard, users and roles, organisation settings, audit log, outbox. */
const adminRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  const can = (key: keyof typeof adminPermissions) => requirePermission(adminPermissions, key)

  // The social media policy and the elections calendar (/admin/policy, /admin/elections).
  await app.register(policyAdminRoutes)

  app.get('/admin', { preHandler: can('view:dashboard') }, async (request, reply) => {
    const [staff, audit, outbox] = await Promise.all([
      countStaff(db),
      findAuditEntries(db, { limit: 10 }),
      listOutbox(db, { limit: 5 }),
    ])
    const org = await app.services.organisation()
    const heartbeat = await readSetting<{ at: string }>(db, 'platform.jobs.heartbeat')
    return reply.render('admin/dashboard.njk', {
      heartbeat,
      pageTitle: request.t('admin.dashboard.title'),
      staffCount: staff,
      recentAudit: audit,
      recentOutbox: outbox,
      modules: modules.map((m) => ({
        key: m.key,
        enabled: org.enabledModules.includes(m.key),
        adminNav: m.adminNav,
      })),
    })
  })

  // ── Users and roles ──────────────────────────────────────────────────────────────
  app.get('/admin/users', { preHandler: can('manage:users') }, async (request, reply) =>
    reply.render('admin/users.njk', {
      pageTitle: request.t('admin.users.title'),
      users: await listStaff(db),
      roles: STAFF_ROLES,
      values: { roles: [] },
      now: new Date().toISOString(),
    }),
  )

  app.post('/admin/users', { preHandler: can('manage:users') }, async (request, reply) => {
    const actor = request.actor
    const email = field(request.body, 'email').trim()
    const name = field(request.body, 'name').trim()
    const password = field(request.body, 'password')
    const roles = list(request.body, 'roles')
    const problems: FieldProblem[] = []
    if (!isPlausibleEmail(email)) problems.push({ field: 'email', code: email ? 'invalid' : 'required' })
    else if (await findStaffByEmail(db, email)) problems.push({ field: 'email', code: 'taken' })
    if (!name) problems.push({ field: 'name', code: 'required' })
    else if (name.length > 200) problems.push({ field: 'name', code: 'too-long' })
    const pw = passwordProblem(password)
    if (pw) problems.push({ field: 'password', code: pw, vars: { min: MIN_PASSWORD_LENGTH } })
    if (roles.length === 0 || !roles.every(isStaffRole)) problems.push({ field: 'roles', code: 'required' })
    if (problems.length > 0) {
      reply.code(400)
      return reply.render('admin/users.njk', {
        pageTitle: request.t('admin.users.title'),
        users: await listStaff(db),
        roles: STAFF_ROLES,
        values: { email, name, roles },
        now: new Date().toISOString(),
        ...formErrors(problems, request.t, 'admin.users.errors'),
      })
    }
    const id = await db.transaction().execute(async (trx) => {
      const newId = await insertStaff(
        trx,
        { email, name, passwordHash: await hashPassword(password), roles: roles as StaffRole[] },
        new Date(),
      )
      await recordAudit(trx, {
        actor,
        action: 'platform.user.add',
        subject: { type: 'staff_user', id: newId },
        details: { email, roles },
        requestId: request.id,
      })
      return newId
    })
    request.session.set('flash', { kind: 'success', text: request.t('admin.users.added', { email }) })
    return reply.redirectTo(`/admin/users/${id}`)
  })

  app.get('/admin/users/:id', { preHandler: can('manage:users') }, async (request, reply) => {
    const user = await findStaffById(db, Number((request.params as { id: string }).id))
    if (!user) throw notFound()
    return reply.render('admin/user.njk', {
      pageTitle: user.name,
      user,
      roles: STAFF_ROLES,
      now: new Date().toISOString(),
    })
  })

  app.post('/admin/users/:id', { preHandler: can('manage:users') }, async (request, reply) => {
    const actor = request.actor
    const user = await findStaffById(db, Number((request.params as { id: string }).id))
    if (!user) throw notFound()
    const action = field(request.body, 'action')
    const subject = { type: 'staff_user', id: user.id }
    if (action === 'roles') {
      const roles = list(request.body, 'roles').filter(isStaffRole)
      if (roles.length === 0) {
        reply.code(400)
        return reply.render('admin/user.njk', {
          pageTitle: user.name,
          user,
          roles: STAFF_ROLES,
          now: new Date().toISOString(),
          ...formErrors([{ field: 'roles', code: 'required' }], request.t, 'admin.users.errors'),
        })
      }
      await updateStaffRoles(db, user.id, roles)
      await recordAudit(db, {
        actor,
        action: 'platform.user.roles',
        subject,
        details: { from: user.roles, to: roles },
        requestId: request.id,
      })
    } else if (action === 'disable' || action === 'enable') {
      await setStaffDisabled(db, user.id, action === 'disable')
      await recordAudit(db, { actor, action: `platform.user.${action}`, subject, requestId: request.id })
    } else if (action === 'unlock') {
      await unlockStaff(db, user.id)
      await recordAudit(db, { actor, action: 'platform.user.unlock', subject, requestId: request.id })
    } else {
      throw notFound()
    }
    request.session.set('flash', { kind: 'success', text: request.t('admin.users.saved') })
    return reply.redirectTo(`/admin/users/${user.id}`)
  })

  // ── Organisation settings ───────────────────────────────────────────────────────
  async function moduleSettingsValues(): Promise<Record<string, string>> {
    const values: Record<string, string> = {}
    for (const m of modules) {
      if (!m.settings) continue
      const stored = await readSetting<Record<string, unknown>>(db, `module.${m.key}`)
      values[m.key] = JSON.stringify({ ...m.settings.defaults, ...stored }, null, 2)
    }
    return values
  }

  app.get('/admin/settings', { preHandler: can('manage:settings') }, async (request, reply) => {
    const org = await app.services.organisation()
    return reply.render('admin/settings.njk', {
      pageTitle: request.t('admin.settings.title'),
      values: { ...org, moduleSettings: await moduleSettingsValues() },
      modules: modules.map((m) => ({ key: m.key, hasSettings: Boolean(m.settings) })),
    })
  })

  app.post('/admin/settings', { preHandler: can('manage:settings') }, async (request, reply) => {
    const actor = request.actor
    const body = request.body
    const input = {
      nameEn: field(body, 'nameEn').trim(),
      nameCy: field(body, 'nameCy').trim(),
      brandColour: field(body, 'brandColour').trim(),
      contactEmail: field(body, 'contactEmail').trim(),
    }
    const welsh = field(body, 'welsh') === 'yes'
    const enabledModules = list(body, 'enabledModules').filter((k) => modules.some((m) => m.key === k))
    const problems: FieldProblem[] = validateOrganisation(input).map((p) => ({
      field: p.field,
      code: p.code,
    }))
    const moduleSettings: Record<string, string> = {}
    const parsedModuleSettings: Record<string, unknown> = {}
    for (const m of modules) {
      if (!m.settings) continue
      const raw = field(body, `settings_${m.key}`)
      moduleSettings[m.key] = raw
      // An empty box leaves the module's settings as they are.
      if (raw.trim() === '') continue
      let parsed: unknown
      try {
        parsed = JSON.parse(raw)
      } catch {
        problems.push({
          field: `settings_${m.key}`,
          code: 'json',
          key: 'admin.settings.errors.moduleSettings.json',
          vars: { module: m.key },
        })
        continue
      }
      const merged = { ...m.settings.defaults, ...(parsed as object) }
      if (!Value.Check(m.settings.schema, merged)) {
        const first = [...Value.Errors(m.settings.schema, merged)][0]
        problems.push({
          field: `settings_${m.key}`,
          code: 'schema',
          key: 'admin.settings.errors.moduleSettings.schema',
          vars: { module: m.key, path: first?.instancePath || '/', message: first?.message ?? '' },
        })
        continue
      }
      parsedModuleSettings[m.key] = merged
    }
    if (problems.length > 0) {
      reply.code(400)
      return reply.render('admin/settings.njk', {
        pageTitle: request.t('admin.settings.title'),
        values: { ...input, welsh, enabledModules, moduleSettings },
        modules: modules.map((m) => ({ key: m.key, hasSettings: Boolean(m.settings) })),
        ...formErrors(problems, request.t, 'admin.settings.errors'),
      })
    }
    const before = await app.services.organisation()
    await db.transaction().execute(async (trx) => {
      await writeSetting(trx, 'organisation', { ...input, welsh, enabledModules })
      for (const [key, value] of Object.entries(parsedModuleSettings))
        await writeSetting(trx, `module.${key}`, value)
      await recordAudit(trx, {
        actor,
        action: 'platform.settings.update',
        subject: { type: 'settings', id: 'organisation' },
        details: {
          before,
          after: { ...input, welsh, enabledModules },
          modules: Object.keys(parsedModuleSettings),
        },
        requestId: request.id,
      })
    })
    app.services.invalidateSettings()
    request.session.set('flash', { kind: 'success', text: request.t('admin.settings.saved') })
    return reply.redirectTo('/admin/settings')
  })

  // ── Audit log and outbox ────────────────────────────────────────────────────────
  app.get('/admin/audit', { preHandler: can('view:audit') }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>
    const filter = {
      ...(q['actor'] ? { actor: q['actor'] } : {}),
      ...(q['action'] ? { action: q['action'] } : {}),
      ...(q['subjectType'] ? { subjectType: q['subjectType'] } : {}),
      ...(q['subjectId'] ? { subjectId: q['subjectId'] } : {}),
      ...(q['from'] && /^\d{4}-\d{2}-\d{2}$/.test(q['from']) ? { from: q['from'] } : {}),
      ...(q['to'] && /^\d{4}-\d{2}-\d{2}$/.test(q['to']) ? { to: `${q['to']}T23:59:59.999Z` } : {}),
      limit: 200,
    }
    return reply.render('admin/audit.njk', {
      pageTitle: request.t('admin.audit.title'),
      entries: await findAuditEntries(db, filter),
      values: q,
    })
  })

  app.get('/admin/outbox', { preHandler: can('view:outbox') }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>
    return reply.render('admin/outbox.njk', {
      pageTitle: request.t('admin.outbox.title'),
      messages: await listOutbox(db, {
        ...(q['status'] ? { status: q['status'] } : {}),
        ...(q['to'] ? { to: q['to'] } : {}),
      }),
      values: q,
      smtp: app.services.mailer.smtp,
    })
  })

  app.get('/admin/outbox/:id', { preHandler: can('view:outbox') }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id)
    const message = await findOutboxMessage(db, id)
    if (!message) throw notFound()
    if (request.actor.kind === 'staff') {
      await recordAudit(db, {
        actor: request.actor,
        action: 'platform.outbox.read',
        subject: { type: 'outbox', id },
        requestId: request.id,
      })
    }
    return reply.render('admin/outbox-message.njk', { pageTitle: message.subject, message })
  })
}

export default adminRoutes
