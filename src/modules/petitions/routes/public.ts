import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { decide } from '../../../platform/auth/permissions.js'
import { DomainError, notFound } from '../../../platform/errors/errors.js'
import { field, formErrors } from '../../../platform/http/forms.js'
import '../../../platform/http/types.js'
import { READ_TTL_MS, ttlCache } from '../cache.js'
import { confirmPetitionSignature, loadSignDeps, signPetition } from '../commands/sign.js'
import { countryOptions } from '../domain/countries.js'
import { responseDueAt, VISIBLE_STATES } from '../domain/petition.js'
import type { SignatureInput } from '../domain/signature.js'
import { petitionPermissions } from '../permissions.js'
import { loadPetitionSettings } from '../settings.js'
import {
  findCounts,
  findPetitionById,
  findPetitionEvents,
  listPetitions,
  sponsorTokenMatches,
} from '../store/petition-store.js'

export function signatureFields(body: unknown): SignatureInput {
  return {
    name: field(body, 'name').slice(0, 10_000),
    email: field(body, 'email').slice(0, 1000),
    country: field(body, 'country').toUpperCase() || 'GB',
    postcode: field(body, 'postcode').slice(0, 1000),
    declaration: field(body, 'declaration') === 'yes' || field(body, 'declaration') === 'true',
    notify: field(body, 'notify') === 'yes' || field(body, 'notify') === 'true',
  }
}

/** utm_campaign (or campaign) from the page the signer came from, for "what drove the clicks". */
function campaignOf(request: FastifyRequest): string | null {
  const q = request.query as Record<string, string | undefined>
  return q['utm_campaign'] ?? q['campaign'] ?? null
}

