import type { FastifyPluginAsync } from 'fastify'
import { changed } from '../cache.js'
import adminRoutes from './admin.js'
import apiRoutes from './api.js'
import createRoutes from './create.js'
import fraudRoutes from './fraud.js'
import openDataRoutes from './open-data.js'
import publicRoutes from './public.js'

/**
 * Signing and confirming arrive by the thousand in a surge and only move the count, which may be
 * a moment stale (cache.ts); every change staff make through these routes (moderation,
 * responses, fraud rules) is seen at once by the next reader of this process.
 */
const petitionRoutes: FastifyPluginAsync = async (app) => {
  // onSend: before the writer hears back, so their own next read already sees the change. Only
  // staff writes that succeeded count: what the public posts (signatures, confirmations, new
  // petitions, refused forms) never changes a published page at once, and a flood of such posts
  // must not keep emptying the cache.
  app.addHook('onSend', async (request, reply, payload) => {
    const write = request.method !== 'GET' && request.method !== 'HEAD'
    if (write && request.actor?.kind === 'staff' && reply.statusCode < 400) changed()
    return payload
  })
  await app.register(openDataRoutes)
  await app.register(publicRoutes)
  await app.register(apiRoutes)
  await app.register(createRoutes)
  await app.register(adminRoutes)
  await app.register(fraudRoutes)
}

export default petitionRoutes
