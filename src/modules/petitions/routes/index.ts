import type { FastifyPluginAsync } from 'fastify'
import apiRoutes from './api.js'
import openDataRoutes from './open-data.js'
import publicRoutes from './public.js'

const petitionRoutes: FastifyPluginAsync = async (app) => {
  await app.register(openDataRoutes)
  await app.register(publicRoutes)
  await app.register(apiRoutes)
}

export default petitionRoutes
