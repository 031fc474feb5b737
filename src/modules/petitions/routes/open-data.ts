import type { FastifyPluginAsync } from 'fastify'
import { DomainError } from '../../../platform/errors/errors.js'
import { toCsv } from '../../../platform/http/csv.js'
import '../../../platform/http/types.js'
import { READ_TTL_MS, ttlCache } from '../cache.js'
import { type PetitionState, VISIBLE_STATES } from '../domain/petition.js'
import { toUkPetitionJson } from '../interop/uk-json.js'
import { findCounts, findPetitionById, listPetitions } from '../store/petition-store.js'

/** The UK site's `state` filter values and the states each one means. */
const STATE_FILTERS: Readonly<Record<string, readonly PetitionState[]>> = {
  all: VISIBLE_STATES,
  open: ['open'],
  closed: ['closed'],
  rejected: ['rejected'],
  awaiting_response: ['open', 'closed'],
  with_response: ['open', 'closed'],
  debated: ['open', 'closed'],
}

/** Open data has a short shared-cache life, as the UK site's (max-age = count interval). */
function openDataHeaders(reply: { header(k: string, v: string): unknown }): void {
  reply.header('access-control-allow-origin', '*')
  reply.header('cache-control', 'public, max-age=5, stale-while-revalidate=10, stale-if-error=25')
}

/**
 * Open data in the petition.parliament.uk shapes: the paged list, one petition, its count.
 */
const openDataRoutes: FastifyPluginAsync = async (app) => {
  const { db, config } = app.services

  app.get(
    '/petitions.json',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            state: { type: 'string', enum: Object.keys(STATE_FILTERS), default: 'all' },
            q: { type: 'string', maxLength: 200 },
            page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
            count: { type: 'integer', minimum: 1, maximum: 50, default: 25 },
          },
        },
      },
    },
    async (request, reply) => {
      const query = request.query as { state: string; q?: string; page: number; count: number }
      const { petitions, total } = await listPetitions(db, {
        states: STATE_FILTERS[query.state]!,
        ...(query.q ? { q: query.q } : {}),
        page: query.page,
        pageSize: query.count,
      })
      const last = Math.max(1, Math.ceil(total / query.count))
      const link = (page: number) => {
        const params = new URLSearchParams({
          state: query.state,
          ...(query.q ? { q: query.q } : {}),
          page: String(page),
        })
        return `${config.publicUrl}/petitions.json?${params}`
      }
      openDataHeaders(reply)
      return {
        links: {
          self: link(query.page),
          first: link(1),
          last: link(last),
          next: query.page < last ? link(query.page + 1) : null,
          prev: query.page > 1 ? link(query.page - 1) : null,
        },
        data: petitions.map((p) => {
          const { data } = toUkPetitionJson(p, { country: [], area: [], region: [] }, config.publicUrl) as {
            data: { attributes: Record<string, unknown> }
          }
          for (const k of ['signatures_by_country', 'signatures_by_constituency', 'signatures_by_region'])
            delete data.attributes[k]
          return { ...data, links: { self: `${config.publicUrl}/petitions/${p.id}.json` } }
        }),
      }
    },
  )

  app.get('/petitions.csv', async (request, reply) => {
    const state = (request.query as { state?: string }).state ?? 'all'
    const { petitions } = await listPetitions(db, {
      states: STATE_FILTERS[state] ?? VISIBLE_STATES,
      page: 1,
      pageSize: 10_000,
    })
    openDataHeaders(reply)
    return reply.header('content-type', 'text/csv; charset=utf-8').send(
      toCsv(
        ['id', 'action', 'state', 'signature_count', 'opened_at', 'closed_at', 'url'],
        petitions.map((p) => [
          p.id,
          p.state === 'hidden' ? '' : p.action,
          p.state,
          p.signatureCount,
          p.openedAt,
          p.closedAt,
          `${config.publicUrl}/petitions/${p.id}`,
        ]),
      ),
    )
  })

  async function visiblePetition(idText: string) {
    const petition = await findPetitionById(db, Number(idText))
    if (!petition || !(VISIBLE_STATES as readonly string[]).concat('hidden').includes(petition.state)) {
      throw new DomainError('not-found', 404)
    }
    return petition
  }

  app.get('/petitions/:id(^\\d+).json', async (request, reply) => {
    const petition = await visiblePetition((request.params as { id: string }).id)
    const [country, area, region] = await Promise.all([
      findCounts(db, petition.id, 'country'),
      findCounts(db, petition.id, 'area'),
      findCounts(db, petition.id, 'region'),
    ])
    openDataHeaders(reply)
    return toUkPetitionJson(petition, { country, area, region }, config.publicUrl)
  })

  /*
   * What the live count on the page polls, so what a surge hammers (issue #3): the answer is
   * serialised once per READ_TTL_MS per petition and served as it is (how stale: cache.ts; the
   * goal allows 5 s, and the response already says max-age=5).
   */
  const counts = ttlCache<string>(READ_TTL_MS, 2000)
  app.get('/petitions/:id(^\\d+)/count.json', async (request, reply) => {
    const idText = (request.params as { id: string }).id
    let body = counts.getOrRefresh(idText)
    if (body === undefined) {
      const p = await visiblePetition(idText)
      body = JSON.stringify({
        signature_count: p.signatureCount,
        updated_at: p.updatedAt,
        moderation_threshold_reached_at: p.moderationThresholdReachedAt,
        response_threshold_reached_at: p.responseThresholdReachedAt,
        debate_threshold_reached_at: p.debateThresholdReachedAt,
      })
      counts.set(idText, body)
    }
    openDataHeaders(reply)
    return reply.type('application/json; charset=utf-8').send(body)
  })
}

export default openDataRoutes
