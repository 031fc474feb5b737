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
import { READ_TTL_MS } from '../cache.js'
import { createSignatureWriter, type QueuedSignature, writeBatch } from '../commands/signature-batch.js'
import { openPetition } from './factories.js'

function queued(petitionId: number, over: Partial<QueuedSignature> = {}): QueuedSignature {
  const email = over.email ?? 'ann@example.org'
  return {
    petitionId,
    name: 'Ann Jones',
    email,
    canonicalEmail: email.toLowerCase(),
    country: 'GB',
    postcode: 'CF10 1EP',
    state: 'pending',
    assuranceLevel: 'email-verified',
    notify: false,
    creator: false,
    ip: '192.0.2.1',
    referrer: null,
    campaign: null,
    language: 'en',
    tokenHash: `hash-${Math.random()}`,
    rawToken: 'raw',
    now: new Date(),
    ...over,
  }
}

async function signatureNames(t: TestApp, petitionId: number): Promise<string[]> {
  const rows = await t.services.db
    .selectFrom('petition_signatures')
    .select('name')
    .where('petition_id', '=', petitionId)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.name)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

for (const dialect of TEST_DIALECTS) {
  describe(`a signing surge on ${dialectLabel(dialect)}`, () => {
    let t: TestApp
    before(async () => {
      t = await buildTestApp(dialect)
      await enableModules(t.services, ['petitions'])
    })
    after(async () => {
      await t.close()
    })

    it('applies the duplicate rule inside one batch as it would one by one', async () => {
      const id = await openPetition(t.services.db)
      const { mailer, config } = t.services
      const batch = [
        queued(id),
        queued(id), // the same person twice: one signature, a reminder
        queued(id, { name: 'Bob Jones' }), // a household: same mailbox and postcode, another name
        queued(id, { name: 'Cat Jones' }), // a third name: refused, only a reminder
        queued(id, { name: 'Dan Smith', email: 'dan@example.org' }),
      ]
      const outcomes = await t.services.db
        .transaction()
        .execute((trx) => writeBatch(trx, mailer, config.publicUrl, batch))
      assert.deepEqual(outcomes, ['accepted', 'accepted', 'accepted', 'accepted', 'accepted'])
      assert.deepEqual(await signatureNames(t, id), ['Ann Jones', 'Bob Jones', 'Dan Smith'])
      const ann = (await listOutbox(t.services.db, { to: 'ann@example.org', limit: 50 })).filter((m) =>
        m.text.includes(`/petitions/${id}`),
      )
      assert.equal(ann.filter((m) => m.template === 'petitions-confirm-signature').length, 2)
      assert.equal(ann.filter((m) => m.template === 'petitions-already-signed').length, 2)
      // A later batch sees the earlier one: the same mailbox again is a duplicate.
      const [again] = await t.services.db
        .transaction()
        .execute((trx) =>
          writeBatch(trx, mailer, config.publicUrl, [
            queued(id, { name: 'Dan Smith', email: 'DAN@example.org' }),
          ]),
        )
      assert.equal(again, 'accepted')
      assert.equal((await signatureNames(t, id)).length, 3)
    })

    it('overlapping batches never judge one mailbox twice, and every waiter hears back', async () => {
      const id = await openPetition(t.services.db)
      // Three batches in flight, as on PostgreSQL.
      const writer = createSignatureWriter(t.services.db, t.services.mailer, t.services.config.publicUrl, 3)
      const submissions = Array.from({ length: 120 }, (_, i) =>
        writer.submit(
          queued(id, {
            // 40 signers, each submitting three times with three different names.
            email: `s${i % 40}@example.org`,
            name: ['Ann Jones', 'Bob Jones', 'Cat Jones'][Math.floor(i / 40)]!,
          }),
        ),
      )
      const outcomes = await Promise.all(submissions)
      assert.ok(outcomes.every((o) => o === 'accepted'))
      const rows = await t.services.db
        .selectFrom('petition_signatures')
        .select(['canonical_email', 'name'])
        .where('petition_id', '=', id)
        .execute()
      // The household rule: at most two names per mailbox.
      assert.equal(rows.length, 80)
      const perMailbox = new Map<string, number>()
      for (const r of rows) perMailbox.set(r.canonical_email, (perMailbox.get(r.canonical_email) ?? 0) + 1)
      assert.ok([...perMailbox.values()].every((n) => n === 2))
    })

    it('refuses a signature for a petition that closed after its request was checked', async () => {
      const id = await openPetition(t.services.db)
      const payload = {
        name: 'Ann Jones',
        email: 'late@example.org',
        country: 'GB',
        postcode: 'CF10 1EP',
        declaration: true,
      }
      const url = `/api/v1/petitions/${id}/signatures`
      assert.equal((await t.app.inject({ method: 'POST', url, payload })).statusCode, 202)
      // Closed behind the cache's back (by another process, say): the batch looks again.
      await t.services.db.updateTable('petitions').set({ state: 'closed' }).where('id', '=', id).execute()
      const late = await t.app.inject({
        method: 'POST',
        url,
        payload: { ...payload, email: 'later@example.org' },
      })
      assert.equal(late.statusCode, 409)
      assert.equal(late.json().error.code, 'petition-closed')
      assert.deepEqual(await signatureNames(t, id), ['Ann Jones'])
    })

    it('serves the cached page with a fresh CSP nonce and CSRF token for each reader', async () => {
      const id = await openPetition(t.services.db)
      const pages = await Promise.all([t.app.inject(`/petitions/${id}`), t.app.inject(`/petitions/${id}`)])
      const tokens = new Set<string>()
      for (const page of pages) {
        assert.equal(page.statusCode, 200)
        assert.doesNotMatch(page.body, /__petitions_/, 'no placeholder is left')
        const nonce = /style-src [^;]*'nonce-([^']+)'/.exec(
          String(page.headers['content-security-policy']),
        )![1]!
        // The layout's inline <style> carries the style-src nonce of this response.
        assert.ok(page.body.includes(`nonce="${nonce}"`), 'the body carries the nonce of its own CSP header')
        tokens.add(/name="_csrf" value="([^"]+)"/.exec(page.body)![1]!)
        assert.ok(page.headers['set-cookie'], 'the token is backed by its own session')
      }
      assert.equal(tokens.size, 2, 'no token is shared between readers')
      // Both forms work: each token belongs to its reader's session.
      for (const lang of ['', '/cy']) {
        const b = new TestBrowser(t.app, `198.51.100.${lang ? 2 : 1}`)
        const page = await b.get(`${lang}/petitions/${id}`)
        assert.match(page.body, lang ? /lang="cy"/ : /lang="en"/)
        const res = await b.post(`${lang}/petitions/${id}/signatures`, {
          name: `Reader ${lang || 'en'}`,
          email: `reader${lang ? 'cy' : 'en'}@example.org`,
          country: 'GB',
          postcode: 'CF10 1EP',
          declaration: 'yes',
        })
        assert.equal(res.statusCode, 200)
      }
      assert.equal((await signatureNames(t, id)).length, 2)
    })

    it('shows staff the live page, and a staff change to everyone at once', async () => {
      const id = await openPetition(t.services.db)
      await addStaff(t.services, `mod-${dialect}@example.org`, ['admin'])
      const staff = new TestBrowser(t.app)
      await staff.login(`mod-${dialect}@example.org`)
      assert.match((await t.app.inject(`/petitions/${id}`)).body, /data-count="0"/)
      await t.services.db.updateTable('petitions').set({ signature_count: 7 }).where('id', '=', id).execute()
      // Anonymous readers may see the cached count for up to READ_TTL_MS; staff never do.
      assert.match((await staff.get(`/petitions/${id}`)).body, /data-count="7"/)
      assert.match((await t.app.inject(`/petitions/${id}`)).body, /data-count="0"/)
      // Any staff change through the petitions routes is seen by the next reader of this process.
      await staff.get('/admin/petitions/reasons')
      const saved = await staff.post('/admin/petitions/reasons', {
        code: `surge-${dialect}`,
        titleEn: 'A reason',
        titleCy: 'Rheswm',
      })
      assert.equal(saved.statusCode, 303)
      assert.match((await t.app.inject(`/petitions/${id}`)).body, /data-count="7"/)
    })

    it('keeps count.json at most READ_TTL_MS stale', async () => {
      const id = await openPetition(t.services.db)
      const read = async () => (await t.app.inject(`/petitions/${id}/count.json`)).json().signature_count
      assert.equal(await read(), 0)
      await t.services.db.updateTable('petitions').set({ signature_count: 3 }).where('id', '=', id).execute()
      assert.equal(await read(), 0, 'served from the cache')
      await sleep(READ_TTL_MS + 50)
      assert.equal(await read(), 3)
      const res = await t.app.inject(`/petitions/${id}/count.json`)
      assert.equal(res.headers['access-control-allow-origin'], '*')
      assert.match(String(res.headers['content-type']), /application\/json/)
    })
  })
}
