import type { FastifyPluginAsync } from 'fastify'
import adminRoutes from './admin.js'
import publicRoutes from './public.js'
import setupRoutes from './setup.js'

const inboxRoutes: FastifyPluginAsync = async (app) => {
  await app.register(publicRoutes)
  await app.register(adminRoutes)
  await app.register(setupRoutes)
}

export default inboxRoutes
