import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { notFound } from '../../../platform/errors/errors.js'
import { field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import {
  createPetition,
  type PetitionDraft,
  similarOpenPetitions,
  validateStage,
  WIZARD_STAGES,
  type WizardStage,
} from '../commands/create.js'
import { pausingElection } from '../commands/maintenance.js'
import { loadSignDeps } from '../commands/sign.js'
import { countryOptions } from '../domain/countries.js'
import { TEXT_LIMITS } from '../domain/petition.js'
import { loadPetitionSettings } from '../settings.js'
import { countInModeration } from '../store/petition-store.js'

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The petition being written, between the wizard's pages. */
    petitionDraft: PetitionDraft
  }
}

function isStage(value: string): value is WizardStage {
  return (WIZARD_STAGES as readonly string[]).includes(value)
}

/** Reads the fields a stage's form sends into the draft. */
function readStage(stage: WizardStage, body: unknown, draft: PetitionDraft): PetitionDraft {
  switch (stage) {
    case 'eligibility': {
      const v = field(body, 'eligible')
      return { ...draft, ...(v === '' ? {} : { eligible: v === 'yes' }) }
    }
    case 'action':
      return { ...draft, action: field(body, 'action').slice(0, 5000) }
    case 'background':
      return { ...draft, background: field(body, 'background').slice(0, 5000) }
    case 'details':
      return { ...draft, additionalDetails: field(body, 'additionalDetails').slice(0, 10_000) }
    case 'creator':
      return {
        ...draft,
        name: field(body, 'name').slice(0, 1000),
        email: field(body, 'email').slice(0, 1000),
        country: field(body, 'country').toUpperCase() || 'GB',
        postcode: field(body, 'postcode').slice(0, 1000),
        notify: field(body, 'notify') === 'yes',
      }
    case 'check':
      return draft
  }
}

/**
 * Starting a petition: one question per page (GOV.UK pattern), similar open petitions shown
 * before the background is written, then check your answers.
 */
const createRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services

  async function renderStage(
    stage: WizardStage,
    draft: PetitionDraft,
    extra: object,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const settings = await loadSignDeps(app.services)
    const similar = stage === 'background' && draft.action ? await similarOpenPetitions(db, draft.action) : []
    const waiting = await countInModeration(db)
    return reply.render(`petitions/new-${stage}.njk`, {
      pageTitle: request.t(`petitions.new.${stage}.title`),
      stage,
      values: draft,
      limits: TEXT_LIMITS,
      similar,
      delayed: waiting > settings.rules.moderationDelayThreshold,
      countries: countryOptions(request.locale),
      ...extra,
    })
  }

  /** Inside a pausing pre-election period the wizard only says so, keeping any draft for later. */
  async function paused(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const period = await pausingElection(db, await loadPetitionSettings(db), new Date())
    if (!period) return false
    await reply.render('petitions/paused.njk', {
      pageTitle: request.t('petitions.paused.title'),
      period,
    })
    return true
  }

  app.get('/petitions/new', async (_request, reply) => reply.redirectTo('/petitions/new/eligibility'))

  app.get('/petitions/new/:stage', async (request, reply) => {
    const stage = (request.params as { stage: string }).stage
    if (!isStage(stage)) throw notFound()
    if (await paused(request, reply)) return reply
    return renderStage(stage, request.session.get('petitionDraft') ?? {}, {}, request, reply)
  })

  app.post('/petitions/new/:stage', async (request, reply) => {
    const stage = (request.params as { stage: string }).stage
    if (!isStage(stage)) throw notFound()
    if (await paused(request, reply)) return reply
    const deps = await loadSignDeps(app.services)
    const draft = readStage(stage, request.body, request.session.get('petitionDraft') ?? {})
    request.session.set('petitionDraft', draft)
    const problems = validateStage(stage, draft, deps.allowPlusAddresses)
    if (problems.length > 0) {
      reply.code(400)
      return renderStage(
        stage,
        draft,
        formErrors(problems, request.t, 'petitions.new.errors'),
        request,
        reply,
      )
    }
    if (stage !== 'check') {
      const next = WIZARD_STAGES[WIZARD_STAGES.indexOf(stage) + 1]!
      // "Change" links from check-your-answers come back to it.
      return reply.redirectTo(
        field(request.body, 'returnTo') === 'check' ? '/petitions/new/check' : `/petitions/new/${next}`,
      )
    }
    const created = await createPetition(deps, draft, request.locale, request.ip, new Date())
    if (!created.ok) {
      reply.code(400)
      return renderStage(
        'check',
        draft,
        formErrors(created.problems, request.t, 'petitions.new.errors'),
        request,
        reply,
      )
    }
    request.session.set('petitionDraft', undefined)
    return reply.render('petitions/new-sent.njk', {
      pageTitle: request.t('petitions.new.sent.title'),
      email: draft.email,
    })
  })
}

export default createRoutes
