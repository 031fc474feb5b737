import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { DomainError } from '../errors/errors.js'
import '../http/types.js'
import { localePath } from '../i18n/i18n.js'
import { ANONYMOUS } from './actor.js'
import { findCitizenById } from './citizens.js'
import { isLocked } from './lockout.js'
import { decide, type PermissionsTable } from './permissions.js'
import { findStaffById } from './staff-store.js'

/** Staff sessions end after this long, however active (a shared office PC is the threat). */
export const STAFF_SESSION_HOURS = 10

/** Resolves `request.actor` from the session: a staff user, a verified citizen, or anonymous. */
const authPlugin: FastifyPluginAsync = async (app) => {
  const { db } = app.services
  app.decorateRequest('actor', null as never)
  app.addHook('preHandler', async (request) => {
    request.actor = ANONYMOUS
    const session = request.session
    if (!session) return
    const staffId = session.get('staffId')
    if (typeof staffId === 'number') {
      const since = session.get('staffSince') ?? 0
      const user = await findStaffById(db, staffId)
      const expired = Date.now() - since > STAFF_SESSION_HOURS * 3600_000
      if (user && !user.disabled && !isLocked(user.lockedUntil, new Date()) && !expired) {
        request.actor = { kind: 'staff', id: user.id, email: user.email, name: user.name, roles: user.roles }
        return
      }
      session.set('staffId', undefined)
    }
    const citizenId = session.get('citizenId')
    if (typeof citizenId === 'number') {
      const citizen = await findCitizenById(db, citizenId)
      if (citizen) {
        request.actor = {
          kind: 'citizen',
          id: citizen.id,
          email: citizen.email,
          assurance: citizen.assuranceLevel,
        }
        return
      }
      session.set('citizenId', undefined)
    }
  })
}

export default fp(authPlugin, { name: 'auth', dependencies: ['services', 'security'] })

function refuse(request: FastifyRequest, reply: FastifyReply, reason: string): void {
  if (request.actor.kind === 'anonymous' && request.method === 'GET' && !request.url.startsWith('/api/')) {
    const next = encodeURIComponent(localePath(request.locale, request.url))
    reply.redirect(localePath(request.locale, `/admin/login?next=${next}`), 303)
    return
  }
  throw new DomainError(
    request.actor.kind === 'anonymous' ? 'not-signed-in' : 'forbidden',
    request.actor.kind === 'anonymous' ? 401 : 403,
    { reason },
  )
}

/**
 * A preHandler that lets the request through only if the module's permissions table allows
 * `key` for the actor. Anonymous visitors of staff pages are sent to the login page.
 */
export function requirePermission<T extends PermissionsTable>(
  table: T,
  key: keyof T & string,
): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const decision = decide(table, key, request.actor)
    if (!decision.allowed) refuse(request, reply, decision.reason)
  }
}
