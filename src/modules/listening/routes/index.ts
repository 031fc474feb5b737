import type { FastifyPluginAsync } from 'fastify'
import adminRoutes from './admin.js'
import apiRoutes from './api.js'

const listeningRoutes: FastifyPluginAsync = async (app) => {
  await app.register(adminRoutes)
  await app.register(apiRoutes)
}

export default listeningRoutes
