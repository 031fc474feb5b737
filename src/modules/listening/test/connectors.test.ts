import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, beforeEach, describe, it } from 'node:test'
import { openTestDb } from '../../../../test/support/db.js'
import type { DbHandle } from '../../../platform/db/connect.js'
import type { Db } from '../../../platform/db/database.js'
import { backoffMs, retryAfterMs } from '../../../platform/http/outbound.js'
import { jetstreamConnector } from '../connectors/jetstream.js'
import { mastodonStreamConnector } from '../connectors/mastodon-stream.js'
import { StreamWorker } from '../connectors/stream.js'
import { runPollSource } from '../services/runner.js'
import { findSource, insertSource } from '../store/source-store.js'
import { FakeJetstream, FakeMastodon, jetstreamPost, mastodonStatus, until } from './fakes.js'

async function postIds(db: Db, sourceId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('listening_posts')
    .select('external_id')
    .where('source_id', '=', sourceId)
    .orderBy('external_id')
    .execute()
  return rows.map((r) => r.external_id)
}

describe('Mastodon REST connector against a fake Mastodon', () => {
  let h: DbHandle
  let fake: FakeMastodon
  let sourceId: number
  beforeEach(async () => {
    h = await openTestDb('sqlite')
    fake = await new FakeMastodon().start()
    sourceId = await insertSource(
      h.db,
      {
        name: 'm',
        type: 'mastodon',
        config: { instance: fake.url, timeline: 'hashtag', hashtag: 'bins', backfillPages: 1 },
        retentionDays: 30,
      },
      new Date(),
    )
  })
  const done = async () => {
    await fake.close()
    await h.close()
  }

  it('pages forward from its cursor, resumes after a crash between pages without loss or duplicates', async () => {
    for (let i = 1; i <= 50; i++) fake.statuses.push(mastodonStatus(1000 + i, `Bins missed on street ${i}`))
    const first = await runPollSource(h.db, sourceId)
    assert.equal(first.status, 'ran')
    // Newest page (40) and one older page (10) on the first run.
    assert.equal(first.stored, 50)
    for (let i = 51; i <= 150; i++) fake.statuses.push(mastodonStatus(1000 + i, `Bins missed on street ${i}`))
    // The process dies after the first new page: the server fails every later request.
    fake.failFrom = fake.requests.length + 2
    const crashed = await runPollSource(h.db, sourceId, { random: () => 0 })
    assert.equal(crashed.status, 'failed')
    assert.equal(crashed.stored, 40)
    const state = (await findSource(h.db, sourceId))!
    assert.equal(state.state['minId'], '1090', 'the cursor covers exactly the stored page')
    fake.failFrom = null
    // A new process, later: resumes from the cursor.
    const resumed = await runPollSource(h.db, sourceId, { force: true })
    assert.equal(resumed.status, 'ran')
    assert.equal(resumed.stored, 60)
    const ids = await postIds(h.db, sourceId)
    assert.equal(ids.length, 150)
    assert.equal(new Set(ids).size, 150)
    assert.ok(fake.requests.some((u) => u.includes('min_id=1090')))
    await done()
  })

  it('backs off on 429, honouring X-RateLimit-Reset, and on errors exponentially', async () => {
    fake.statuses.push(mastodonStatus(2001, 'Bins!'))
    fake.rateLimit = { times: 1, resetSeconds: 120 }
    const now = new Date()
    const limited = await runPollSource(h.db, sourceId, { now, random: () => 0 })
    assert.equal(limited.status, 'failed')
    const wait = Date.parse(limited.nextRunAt!) - now.getTime()
    assert.ok(wait >= 115_000 && wait <= 125_000, `waits for the reset, not ${wait} ms`)
    assert.equal(
      (await runPollSource(h.db, sourceId, { now: new Date(now.getTime() + 60_000) })).status,
      'waiting',
    )
    const later = await runPollSource(h.db, sourceId, { now: new Date(now.getTime() + 130_000) })
    assert.equal(later.status, 'ran')
    assert.equal((await findSource(h.db, sourceId))!.errorCount, 0)
    // Exponential with jitter: attempt n waits between half and all of base·2^(n−1), capped.
    assert.equal(backoffMs(1, { baseMs: 1000, random: () => 0 }), 500)
    assert.equal(backoffMs(4, { baseMs: 1000, random: () => 1 }), 8000)
    assert.equal(backoffMs(30, { baseMs: 1000, maxMs: 60_000, random: () => 1 }), 60_000)
    const headers = new Headers({ 'retry-after': '7' })
    assert.equal(retryAfterMs(headers, new Date()), 7000)
    await done()
  })

  it('skips and counts malformed statuses, never failing on them', async () => {
    fake.statuses.push(mastodonStatus(3001, 'Recycling missed'))
    fake.statuses.push({ id: 'oops-1', after: '3001', content: '<p>no date</p>' })
    fake.statuses.push({
      ...mastodonStatus(3002, 'x'),
      id: 'oops-2',
      after: '3001',
      created_at: 'not a date',
    })
    fake.statuses.push(mastodonStatus(3003, 'Boosted', { reblog: mastodonStatus(99, 'original') }))
    const r = await runPollSource(h.db, sourceId)
    assert.equal(r.status, 'ran')
    assert.equal(r.stored, 1)
    const s = (await findSource(h.db, sourceId))!
    assert.equal(s.skippedCount, 2)
    assert.equal(s.storedCount, 1)
    await done()
  })
})

