import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  addStaff,
  buildTestApp,
  enableModules,
  type TestApp,
  TestBrowser,
} from '../../../../test/support/app.js'
import { seedPublishingDemo } from '../demo.js'
import { listPosts } from '../store/post-store.js'

describe('publishing demo data and the "what works" report', () => {
  let t: TestApp
  let analyst: TestBrowser

  before(async () => {
    t = await buildTestApp('sqlite')
    await enableModules(t.services, ['publishing'])
    await addStaff(t.services, 'alex@example.org', ['admin'])
    await addStaff(t.services, 'morgan@example.org', ['moderator'])
    await addStaff(t.services, 'cerys@example.org', ['communications'])
    await addStaff(t.services, 'ana@example.org', ['analyst'])
    await seedPublishingDemo(t.services, new Date())
    await seedPublishingDemo(t.services, new Date()) // idempotent: a second run adds nothing
    analyst = new TestBrowser(t.app)
    await analyst.login('ana@example.org')
  })
  after(async () => {
    await t?.close()
  })

  it('seeds posts in every state once', async () => {
    const posts = await listPosts(t.services.db)
    assert.equal(posts.length, 24)
    for (const state of ['published', 'scheduled', 'in_review', 'draft'])
      assert.ok(
        posts.some((p) => p.state === state),
        state,
      )
  })

  it('reports engagement by type, topic, hour and account as SVG charts with tables, in English and Welsh', async () => {
    for (const prefix of ['', '/cy']) {
      const res = await analyst.get(`${prefix}/admin/publishing/report?days=90`)
      assert.equal(res.statusCode, 200)
      assert.equal((res.body.match(/<svg[^>]+role="img"/g) ?? []).length, 4)
      assert.equal((res.body.match(/<table/g) ?? []).length, 4)
      assert.match(res.body, /Bins and recycling/)
      assert.match(res.body, /Glanaber Council \(Mastodon\)/)
    }
    // The analyst reads the report but does not write posts.
    assert.equal((await analyst.get('/admin/publishing/posts/new')).statusCode, 403)
  })

  it('lists published official posts publicly and in the feeds', async () => {
    const page = await new TestBrowser(t.app).get('/publishing')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Garden waste collections/)
    const atom = await new TestBrowser(t.app).get('/publishing/feed.atom')
    assert.equal((atom.body.match(/<entry>/g) ?? []).length, 16)
  })
})
