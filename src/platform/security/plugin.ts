import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import secureSession from '@fastify/secure-session'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { DomainError } from '../errors/errors.js'
import '../http/types.js'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Requests that carry no cookie credentials and so need no CSRF token: the JSON API. */
function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/')
}

/**
 * helmet with a per-request CSP nonce, encrypted cookie sessions that any process can read (the
 * key is shared through config or the database), CSRF tokens on every form, and route rate
 * limits kept in Redis when it is configured.
 */
const securityPlugin: FastifyPluginAsync = async (app) => {
  const { config, redis, sessionKey } = app.services
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    // The open-data JSON is read by other sites (CORS is set per route).
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: config.cookieSecure,
  })
  await app.register(formbody, { bodyLimit: 1024 * 1024 })
  await app.register(secureSession, {
    key: sessionKey,
    cookieName: 'townsquare_session',
    expiry: 12 * 60 * 60,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.cookieSecure },
  })
  await app.register(csrf, {
    sessionPlugin: '@fastify/secure-session',
    getToken: (req) =>
      (req.body as { _csrf?: string } | undefined)?._csrf ??
      (req.headers['x-csrf-token'] as string | undefined),
  })
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'ts:route-limit:' } : {}),
    errorResponseBuilder: () => new DomainError('rate-limited', 429),
  })

  app.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE.has(request.method) || isApi(request)) return done()
    app.csrfProtection(request, reply, done)
  })
}

export default fp(securityPlugin, { name: 'security', dependencies: ['services'] })