describe('RSS and Atom connector against a fake feed server', () => {
  let h: DbHandle
  let server: Server
  let base = ''
  let body = ''
  const requests: { etag: string | undefined }[] = []
  before(async () => {
    h = await openTestDb('sqlite')
    server = createServer((req, res) => {
      requests.push({ etag: req.headers['if-none-match'] as string | undefined })
      if (req.headers['if-none-match'] === '"v1"' && body.includes('v1')) {
        res.writeHead(304).end()
        return
      }
      res.writeHead(200, {
        'content-type': 'application/rss+xml',
        etag: body.includes('v1') ? '"v1"' : '"v2"',
      })
      res.end(body)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()))
    await h.close()
  })

  it('reads RSS 2.0 with conditional requests, Atom, and counts malformed entries and documents', async () => {
    const id = await insertSource(
      h.db,
      { name: 'feed', type: 'rss', config: { url: `${base}/feed.xml` }, retentionDays: 30 },
      new Date(),
    )
    body = `<?xml version="1.0"?><rss version="2.0"><channel><title>Council news v1</title><link>https://council.example</link><language>en-gb</language>
      <item><title>Bin collections change in Splott</title><link>https://council.example/news/1</link><guid>news-1</guid><pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate><description>&lt;p&gt;Collections move to &lt;b&gt;Tuesday&lt;/b&gt;.&lt;/p&gt;</description></item>
      <item><title>Potholes fixed on City Road</title><link>https://council.example/news/2</link><guid>news-2</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description>Repairs done.</description></item>
      <item><guid>news-3</guid></item>
    </channel></rss>`
    const r1 = await runPollSource(h.db, id)
    assert.equal(r1.status, 'ran')
    assert.equal(r1.stored, 2)
    assert.equal(r1.skipped, 1)
    const r2 = await runPollSource(h.db, id, { force: true })
    assert.equal(r2.stored, 0)
    assert.equal(requests.at(-1)!.etag, '"v1"', 'the ETag is sent back')
    body = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog v2</title><id>urn:blog</id><updated>2026-12-02T00:00:00Z</updated>
      <entry><title>Clean Air Zone consultation</title><id>urn:entry:1</id><link href="https://blog.example/caz"/><updated>2026-12-02T08:00:00Z</updated><author><name>Cerys</name></author><summary>Have your say on the Clean Air Zone.</summary></entry>
      <entry><title>Potholes fixed on City Road</title><id>news-2</id><updated>2026-12-02T09:00:00Z</updated><summary>Same id as before: stored once.</summary></entry>
    </feed>`
    const r3 = await runPollSource(h.db, id, { force: true })
    assert.equal(r3.stored, 1)
    body = 'this is not xml <<<'
    const r4 = await runPollSource(h.db, id, { force: true })
    assert.equal(r4.status, 'failed')
    const s = (await findSource(h.db, id))!
    assert.equal(s.skippedCount, 2)
    assert.equal((await postIds(h.db, id)).length, 3)
  })
})

describe('Bluesky Jetstream worker against a fake Jetstream', () => {
  it('filters locally, resumes from its cursor after a crash without loss or duplicates, backs off on 429', async () => {
    const h = await openTestDb('sqlite')
    const fake = await new FakeJetstream().start()
    const id = await insertSource(
      h.db,
      {
        name: 'bsky',
        type: 'bluesky',
        config: { endpoint: fake.url, filter: 'bins OR #binday OR pothole*' },
        retentionDays: 30,
      },
      new Date(),
    )
    let t = 1_764_000_000_000_000
    const matching: string[] = []
    const add = (i: number, live: boolean) => {
      t += 1000
      const text = i % 3 === 0 ? `Lovely sunset tonight ${i}` : `Bins not collected again, day ${i}`
      const e = jetstreamPost(t, `rk${i}`, text)
      if (i % 3 !== 0) matching.push(`at://did:plc:abc123/app.bsky.feed.post/rk${i}`)
      if (live) fake.push(e)
      else fake.events.push(e)
    }
    for (let i = 0; i < 30; i++) add(i, false)
    fake.events.push({ time_us: t + 1, data: '{"did": "x", "time_us": "not a number"' })
    fake.events.push({
      time_us: t + 2,
      data: JSON.stringify({ did: 'did:plc:x', time_us: t + 2, kind: 'identity', identity: {} }),
    })
    fake.refuse = { times: 1, retryAfter: 1 }
    const source = (await findSource(h.db, id))!
    const a = new StreamWorker({
      db: h.db,
      source,
      connector: jetstreamConnector,
      owner: 'proc-a',
      flushMs: 50,
    })
    assert.equal(await a.start(), true)
    await until(async () => (await postIds(h.db, id)).length === matching.length, 8000)
    assert.ok((a.stats.lastDelayMs ?? 0) >= 1000, 'waited for Retry-After')
    assert.equal(fake.connections.length, 2)
    // A second process cannot take the stream while the lease is held.
    const rival = new StreamWorker({
      db: h.db,
      source,
      connector: jetstreamConnector,
      owner: 'proc-b',
      flushMs: 50,
    })
    assert.equal(await rival.start(), false)
    // Crash: the process dies without flushing; events arrive meanwhile.
    await a.stop({ flush: false })
    for (let i = 30; i < 60; i++) add(i, false)
    await h.db
      .updateTable('listening_sources')
      .set({ lease_until: new Date(0).toISOString() })
      .where('id', '=', id)
      .execute()
    const restarted = (await findSource(h.db, id))!
    const b = new StreamWorker({
      db: h.db,
      source: restarted,
      connector: jetstreamConnector,
      owner: 'proc-b',
      flushMs: 50,
    })
    assert.equal(await b.start(), true)
    await until(() => fake.connections.length === 3)
    assert.match(fake.connections.at(-1)!, /cursor=\d+/)
    for (let i = 60; i < 70; i++) add(i, true)
    await until(async () => (await postIds(h.db, id)).length === matching.length, 8000)
    await b.stop()
    const ids = await postIds(h.db, id)
    assert.deepEqual(ids, [...matching].sort())
    const s = (await findSource(h.db, id))!
    assert.ok(s.skippedCount >= 1, 'the malformed event was counted')
    assert.equal(s.state['cursor'], t)
    await fake.close()
    await h.close()
  })
})

