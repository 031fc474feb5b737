import type { FastifyPluginAsync } from 'fastify'
import adminRoutes from './admin.js'
import publicRoutes from './public.js'

const publishingRoutes: FastifyPluginAsync = async (app) => {
  await app.register(adminRoutes)
  await app.register(publicRoutes)
}

export default publishingRoutes
