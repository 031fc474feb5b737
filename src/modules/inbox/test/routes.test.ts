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
import { findAuditEntries } from '../../../platform/audit/audit.js'
import { invalidateRoutingContext } from '../services/intake.js'
import { inboxResponseStats } from '../stats.js'
import { insertAnswer } from '../store/answer-store.js'
import { caseMessages, findCase, listCases } from '../store/case-store.js'
import { addTeamMember, insertRule, insertTeam, replaceSensitiveTopics } from '../store/config-store.js'

for (const dialect of TEST_DIALECTS) {
  describe(`inbox pages (${dialectLabel(dialect)})`, () => {
    let t: TestApp
    let rhodri: TestBrowser
    let cerys: TestBrowser
    let admin: TestBrowser
    let rhodriId: number
    let teamId: number

    before(async () => {
      t = await buildTestApp(dialect)
      await enableModules(t.services, ['inbox'])
      const { db } = t.services
      const now = new Date()
      rhodriId = await addStaff(t.services, 'rhodri@example.org', ['responder'])
      await addStaff(t.services, 'cerys@example.org', ['communications'])
      await addStaff(t.services, 'alex@example.org', ['admin'])
      await addStaff(t.services, 'ana@example.org', ['analyst'])
      teamId = await insertTeam(db, { name: 'Streets' }, now)
      await addTeamMember(db, teamId, rhodriId, { maxOpen: 10 })
      await insertRule(
        db,
        {
          name: 'Streets',
          conditions: { keywords: ['pothole', 'bins'] },
          actions: { teamId, tag: 'streets' },
        },
        now,
      )
      await replaceSensitiveTopics(db, ['safeguarding'], now)
      await insertAnswer(
        db,
        {
          title: 'Pothole logged',
          teamId,
          reviewOn: '2027-06-01',
          textEn: 'Thank you: we have logged the pothole.',
          textCy: 'Diolch: rydym wedi cofnodi’r twll.',
          createdBy: null,
          approved: true,
        },
        now,
      )
      invalidateRoutingContext(db)
      rhodri = new TestBrowser(t.app)
      await rhodri.login('rhodri@example.org')
      cerys = new TestBrowser(t.app)
      await cerys.login('cerys@example.org')
      admin = new TestBrowser(t.app)
      await admin.login('alex@example.org')
    })
    after(async () => {
      await t?.close()
    })

    it('the contact form names each problem, keeps what was typed, then opens a routed case', async () => {
      const citizen = new TestBrowser(t.app)
      const form = await citizen.get('/contact?about=petitions:42')
      assert.equal(form.statusCode, 200)
      assert.match(form.body, /petitions:42/)
      const bad = await citizen.post('/contact', {
        name: '',
        email: 'not-an-email',
        message: 'The pothole on Elm Street is huge',
        about: 'petitions:42',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /govuk-error-summary/)
      assert.match(bad.body, /href="#name"/)
      assert.match(bad.body, /Enter an email address in the correct format/)
      assert.match(bad.body, /The pothole on Elm Street is huge/)
      const ok = await citizen.post('/contact', {
        name: 'Gwen',
        email: 'Gwen@Example.org',
        message: 'The pothole on Elm Street is huge',
        about: 'petitions:42',
      })
      assert.equal(ok.statusCode, 303)
      const sent = await citizen.get(ok.headers.location as string)
      assert.match(sent.body, /TS-\d+/)
      const [c] = await listCases(t.services.db, { status: 'all' })
      assert.ok(c)
      assert.equal(c.channel, 'petitions')
      assert.equal(c.context, 'petitions:42')
      assert.equal(c.citizenEmail, 'gwen@example.org')
      assert.equal(c.teamId, teamId)
      assert.equal(c.assigneeId, rhodriId, 'round-robin gave it to the only available member')
      assert.deepEqual(c.tags, ['streets'])
      assert.ok(c.firstResponseDue)
      // Welsh form too.
      const cy = await citizen.get('/cy/contact')
      assert.match(cy.body, /Cysylltu â ni/)
    })

    it('a responder inserts an approved answer, adjusts it and sends it by email', async () => {
      const [c] = await listCases(t.services.db, { status: 'all' })
      const page = await rhodri.get(`/admin/inbox/cases/${c!.id}`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /due in \d+ h \d+ min \(business hours\)/)
      const inserted = await rhodri.post(`/admin/inbox/cases/${c!.id}/reply`, {
        action: 'insert',
        answerId: '1',
        text: '',
      })
      assert.equal(inserted.statusCode, 200)
      assert.match(inserted.body, /Thank you: we have logged the pothole\./)
      const empty = await rhodri.post(`/admin/inbox/cases/${c!.id}/reply`, { action: 'send', text: '  ' })
      assert.equal(empty.statusCode, 400)
      assert.match(empty.body, /Enter a reply/)
      const sent = await rhodri.post(`/admin/inbox/cases/${c!.id}/reply`, {
        action: 'send',
        text: 'Thank you: we have logged the pothole. An inspector visits on Tuesday.',
        answerId: '1',
        answerVersion: '1',
      })
      assert.equal(sent.statusCode, 303)
      const after = await rhodri.get(`/admin/inbox/cases/${c!.id}`)
      assert.match(after.body, /Reply sent/)
      const out = await t.services.db
        .selectFrom('outbox')
        .selectAll()
        .where('to_address', '=', 'gwen@example.org')
        .executeTakeFirstOrThrow()
      assert.match(out.subject, new RegExp(`\\[TS-${c!.id}\\]`))
      assert.match(out.text_body, /An inspector visits on Tuesday/)
      const updated = (await findCase(t.services.db, c!.id))!
      assert.ok(updated.firstResponseAt)
      assert.equal(updated.firstResponseWithin, true)
      assert.equal(updated.status, 'pending')
      const msgs = await caseMessages(t.services.db, c!.id)
      assert.equal(msgs.at(-1)!.answerId, 1)
      const audit = await findAuditEntries(t.services.db, { action: 'inbox.reply.queue' })
      assert.equal(audit.length, 1)
    })

    it('a reply on a sensitive topic waits for a second person, who cannot be its author', async () => {
      const citizen = new TestBrowser(t.app)
      await citizen.get('/contact')
      await citizen.post('/contact', {
        name: 'Sam',
        email: 'sam@example.org',
        message: 'A safeguarding concern about a child on my street and bins',
      })
      const c = (await listCases(t.services.db, { status: 'all' })).find(
        (x) => x.citizenEmail === 'sam@example.org',
      )!
      assert.equal(c.sensitive, true)
      await rhodri.get(`/admin/inbox/cases/${c.id}`)
      const res = await rhodri.post(`/admin/inbox/cases/${c.id}/reply`, {
        action: 'send',
        text: 'Thank you, we have passed this to the safeguarding team.',
      })
      assert.equal(res.statusCode, 303)
      const waiting = (await caseMessages(t.services.db, c.id)).at(-1)!
      assert.equal(waiting.state, 'awaiting-approval')
      assert.equal(
        (await findCase(t.services.db, c.id))!.firstResponseAt,
        null,
        'the timer runs until it is approved',
      )
      // The author is not a communications officer and cannot approve at all.
      assert.equal(
        (await rhodri.post(`/admin/inbox/messages/${waiting.id}/review`, { decision: 'approve' })).statusCode,
        403,
      )
      const list = await cerys.get('/admin/inbox/approvals')
      assert.match(list.body, new RegExp(`TS-${c.id}`))
      await cerys.get(`/admin/inbox/cases/${c.id}`)
      const ok = await cerys.post(`/admin/inbox/messages/${waiting.id}/review`, {
        decision: 'approve',
        note: '',
      })
      assert.equal(ok.statusCode, 303)
      const done = (await caseMessages(t.services.db, c.id)).at(-1)!
      assert.equal(done.state, 'sent')
      assert.ok((await findCase(t.services.db, c.id))!.firstResponseAt)
    })

    it('a communications officer cannot approve a reply of their own', async () => {
      const c = (await listCases(t.services.db, { status: 'all' })).find(
        (x) => x.citizenEmail === 'sam@example.org',
      )!
      await cerys.get(`/admin/inbox/cases/${c.id}`)
      await cerys.post(`/admin/inbox/cases/${c.id}/reply`, {
        action: 'send',
        text: 'One more thing about safeguarding.',
      })
      const own = (await caseMessages(t.services.db, c.id)).at(-1)!
      assert.equal(own.state, 'awaiting-approval')
      const res = await cerys.post(`/admin/inbox/messages/${own.id}/review`, { decision: 'approve' })
      assert.equal(res.statusCode, 403)
    })

    it('hides a message under a house rule and counts it in the monthly statistics', async () => {
      const [c] = await listCases(t.services.db, { status: 'all' })
      const inbound = (await caseMessages(t.services.db, c!.id)).find((m) => m.direction === 'inbound')!
      await rhodri.get(`/admin/inbox/cases/${c!.id}`)
      const bad = await rhodri.post(`/admin/inbox/messages/${inbound.id}/moderate`, {
        action: 'hide',
        rule: 'no-such-rule',
      })
      assert.equal(bad.statusCode, 400)
      await rhodri.get(`/admin/inbox/cases/${c!.id}`)
      const ok = await rhodri.post(`/admin/inbox/messages/${inbound.id}/moderate`, {
        action: 'hide',
        rule: 'personal-information',
      })
      assert.equal(ok.statusCode, 303)
      const stats = await rhodri.get('/admin/inbox/house-rules')
      assert.match(stats.body, /Personal information/)
      assert.doesNotMatch(stats.body, /id="no-moderation"/)
      const cy = await rhodri.get('/cy/admin/inbox/house-rules')
      assert.match(cy.body, /Gwybodaeth bersonol/)
    })

    it('the queue filters, and staff without the role are refused', async () => {
      const list = await rhodri.get('/admin/inbox?mine=1&status=all')
      assert.equal(list.statusCode, 200)
      assert.match(list.body, /TS-\d+/)
      const analyst = new TestBrowser(t.app)
      await analyst.login('ana@example.org')
      assert.equal((await analyst.get('/admin/inbox')).statusCode, 403)
      assert.equal((await new TestBrowser(t.app).get('/admin/inbox')).statusCode, 303)
      assert.equal((await rhodri.get('/admin/inbox/rules')).statusCode, 403)
    })

    it('admins edit rules and the service standard with clear errors', async () => {
      await admin.get('/admin/inbox/rules')
      const bad = await admin.post('/admin/inbox/rules', { name: '', keywords: '' })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /Enter a rule name/)
      assert.match(bad.body, /Give at least one condition/)
      const ok = await admin.post('/admin/inbox/rules', {
        name: 'Welsh',
        languages: 'cy',
        team: String(teamId),
      })
      assert.equal(ok.statusCode, 303)
      await admin.get('/admin/inbox/sla')
      const badSla = await admin.post('/admin/inbox/sla', {
        name: 'Standard',
        first: 'eight',
        next: '8',
        resolution: '40',
        warn: '60',
        open1: '09:00',
        close1: '08:00',
        holidays: '2026-12-25\n2026-13-01',
        sensitive: 'safeguarding',
      })
      assert.equal(badSla.statusCode, 400)
      assert.match(badSla.body, /Enter the first response time in hours/)
      assert.match(badSla.body, /2026-13-01/)
      const okSla = await admin.post('/admin/inbox/sla', {
        name: 'Standard',
        first: '4',
        next: '8',
        resolution: '40',
        warn: '30',
        open1: '09:00',
        close1: '17:00',
        open5: '09:00',
        close5: '16:30',
        holidays: '2026-12-25',
        sensitive: 'safeguarding, housing',
      })
      assert.equal(okSla.statusCode, 303)
      const page = await new TestBrowser(t.app).get('/service-standards')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /A first answer within 4 working hours/)
      assert.match(page.body, /16:30/)
      const cy = await new TestBrowser(t.app).get('/cy/service-standards')
      assert.match(cy.body, /Ein safonau gwasanaeth/)
    })

    it('reports median first response and the share within standard', async () => {
      const from = new Date(Date.now() - 86_400_000)
      const stats = await inboxResponseStats(t.services.db, from, new Date(Date.now() + 60_000))
      assert.equal(stats.cases, 2)
      assert.equal(stats.answered, 2)
      assert.equal(stats.withinStandardPct, 100)
      assert.ok(stats.medianFirstResponseMinutes !== null && stats.medianFirstResponseMinutes >= 0)
    })
  })
}
