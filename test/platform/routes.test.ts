import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { findAuditEntries } from '../../src/platform/audit/audit.js'
import { upsertVerifiedCitizen } from '../../src/platform/auth/citizens.js'
import { listOutbox } from '../../src/platform/mail/mail.js'
import { addStaff, buildTestApp, type TestApp, TestBrowser } from '../support/app.js'
import { dialectLabel, TEST_DIALECTS } from '../support/db.js'

/** Every staff page, the permission it needs, and the roles that hold it (admins hold all). */
const STAFF_PAGES: readonly { path: string; allowed: readonly string[] }[] = [
  { path: '/admin', allowed: ['admin', 'moderator', 'communications', 'analyst', 'responder'] },
  { path: '/admin/account', allowed: ['admin', 'moderator', 'communications', 'analyst', 'responder'] },
  { path: '/admin/users', allowed: ['admin'] },
  { path: '/admin/users/1', allowed: ['admin'] },
  { path: '/admin/settings', allowed: ['admin'] },
  { path: '/admin/audit', allowed: ['admin', 'analyst'] },
  { path: '/admin/outbox', allowed: ['admin', 'moderator', 'responder'] },
]
const ROLES = ['admin', 'moderator', 'communications', 'analyst', 'responder'] as const

for (const dialect of TEST_DIALECTS) {
  describe(`platform routes on ${dialectLabel(dialect)}`, () => {
    let t: TestApp
    before(async () => {
      t = await buildTestApp(dialect)
      for (const role of ROLES) await addStaff(t.services, `${role}@example.org`, [role])
    })
    after(async () => {
      await t.close()
    })

    it('answers GET /healthz', async () => {
      const res = await t.app.inject('/healthz')
      assert.equal(res.statusCode, 200)
      assert.deepEqual(res.json(), { status: 'ok' })
    })

    it('publishes the OpenAPI document of the JSON API', async () => {
      const res = await t.app.inject('/api/v1/openapi.json')
      assert.equal(res.statusCode, 200)
      const doc = res.json()
      assert.equal(doc.openapi, '3.1.0')
      assert.equal(doc.info.title, 'Townsquare API')
      assert.ok(
        Object.keys(doc.paths).every((p: string) => p.startsWith('/api/')),
        'only API routes',
      )
    })

    it('serves the home page in English and Welsh with lang, switcher and a CSP nonce', async () => {
      const en = await t.app.inject('/')
      assert.equal(en.statusCode, 200)
      assert.match(en.body, /<html lang="en"/)
      assert.match(en.body, /href="\/cy" rel="alternate"[^>]*lang="cy"/)
      const nonce = /style-src[^;]*'nonce-([^']+)'/.exec(String(en.headers['content-security-policy']))?.[1]
      assert.ok(nonce, 'CSP has a style nonce')
      // The brand-colour <style> must carry the style-src nonce, or browsers refuse it.
      assert.ok(en.body.includes(`<style nonce="${nonce}">`), 'the inline style carries the style nonce')
      assert.doesNotMatch(en.body, /govuk-logo|Crown copyright|GDS Transport/)
      const cy = await t.app.inject('/cy')
      assert.equal(cy.statusCode, 200)
      assert.match(cy.body, /<html lang="cy"/)
      assert.match(cy.body, /Dweud eich dweud/)
      assert.match(cy.body, /href="\/" rel="alternate"[^>]*lang="en"/)
    })

    it('links every page to the same page in the other language', async () => {
      const res = await t.app.inject('/cy/accessibility')
      assert.match(res.body, /href="\/accessibility" rel="alternate"/)
      const en = await t.app.inject('/privacy')
      assert.match(en.body, /href="\/cy\/privacy" rel="alternate"/)
    })

    it('shows a not-found page in the visitor’s language, and JSON errors on the API', async () => {
      const res = await t.app.inject('/cy/no-such-page')
      assert.equal(res.statusCode, 404)
      assert.match(res.body, /Heb ddod o hyd i’r dudalen/)
      const api = await t.app.inject('/api/v1/nothing')
      assert.equal(api.statusCode, 404)
      assert.equal(api.json().error.code, 'not-found')
    })

    for (const page of STAFF_PAGES) {
      it(`guards ${page.path}: anonymous to login, citizen refused, roles as the table says`, async () => {
        const anon = await t.app.inject(page.path)
        assert.equal(anon.statusCode, 303)
        assert.match(String(anon.headers.location), /^\/admin\/login\?next=/)

        const citizenBrowser = new TestBrowser(t.app)
        const citizen = await upsertVerifiedCitizen(
          t.services.db,
          { email: `walker${STAFF_PAGES.indexOf(page)}@example.org`, language: 'en' },
          new Date(),
        )
        // Sign the citizen in through the real emailed-link flow.
        await citizenBrowser.get('/account/sign-in')
        await citizenBrowser.post('/account/sign-in', { email: citizen.email })
        const [mail] = await listOutbox(t.services.db, { to: citizen.email, limit: 1 })
        const token = /token=([\w-]+)/.exec(mail!.text)![1]!
        await citizenBrowser.get(`/account/verify?token=${token}`)
        const verified = await citizenBrowser.post('/account/verify', { token })
        assert.equal(verified.statusCode, 303)
        const refused = await citizenBrowser.get(page.path)
        assert.equal(refused.statusCode, 403)

        for (const role of ROLES) {
          const b = new TestBrowser(t.app)
          const login = await b.login(`${role}@example.org`)
          assert.equal(login.statusCode, 303, `${role} logs in`)
          const res = await b.get(page.path)
          assert.equal(res.statusCode, page.allowed.includes(role) ? 200 : 403, `${role} on ${page.path}`)
        }
      })
    }

    it('records every staff action in the audit log', async () => {
      const b = new TestBrowser(t.app)
      await b.login('admin@example.org')
      await b.get('/admin/users')
      const add = await b.post('/admin/users', {
        email: 'new@example.org',
        name: 'New Person',
        password: 'a long password here',
        roles: ['analyst', 'responder'],
      })
      assert.equal(add.statusCode, 303)
      const id = String(add.headers.location).split('/').pop()!
      await b.get(`/admin/users/${id}`)
      assert.equal(
        (await b.post(`/admin/users/${id}`, { action: 'roles', roles: ['moderator'] })).statusCode,
        303,
      )
      await b.get(`/admin/users/${id}`)
      assert.equal((await b.post(`/admin/users/${id}`, { action: 'disable' })).statusCode, 303)
      await b.get('/admin/settings')
      const settings = await b.post('/admin/settings', {
        nameEn: 'Test Council',
        nameCy: 'Cyngor Prawf',
        brandColour: '#0b5e55',
        contactEmail: 'help@test.example',
        welsh: 'yes',
      })
      assert.equal(settings.statusCode, 303)
      const home = await t.app.inject('/')
      assert.match(home.body, /Test Council/)
      assert.match(home.body, /--govuk-brand-colour: #0b5e55/)
      await b.get('/admin/account')
      await b.post('/admin/logout', {})
      const actions = (await findAuditEntries(t.services.db, { actor: 'admin@example.org', limit: 50 })).map(
        (e) => e.action,
      )
      for (const expected of [
        'platform.login',
        'platform.user.add',
        'platform.user.roles',
        'platform.user.disable',
        'platform.settings.update',
        'platform.logout',
      ]) {
        assert.ok(actions.includes(expected), `audit has ${expected}`)
      }
    })

    it('validates each module’s settings with its schema, naming the module', async () => {
      const b = new TestBrowser(t.app)
      await b.login('admin@example.org')
      await b.get('/admin/settings')
      const base = {
        nameEn: 'Test Council',
        nameCy: 'Cyngor Prawf',
        brandColour: '#0b5e55',
        contactEmail: 'help@test.example',
      }
      const bad = await b.post('/admin/settings', {
        ...base,
        settings_petitions: '{"responseThreshold": -5}',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /href="#settings_petitions">Settings for petitions: \/responseThreshold/)
      assert.match(bad.body, /-5/, 'what was typed is kept')
      const notJson = await b.post('/admin/settings', { ...base, settings_petitions: '{oops' })
      assert.match(notJson.body, /Settings for petitions are not valid JSON/)
      const ok = await b.post('/admin/settings', {
        ...base,
        settings_petitions: '{"responseThreshold": 1500}',
      })
      assert.equal(ok.statusCode, 303)
      const settings = await b.get('/admin/settings')
      assert.match(settings.body, /&quot;responseThreshold&quot;: 1500/)
    })

    it('refuses a POST without a CSRF token', async () => {
      const b = new TestBrowser(t.app)
      await b.login('admin@example.org')
      await b.get('/admin/users')
      const res = await b.post(
        '/admin/users',
        { email: 'csrf@example.org', name: 'X', password: 'a long password here', roles: 'analyst' },
        { csrf: false },
      )
      assert.equal(res.statusCode, 403)
      assert.match(res.body, /Your form could not be sent/)
      const forged = await b.post('/admin/users', {
        email: 'csrf@example.org',
        name: 'X',
        password: 'a long password here',
        roles: 'analyst',
        _csrf: 'forged',
      })
      assert.equal(forged.statusCode, 403)
      assert.equal(
        (
          await t.services.db
            .selectFrom('staff_users')
            .select('id')
            .where('email', '=', 'csrf@example.org')
            .execute()
        ).length,
        0,
      )
    })

    it('shows an error summary naming each field and keeps what was typed', async () => {
      const b = new TestBrowser(t.app)
      await b.login('admin@example.org')
      await b.get('/admin/users')
      const res = await b.post('/admin/users', {
        email: 'not-an-email',
        name: 'Kept <Name>',
        password: 'short',
      })
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /govuk-error-summary/)
      assert.match(res.body, /href="#email">Enter an email address in the correct format/)
      assert.match(res.body, /href="#password">Password must be at least 12 characters/)
      assert.match(res.body, /href="#roles">Select at least one role/)
      assert.match(res.body, /value="not-an-email"/)
      assert.match(res.body, /value="Kept &lt;Name&gt;"/)
      assert.match(res.body, /<title>Error: /)
      const cy = await b.get('/cy/admin/users')
      assert.equal(cy.statusCode, 200)
      const resCy = await b.post('/cy/admin/users', { email: '', name: '', password: '' })
      assert.match(resCy.body, /Rhowch gyfeiriad e-bost/)
    })

    it('locks a staff account after five wrong passwords', async () => {
      await addStaff(t.services, 'victim@example.org', ['analyst'])
      for (let i = 0; i < 4; i++) {
        const b = new TestBrowser(t.app)
        assert.equal((await b.login('victim@example.org', 'wrong password!')).statusCode, 401)
      }
      const b = new TestBrowser(t.app)
      const fifth = await b.login('victim@example.org', 'wrong password!')
      assert.equal(fifth.statusCode, 423)
      assert.match(fifth.body, /locked/)
      const right = await new TestBrowser(t.app).login('victim@example.org')
      assert.equal(right.statusCode, 423, 'even the right password is refused while locked')
      const actions = (await findAuditEntries(t.services.db, { action: 'platform.login.' })).map(
        (e) => e.action,
      )
      assert.ok(actions.includes('platform.login.locked'))
    })

    it('gives a 500 page without internals, logged with the request id', async () => {
      const logged: string[] = []
      const broken = await buildTestApp(dialect, {}, (app) => {
        app.get('/boom', async () => {
          throw new Error('secret internal detail')
        })
      })
      broken.app.log.error = ((obj: { reqId?: string }) => {
        logged.push(String(obj?.reqId))
      }) as never
      try {
        const res = await broken.app.inject('/boom')
        assert.equal(res.statusCode, 500)
        assert.match(res.body, /Sorry, there is a problem with the service/)
        assert.doesNotMatch(res.body, /secret internal detail|at .*\.ts/)
        const api = await broken.app.inject('/api/v1/../boom')
        assert.ok(api.statusCode >= 400)
      } finally {
        await broken.close()
      }
    })
  })
}
