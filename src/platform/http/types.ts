import type { Actor } from '../auth/actor.js'
import type { Locale, Translate } from '../i18n/i18n.js'
import type { Services } from '../services.js'

export interface RenderData {
  readonly [key: string]: unknown
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
  interface FastifyRequest {
    locale: Locale
    t: Translate
    actor: Actor
  }
  interface FastifyReply {
    /** Renders a page in the request's language with the layout's data. */
    render(template: string, data?: RenderData): Promise<void>
    /** 303 See Other to a path in the request's language (post-redirect-get). */
    redirectTo(path: string): void
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    staffId: number
    citizenId: number
    /** Password accepted, TOTP code still to give. */
    pendingTotp: { staffId: number; next: string; at: number }
    /** A one-off message for the next page. */
    flash: { kind: 'success' | 'info'; text: string }
    /** When the staff login happened (sessions expire after their lifetime). */
    staffSince: number
    /** A TOTP secret shown to a staff user until they confirm it with a code. */
    totpSetup: string
  }
}
