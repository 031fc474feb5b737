import type { FastifyPluginAsync } from 'fastify'
import adminRoutes from './admin.js'
import apiRoutes from './api.js'
import publicRoutes from './public.js'

/** Every route of the budgets module: public pages, staff pages and the open-data API. */
const budgetsRoutes: FastifyPluginAsync = async (app) => {
  await app.register(publicRoutes)
  await app.register(adminRoutes)
  await app.register(apiRoutes)
}

export default budgetsRoutes
