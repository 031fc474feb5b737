import type { FastifyPluginAsync } from 'fastify'
import adminRoutes from './admin.js'
import apiRoutes from './api.js'
import createRoutes from './create.js'
import fraudRoutes from './fraud.js'
import openDataRoutes from './open-data.js'
import publicRoutes from './public.js'

const petitionRoutes: FastifyPluginAsync = async (app) => {
  await app.register(openDataRoutes)
  await app.register(publicRoutes)
  await app.register(apiRoutes)
  await app.register(createRoutes)
  await app.register(adminRoutes)
  await app.register(fraudRoutes)
}

export default petitionRoutes
