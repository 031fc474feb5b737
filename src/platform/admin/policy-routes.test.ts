import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addStaff, buildTestApp, type TestApp, TestBrowser } from '../../../test/support/app.js'
import { dialectLabel, TEST_DIALECTS } from '../../../test/support/db.js'
import { findAuditEntries } from '../audit/audit.js'
import { listElectionPeriods } from '../elections/index.js'
import { loadPolicy } from '../policy/index.js'

for (const dialect of TEST_DIALECTS) {
  describe(`admin: social media policy and elections calendar (${dialectLabel(dialect)})`, () => {
    let t: TestApp
    let admin: TestBrowser
    before(async () => {
      t = await buildTestApp(dialect)
      await addStaff(t.services, 'admin@example.org', ['admin'])
      await addStaff(t.services, 'comms@example.org', ['communications'])
      admin = new TestBrowser(t.app)
      assert.equal((await admin.login('admin@example.org')).statusCode, 303)
    })
    after(async () => {
      await t.close()
    })

    it('is for admins only', async () => {
      const anon = new TestBrowser(t.app)
      assert.equal((await anon.get('/admin/policy')).statusCode, 303)
      const comms = new TestBrowser(t.app)
      await comms.login('comms@example.org')
      assert.equal((await comms.get('/admin/policy')).statusCode, 403)
      assert.equal((await comms.get('/admin/elections')).statusCode, 403)
      assert.equal(
        (await comms.post('/admin/elections', { name: 'x', startsOn: '2026-01-01', pollsOn: '2026-01-02' }))
          .statusCode,
        403,
      )
    })

    it('lists the default rules in English and Welsh', async () => {
      const en = await admin.get('/admin/policy')
      assert.equal(en.statusCode, 200)
      assert.match(en.body, /Social media policy/)
      assert.match(en.body, /personal-data\.nino/)
      assert.match(en.body, /National Insurance number/)
      const cy = await admin.get('/cy/admin/policy')
      assert.equal(cy.statusCode, 200)
      assert.match(cy.body, /Polisi cyfryngau cymdeithasol/)
      assert.match(cy.body, /Rhif Yswiriant Gwladol/)
    })

    it('tries a text and shows each finding with its span marked', async () => {
      await admin.get('/admin/policy')
      const res = await admin.post('/admin/policy/try', {
        text: 'Vote for the <b>Green Party</b>, call 07700 900123',
        channel: 'bluesky',
        date: '2026-11-29',
      })
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /3 findings/)
      assert.match(res.body, /<mark>07700 900123<\/mark>/)
      assert.match(res.body, /<mark>Vote for<\/mark> the &lt;b&gt;Green Party/)
      // What was typed is kept, escaped.
      assert.match(res.body, /Vote for the &lt;b&gt;Green Party&lt;\/b&gt;, call 07700 900123<\/textarea>/)
      const cy = await admin.post('/cy/admin/policy/try', { text: 'Cliciwch yma', channel: '', date: '' })
      assert.match(cy.body, /Nid yw “Cliciwch yma” yn dweud i ble mae’r ddolen yn mynd/)
    })

    it('refuses an empty text or a bad date with an error summary naming the field', async () => {
      await admin.get('/admin/policy')
      const res = await admin.post('/admin/policy/try', { text: ' ', channel: 'bluesky', date: '2026-13-01' })
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /govuk-error-summary/)
      assert.match(res.body, /href="#text">Enter a text to check/)
      assert.match(res.body, /href="#date">Publishing date must be a real date/)
    })

    it('edits a rule, and the checker uses it; a bad number or pattern is refused and kept', async () => {
      await admin.get('/admin/policy/rules/length')
      const bad = await admin.post('/admin/policy/rules/length', {
        enabled: 'yes',
        severity: 'block',
        messageEn: 'Too long',
        messageCy: 'Rhy hir',
        limit_mastodon: '500',
        limit_bluesky: 'three hundred',
        limit_email: '',
        limit_web: '',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /href="#limit_bluesky">Bluesky limit must be a whole number/)
      assert.match(bad.body, /value="three hundred"/)

      const ok = await admin.post('/admin/policy/rules/length', {
        enabled: 'yes',
        severity: 'warn',
        messageEn: 'Over {{limit}}',
        messageCy: 'Dros {{limit}}',
        limit_mastodon: '500',
        limit_bluesky: '280',
        limit_email: '',
        limit_web: '',
      })
      assert.equal(ok.statusCode, 303)
      const rule = (await loadPolicy(t.services.db)).rules.find((r) => r.code === 'length')!
      assert.deepEqual(rule.limits, { mastodon: 500, bluesky: 280 })
      assert.equal(rule.severity, 'warn')
      const [entry] = await findAuditEntries(t.services.db, { action: 'platform.policy.rule.update' })
      assert.equal(entry?.subjectId, 'length')

      await admin.get('/admin/policy/rules/polemical')
      const badPattern = await admin.post('/admin/policy/rules/polemical', {
        enabled: 'yes',
        severity: 'warn',
        messageEn: 'x',
        messageCy: 'x',
        terms: 'shameful',
        patterns: '(unclosed',
      })
      assert.equal(badPattern.statusCode, 400)
      assert.match(badPattern.body, /The pattern \(unclosed is not a valid regular expression/)
    })

    it('adds a custom rule, then removes it', async () => {
      await admin.get('/admin/policy')
      const missing = await admin.post('/admin/policy/rules', {
        code: 'Tram Plans!',
        severity: 'warn',
        messageEn: '',
        messageCy: 'x',
        terms: 'tram extension',
        patterns: '',
      })
      assert.equal(missing.statusCode, 400)
      assert.match(missing.body, /href="#code">Code must use only lower-case letters/)
      const res = await admin.post('/admin/policy/rules', {
        code: 'tram',
        severity: 'block',
        messageEn: 'Not before the board: {{match}}',
        messageCy: 'Dim cyn y bwrdd: {{match}}',
        terms: 'tram extension\nphase two',
        patterns: '',
      })
      assert.equal(res.statusCode, 303)
      const tried = await admin.post('/admin/policy/try', {
        text: 'The tram extension opens.',
        channel: '',
        date: '',
      })
      assert.match(tried.body, /Not before the board: tram extension/)
      const page = await admin.get('/admin/policy/rules/custom.tram')
      assert.equal(page.statusCode, 200)
      assert.equal((await admin.post('/admin/policy/rules/custom.tram/remove', {})).statusCode, 303)
      assert.ok(!(await loadPolicy(t.services.db)).rules.some((r) => r.code === 'custom.tram'))
      // Built-in rules are switched off, not removed.
      await admin.get('/admin/policy/rules/political')
      assert.equal((await admin.post('/admin/policy/rules/political/remove', {})).statusCode, 404)
      const actions = (await findAuditEntries(t.services.db, {})).map((e) => e.action)
      assert.ok(
        actions.includes('platform.policy.rule.add') && actions.includes('platform.policy.rule.remove'),
      )
    })

    it('adds and removes pre-election periods; the checker blocks political text inside one', async () => {
      await admin.get('/admin/elections')
      const bad = await admin.post('/admin/elections', {
        name: '',
        startsOn: '2026-05-07',
        pollsOn: '2026-03-26',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /href="#name">Enter the name of the election/)
      assert.match(bad.body, /href="#pollsOn">Polling day must be on or after the first day/)
      assert.match(bad.body, /value="2026-05-07"/)
      const ok = await admin.post('/admin/elections', {
        name: 'Senedd election 2026',
        startsOn: '2026-03-26',
        pollsOn: '2026-05-07',
      })
      assert.equal(ok.statusCode, 303)
      const list = await admin.get('/cy/admin/elections')
      assert.match(list.body, /Senedd election 2026/)
      assert.match(list.body, /Calendr etholiadau/)
      const tried = await admin.post('/admin/policy/try', {
        text: 'Meet Plaid Cymru today',
        channel: '',
        date: '2026-04-01',
      })
      assert.match(tried.body, /pre-election period \(Senedd election 2026\)/)
      const [period] = await listElectionPeriods(t.services.db)
      await admin.get('/admin/elections')
      assert.equal((await admin.post(`/admin/elections/${period!.id}/remove`, {})).statusCode, 303)
      assert.deepEqual(await listElectionPeriods(t.services.db), [])
      assert.equal((await admin.post(`/admin/elections/${period!.id}/remove`, {})).statusCode, 404)
      const actions = (await findAuditEntries(t.services.db, {})).map((e) => e.action)
      assert.ok(actions.includes('platform.elections.add') && actions.includes('platform.elections.remove'))
    })
  })
}
