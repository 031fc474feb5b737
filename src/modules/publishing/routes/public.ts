import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { Feed } from 'feed'
import '../../../platform/http/types.js'
import { organisationName } from '../../../platform/settings/organisation.js'
import { publishedOfficialPosts } from '../store/post-store.js'

const FEED_SIZE = 50

/**
 * The public record of official posts: a page and Atom/RSS feeds, so residents can follow the
 * body without an account on any network (and so what was said in its name stays on record).
 */
const publicRoutes: FastifyPluginAsync = async (app) => {
  const { db, config } = app.services

  app.get('/publishing', async (request, reply) => {
    const posts = await publishedOfficialPosts(db, FEED_SIZE)
    return reply.render('publishing/public.njk', { pageTitle: request.t('publishing.public.title'), posts })
  })

  async function feed(request: FastifyRequest): Promise<Feed> {
    const locale = request.locale === 'cy' ? 'cy' : 'en'
    const org = organisationName(await app.services.organisation(), locale)
    const base = `${config.publicUrl}${locale === 'cy' ? '/cy' : ''}`
    const posts = await publishedOfficialPosts(db, FEED_SIZE)
    const f = new Feed({
      id: `${base}/publishing`,
      title: request.t('publishing.public.feedTitle', { org }),
      description: request.t('publishing.public.intro'),
      link: `${base}/publishing`,
      language: locale,
      generator: false,
      updated: posts[0]?.publishedAt ? new Date(posts[0].publishedAt) : new Date(0),
      feedLinks: { atom: `${base}/publishing/feed.atom`, rss: `${base}/publishing/feed.rss` },
      copyright: org,
    })
    for (const p of posts) {
      const text = locale === 'cy' ? p.textCy : p.textEn
      const link =
        p.links.find((l) => l.language === locale && l.url)?.url ??
        p.links.find((l) => l.url)?.url ??
        `${base}/publishing#post-${p.id}`
      f.addItem({
        title: p.title,
        id: `${config.publicUrl}/publishing/posts/${p.id}`,
        link,
        date: new Date(p.publishedAt ?? p.plannedAt),
        description: text,
        content: text,
        category: [{ name: p.topic }],
      })
    }
    return f
  }

  app.get('/publishing/feed.atom', async (request, reply) => {
    return reply.type('application/atom+xml; charset=utf-8').send((await feed(request)).atom1())
  })
  app.get('/publishing/feed.rss', async (request, reply) => {
    return reply.type('application/rss+xml; charset=utf-8').send((await feed(request)).rss2())
  })
}

export default publicRoutes
