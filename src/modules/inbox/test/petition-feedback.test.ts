import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, enableModules, type TestApp, TestBrowser } from '../../../../test/support/app.js'
import { dialectLabel, TEST_DIALECTS } from '../../../../test/support/db.js'
import { openPetition } from '../../petitions/test/factories.js'
import { listCases } from '../store/case-store.js'

for (const dialect of TEST_DIALECTS) {
  describe(`feedback on a petition reaches the inbox (${dialectLabel(dialect)})`, () => {
    let t: TestApp
    before(async () => {
      t = await buildTestApp(dialect)
    })
    after(async () => {
      await t.close()
    })

    it('links from the petition page to the contact form, which opens a petitions case about it', async () => {
      await enableModules(t.services, ['petitions'])
      const id = await openPetition(t.services.db, { action: 'Keep the lido open all summer' })
      const withoutInbox = await t.app.inject(`/petitions/${id}`)
      assert.doesNotMatch(withoutInbox.body, /contact\?about=/, 'no link while the inbox is off')

      await enableModules(t.services, ['petitions', 'inbox'])
      // The anonymous petition page is cached for up to a second.
      await new Promise((r) => setTimeout(r, 1100))
      const b = new TestBrowser(t.app)
      const page = await b.get(`/cy/petitions/${id}`)
      const href = /href="([^"]*contact\?about=petitions:\d+)"/.exec(page.body)?.[1]
      assert.equal(href, `/cy/contact?about=petitions:${id}`)
      await b.get(href!)
      const sent = await b.post('/cy/contact', {
        name: 'Nia',
        email: 'nia@example.org',
        message: 'Pryd fydd y cyngor yn ateb?',
        about: `petitions:${id}`,
      })
      assert.equal(sent.statusCode, 303)
      const c = (await listCases(t.services.db, { status: 'all' })).find(
        (x) => x.citizenEmail === 'nia@example.org',
      )
      assert.ok(c)
      assert.equal(c.channel, 'petitions')
      assert.equal(c.language, 'cy')
    })
  })
}
