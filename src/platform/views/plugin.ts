import view from '@fastify/view'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import nunjucks from 'nunjucks'
import { modules } from '../../modules/index.js'
import type { RenderData } from '../http/types.js'
import { formatDate, formatNumber, localePath } from '../i18n/i18n.js'
import { organisationName } from '../settings/organisation.js'
import { templatePaths } from './nunjucks.js'

/** Nunjucks with govuk-frontend; `reply.render()` adds what the layout needs to every page. */
const viewsPlugin: FastifyPluginAsync = async (app) => {
  await app.register(view, {
    engine: { nunjucks },
    templates: templatePaths(),
    options: {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
      onConfigure: (env: nunjucks.Environment) => {
        env.addFilter('json', (value: unknown) => JSON.stringify(value))
      },
    },
  })

  async function layoutData(request: FastifyRequest, reply: FastifyReply): Promise<Record<string, unknown>> {
    const org = await app.services.organisation()
    const locale = request.locale
    const path = request.url
    const enabled = modules.filter((m) => m.nav && org.enabledModules.includes(m.key))
    const actor = request.actor ?? { kind: 'anonymous' }
    const flash = request.session?.get('flash')
    if (flash) request.session.set('flash', undefined)
    return {
      t: request.t,
      locale,
      org,
      orgName: organisationName(org, locale),
      actor,
      flash,
      currentPath: path,
      url: (p: string) => localePath(locale, p),
      switchLanguage: {
        en: locale === 'en' ? null : path,
        cy: locale === 'cy' ? null : localePath('cy', path),
      },
      welsh: org.welsh,
      nav: enabled.map((m) => ({
        text: request.t(m.nav!.labelKey),
        href: localePath(locale, m.nav!.path),
        active: path === m.nav!.path || path.startsWith(`${m.nav!.path}/`),
      })),
      // The layout's only inline element is the brand-colour <style>: it needs the style-src nonce
      // (helmet makes one per directive; the script one would be refused by the browser).
      cspNonce: (reply as FastifyReply & { cspNonce?: { style: string } }).cspNonce?.style,
      csrfToken: () => reply.generateCsrf(),
      formatDate: (iso: string, withTime?: boolean) => formatDate(iso, locale, withTime ?? false),
      formatNumber: (n: number) => formatNumber(n, locale),
    }
  }

  app.decorateReply(
    'render',
    async function render(this: FastifyReply, template: string, data: RenderData = {}) {
      const base = await layoutData(this.request, this)
      if (!this.getHeader('content-type')) this.type('text/html; charset=utf-8')
      this.header('content-language', this.request.locale === 'cy' ? 'cy' : 'en-GB')
      this.header('cache-control', 'no-store')
      const html = await this.viewAsync(template, { ...base, ...data })
      await this.send(html)
    },
  )
  app.decorateReply('redirectTo', function redirectTo(this: FastifyReply, path: string) {
    this.redirect(localePath(this.request.locale, path), 303)
  })
}

export default fp(viewsPlugin, { name: 'views', dependencies: ['i18n', 'security'] })
