import { timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import { DomainError } from '../../../platform/errors/errors.js'
import '../../../platform/http/types.js'
import { type RawPost, validateRawPost } from '../domain/post.js'
import { ingestPosts } from '../services/ingest.js'
import { findSource } from '../store/source-store.js'
import { hashToken } from './admin.js'

/**
 * Items are checked one by one after the request is accepted (a malformed one is skipped and
 * counted, the rest are stored), so the schema describes them without constraining them.
 */
const postItem = {
  description:
    'A post: { id, text or html, publishedAt (ISO-8601), author?, authorName?, url?, lang?, hashtags?: string[], mentions?: string[] }. ' +
    'The same id twice is stored once. Items that are not objects, or lack an id, text/html or a readable date, are skipped and counted.',
} as const

const MAX_POSTS = 1000

/** The token-protected webhook: another system pushes posts into a webhook source. */
const apiRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  app.post(
    '/api/v1/listening/webhook/:sourceId',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        summary: 'Push posts into a listening webhook source (Authorization: Bearer <token>)',
        tags: ['listening'],
        params: {
          type: 'object',
          properties: { sourceId: { type: 'integer', minimum: 1 } },
          required: ['sourceId'],
        },
        headers: {
          type: 'object',
          properties: {
            authorization: {
              type: 'string',
              description: 'Bearer <token shown when the source was created>',
            },
          },
        },
        body: {
          type: 'object',
          required: ['posts'],
          properties: { posts: { type: 'array', maxItems: MAX_POSTS, items: postItem } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              received: { type: 'integer' },
              stored: { type: 'integer' },
              duplicates: { type: 'integer' },
              skipped: { type: 'integer', description: 'malformed items' },
            },
          },
        },
      },
    },
    async (request) => {
      const sourceId = (request.params as { sourceId: number }).sourceId
      const auth = String(request.headers.authorization ?? '')
      const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1]
      const source = await findSource(db, sourceId)
      // The same answer for a wrong token and an unknown source: nothing to probe.
      const ok =
        token !== undefined &&
        source !== undefined &&
        source.type === 'webhook' &&
        source.tokenHash !== null &&
        timingSafeEqual(Buffer.from(hashToken(token)), Buffer.from(source.tokenHash))
      if (!ok || !source) throw new DomainError('not-signed-in', 401)
      if (!source.enabled) throw new DomainError('source-disabled', 409)
      const items = (request.body as { posts: unknown[] }).posts
      const posts: RawPost[] = []
      for (const item of items) {
        const post = validateRawPost(item)
        if (post) posts.push(post)
      }
      const skipped = items.length - posts.length
      const result = await ingestPosts(db, source, posts, { skipped })
      if (result.stored > 0 || skipped > 0)
        await recordAudit(db, {
          actor: systemActor('listening.webhook'),
          action: 'listening.webhook.receive',
          subject: { type: 'listening_source', id: source.id },
          details: { received: items.length, stored: result.stored, skipped },
          requestId: request.id,
        })
      return {
        received: items.length,
        stored: result.stored,
        duplicates: posts.length - result.stored,
        skipped,
      }
    },
  )
}

export default apiRoutes
