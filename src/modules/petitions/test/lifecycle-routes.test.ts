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
import { addElectionPeriod, removeElectionPeriod } from '../../../platform/elections/index.js'
import { listOutbox } from '../../../platform/mail/mail.js'
import { writeSetting } from '../../../platform/settings/settings.js'
import { addFraudRule } from '../store/fraud-store.js'
import { findPetitionById, findPetitionEvents } from '../store/petition-store.js'
import { openPetition, petitionIn } from './factories.js'

async function latestLink(t: TestApp, to: string, pattern: RegExp): Promise<string> {
  const mails = await listOutbox(t.services.db, { to, limit: 20 })
  for (const m of mails) {
    const match = pattern.exec(m.text)
    if (match) return match[0].replace(/^https?:\/\/[^/]+/, '')
  }
  throw new Error(`no email to ${to} matching ${pattern}`)
}

async function followConfirmLink(b: TestBrowser, link: string): Promise<void> {
  await b.get(link)
  const res = await b.post(link.split('?')[0]!, {
    token: new URL(link, 'http://x').searchParams.get('token')!,
  })
  assert.equal(res.statusCode, 303)
}

for (const dialect of TEST_DIALECTS) {
  describe(`creating and moderating petitions on ${dialectLabel(dialect)}`, () => {
    let t: TestApp
    before(async () => {
      t = await buildTestApp(dialect)
      await enableModules(t.services, ['petitions'])
      await addStaff(t.services, 'mod1@example.org', ['moderator'])
      await addStaff(t.services, 'mod2@example.org', ['moderator'])
      await addStaff(t.services, 'analyst@example.org', ['analyst'])
      await addStaff(t.services, 'comms@example.org', ['communications'])
    })
    after(async () => {
      await t.close()
    })

    it('walks a creator through the wizard, then 5 supporters, then moderation to publication', async () => {
      await openPetition(t.services.db, {
        action: 'Reopen the library in Trefelin',
        background: 'The library closed and people miss it.',
      })
      const c = new TestBrowser(t.app)
      const stages: [string, Record<string, string>][] = [
        ['eligibility', { eligible: 'yes' }],
        ['action', { action: 'Reopen Trefelin library on Saturdays' }],
        ['background', { background: 'Families cannot reach the library during the week.' }],
        ['details', { additionalDetails: '' }],
        ['creator', { name: 'Sam Creator', email: 'sam@example.org', country: 'GB', postcode: 'CF10 1EP' }],
      ]
      for (const [stage, form] of stages) {
        const page = await c.get(`/petitions/new/${stage}`)
        assert.equal(page.statusCode, 200, stage)
        if (stage === 'background')
          assert.match(page.body, /Reopen the library in Trefelin/, 'similar open petitions are shown')
        const res = await c.post(`/petitions/new/${stage}`, form)
        assert.equal(res.statusCode, 303, `${stage}: ${res.body.slice(0, 200)}`)
      }
      const check = await c.get('/petitions/new/check')
      assert.match(check.body, /Reopen Trefelin library on Saturdays/)
      const sent = await c.post('/petitions/new/check', {})
      assert.equal(sent.statusCode, 200)
      assert.match(sent.body, /Check your email/)
      const petition = (
        await t.services.db
          .selectFrom('petitions')
          .select('id')
          .where('action', '=', 'Reopen Trefelin library on Saturdays')
          .executeTakeFirstOrThrow()
      ).id
      assert.equal((await findPetitionById(t.services.db, Number(petition)))?.state, 'pending')
      assert.equal(
        (await t.app.inject(`/petitions/${petition}`)).statusCode,
        404,
        'not public before publication',
      )

      await followConfirmLink(
        c,
        await latestLink(t, 'sam@example.org', /\S+\/signatures\/\d+\/confirm\?token=\S+/),
      )
      assert.equal((await findPetitionById(t.services.db, Number(petition)))?.state, 'validated')
      const sponsorLink = await latestLink(t, 'sam@example.org', /\S+\/sponsor\?token=\S+/)
      assert.equal(
        (await new TestBrowser(t.app).get(sponsorLink.replace(/token=\S+/, 'token=guess'))).statusCode,
        404,
      )

      for (let i = 1; i <= 5; i++) {
        const s = new TestBrowser(t.app, `192.0.2.${i}`)
        const page = await s.get(sponsorLink)
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /You have been asked to support this petition/)
        const sponsorToken = new URL(sponsorLink, 'http://x').searchParams.get('token')!
        assert.ok(page.body.includes(`name="sponsorToken" value="${sponsorToken}"`))
        const res = await s.post(`/petitions/${petition}/signatures`, {
          name: `Supporter ${i}`,
          email: `supporter${i}@example.org`,
          country: 'GB',
          postcode: 'CF10 1EP',
          declaration: 'yes',
          sponsorToken,
        })
        assert.equal(res.statusCode, 200)
        await followConfirmLink(
          s,
          await latestLink(t, `supporter${i}@example.org`, /\S+\/confirm\?token=\S+/),
        )
        const state = (await findPetitionById(t.services.db, Number(petition)))?.state
        assert.equal(state, i < 5 ? 'validated' : 'sponsored', `after supporter ${i}`)
      }

      const m1 = new TestBrowser(t.app)
      await m1.login('mod1@example.org')
      const queue = await m1.get('/admin/petitions')
      assert.equal(queue.statusCode, 200)
      assert.match(queue.body, /Reopen Trefelin library on Saturdays/)
      await m1.get(`/admin/petitions/${petition}`)
      const m2 = new TestBrowser(t.app)
      await m2.login('mod2@example.org')
      const locked = await m2.get(`/admin/petitions/${petition}`)
      assert.match(locked.body, /Another moderator is checking this petition/)
      assert.equal(
        (await m2.post(`/admin/petitions/${petition}/moderate`, { decision: 'approve' })).statusCode,
        409,
      )
      const approved = await m1.post(`/admin/petitions/${petition}/moderate`, { decision: 'approve' })
      assert.equal(approved.statusCode, 303)
      const published = await findPetitionById(t.services.db, Number(petition))
      assert.equal(published?.state, 'open')
      assert.ok(published?.deadlineAt)
      assert.equal(published?.signatureCount, 6, 'the creator and five supporters')
      assert.equal((await t.app.inject(`/petitions/${petition}`)).statusCode, 200)
      await latestLink(t, 'sam@example.org', /\S+\/petitions\/\d+$/m)
      const events = (await findPetitionEvents(t.services.db, Number(petition))).map((e) => e.kind)
      assert.deepEqual(events, ['created', 'state.validated', 'state.sponsored', 'state.open'])
      const audit = (
        await findAuditEntries(t.services.db, { subjectType: 'petition', subjectId: String(petition) })
      ).map((e) => e.action)
      assert.ok(audit.includes('petitions.approve'))
    })

    it('silently drops a third petition from one IP within 300 s, and petitions from the block list', async () => {
      const start = async (b: TestBrowser, action: string, email: string): Promise<number> => {
        const stages: [string, Record<string, string>][] = [
          ['eligibility', { eligible: 'yes' }],
          ['action', { action }],
          ['background', { background: 'A reason that is long enough to read.' }],
          ['details', { additionalDetails: '' }],
          ['creator', { name: 'Pat Starter', email, country: 'GB', postcode: 'CF10 1EP' }],
        ]
        for (const [stage, form] of stages) {
          await b.get(`/petitions/new/${stage}`)
          assert.equal((await b.post(`/petitions/new/${stage}`, form)).statusCode, 303, stage)
        }
        await b.get('/petitions/new/check')
        const sent = await b.post('/petitions/new/check', {})
        // The creator always sees the same page, so a script cannot tell it was dropped.
        assert.equal(sent.statusCode, 200)
        assert.match(sent.body, /Check your email/)
        const rows = await t.services.db
          .selectFrom('petitions')
          .select('id')
          .where('action', '=', action)
          .execute()
        return rows.length
      }
      const b = new TestBrowser(t.app, '203.0.113.77')
      assert.equal(await start(b, 'Mend the footbridge at Pont Isaf', 'pat1@example.org'), 1)
      assert.equal(await start(b, 'Light the path to Pont Isaf', 'pat2@example.org'), 1)
      assert.equal(await start(b, 'Paint the railings at Pont Isaf', 'pat3@example.org'), 0)
      assert.equal((await listOutbox(t.services.db, { to: 'pat3@example.org', limit: 5 })).length, 0)
      // Another address is not affected.
      const other = new TestBrowser(t.app, '198.51.100.20')
      assert.equal(await start(other, 'Paint the railings at Pont Isaf', 'pat3@example.org'), 1)
      // A blocked domain never gets a petition in, from any address.
      await addFraudRule(
        t.services.db,
        { kind: 'domain', list: 'block', pattern: '*.spam.example', note: '' },
        new Date(),
      )
      const fresh = new TestBrowser(t.app, '192.0.2.5')
      assert.equal(await start(fresh, 'Plant trees by Pont Isaf', 'bot@mail.spam.example'), 0)
    })

    it('pauses the wizard during a pre-election period when the council closes petitions for elections', async () => {
      const today = new Date().toISOString().slice(0, 10)
      const period = await addElectionPeriod(t.services.db, {
        name: 'By-election',
        startsOn: '2020-01-01',
        pollsOn: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
      })
      try {
        const b = new TestBrowser(t.app)
        assert.equal((await b.get('/petitions/new/action')).statusCode, 200, 'off by default')
        await writeSetting(t.services.db, 'module.petitions', { closeForElections: true })
        const page = await b.get('/cy/petitions/new/action')
        assert.match(page.body, /Mae deisebau wedi’u hoedi/)
        assert.match(page.body, /By-election/)
        const post = await b.post('/petitions/new/action', { action: 'Anything' })
        assert.match(post.body, /Petitions are paused for the election/)
      } finally {
        await writeSetting(t.services.db, 'module.petitions', {})
        await removeElectionPeriod(t.services.db, period.id)
      }
    })

    it('keeps what was typed and names the field when a wizard answer is wrong', async () => {
      const c = new TestBrowser(t.app)
      await c.get('/petitions/new/action')
      const long = 'A'.repeat(81)
      const res = await c.post('/petitions/new/action', { action: long })
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /href="#action">Action must be 80 characters or fewer/)
      assert.ok(res.body.includes(long))
      await c.get('/petitions/new/eligibility')
      const no = await c.post('/petitions/new/eligibility', { eligible: 'no' })
      assert.equal(no.statusCode, 400)
      assert.match(no.body, /Only people who live, work or study in the area/)
    })

    it('rejects with a hidden reason (the text disappears) and as a duplicate, emailing the creator', async () => {
      const m = new TestBrowser(t.app)
      await m.login('mod1@example.org')
      const offensive = await petitionIn(t.services.db, 'sponsored', {
        action: 'Something offensive',
        creatorEmail: 'rude@example.org',
      })
      await m.get(`/admin/petitions/${offensive}`)
      const missing = await m.post(`/admin/petitions/${offensive}/moderate`, {
        decision: 'reject',
        reasonCode: '',
      })
      assert.equal(missing.statusCode, 400)
      assert.match(missing.body, /Choose a reason for rejecting the petition/)
      assert.equal(
        (
          await m.post(`/admin/petitions/${offensive}/moderate`, {
            decision: 'reject',
            reasonCode: 'offensive',
            details: '',
          })
        ).statusCode,
        303,
      )
      assert.equal((await findPetitionById(t.services.db, offensive))?.state, 'hidden')
      const page = await t.app.inject(`/petitions/${offensive}`)
      assert.doesNotMatch(page.body, /Something offensive/)
      assert.equal((await t.app.inject(`/petitions/${offensive}.json`)).json().data.attributes.action, null)

      const original = await openPetition(t.services.db, { action: 'Fix the bridge' })
      const dup = await petitionIn(t.services.db, 'sponsored', {
        action: 'Mend the bridge',
        creatorEmail: 'dup@example.org',
      })
      await m.get(`/admin/petitions/${dup}`)
      assert.equal(
        (await m.post(`/admin/petitions/${dup}/moderate`, { decision: 'duplicate', duplicateOf: '999999' }))
          .statusCode,
        400,
      )
      assert.equal(
        (
          await m.post(`/admin/petitions/${dup}/moderate`, {
            decision: 'duplicate',
            duplicateOf: String(original),
            details: 'Please sign the other one.',
          })
        ).statusCode,
        303,
      )
      const rejected = await findPetitionById(t.services.db, dup)
      assert.equal(rejected?.state, 'rejected')
      assert.equal(rejected?.rejection?.code, 'duplicate')
      assert.equal(rejected?.duplicateOf, original)
      await latestLink(t, 'dup@example.org', new RegExp(`/petitions/${original}`))
    })

    it('lets only admins edit the reasons library, and moderators read it; analysts are refused', async () => {
      const m = new TestBrowser(t.app)
      await m.login('mod1@example.org')
      assert.equal((await m.get('/admin/petitions/reasons')).statusCode, 200)
      assert.equal(
        (await m.post('/admin/petitions/reasons', { code: 'x', titleEn: 'X', titleCy: 'X' })).statusCode,
        403,
      )
      const a = new TestBrowser(t.app)
      await a.login('analyst@example.org')
      assert.equal((await a.get('/admin/petitions')).statusCode, 403)
    })

    it('publishes a response and an outcome, emailing each subscribed signer once in their language', async () => {
      const id = await openPetition(t.services.db, {
        action: 'Light the riverside path',
        responseThresholdReachedAt: '2026-11-01T00:00:00.000Z',
      })
      const signers: [string, string, number][] = [
        ['cy@example.org', 'cy', 1],
        ['en@example.org', 'en', 1],
        ['quiet@example.org', 'en', 0],
      ]
      for (const [email, language, notify] of signers) {
        await t.services.db
          .insertInto('petition_signatures')
          .values({
            petition_id: id,
            name: email,
            name_key: email,
            email,
            canonical_email: email,
            country: 'GB',
            postcode: 'CF10 1EP',
            state: 'validated',
            assurance_level: 'email-verified',
            language,
            notify,
            created_at: new Date().toISOString(),
          })
          .execute()
      }
      const page = await t.app.inject(`/petitions/${id}`)
      assert.match(page.body, /A response is due by 29 November 2026/)
      const c = new TestBrowser(t.app)
      await c.login('comms@example.org')
      await c.get(`/admin/petitions/${id}`)
      const bad = await c.post(`/admin/petitions/${id}/response`, {
        summary: 'x'.repeat(201),
        details: '',
        respondedOn: '29/11/2026',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /href="#summary">Summary must be 200 characters or fewer/)
      assert.match(bad.body, /href="#respondedOn">Enter the date as YYYY-MM-DD/)
      assert.equal(
        (
          await c.post(`/admin/petitions/${id}/response`, {
            summary: 'We will light the path by spring.',
            details: 'Lamps are ordered.',
            respondedOn: '2026-11-29',
          })
        ).statusCode,
        303,
      )
      await t.services.jobs.drainLocal(new Date())
      await t.services.jobs.drainLocal(new Date())
      const failed = await t.services.db
        .selectFrom('job_queue')
        .select(['name', 'status', 'last_error'])
        .where('status', '!=', 'done')
        .execute()
      assert.deepEqual(failed, [], 'every queued job ran')
      const updates = (await listOutbox(t.services.db, { limit: 50 })).filter(
        (m) => m.template === 'petitions-update-response',
      )
      assert.deepEqual(updates.map((m) => `${m.to}:${m.language}`).sort(), [
        'cy@example.org:cy',
        'en@example.org:en',
      ])
      assert.match(updates.find((m) => m.language === 'cy')!.subject, /Ymateb i ddeiseb/)
      const shown = await t.app.inject(`/petitions/${id}`)
      assert.match(shown.body, /We will light the path by spring\./)
      assert.equal(
        (await t.app.inject(`/petitions/${id}.json`)).json().data.attributes.government_response.summary,
        'We will light the path by spring.',
      )
      await c.get(`/admin/petitions/${id}`)
      assert.equal(
        (
          await c.post(`/admin/petitions/${id}/outcome`, {
            debatedOn: '2026-12-10',
            overview: 'Full council agreed.',
            transcriptUrl: 'javascript:alert(1)',
            videoUrl: '',
          })
        ).statusCode,
        400,
      )
      assert.equal(
        (
          await c.post(`/admin/petitions/${id}/outcome`, {
            debatedOn: '2026-12-10',
            overview: 'Full council agreed.',
            transcriptUrl: 'https://example.org/minutes',
            videoUrl: '',
          })
        ).statusCode,
        303,
      )
      await t.services.jobs.drainLocal(new Date())
      assert.equal(
        (await listOutbox(t.services.db, { limit: 50 })).filter(
          (m) => m.template === 'petitions-update-debate',
        ).length,
        2,
      )
      assert.match((await t.app.inject(`/cy/petitions/${id}`)).body, /Dadleuwyd ar 10 Rhagfyr 2026/)
      const audit = (
        await findAuditEntries(t.services.db, { subjectType: 'petition', subjectId: String(id) })
      ).map((e) => e.action)
      assert.ok(audit.includes('petitions.respond') && audit.includes('petitions.outcome'))
    })
  })
}
