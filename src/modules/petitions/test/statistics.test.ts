import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  addStaff,
  buildTestApp,
  enableModules,
  type TestApp,
  TestBrowser,
} from '../../../../test/support/app.js'
import { dialectLabel, TEST_DIALECTS } from '../../../../test/support/db.js'
import { openPetition } from './factories.js'

for (const dialect of TEST_DIALECTS) {
  describe(`petition statistics and CSV on ${dialectLabel(dialect)}`, () => {
    let t: TestApp
    before(async () => {
      t = await buildTestApp(dialect)
      await enableModules(t.services, ['petitions'])
      await addStaff(t.services, 'analyst@example.org', ['analyst'])
      await addStaff(t.services, 'responder@example.org', ['responder'])
    })
    after(async () => {
      await t.close()
    })

    it('shows what drove the signatures: per hour, confirmation rate, referrers, campaigns, areas', async () => {
      const id = await openPetition(t.services.db, { action: '=HYPERLINK("http://evil")' })
      const b = new TestBrowser(t.app)
      for (let i = 0; i < 4; i++) {
        const s = new TestBrowser(t.app, `198.51.100.${10 + i}`)
        await s.get(`/petitions/${id}?utm_campaign=x`)
        await s.app.inject({
          method: 'POST',
          url: `/petitions/${id}/signatures?utm_campaign=${i < 3 ? 'newsletter' : 'poster'}`,
          remoteAddress: s.ip,
          headers: {
            cookie: [...s.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            referer: 'https://social.example/post/1',
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: new URLSearchParams({
            _csrf: s.lastCsrf!,
            name: `Person ${i}`,
            email: `p${i}@example.org`,
            country: 'GB',
            postcode: 'CF10 1EP',
            declaration: 'yes',
          }).toString(),
        })
      }
      await b.login('analyst@example.org')
      const page = await b.get(`/admin/petitions/${id}/statistics`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<svg class="ts-chart" role="img"/)
      assert.match(page.body, /social\.example/)
      assert.match(page.body, /newsletter/)
      assert.match(page.body, /Confirmation rate/)
      const csv = await b.get(`/admin/petitions/${id}/areas.csv`)
      assert.equal(csv.statusCode, 200)
      assert.match(String(csv.headers['content-type']), /text\/csv/)
      const list = await t.app.inject('/petitions.csv?state=open')
      assert.ok(list.body.includes(`"'=HYPERLINK(""http://evil"")"`), 'formula guarded')
      const r = new TestBrowser(t.app)
      await r.login('responder@example.org')
      assert.equal((await r.get(`/admin/petitions/${id}/statistics`)).statusCode, 403)
    })

    it('puts the live count in the HTML and a script that refreshes it', async () => {
      const id = await openPetition(t.services.db, { signatureCount: 1234 })
      const page = await t.app.inject(`/petitions/${id}`)
      assert.match(page.body, new RegExp(`data-live-count="/petitions/${id}/count.json"`))
      assert.match(page.body, />1,234</)
      assert.match(page.body, /src="\/assets\/petition-count.js"/)
      assert.equal((await t.app.inject('/assets/petition-count.js')).statusCode, 200)
    })
  })
}
