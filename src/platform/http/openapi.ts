import swagger from '@fastify/swagger'
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

/**
 * The OpenAPI document of the JSON API (DESIGN.md contract: `/api/v1/openapi.json`), built from
 * the schemas every `/api/…` route declares. HTML routes are left out of it.
 */
const openapiPlugin: FastifyPluginAsync = async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Townsquare API',
        version: '1',
        description: 'Open data and participation API of a Townsquare installation.',
      },
    },
    transform: ({ schema, url }) => ({
      schema: url.startsWith('/api/') ? schema : { ...schema, hide: true },
      url,
    }),
  })
  app.addHook('onReady', async () => {
    app.swagger()
  })
}

export default fp(openapiPlugin, { name: 'openapi' })
