import type { FastifyPluginAsync } from 'fastify'
import { adminPermissions } from '../admin/permissions.js'
import { recordAudit } from '../audit/audit.js'
import { field, formErrors, safeNext } from '../http/forms.js'
import '../http/types.js'
import { localePath } from '../i18n/i18n.js'
import { isLocked, lockUntilAfter } from './lockout.js'
import { dummyPasswordHash, verifyPassword } from './passwords.js'
import { requirePermission } from './plugin.js'
import {
  findStaffByEmail,
  findStaffById,
  lockStaff,
  recordFailedLogin,
  recordSuccessfulLogin,
  setStaffTotpSecret,
} from './staff-store.js'
import { newTotpSecret, totpUri, verifyTotp } from './totp.js'

/** Staff login (password, then a TOTP code when set up), logout and two-factor set-up. */
const staffAuthRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  // Sign-in attempts per IP address and email per minute (a council office shares one IP),
  // counted before the CSRF check and shared by every process through Redis when it is set.
  const limit = app.rateLimit({
    max: app.services.config.loginAttemptsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `${request.ip}|${field(request.body, 'email').trim().toLowerCase()}`,
  })

  app.get('/admin/login', async (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next, localePath(request.locale, '/admin'))
    return reply.render('admin/login.njk', { pageTitle: request.t('login.title'), next, values: {} })
  })

  app.post('/admin/login', { preValidation: limit }, async (request, reply) => {
    const email = field(request.body, 'email').trim()
    const password = field(request.body, 'password')
    const next = safeNext(field(request.body, 'next'), localePath(request.locale, '/admin'))
    const show = (code: string, status = 400) => {
      const problems =
        code === 'required'
          ? [
              ...(email ? [] : [{ field: 'email', code: 'required' }]),
              ...(password ? [] : [{ field: 'password', code: 'required' }]),
            ]
          : [{ field: 'email', code }]
      reply.code(status)
      return reply.render('admin/login.njk', {
        pageTitle: request.t('login.title'),
        next,
        values: { email },
        ...formErrors(problems, request.t, 'login.errors'),
      })
    }
    if (!email || !password) return show('required')
    const now = new Date()
    const user = await findStaffByEmail(db, email)
    if (!user) {
      await verifyPassword(password, await dummyPasswordHash())
      await recordAudit(db, {
        actor: { kind: 'anonymous' },
        action: 'platform.login.failed',
        details: { email: email.slice(0, 320), reason: 'unknown-email' },
        requestId: request.id,
      })
      return show('invalid', 401)
    }
    const subject = { type: 'staff_user', id: user.id }
    if (isLocked(user.lockedUntil, now)) {
      await recordAudit(db, {
        actor: { kind: 'anonymous' },
        action: 'platform.login.refused-locked',
        subject,
        requestId: request.id,
      })
      return show('locked', 423)
    }
    const ok = await verifyPassword(password, user.passwordHash)
    if (!ok || user.disabled) {
      const failures = ok ? user.failedLogins : await recordFailedLogin(db, user.id)
      const until = lockUntilAfter(failures, now)
      if (until) await lockStaff(db, user.id, until)
      await recordAudit(db, {
        actor: { kind: 'anonymous' },
        action: until ? 'platform.login.locked' : 'platform.login.failed',
        subject,
        details: { failures, disabled: user.disabled },
        requestId: request.id,
      })
      return show(until ? 'locked' : 'invalid', until ? 423 : 401)
    }
    if (user.totpSecret) {
      request.session.set('pendingTotp', { staffId: user.id, next, at: Date.now() })
      return reply.redirectTo('/admin/login/code')
    }
    await completeLogin(user.id, request.id)
    request.session.set('staffId', user.id)
    request.session.set('staffSince', Date.now())
    request.session.set('citizenId', undefined)
    return reply.redirect(next, 303)
  })

  async function completeLogin(staffId: number, requestId: string): Promise<void> {
    const user = await findStaffById(db, staffId)
    if (!user) return
    await recordSuccessfulLogin(db, staffId, new Date())
    await recordAudit(db, {
      actor: { kind: 'staff', id: user.id, email: user.email, name: user.name, roles: user.roles },
      action: 'platform.login',
      subject: { type: 'staff_user', id: user.id },
      requestId,
    })
  }

  app.get('/admin/login/code', async (request, reply) => {
    if (!request.session.get('pendingTotp')) return reply.redirectTo('/admin/login')
    return reply.render('admin/login-code.njk', { pageTitle: request.t('login.code.title') })
  })

  app.post('/admin/login/code', { preValidation: limit }, async (request, reply) => {
    const pending = request.session.get('pendingTotp')
    // The second step must follow the first within five minutes.
    if (!pending || Date.now() - pending.at > 5 * 60_000) {
      request.session.set('pendingTotp', undefined)
      return reply.redirectTo('/admin/login')
    }
    const user = await findStaffById(db, pending.staffId)
    const code = field(request.body, 'code')
    if (!user?.totpSecret || !verifyTotp(user.totpSecret, code)) {
      if (user) {
        const failures = await recordFailedLogin(db, user.id)
        const until = lockUntilAfter(failures, new Date())
        if (until) await lockStaff(db, user.id, until)
        await recordAudit(db, {
          actor: { kind: 'anonymous' },
          action: 'platform.login.code-failed',
          subject: { type: 'staff_user', id: user.id },
          requestId: request.id,
        })
      }
      reply.code(401)
      return reply.render('admin/login-code.njk', {
        pageTitle: request.t('login.code.title'),
        ...formErrors([{ field: 'code', code: code ? 'invalid' : 'required' }], request.t, 'login.errors'),
      })
    }
    request.session.set('pendingTotp', undefined)
    request.session.set('staffId', user.id)
    request.session.set('staffSince', Date.now())
    request.session.set('citizenId', undefined)
    await completeLogin(user.id, request.id)
    return reply.redirect(pending.next, 303)
  })

  app.post('/admin/logout', async (request, reply) => {
    if (request.actor.kind === 'staff') {
      await recordAudit(db, {
        actor: request.actor,
        action: 'platform.logout',
        subject: { type: 'staff_user', id: request.actor.id },
        requestId: request.id,
      })
    }
    request.session.delete()
    return reply.redirectTo('/admin/login')
  })

  const ownAccount = requirePermission(adminPermissions, 'manage:own-account')

  app.get('/admin/account', { preHandler: ownAccount }, async (request, reply) => {
    const actor = request.actor
    if (actor.kind !== 'staff') return
    const user = await findStaffById(db, actor.id)
    const org = await app.services.organisation()
    // A new secret is shown until it is confirmed with a code; it is kept in the encrypted session.
    let pendingSecret = request.session.get('totpSetup')
    if (!user?.totpSecret && !pendingSecret) {
      pendingSecret = newTotpSecret()
      request.session.set('totpSetup', pendingSecret)
    }
    return reply.render('admin/account.njk', {
      pageTitle: request.t('account.staff.title'),
      user,
      totpSecret: user?.totpSecret ? null : pendingSecret,
      totpUri: pendingSecret && !user?.totpSecret ? totpUri(pendingSecret, actor.email, org.nameEn) : null,
    })
  })

  app.post('/admin/account/totp', { preHandler: ownAccount }, async (request, reply) => {
    const actor = request.actor
    if (actor.kind !== 'staff') return
    const pendingSecret = request.session.get('totpSetup')
    const code = field(request.body, 'code')
    if (!pendingSecret || !verifyTotp(pendingSecret, code)) {
      reply.code(400)
      const user = await findStaffById(db, actor.id)
      return reply.render('admin/account.njk', {
        pageTitle: request.t('account.staff.title'),
        user,
        totpSecret: pendingSecret,
        totpUri: pendingSecret
          ? totpUri(pendingSecret, actor.email, (await app.services.organisation()).nameEn)
          : null,
        ...formErrors([{ field: 'code', code: code ? 'invalid' : 'required' }], request.t, 'login.errors'),
      })
    }
    await setStaffTotpSecret(db, actor.id, pendingSecret)
    request.session.set('totpSetup', undefined)
    await recordAudit(db, {
      actor,
      action: 'platform.totp.enable',
      subject: { type: 'staff_user', id: actor.id },
      requestId: request.id,
    })
    request.session.set('flash', { kind: 'success', text: request.t('account.staff.totpEnabled') })
    return reply.redirectTo('/admin/account')
  })

  app.post('/admin/account/totp/disable', { preHandler: ownAccount }, async (request, reply) => {
    const actor = request.actor
    if (actor.kind !== 'staff') return
    await setStaffTotpSecret(db, actor.id, null)
    await recordAudit(db, {
      actor,
      action: 'platform.totp.disable',
      subject: { type: 'staff_user', id: actor.id },
      requestId: request.id,
    })
    request.session.set('flash', { kind: 'info', text: request.t('account.staff.totpDisabled') })
    return reply.redirectTo('/admin/account')
  })
}

export default staffAuthRoutes
