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
import { listOutbox } from '../../../platform/mail/mail.js'
import { detectTrending } from '../commands/fraud.js'
import { domainMatches, fraudVerdict, ipMatches, validFraudPattern } from '../domain/fraud.js'
import { findCounts, findPetitionById } from '../store/petition-store.js'
import { openPetition } from './factories.js'

describe('block and allow list matching', () => {
  it('matches IPv4 ranges and single addresses', () => {
    assert.equal(ipMatches('203.0.113.0/24', '203.0.113.77'), true)
    assert.equal(ipMatches('203.0.113.0/24', '203.0.114.1'), false)
    assert.equal(ipMatches('10.0.0.0/8', '10.255.1.2'), true)
    assert.equal(ipMatches('198.51.100.7', '198.51.100.7'), true)
    assert.equal(ipMatches('198.51.100.7', '::ffff:198.51.100.7'), true)
    assert.equal(ipMatches('0.0.0.0/0', '1.2.3.4'), true)
    assert.equal(ipMatches('2001:db8::1', '2001:db8::1'), true)
  })
  it('matches domain globs', () => {
    assert.equal(domainMatches('example.com', 'example.com'), true)
    assert.equal(domainMatches('*.example.com', 'mail.example.com'), true)
    assert.equal(domainMatches('*.example.com', 'a.b.example.com'), false)
    assert.equal(domainMatches('**.example.com', 'a.b.example.com'), true)
    assert.equal(domainMatches('**.example.com', 'example.com'), true)
    assert.equal(domainMatches('*.example.com', 'notexample.com'), false)
  })
  it('lets the allow list win and refuses malformed patterns', () => {
    const rules = [
      { list: 'block', kind: 'domain', pattern: '**.spam.test' },
      { list: 'allow', kind: 'email', pattern: 'friend@spam.test' },
    ] as const
    assert.equal(fraudVerdict(rules, null, 'bot@x.spam.test'), 'blocked')
    assert.equal(fraudVerdict(rules, null, 'friend@spam.test'), 'allowed')
    assert.equal(fraudVerdict(rules, '1.2.3.4', 'ann@example.org'), 'normal')
    assert.equal(validFraudPattern('ip', '300.1.1.1'), false)
    assert.equal(validFraudPattern('ip', '203.0.113.0/24'), true)
    assert.equal(validFraudPattern('domain', 'not a domain'), false)
  })
})