/** Citizens read petitions, sign them (double opt-in) and confirm from the emailed link. */
const publicRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services

  app.get('/petitions', async (request, reply) => {
    const state = (request.query as { state?: string }).state === 'closed' ? 'closed' : 'open'
    const { petitions } = await listPetitions(db, { states: [state], page: 1, pageSize: 50 })
    return reply.render('petitions/index.njk', {
      pageTitle: request.t('petitions.index.title'),
      petitions,
      state,
    })
  })

  async function showPetition(request: FastifyRequest, id: number, sponsorToken = '') {
    const petition = await findPetitionById(db, id)
    const visible =
      petition && (VISIBLE_STATES as readonly string[]).concat('hidden').includes(petition.state)
    // Before publication the petition is seen only through its creator's sponsor link.
    const sponsoring = !!petition && !visible && (await sponsorTokenMatches(db, id, sponsorToken))
    if (!petition || !(visible || sponsoring)) throw notFound()
    const [assurance, events] = await Promise.all([
      findCounts(db, id, 'assurance'),
      findPetitionEvents(db, id),
    ])
    const settings = await loadPetitionSettings(db)
    return {
      responseDue: responseDueAt(petition, settings),
      pageTitle: petition.state === 'hidden' ? request.t('petitions.show.hiddenTitle') : petition.action,
      petition,
      assurance,
      events,
      canSign: decide(petitionPermissions, 'sign:petition', request.actor, petition).allowed,
      sponsorToken: sponsoring ? sponsorToken : null,
      countries: countryOptions(request.locale),
    }
  }

  /*
   * The page anonymous readers reload to watch the count (issue #3: 80–100k at once in the UK
   * 2019 surge), rendered at most once per READ_TTL_MS per petition and language. Only the
   * anonymous variant is cached, and without its per-request secrets: the CSP nonce and the
   * CSRF token are placeholders in the cached copy, replaced for each reader, so no token or
   * session ever leaks from one reader to another.
   */
  const pages = ttlCache<readonly string[]>(READ_TTL_MS, 500)
  const NONCE = '__petitions_csp_nonce__'
  const CSRF = '__petitions_csrf_token__'
  const PLACEHOLDERS = /(__petitions_csp_nonce__|__petitions_csrf_token__)/
  const cachedPageKey = Symbol('petitionsCachedPageKey')
  type Keyed = FastifyRequest & { [cachedPageKey]?: { key: string; csrfToken: string } }

  /** The cached page is kept split at its placeholders (odd pieces), so a hit only joins. */
  function personalise(pieces: readonly string[], reply: FastifyReply, csrfToken: string): string {
    const nonce = (reply as FastifyReply & { cspNonce?: { style: string } }).cspNonce?.style ?? ''
    let out = ''
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!
      out += i % 2 === 0 ? piece : piece === NONCE ? nonce : csrfToken
    }
    return out
  }

  // Stores the page as rendered with placeholders, then personalises it like a cache hit.
  app.addHook('onSend', async (request, reply, payload) => {
    const pending = (request as Keyed)[cachedPageKey]
    if (pending === undefined || reply.statusCode !== 200 || typeof payload !== 'string') return payload
    const pieces = payload.split(PLACEHOLDERS)
    pages.set(pending.key, pieces)
    return personalise(pieces, reply, pending.csrfToken)
  })

  app.get('/petitions/:id(^\\d+)', async (request, reply) => {
    const id = Number((request.params as { id: string }).id)
    const cacheable =
      request.actor.kind === 'anonymous' &&
      request.url === `/petitions/${id}` &&
      request.session?.get('flash') === undefined
    if (!cacheable) {
      const data = await showPetition(request, id)
      return reply.render('petitions/show.njk', { ...data, values: { country: 'GB' } })
    }
    const key = `${request.locale}:${id}`
    const pieces = pages.getOrRefresh(key)
    if (pieces !== undefined) {
      return (
        reply
          .type('text/html; charset=utf-8')
          .header('content-language', request.locale === 'cy' ? 'cy' : 'en-GB')
          .header('cache-control', 'no-store')
          // The token is made here, in the handler, so the session cookie that backs it is sent.
          .send(personalise(pieces, reply, pieces.includes(CSRF) ? reply.generateCsrf() : ''))
      )
    }
    const data = await showPetition(request, id)
    ;(request as Keyed)[cachedPageKey] = { key, csrfToken: data.canSign ? reply.generateCsrf() : '' }
    return reply.render('petitions/show.njk', {
      ...data,
      values: { country: 'GB' },
      cspNonce: NONCE,
      csrfToken: () => CSRF,
    })
  })

  app.get('/petitions/:id(^\\d+)/sponsor', async (request, reply) => {
    const token = String((request.query as { token?: string }).token ?? '').slice(0, 200)
    const data = await showPetition(request, Number((request.params as { id: string }).id), token)
    return reply.render('petitions/show.njk', { ...data, values: { country: 'GB' } })
  })

  app.post('/petitions/:id(^\\d+)/signatures', async (request, reply) => {
    const id = Number((request.params as { id: string }).id)
    const fields = signatureFields(request.body)
    const sponsorToken = field(request.body, 'sponsorToken').slice(0, 200)
    const outcome = await signPetition(
      await loadSignDeps(app.services),
      {
        petitionId: id,
        fields,
        ip: request.ip,
        language: request.locale,
        assurance: request.actor.kind === 'citizen' ? request.actor.assurance : 'email-verified',
        referrer: (request.headers.referer as string | undefined) ?? null,
        campaign: campaignOf(request),
        sponsorToken,
      },
      new Date(),
    )
    if (outcome.kind === 'not-found') throw notFound()
    if (outcome.kind === 'closed') throw new DomainError('petition-closed', 409)
    if (outcome.kind === 'invalid') {
      reply.code(400)
      const data = await showPetition(request, id, sponsorToken)
      return reply.render('petitions/show.njk', {
        ...data,
        values: fields,
        ...formErrors(outcome.problems, request.t, 'petitions.sign.errors'),
      })
    }
    return reply.render('petitions/check-email.njk', {
      pageTitle: request.t('petitions.sign.checkEmail'),
      email: fields.email.trim(),
      petitionId: id,
    })
  })

  app.get('/petitions/:id(^\\d+)/signatures/:sid(^\\d+)/confirm', async (request, reply) => {
    const params = request.params as { id: string; sid: string }
    const token = String((request.query as { token?: string }).token ?? '').slice(0, 200)
    return reply.render('petitions/confirm.njk', {
      pageTitle: request.t('petitions.confirm.title'),
      params,
      token,
    })
  })

  app.post('/petitions/:id(^\\d+)/signatures/:sid(^\\d+)/confirm', async (request, reply) => {
    const params = request.params as { id: string; sid: string }
    const petitionId = Number(params.id)
    // The same thank-you whatever happened: a used, wrong or shadow-banned link reveals nothing.
    await confirmPetitionSignature(
      await loadSignDeps(app.services),
      { petitionId, signatureId: Number(params.sid), token: field(request.body, 'token') },
      new Date(),
    )
    return reply.redirectTo(`/petitions/${petitionId}/signed`)
  })

  app.get('/petitions/:id(^\\d+)/signed', async (request, reply) => {
    const petition = await findPetitionById(db, Number((request.params as { id: string }).id))
    if (!petition) throw notFound()
    return reply.render('petitions/signed.njk', { pageTitle: request.t('petitions.signed.title'), petition })
  })
}

export default publicRoutes
