import type { FastifyPluginAsync } from 'fastify'
import { Type } from 'typebox'
import { decide } from '../../../platform/auth/permissions.js'
import { notFound } from '../../../platform/errors/errors.js'
import '../../../platform/http/types.js'
import { deliberationPermissions } from '../permissions.js'
import { findConversation } from '../store/conversation-store.js'
import { loadReport } from './report-data.js'
import { errorSchema, reportSchema } from './report-schema.js'

/** The JSON API: a conversation's report, public when its data is open, always for staff. */
const apiRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  app.get(
    '/api/v1/conversations/:id/report',
    {
      schema: {
        summary: 'The report of a conversation',
        description:
          'Opinion groups with sizes and representative statements, consensus, bridging (group-informed consensus) ' +
          'and divisive statements, the opinion map and participation over time. Public when the conversation’s ' +
          'data is open; otherwise staff only. Texts are in English, or in Welsh under /cy/api/….',
        tags: ['deliberation'],
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }),
        response: { 200: reportSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const id = Number((request.params as { id: string }).id)
      const c = await findConversation(db, id)
      if (!c) throw notFound()
      if (!decide(deliberationPermissions, 'read:report', request.actor, { openData: c.openData }).allowed)
        throw notFound()
      if (c.openData) reply.header('access-control-allow-origin', '*')
      reply.header('cache-control', 'no-store')
      return loadReport(db, c, request.locale, new Date())
    },
  )
}

export default apiRoutes
