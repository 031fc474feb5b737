import type { FastifyPluginAsync } from 'fastify'
import adminRoutes from './admin.js'
import apiRoutes from './api.js'
import publicRoutes from './public.js'

/** Every route of the module: public pages, staff pages and the JSON API. */
const deliberationRoutes: FastifyPluginAsync = async (app) => {
  await app.register(publicRoutes)
  await app.register(adminRoutes)
  await app.register(apiRoutes)
}

export default deliberationRoutes
