import type { FastifyPluginAsync } from 'fastify'
import { isPlausibleEmail } from '../../../platform/auth/citizens.js'
import { type FieldProblem, field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import { intlLocale } from '../../../platform/i18n/i18n.js'
import { formatClock } from '../domain/business-hours.js'
import { caseReference, channelOfContext } from '../domain/case.js'
import { receiveMessage } from '../services/intake.js'
import { inboxSettings } from '../settings.js'
import { inboxResponseStats, lastMonth } from '../stats.js'
import { defaultPolicy } from '../store/config-store.js'

const ABOUT = /^(petitions|consultations|budgets|deliberation|ideas):[\w-]{1,40}$/

/** The public contact form (the inbox's own channel) and the published service standard. */
const publicRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services

  function aboutOf(value: unknown): string {
    const s = typeof value === 'string' ? value : ''
    return ABOUT.test(s) ? s : ''
  }

  app.get('/contact', async (request, reply) => {
    const about = aboutOf((request.query as { about?: string }).about)
    return reply.render('inbox/contact.njk', {
      pageTitle: request.t('inbox.contact.title'),
      values: { name: '', email: '', message: '', about },
    })
  })

  app.post('/contact', async (request, reply) => {
    const body = request.body
    const values = {
      name: field(body, 'name').trim().slice(0, 200),
      email: field(body, 'email').trim().slice(0, 254),
      message: field(body, 'message').slice(0, 10_000),
      about: aboutOf(field(body, 'about')),
    }
    const problems: FieldProblem[] = []
    if (values.name === '') problems.push({ field: 'name', code: 'required' })
    if (values.email === '') problems.push({ field: 'email', code: 'required' })
    else if (!isPlausibleEmail(values.email)) problems.push({ field: 'email', code: 'invalid' })
    if (values.message.trim() === '') problems.push({ field: 'message', code: 'required' })
    else if (field(body, 'message').length > 5000) problems.push({ field: 'message', code: 'too-long' })
    if (problems.length > 0) {
      reply.code(400)
      return reply.render('inbox/contact.njk', {
        pageTitle: request.t('inbox.contact.title'),
        values,
        ...formErrors(problems, request.t, 'inbox.contact.errors'),
      })
    }
    const now = new Date()
    const result = await receiveMessage(
      db,
      {
        channel: values.about ? channelOfContext(values.about) : 'contact',
        text: values.message.trim(),
        receivedAt: now,
        subject: values.about || null,
        context: values.about || null,
        citizenName: values.name,
        citizenEmail: values.email.toLowerCase(),
        citizenHandle: values.email.toLowerCase(),
        // The citizen chose the page's language: answers go back in it.
        language: request.locale,
      },
      now,
    )
    return reply.redirectTo(`/contact/sent?ref=${caseReference(result.caseId)}`)
  })

  app.get('/contact/sent', async (request, reply) => {
    const ref = String((request.query as { ref?: string }).ref ?? '')
    return reply.render('inbox/contact-sent.njk', {
      pageTitle: request.t('inbox.contact.sentTitle'),
      reference: /^TS-\d{1,12}$/.test(ref) ? ref : null,
    })
  })

  app.get('/service-standards', async (request, reply) => {
    const settings = await inboxSettings(db)
    const policy = await defaultPolicy(db)
    const { from, to } = lastMonth(new Date())
    const stats = settings.publishStandards ? await inboxResponseStats(db, from, to) : null
    const days = [1, 2, 3, 4, 5, 6, 0].map((d) => {
      const w = policy.hours.days[d]
      return { day: d, hours: w ? `${formatClock(w[0])}–${formatClock(w[1])}` : null }
    })
    const upcoming = policy.hours.holidays
      .filter((h) => h >= new Date().toISOString().slice(0, 10))
      .slice(0, 8)
    return reply.render('inbox/service-standards.njk', {
      pageTitle: request.t('inbox.standards.title'),
      policy,
      days,
      upcoming,
      stats,
      monthLabel: new Intl.DateTimeFormat(intlLocale(request.locale), {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(from),
      published: settings.publishStandards,
    })
  })
}

export default publicRoutes
