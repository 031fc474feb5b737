import type { FastifyPluginAsync } from 'fastify'
import { sql } from 'kysely'
import { modules } from '../../modules/index.js'
import '../http/types.js'

/** Public platform pages: home, health check, and the statements every public body must publish. */
const pagesRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(app.services.db)
      return reply.header('cache-control', 'no-store').send({ status: 'ok' })
    } catch {
      return reply.code(503).send({ status: 'unavailable' })
    }
  })

  app.get('/api/v1/openapi.json', async (_request, reply) =>
    reply.header('access-control-allow-origin', '*').send(app.swagger()),
  )

  app.get('/', async (request, reply) => {
    const org = await app.services.organisation()
    const enabled = modules.filter((m) => m.nav && org.enabledModules.includes(m.key))
    return reply.render('pages/home.njk', {
      pageTitle: request.t('home.title'),
      modules: enabled.map((m) => ({
        key: m.key,
        title: request.t(m.nav!.labelKey),
        description: request.t(`home.modules.${m.key}`),
        path: m.nav!.path,
      })),
    })
  })

  for (const page of ['accessibility', 'privacy', 'cookies'] as const) {
    app.get(`/${page}`, async (request, reply) =>
      reply.render(`pages/${page}.njk`, { pageTitle: request.t(`${page}.title`) }),
    )
  }
}

export default pagesRoutes
