import { recordAudit } from '../../platform/audit/audit.js'
import { systemActor } from '../../platform/auth/actor.js'
import type { Services } from '../../platform/services.js'
import { writeSetting } from '../../platform/settings/settings.js'
import { DEMO_PLACES, generatePosts, spikePosts } from './domain/generate.js'
import { compileQuery, parseQueryWithWarnings } from './domain/query/index.js'
import { checkQueryHour } from './services/alerts.js'
import { ingestPosts, rematchQuery } from './services/ingest.js'
import { DEFAULT_LISTENING_SETTINGS } from './settings.js'
import { findQuery, insertQuery, updateQuery } from './store/query-store.js'
import { insertSource } from './store/source-store.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

export const DEMO_QUERIES = [
  ['Bins and recycling', '(bins OR bin OR rubbish OR recycling OR #binday OR biniau) AND NOT "bin laden"'],
  ['Potholes', 'pothole* OR (road* NEAR/3 (resurfac* OR fix*))'],
  ['Clean Air Zone', '"clean air zone" OR #cleanairzone OR (air NEAR/2 quality)'],
  ['Libraries', 'librar* OR #saveourlibraries OR llyfrgell'],
] as const

/**
 * Demo listening data: a generated source with four weeks of realistic posts about bins,
 * potholes, the Clean Air Zone, libraries and buses (some in Welsh), four followed topics, and
 * a planted spike yesterday afternoon (flooding scattering bins) that the spike job has found.
 */
export async function seedListeningDemo(services: Services, now: Date): Promise<void> {
  const { db } = services
  await writeSetting(db, 'module.listening', { ...DEFAULT_LISTENING_SETTINGS, gazetteer: DEMO_PLACES }, now)
  const sourceId = await insertSource(
    db,
    {
      name: 'Demo posts (generated)',
      type: 'import',
      config: { note: 'generated demo data' },
      retentionDays: 365,
    },
    now,
  )
  const ids: number[] = []
  for (const [name, query] of DEMO_QUERIES) {
    const parsed = parseQueryWithWarnings(query)
    ids.push(await insertQuery(db, { name, query, normalised: parsed.query, createdBy: null }, now))
  }
  const bins = ids[0]!
  await updateQuery(db, bins, { alertsEnabled: true, alertEmails: ['analyst@demo.townsquare.invalid'] }, now)
  const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS)
  const from = new Date(to.getTime() - 28 * DAY_MS)
  const spikeHour = new Date(Math.floor((now.getTime() - DAY_MS) / DAY_MS) * DAY_MS + 15 * HOUR_MS)
  const posts = [
    ...generatePosts({ count: 2400, from, to, seed: 2026 }),
    ...spikePosts({ count: 45, hour: spikeHour, seed: 11 }),
  ]
  for (let i = 0; i < posts.length; i += 500)
    await ingestPosts(db, { id: sourceId, type: 'import', retentionDays: 365 }, posts.slice(i, i + 500), {
      now,
      queries: [],
    })
  for (const id of ids) {
    const q = (await findQuery(db, id))!
    await rematchQuery(db, id, compileQuery(parseQueryWithWarnings(q.query).ast))
  }
  await checkQueryHour(db, (await findQuery(db, bins))!, spikeHour, { now })
  await recordAudit(db, {
    actor: systemActor('demo'),
    action: 'listening.demo.seed',
    subject: { type: 'listening_source', id: sourceId },
    details: { posts: posts.length, queries: ids.length },
    at: now,
  })
}
