import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import '../http/types.js'
import { DomainError } from './errors.js'

function wantsJson(request: FastifyRequest): boolean {
  return (
    request.url.startsWith('/api/') ||
    /\.json(\?|$)/.test(request.url) ||
    request.headers.accept === 'application/json'
  )
}

async function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  details?: unknown,
) {
  reply.code(status)
  if (wantsJson(request)) {
    return reply.type('application/json').send({
      error: {
        code,
        message: request.t ? request.t(`errors.${code}.title`) : code,
        ...(details ? { details } : {}),
      },
    })
  }
  try {
    return await reply.render('pages/error.njk', {
      status,
      code,
      pageTitle: request.t(`errors.${code}.title`),
    })
  } catch (err) {
    request.log.error({ err }, 'error page failed to render')
    return reply.type('text/plain; charset=utf-8').send(`Error ${status}`)
  }
}

/**
 * One error handler (fastify/demo): expected errors get their stable code and a page or JSON
 * body in the visitor's language; anything else is logged with the request id and shown as a
 * plain "something went wrong" without internals.
 */
const errorsPlugin: FastifyPluginAsync = async (app) => {
  app.setErrorHandler(async (error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      return sendError(request, reply, error.statusCode, error.code, error.details)
    }
    const fe = error as FastifyError
    if (fe.validation) {
      const fields = fe.validation.map((v) => ({
        field: (
          v.instancePath || String((v.params as { missingProperty?: string }).missingProperty ?? '')
        ).replace(/^\//, ''),
        message: v.message,
      }))
      return sendError(request, reply, 400, 'validation-failed', { context: fe.validationContext, fields })
    }
    // @fastify/csrf-protection replies with its own FST_CSRF_* errors.
    if (typeof fe.code === 'string' && fe.code.startsWith('FST_CSRF'))
      return sendError(request, reply, 403, 'csrf-invalid')
    const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 ? fe.statusCode : 500
    if (status < 500) {
      const code =
        status === 404
          ? 'not-found'
          : status === 429
            ? 'rate-limited'
            : status === 403
              ? 'forbidden'
              : 'bad-request'
      return sendError(request, reply, status, code)
    }
    request.log.error(
      { err: error, reqId: request.id, method: request.method, url: request.url },
      'request failed',
    )
    return sendError(request, reply, 500, 'internal')
  })

  app.setNotFoundHandler(
    {
      // An attacker could probe for valid URLs; slow them down (fastify/demo).
      preHandler: app.rateLimit({ max: 200, timeWindow: '1 minute' }),
    },
    async (request, reply) => sendError(request, reply, 404, 'not-found'),
  )
}

export default fp(errorsPlugin, { name: 'errors', dependencies: ['views', 'security'] })
