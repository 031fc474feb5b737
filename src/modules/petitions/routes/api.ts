import type { FastifyPluginAsync } from 'fastify'
import { DomainError } from '../../../platform/errors/errors.js'
import '../../../platform/http/types.js'
import { loadSignDeps, signPetition } from '../commands/sign.js'

const signatureBody = {
  type: 'object',
  required: ['name', 'email', 'country', 'postcode', 'declaration'],
  properties: {
    name: { type: 'string', maxLength: 10000 },
    email: { type: 'string', maxLength: 1000 },
    country: { type: 'string', maxLength: 3, description: 'ISO 3166-1 alpha-2, e.g. GB' },
    postcode: { type: 'string', maxLength: 1000, description: 'required and validated when country is GB' },
    declaration: { type: 'boolean', description: 'the signer declares they are eligible' },
    notify: { type: 'boolean', default: false },
    language: { type: 'string', enum: ['en', 'cy'], default: 'en' },
  },
} as const

/** The JSON API: the same rules as the form. */
const apiRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/api/v1/petitions/:id/signatures',
    {
      schema: {
        summary: 'Sign a petition (double opt-in: the signer confirms from an emailed link)',
        tags: ['petitions'],
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
        body: signatureBody,
        response: {
          202: {
            type: 'object',
            properties: { status: { type: 'string', enum: ['check-email'] } },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body as {
        name: string
        email: string
        country: string
        postcode: string
        declaration: boolean
        notify: boolean
        language: string
      }
      const outcome = await signPetition(
        await loadSignDeps(app.services),
        {
          petitionId: (request.params as { id: number }).id,
          fields: { ...body, country: body.country.toUpperCase() },
          ip: request.ip,
          language: body.language,
          assurance: 'email-verified',
        },
        new Date(),
      )
      if (outcome.kind === 'not-found') throw new DomainError('not-found', 404)
      if (outcome.kind === 'closed') throw new DomainError('petition-closed', 409)
      if (outcome.kind === 'invalid') {
        throw new DomainError('validation-failed', 400, {
          fields: outcome.problems.map((p) => ({ field: p.field, code: p.code })),
        })
      }
      return reply.code(202).send({ status: 'check-email' })
    },
  )
}

export default apiRoutes