describe('Mastodon streaming worker against a fake Mastodon', () => {
  it('catches up over REST from its cursor, then takes the stream', async () => {
    const h = await openTestDb('sqlite')
    const fake = await new FakeMastodon().start()
    const id = await insertSource(
      h.db,
      {
        name: 'ms',
        type: 'mastodon-stream',
        config: { instance: fake.url, timeline: 'hashtag', hashtag: 'bins' },
        secrets: { accessToken: 'bot-token' },
        retentionDays: 30,
      },
      new Date(),
    )
    await h.db
      .updateTable('listening_sources')
      .set({ state: JSON.stringify({ minId: '5000' }) })
      .where('id', '=', id)
      .execute()
    for (let i = 1; i <= 45; i++) fake.statuses.push(mastodonStatus(5000 + i, `Missed bins ${i}`))
    const w = new StreamWorker({
      db: h.db,
      source: (await findSource(h.db, id))!,
      connector: mastodonStreamConnector,
      owner: 'p',
      flushMs: 50,
    })
    await w.start()
    await until(async () => (await postIds(h.db, id)).length === 45, 8000)
    await until(() => fake.sockets.size === 1)
    fake.stream(mastodonStatus(5046, 'Live: bins everywhere'))
    for (const ws of fake.sockets) ws.send('{"event":"update","payload":"{broken')
    await until(async () => (await postIds(h.db, id)).length === 46, 8000)
    await w.stop()
    const s = (await findSource(h.db, id))!
    assert.equal(s.state['minId'], '5046')
    assert.equal(s.skippedCount, 1)
    await fake.close()
    await h.close()
  })
})
