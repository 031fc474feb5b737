import type { FastifyPluginAsync } from 'fastify'
import { recordAudit } from '../audit/audit.js'
import { field, formErrors, safeNext } from '../http/forms.js'
import '../http/types.js'
import { isLocale, localePath } from '../i18n/i18n.js'
import {
  consumeEmailToken,
  findCitizenById,
  isPlausibleEmail,
  issueEmailToken,
  pseudonymiseCitizen,
  updateCitizenPreferences,
  upsertVerifiedCitizen,
} from './citizens.js'

/** Sign-in links stay valid for this long and work once. */
export const SIGN_IN_LINK_MINUTES = 60

/**
 * Citizens act without passwords: they prove an email address by following an emailed link
 * (single use, expiring), which gives them the `email-verified` assurance level. The link's page
 * asks for a click before using the token, so mail scanners that fetch links cannot spend it.
 */
const citizenRoutes: FastifyPluginAsync = async (app) => {
  const { db, mailer, config } = app.services
  // Five links per address per ten minutes: enough for a lost email, too few to spam someone.
  const limit = app.rateLimit({
    max: 5,
    timeWindow: 10 * 60_000,
    keyGenerator: (request) => `${request.ip}|${field(request.body, 'email').trim().toLowerCase()}`,
  })

  // `next`: where the citizen was going (a conversation, a ballot), kept through the emailed link.
  app.get('/account/sign-in', async (request, reply) =>
    reply.render('account/sign-in.njk', {
      pageTitle: request.t('citizen.signIn.title'),
      values: { next: safeNext((request.query as { next?: string }).next, '') },
    }),
  )

  app.post('/account/sign-in', { preValidation: limit }, async (request, reply) => {
    const email = field(request.body, 'email').trim()
    const next = safeNext(field(request.body, 'next'), '')
    if (!isPlausibleEmail(email)) {
      reply.code(400)
      return reply.render('account/sign-in.njk', {
        pageTitle: request.t('citizen.signIn.title'),
        values: { email: email.slice(0, 500), next },
        ...formErrors(
          [{ field: 'email', code: email ? 'invalid' : 'required' }],
          request.t,
          'citizen.signIn.errors',
        ),
      })
    }
    const now = new Date()
    await db.transaction().execute(async (trx) => {
      const token = await issueEmailToken(
        trx,
        {
          purpose: 'citizen.sign-in',
          email,
          payload: { language: request.locale, next },
          ttlMinutes: SIGN_IN_LINK_MINUTES,
        },
        now,
      )
      await mailer.send(
        trx,
        {
          to: email,
          template: 'citizen-sign-in',
          language: request.locale,
          data: {
            link: `${config.publicUrl}${localePath(request.locale, `/account/verify?token=${token}`)}`,
            minutes: SIGN_IN_LINK_MINUTES,
          },
        },
        now,
      )
    })
    return reply.render('account/check-email.njk', {
      pageTitle: request.t('citizen.checkEmail.title'),
      email,
    })
  })

  app.get('/account/verify', async (request, reply) => {
    const token = String((request.query as { token?: string }).token ?? '')
    return reply.render('account/verify.njk', { pageTitle: request.t('citizen.verify.title'), token })
  })

  app.post('/account/verify', async (request, reply) => {
    const now = new Date()
    const result = await consumeEmailToken(db, field(request.body, 'token'), 'citizen.sign-in', now)
    if (!result.ok) {
      reply.code(400)
      return reply.render('account/link-problem.njk', {
        pageTitle: request.t(`citizen.link.${result.problem}`),
        problem: result.problem,
      })
    }
    const language = result.token.payload['language']
    const citizen = await upsertVerifiedCitizen(
      db,
      { email: result.token.email, language: isLocale(language) ? language : request.locale },
      now,
    )
    request.session.set('citizenId', citizen.id)
    await recordAudit(db, {
      actor: { kind: 'citizen', id: citizen.id, email: citizen.email, assurance: citizen.assuranceLevel },
      action: 'platform.citizen.verify-email',
      subject: { type: 'citizen', id: citizen.id },
      requestId: request.id,
    })
    const next = safeNext(result.token.payload['next'], '')
    if (next) return reply.redirect(next, 303)
    return reply.redirectTo('/account')
  })

  app.get('/account', async (request, reply) => {
    if (request.actor.kind !== 'citizen') return reply.redirectTo('/account/sign-in')
    const citizen = await findCitizenById(db, request.actor.id)
    return reply.render('account/account.njk', { pageTitle: request.t('citizen.account.title'), citizen })
  })

  app.post('/account', async (request, reply) => {
    if (request.actor.kind !== 'citizen') return reply.redirectTo('/account/sign-in')
    const language = field(request.body, 'language')
    const keep = field(request.body, 'keepAccount') === 'yes'
    await updateCitizenPreferences(db, request.actor.id, {
      ...(isLocale(language) ? { language } : {}),
      hasAccount: keep,
    })
    await recordAudit(db, {
      actor: request.actor,
      action: 'platform.citizen.preferences',
      subject: { type: 'citizen', id: request.actor.id },
      details: { language, keep },
      requestId: request.id,
    })
    request.session.set('flash', { kind: 'success', text: request.t('citizen.account.saved') })
    return reply.redirectTo('/account')
  })

  app.post('/account/sign-out', async (request, reply) => {
    request.session.set('citizenId', undefined)
    return reply.redirectTo('/')
  })

  app.post('/account/delete', async (request, reply) => {
    if (request.actor.kind !== 'citizen') return reply.redirectTo('/account/sign-in')
    await pseudonymiseCitizen(db, request.actor.id)
    await recordAudit(db, {
      actor: request.actor,
      action: 'platform.citizen.delete',
      subject: { type: 'citizen', id: request.actor.id },
      requestId: request.id,
    })
    request.session.set('citizenId', undefined)
    request.session.set('flash', { kind: 'info', text: request.t('citizen.account.deleted') })
    return reply.redirectTo('/')
  })
}

export default citizenRoutes
