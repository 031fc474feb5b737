import { join } from 'node:path'
import staticFiles from '@fastify/static'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  LogController,
} from 'fastify'
import fp from 'fastify-plugin'
import { modules } from './modules/index.js'
import adminRoutes from './platform/admin/routes.js'
import citizenRoutes from './platform/auth/citizen-routes.js'
import authPlugin from './platform/auth/plugin.js'
import staffAuthRoutes from './platform/auth/staff-routes.js'
import { notFound } from './platform/errors/errors.js'
import errorsPlugin from './platform/errors/plugin.js'
import openapiPlugin from './platform/http/openapi.js'
import './platform/http/types.js'
import { splitLocale } from './platform/i18n/i18n.js'
import i18nPlugin from './platform/i18n/plugin.js'
import pagesRoutes from './platform/pages/routes.js'
import { ROOT, SRC } from './platform/paths.js'
import securityPlugin from './platform/security/plugin.js'
import type { Services } from './platform/services.js'
import { cssPath, ensureCss } from './platform/views/css.js'
import viewsPlugin from './platform/views/plugin.js'

export interface AppOptions {
  readonly services: Services
}

const servicesPlugin = fp<AppOptions>(
  async (app, { services }) => {
    app.decorate('services', services)
  },
  { name: 'services' },
)

/**
 * The application as a plugin (fastify/demo): platform plugins first, then the platform's own
 * pages, then every participation module from modules/index.ts, each encapsulated.
 */
const townsquare: FastifyPluginAsync<AppOptions> = async (app, options) => {
  await app.register(servicesPlugin, options)
  await app.register(i18nPlugin)
  await app.register(securityPlugin)
  await app.register(authPlugin)
  await app.register(viewsPlugin)
  await app.register(errorsPlugin)
  await app.register(openapiPlugin)

  await ensureCss()
  await app.register(staticFiles, {
    root: [
      join(SRC, 'assets', 'public'),
      join(cssPath, '..'),
      join(ROOT, 'node_modules', 'govuk-frontend', 'dist', 'govuk'),
    ],
    prefix: '/assets/',
    index: false,
    wildcard: true,
    maxAge: '1h',
    allowedPath: (path) =>
      !path.includes('..') &&
      (path.startsWith('/assets/') || /^\/[\w.-]+\.(css|js|svg|png|ico|json|mjs)$/.test(path)),
  })

  await app.register(pagesRoutes)
  await app.register(staffAuthRoutes)
  await app.register(citizenRoutes)
  await app.register(adminRoutes)
  for (const mod of modules) {
    const routes = mod.routes
    if (!routes) continue
    // Each module in its own encapsulated context. While an admin has it switched off, its pages
    // are not found for the public; staff can still prepare it.
    await app.register(async (scope) => {
      scope.addHook('preHandler', async (request) => {
        if (request.actor.kind === 'staff') return
        const org = await app.services.organisation()
        if (!org.enabledModules.includes(mod.key)) throw notFound()
      })
      await scope.register(routes)
    })
  }
}

export default townsquare

/**
 * Builds a Fastify instance around the app. Welsh pages are served under /cy: `rewriteUrl`
 * strips the prefix before routing and remembers the language, so every route exists once.
 */
export async function buildApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    trustProxy: services.config.trustProxy,
    // Per-request lines only at debug level: at a signing peak they would cost more than the work.
    logController: new LogController({
      disableRequestLogging: services.config.logLevel !== 'debug' && services.config.logLevel !== 'trace',
    }),
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: 'all', allErrors: true } },
    rewriteUrl: (req) => {
      const { locale, path } = splitLocale(req.url ?? '/')
      ;(req as typeof req & { tsLocale?: string }).tsLocale = locale
      return path
    },
    routerOptions: { ignoreTrailingSlash: true },
  })
  // fastify-plugin so the app's error handler and hooks also cover routes added by tests and tools.
  await app.register(fp(townsquare, { name: 'townsquare' }), { services })
  return app
}