for (const dialect of TEST_DIALECTS) {
  describe(`anti-fraud on ${dialectLabel(dialect)}`, () => {
    let t: TestApp
    before(async () => {
      t = await buildTestApp(dialect)
      await enableModules(t.services, ['petitions'])
      await addStaff(t.services, 'admin@example.org', ['admin'])
      await addStaff(t.services, 'mod@example.org', ['moderator'])
    })
    after(async () => {
      await t.close()
    })

    const sign = (id: number, n: number, email: string, ip: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/petitions/${id}/signatures`,
        remoteAddress: ip,
        payload: { name: `Signer ${n}`, email, country: 'GB', postcode: 'CF10 1EP', declaration: true },
      })

    it('silently marks blocked signatures fraudulent and lets allowed IPs past the rate limit', async () => {
      const b = new TestBrowser(t.app)
      await b.login('admin@example.org')
      await b.get('/admin/petitions/fraud')
      const bad = await b.post('/admin/petitions/fraud/rules', {
        list: 'block',
        kind: 'ip',
        pattern: '300.0.0.1',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /href="#pattern">Enter an IP address or a range/)
      assert.equal(
        (
          await b.post('/admin/petitions/fraud/rules', {
            list: 'block',
            kind: 'domain',
            pattern: '*.spam.test',
            note: 'bot farm',
          })
        ).statusCode,
        303,
      )
      await b.get('/admin/petitions/fraud')
      assert.equal(
        (
          await b.post('/admin/petitions/fraud/rules', {
            list: 'allow',
            kind: 'ip',
            pattern: '192.0.2.0/24',
            note: 'council office',
          })
        ).statusCode,
        303,
      )
      const id = await openPetition(t.services.db)
      assert.equal((await sign(id, 1, 'bot@farm.spam.test', '198.51.100.1')).statusCode, 202)
      for (let n = 2; n < 6; n++)
        assert.equal((await sign(id, n, `staff${n}@council.example`, '192.0.2.10')).statusCode, 202)
      const states = await t.services.db
        .selectFrom('petition_signatures')
        .select(['canonical_email', 'state'])
        .where('petition_id', '=', id)
        .orderBy('id')
        .execute()
      assert.deepEqual(
        states.map((s) => s.state),
        ['fraudulent', 'pending', 'pending', 'pending', 'pending'],
      )
      const mod = new TestBrowser(t.app)
      await mod.login('mod@example.org')
      assert.equal((await mod.get('/admin/petitions/fraud')).statusCode, 403)
    })

    it('logs an IP at 100 signatures an hour on one petition and alerts staff at 200', async () => {
      const id = await openPetition(t.services.db)
      const hour = new Date('2026-11-29T09:00:00Z')
      const rows = Array.from({ length: 210 }, (_, i) => ({
        petition_id: id,
        name: `S${i}`,
        name_key: `s${i}`,
        email: `s${i}@mail${i % 2}.example`,
        canonical_email: `s${i}@mail${i % 2}.example`,
        country: 'GB',
        postcode: 'CF10 1EP',
        state: 'pending',
        assurance_level: 'email-verified',
        language: 'en',
        ip: i < 205 ? '203.0.113.5' : '198.51.100.9',
        created_at: new Date(hour.getTime() + i * 1000).toISOString(),
      }))
      await t.services.db.insertInto('petition_signatures').values(rows).execute()
      const result = await detectTrending(
        { db: t.services.db, mailer: t.services.mailer, publicUrl: 'http://localhost:3000' },
        hour,
      )
      // 205 from one IP (alert), 105 from each of two domains (logged only).
      assert.deepEqual(result, { logged: 3, alerted: 1 })
      const alerts = (await listOutbox(t.services.db, { limit: 50 })).filter(
        (m) => m.template === 'petitions-trending-alert',
      )
      assert.deepEqual(alerts.map((m) => m.to).sort(), ['admin@example.org', 'mod@example.org'])
      assert.match(alerts[0]!.text, /205 signatures on petition \d+ came from 203\.0\.113\.5/)
      assert.deepEqual(
        await detectTrending(
          { db: t.services.db, mailer: t.services.mailer, publicUrl: 'x' },
          new Date('2026-11-29T11:00:00Z'),
        ),
        { logged: 0, alerted: 0 },
      )
    })

    it('invalidates in bulk with a preview count, progress and cancel, decrementing every count', async () => {
      const id = await openPetition(t.services.db, {
        signatureCount: 10_001,
        responseThresholdReachedAt: '2026-11-01T00:00:00.000Z',
      })
      await t.services.db
        .insertInto('petition_areas')
        .values({
          postcode: 'CF101EP',
          area_code: 'W05001',
          area_name: 'Cathays',
          region_code: 'W1',
          region_name: 'Cardiff',
        })
        .onConflict((oc) => oc.column('postcode').doNothing())
        .execute()
      const now = new Date().toISOString()
      await t.services.db
        .insertInto('petition_signatures')
        .values(
          Array.from({ length: 3 }, (_, i) => ({
            petition_id: id,
            name: `Bot ${i}`,
            name_key: `bot ${i}`,
            email: `bot${i}@bots.test`,
            canonical_email: `bot${i}@bots.test`,
            country: 'GB',
            postcode: 'CF10 1EP',
            area_code: 'W05001',
            state: 'validated',
            assurance_level: 'email-verified',
            language: 'en',
            created_at: now,
            validated_at: now,
          })),
        )
        .execute()
      for (const [kind, code, name] of [
        ['country', 'GB', 'United Kingdom'],
        ['area', 'W05001', 'Cathays'],
        ['region', 'W1', 'Cardiff'],
        ['assurance', 'email-verified', 'email-verified'],
      ] as const) {
        await t.services.db
          .insertInto('petition_counts')
          .values({ petition_id: id, kind, code, name, count: 3 })
          .execute()
      }
      const b = new TestBrowser(t.app)
      await b.login('admin@example.org')
      await b.get('/admin/petitions/fraud')
      const none = await b.post('/admin/petitions/invalidations', { summary: 'everything' })
      assert.equal(none.statusCode, 400)
      assert.match(none.body, /Give at least one condition/)
      const created = await b.post('/admin/petitions/invalidations', {
        summary: 'Bot domain',
        petitionId: String(id),
        domain: 'bots.test',
      })
      assert.equal(created.statusCode, 303)
      const preview = await b.get(String(created.headers.location))
      assert.match(
        preview.body,
        /Signatures matching\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s/,
      )
      assert.equal(
        (await findPetitionById(t.services.db, id))?.signatureCount,
        10_001,
        'nothing changes before starting',
      )
      await b.post(`${created.headers.location}/start`, {})
      await t.services.jobs.drainLocal(new Date())
      const p = await findPetitionById(t.services.db, id)
      assert.equal(p?.signatureCount, 9_998)
      assert.equal(p?.responseThresholdReachedAt, null, 'the response threshold reverses')
      for (const kind of ['country', 'area', 'region', 'assurance'] as const) {
        assert.equal((await findCounts(t.services.db, id, kind))[0]?.count, 0, kind)
      }
      const done = await b.get(String(created.headers.location))
      assert.match(done.body, /3 invalidated \(100%\)/)
      assert.match(done.body, /Completed/)
      const cancelled = await b.post('/admin/petitions/invalidations', {
        summary: 'Second thoughts',
        email: 'nobody@example.org',
      })
      await b.get(String(cancelled.headers.location))
      await b.post(`${cancelled.headers.location}/cancel`, {})
      assert.match((await b.get(String(cancelled.headers.location))).body, /Cancelled/)
    })
  })
}
