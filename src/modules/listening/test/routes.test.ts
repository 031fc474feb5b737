import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import {
  addStaff,
  buildTestApp,
  enableModules,
  type TestApp,
  TestBrowser,
} from '../../../../test/support/app.js'
import { runCli } from '../../../cli.js'
import { findAuditEntries } from '../../../platform/audit/audit.js'
import { seedListeningDemo } from '../demo.js'
import { hashToken } from '../routes/admin.js'
import { listCorrections } from '../store/correction-store.js'
import { insertSource } from '../store/source-store.js'

describe('listening staff pages and webhook', () => {
  let t: TestApp
  let analyst: TestBrowser
  let admin: TestBrowser

  before(async () => {
    t = await buildTestApp('sqlite')
    await enableModules(t.services, ['listening'])
    await seedListeningDemo(t.services, new Date())
    await addStaff(t.services, 'ana@example.org', ['analyst'])
    await addStaff(t.services, 'alex@example.org', ['admin'])
    await addStaff(t.services, 'morgan@example.org', ['moderator'])
    analyst = new TestBrowser(t.app)
    await analyst.login('ana@example.org')
    admin = new TestBrowser(t.app)
    await admin.login('alex@example.org')
  })
  after(async () => {
    await t?.close()
  })

  it('shows the overview with share of voice as SVG and table, in English and Welsh', async () => {
    for (const prefix of ['', '/cy']) {
      const res = await analyst.get(`${prefix}/admin/listening`)
      assert.equal(res.statusCode, 200, res.body.slice(0, 500))
      assert.match(res.body, /<svg[^>]+role="img"/)
      assert.match(res.body, /Bins and recycling/)
    }
  })

  it('refuses other roles and anonymous visitors', async () => {
    const moderator = new TestBrowser(t.app)
    await moderator.login('morgan@example.org')
    assert.equal((await moderator.get('/admin/listening')).statusCode, 403)
    assert.equal((await new TestBrowser(t.app).get('/admin/listening')).statusCode, 303)
    assert.equal((await analyst.get('/admin/listening/sources')).statusCode, 403)
  })

  it('previews a query with the count of stored matches, shows parse errors with the position, then saves', async () => {
    await analyst.get('/admin/listening/queries/new')
    const bad = await analyst.post('/admin/listening/queries', {
      name: 'Parking',
      query: 'parking AND (fines OR tickets',
      action: 'preview',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /position 29/)
    const preview = await analyst.post('/admin/listening/queries', {
      name: 'Parking',
      query: 'pothole*',
      action: 'preview',
    })
    assert.equal(preview.statusCode, 200)
    const count = /id="preview-count">([^<]+)</.exec(preview.body)?.[1] ?? ''
    assert.match(count, /^\d+ stored posts match this query/)
    assert.match(preview.body, /<mark>/)
    const saved = await analyst.post('/admin/listening/queries', {
      name: 'Roads',
      query: 'pothole*',
      action: 'save',
    })
    assert.equal(saved.statusCode, 303)
    const dash = await analyst.get(saved.headers.location as string)
    assert.equal(dash.statusCode, 200)
    assert.match(dash.body, /Posts per day about Roads/)
    const audit = await findAuditEntries(t.services.db, { action: 'listening.query.create' })
    assert.equal(audit.length, 1)
  })

  it('saves alert settings and checks the addresses', async () => {
    const page = await analyst.get('/admin/listening/queries/1/alerts')
    assert.equal(page.statusCode, 200)
    const bad = await analyst.post('/admin/listening/queries/1/alerts', {
      enabled: 'yes',
      emails: 'not an email',
      pValue: '0.001',
      minCount: '10',
    })
    assert.equal(bad.statusCode, 400)
    const ok = await analyst.post('/admin/listening/queries/1/alerts', {
      enabled: 'yes',
      emails: 'comms@example.org',
      pValue: '0.001',
      minCount: '5',
    })
    assert.equal(ok.statusCode, 303)
  })

  it('lists the planted demo spike with its new term', async () => {
    const res = await analyst.get('/admin/listening/spikes')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /flooding/)
  })

  it('keeps a staff correction of a sentiment label for the next training', async () => {
    const { db } = t.services
    const q = await db.selectFrom('listening_queries').select('id').orderBy('id').executeTakeFirstOrThrow()
    const page = await analyst.get(`/admin/listening/queries/${q.id}`)
    const postId = Number(/action="\/admin\/listening\/posts\/(\d+)\/sentiment"/.exec(page.body)?.[1])
    assert.ok(postId > 0, 'each recent post has a correction form')
    const post = await db
      .selectFrom('listening_posts')
      .select(['text', 'sentiment'])
      .where('id', '=', postId)
      .executeTakeFirstOrThrow()
    const label = post.sentiment === 'negative' ? 'positive' : 'negative'
    const res = await analyst.post(`/admin/listening/posts/${postId}/sentiment`, {
      label,
      queryId: String(q.id),
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/admin/listening/queries/${q.id}`)
    const after = await db
      .selectFrom('listening_posts')
      .select('sentiment')
      .where('id', '=', postId)
      .executeTakeFirstOrThrow()
    assert.equal(after.sentiment, label)
    const matches = await db
      .selectFrom('listening_matches')
      .select('sentiment')
      .where('post_id', '=', postId)
      .execute()
    assert.ok(
      matches.length > 0 && matches.every((m) => m.sentiment === label),
      'insights count the corrected label',
    )
    const [kept] = (await listCorrections(db)).filter((c) => c.postId === postId)
    assert.deepEqual([kept?.modelLabel, kept?.label, kept?.text], [post.sentiment, label, post.text])
    assert.equal((await findAuditEntries(db, { action: 'listening.sentiment.correct' })).length, 1)
    // A bad label changes nothing; a role without the permission is refused.
    await analyst.get(`/admin/listening/queries/${q.id}`)
    await analyst.post(`/admin/listening/posts/${postId}/sentiment`, {
      label: 'furious',
      queryId: String(q.id),
    })
    assert.equal((await listCorrections(db)).find((c) => c.postId === postId)?.label, label)
    const moderator = new TestBrowser(t.app)
    await moderator.login('morgan@example.org')
    await moderator.get('/admin')
    assert.equal(
      (await moderator.post(`/admin/listening/posts/${postId}/sentiment`, { label })).statusCode,
      403,
    )
    // The training script's --extra file.
    const stdout = new PassThrough()
    let out = ''
    stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8')
    })
    const code = await runCli(['listening', 'corrections'], {
      stdout,
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      services: async () => t.services,
    })
    assert.equal(code, 0)
    assert.ok(out.split('\n').includes(`${label}\t${post.text.replace(/[\t\r\n]+/g, ' ')}`), out)
  })

  it('exports matching posts as guarded CSV', async () => {
    const res = await analyst.get('/admin/listening/queries/1/export.csv')
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /text\/csv/)
    assert.match(res.body, /^published_at,source,author/)
    const report = await analyst.get('/admin/listening/report.csv')
    assert.equal(report.statusCode, 200)
  })

  it('lets admins add sources without ever showing credentials again', async () => {
    await admin.get('/admin/listening/sources/new')
    const res = await admin.post('/admin/listening/sources', {
      type: 'mastodon-stream',
      name: 'Mastodon #cardiff live',
      retentionDays: '30',
      instance: 'https://mastodon.example',
      timeline: 'hashtag',
      hashtag: 'cardiff',
      accessToken: 'super-secret-token',
    })
    assert.equal(res.statusCode, 303)
    const page = await admin.get(res.headers.location as string)
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /super-secret-token/)
    const audit = await findAuditEntries(t.services.db, { action: 'listening.source.create' })
    assert.doesNotMatch(JSON.stringify(audit), /super-secret-token/)
  })

  it('takes posts through the token-protected webhook, skipping and counting malformed items', async () => {
    const id = await insertSource(
      t.services.db,
      { name: 'hook', type: 'webhook', config: {}, tokenHash: hashToken('tok-123'), retentionDays: 30 },
      new Date(),
    )
    const body = {
      posts: [
        {
          id: 'a1',
          text: 'Potholes on Penarth Road again',
          publishedAt: '2026-12-01T10:00:00Z',
          author: 'x',
        },
        {
          id: 'a1',
          text: 'Potholes on Penarth Road again',
          publishedAt: '2026-12-01T10:00:00Z',
          author: 'x',
        },
        { id: 'a2', publishedAt: '2026-12-01T10:00:00Z' },
        'not an object',
      ],
    }
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/v1/listening/webhook/${id}`,
      headers: { authorization: 'Bearer nope' },
      payload: body,
    })
    assert.equal(wrong.statusCode, 401)
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/listening/webhook/${id}`,
      headers: { authorization: 'Bearer tok-123' },
      payload: body,
    })
    assert.equal(ok.statusCode, 200, ok.body)
    assert.deepEqual(ok.json(), { received: 4, stored: 1, duplicates: 1, skipped: 2 })
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/listening/webhook/${id}`,
      headers: { authorization: 'Bearer tok-123' },
      payload: body,
    })
    assert.equal(again.json().stored, 0)
    const spec = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    assert.match(spec.body, /listening\/webhook/)
  })
})
