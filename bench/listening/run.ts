/**
 * Posts per second through the whole listening pipeline into SQLite: HTML to text, language,
 * sentiment, keywords, places, topic, matching against saved queries, and durable batched
 * writes (one transaction per batch, WAL). Goal ≥ 10,000 posts/s on one core.
 *
 *   npx tsx bench/listening/run.ts [--posts N] [--batch N] [--queries N] [--synchronous FULL|NORMAL]
 *
 * Posts are generated (seeded, Mastodon-style HTML for half of them) by
 * src/modules/listening/domain/generate.ts, so the run is the same every time.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_PLACES, generatePosts } from '../../src/modules/listening/domain/generate.js'
import { compileQuery, parseQuery } from '../../src/modules/listening/domain/query/index.js'
import { ingestPosts } from '../../src/modules/listening/services/ingest.js'
import { insertQuery } from '../../src/modules/listening/store/query-store.js'
import { insertSource } from '../../src/modules/listening/store/source-store.js'
import { connect } from '../../src/platform/db/connect.js'
import { migrateToLatest } from '../../src/platform/db/migrate.js'
import { Gazetteer } from '../../src/platform/text/index.js'

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const total = Number(option('--posts', '40000'))
const batch = Number(option('--batch', '1000'))
const synchronous = option('--synchronous', 'NORMAL') === 'FULL' ? 'FULL' : 'NORMAL'

const QUERIES = [
  ['Bins', '(bins OR bin OR rubbish OR recycling OR #binday) AND NOT "bin laden"'],
  ['Potholes', 'pothole* OR (road* NEAR/3 (resurfac* OR repair*))'],
  ['Clean Air Zone', '"clean air zone" OR #cleanairzone OR (air NEAR/2 quality)'],
  ['Libraries', 'librar* OR #saveourlibraries OR llyfrgell'],
  ['Buses', '(bus OR buses) AND (late OR timetable OR shelter)'],
] as const
const nQueries = Number(option('--queries', String(QUERIES.length)))

const dir = mkdtempSync(join(tmpdir(), 'ts-listening-bench-'))
const handle = connect(`sqlite:${join(dir, 'bench.sqlite')}`, { sqliteSynchronous: synchronous })
try {
  await migrateToLatest(handle.db)
  const now = new Date('2026-12-07T12:00:00Z')
  const sourceId = await insertSource(
    handle.db,
    { name: 'bench', type: 'import', config: {}, retentionDays: 365 },
    now,
  )
  const queries = []
  for (const [name, q] of QUERIES.slice(0, nQueries)) {
    const id = await insertQuery(handle.db, { name, query: q, normalised: q, createdBy: null }, now)
    queries.push({ id, compiled: compileQuery(parseQuery(q)) })
  }
  const gazetteer = new Gazetteer(DEMO_PLACES)
  const posts = generatePosts({ count: total, from: new Date('2026-11-01T00:00:00Z'), to: now, seed: 7 })
  // Warm the JIT on a small separate source, not timed.
  const warmId = await insertSource(
    handle.db,
    { name: 'warm', type: 'import', config: {}, retentionDays: 365 },
    now,
  )
  await ingestPosts(
    handle.db,
    { id: warmId, type: 'import', retentionDays: 365 },
    generatePosts({ count: 2000, from: new Date('2026-11-01'), to: now, seed: 99 }),
    { queries, gazetteer, now },
  )

  console.log(
    `listening pipeline benchmark — node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (one thread), load average ${loadavg()[0]!.toFixed(2)}`,
  )
  console.log(
    `${total.toLocaleString('en-GB')} posts, batches of ${batch}, ${queries.length} queries, SQLite WAL synchronous=${synchronous}`,
  )
  const cpu = process.cpuUsage()
  const started = performance.now()
  let stored = 0
  let matches = 0
  for (let i = 0; i < posts.length; i += batch) {
    const r = await ingestPosts(
      handle.db,
      { id: sourceId, type: 'import', retentionDays: 365 },
      posts.slice(i, i + batch),
      { queries, gazetteer, now },
    )
    stored += r.stored
    matches += r.matches
  }
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  // The same posts again: all duplicates, nothing analysed twice.
  const againStarted = performance.now()
  const again = await ingestPosts(
    handle.db,
    { id: sourceId, type: 'import', retentionDays: 365 },
    posts.slice(0, batch),
    { queries, gazetteer, now },
  )
  const againMs = performance.now() - againStarted
  const rate = (stored / ms) * 1000
  console.log(
    `stored ${stored.toLocaleString('en-GB')} posts and ${matches.toLocaleString('en-GB')} matches in ${(ms / 1000).toFixed(2)} s (CPU ${((used.user + used.system) / 1000 / 1000).toFixed(2)} s)`,
  )
  console.log(
    `posts/s: ${Math.round(rate).toLocaleString('en-GB')} (goal 10,000: ${rate >= 10_000 ? 'met' : 'not met'})`,
  )
  console.log(
    `re-sending a batch of ${batch}: ${again.stored} stored, ${again.duplicates} duplicates, ${againMs.toFixed(0)} ms`,
  )
  console.log('reproduce: npx tsx bench/listening/run.ts')
} finally {
  await handle.close()
  rmSync(dir, { recursive: true, force: true })
}
