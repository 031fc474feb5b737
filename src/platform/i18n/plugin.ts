import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import '../http/types.js'
import { createTranslate, isLocale, type Locale, type Translate } from './i18n.js'

/** Sets `request.locale` (from the /cy prefix that `rewriteUrl` stripped) and `request.t`. */
const i18nPlugin: FastifyPluginAsync = async (app) => {
  const translators: Record<Locale, Translate> = {
    en: createTranslate(app.services.catalogues.en, 'en'),
    cy: createTranslate(app.services.catalogues.cy, 'cy'),
  }
  app.decorateRequest('locale', 'en')
  app.decorateRequest('t', null as never)
  app.addHook('onRequest', async (request) => {
    const fromUrl = (request.raw as { tsLocale?: unknown }).tsLocale
    request.locale = isLocale(fromUrl) ? fromUrl : 'en'
    request.t = translators[request.locale]
  })
}

export default fp(i18nPlugin, { name: 'i18n', dependencies: ['services'] })
