import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, enableModules, type TestApp, TestBrowser } from '../../../../test/support/app.js'
import { dialectLabel, TEST_DIALECTS } from '../../../../test/support/db.js'
import { listOutbox } from '../../../platform/mail/mail.js'
import { findCounts, findPetitionById } from '../store/petition-store.js'
import { closedPetition, openPetition } from './factories.js'

const good = {
  name: 'Ann Jones',
  email: 'ann@example.org',
  country: 'GB',
  postcode: 'CF10 1EP',
  declaration: 'yes',
  notify: 'yes',
}
const goodJson = {
  name: 'Ann Jones',
  email: 'ann@example.org',
  country: 'GB',
  postcode: 'CF10 1EP',
  declaration: true,
  notify: true,
}

/** Follows the confirmation link of the newest email to `to`, as the signer would. */
async function confirmFromEmail(t: TestApp, b: TestBrowser, to: string): Promise<void> {
  const [mail] = await listOutbox(t.services.db, { to, limit: 1 })
  const link = /https?:\/\/[^/]+(\/\S+confirm\?token=\S+)/.exec(mail!.text)![1]!
  await b.get(link)
  const res = await b.post(link.split('?')[0]!, {
    token: new URL(link, 'http://x').searchParams.get('token')!,
  })
  assert.equal(res.statusCode, 303)
}

for (const dialect of TEST_DIALECTS) {
  describe(`signing a petition on ${dialectLabel(dialect)}`, () => {
    let t: TestApp
    before(async () => {
      t = await buildTestApp(dialect)
      await enableModules(t.services, ['petitions'])
    })
    after(async () => {
      await t.close()
    })

    it('counts a signature only once its emailed link is confirmed, by country, area and assurance level', async () => {
      const id = await openPetition(t.services.db)
      await t.services.db
        .insertInto('petition_areas')
        .values({
          postcode: 'CF101EP',
          area_code: 'W05001',
          area_name: 'Cathays',
          region_code: 'W1',
          region_name: 'Cardiff',
        })
        .execute()
      const b = new TestBrowser(t.app)
      const page = await b.get(`/petitions/${id}`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /data-count="0"/)
      const res = await b.post(`/petitions/${id}/signatures`, good)
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /Check your email/)
      assert.equal(
        (await findPetitionById(t.services.db, id))?.signatureCount,
        0,
        'not counted before confirming',
      )
      await confirmFromEmail(t, b, 'ann@example.org')
      assert.equal((await findPetitionById(t.services.db, id))?.signatureCount, 1)
      assert.deepEqual(
        (await findCounts(t.services.db, id, 'area')).map((c) => [c.code, c.count]),
        [['W05001', 1]],
      )
      assert.deepEqual(
        (await findCounts(t.services.db, id, 'region')).map((c) => [c.code, c.count]),
        [['W1', 1]],
      )
      assert.deepEqual(
        (await findCounts(t.services.db, id, 'country')).map((c) => [c.code, c.count]),
        [['GB', 1]],
      )
      assert.deepEqual(
        (await findCounts(t.services.db, id, 'assurance')).map((c) => [c.code, c.count]),
        [['email-verified', 1]],
      )
      // The link works once: a second click changes nothing.
      const again = new TestBrowser(t.app)
      const [mail] = await listOutbox(t.services.db, { to: 'ann@example.org', limit: 1 })
      const link = /(\/petitions\/\S+confirm)\?token=(\S+)/.exec(mail!.text)!
      await again.get(`${link[1]}?token=${link[2]}`)
      await again.post(link[1]!, { token: link[2]! })
      assert.equal((await findPetitionById(t.services.db, id))?.signatureCount, 1)
      const json = (await t.app.inject(`/petitions/${id}/count.json`)).json()
      assert.equal(json.signature_count, 1)
    })

    it('answers a duplicate with the same page and a silent "already signed" email, at most five times', async () => {
      const id = await openPetition(t.services.db)
      const b = new TestBrowser(t.app)
      await b.get(`/petitions/${id}`)
      const first = await b.post(`/petitions/${id}/signatures`, { ...good, email: 'dup@example.org' })
      for (let i = 0; i < 7; i++) {
        await b.get(`/petitions/${id}`)
        // The same mailbox written differently, by the same person.
        const res = await b.post(`/petitions/${id}/signatures`, { ...good, email: ' DUP@Example.org' })
        assert.equal(res.statusCode, first.statusCode)
        assert.match(res.body, /Check your email/)
      }
      const rows = await t.services.db
        .selectFrom('petition_signatures')
        .select(['id', 'email_count'])
        .where('petition_id', '=', id)
        .execute()
      assert.equal(rows.length, 1, 'one signature stored')
      assert.equal(Number(rows[0]!.email_count), 5, 'no more than five emails to one address')
      const mails = (await listOutbox(t.services.db, { limit: 500 })).filter((m) =>
        m.text.includes(`/petitions/${id}`),
      )
      assert.equal(mails.filter((m) => m.template === 'petitions-confirm-signature').length, 1)
      assert.equal(mails.filter((m) => m.template === 'petitions-already-signed').length, 4)
    })

    it('lets a household share an email with another name and the same postcode, not another postcode', async () => {
      const id = await openPetition(t.services.db)
      const b = new TestBrowser(t.app)
      for (const f of [
        good,
        { ...good, name: 'Bob Jones' },
        { ...good, name: 'Cat Jones', postcode: 'SW1A 1AA' },
      ]) {
        await b.get(`/petitions/${id}`)
        await b.post(`/petitions/${id}/signatures`, { ...f, email: 'home@example.org' })
      }
      const names = await t.services.db
        .selectFrom('petition_signatures')
        .select('name')
        .where('petition_id', '=', id)
        .orderBy('id')
        .execute()
      assert.deepEqual(
        names.map((n) => n.name),
        ['Ann Jones', 'Bob Jones'],
      )
    })

    it('stores one signature from 100 simultaneous submissions of one email', async () => {
      const id = await openPetition(t.services.db)
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          t.app.inject({
            method: 'POST',
            url: `/api/v1/petitions/${id}/signatures`,
            payload: {
              name: 'Racer',
              email: 'race@example.org',
              country: 'GB',
              postcode: 'CF10 1EP',
              declaration: true,
            },
            remoteAddress: `10.0.${Math.floor(i / 250)}.${i % 250}`,
          }),
        ),
      )
      assert.ok(
        results.every((r) => r.statusCode === 202),
        'every submission gets the same answer',
      )
      const rows = await t.services.db
        .selectFrom('petition_signatures')
        .select('id')
        .where('petition_id', '=', id)
        .execute()
      assert.equal(rows.length, 1)
    })

    it('refuses bad input naming the field, keeps what was typed, and stores nothing', async () => {
      const id = await openPetition(t.services.db)
      const b = new TestBrowser(t.app)
      const cases: [Record<string, string>, string, RegExp][] = [
        [{ name: 'x'.repeat(10_000) }, 'name', /Name must be 255 characters or fewer/],
        [{ name: 'http://spam.example' }, 'name', /not a web address/],
        [{ name: "=cmd|' /C calc'!A0" }, 'name', /must not start with/],
        [{ email: 'not an email' }, 'email', /correct format/],
        [{ postcode: 'ZZZ' }, 'postcode', /real UK postcode/],
      ]
      for (const [change, fieldName, message] of cases) {
        await b.get(`/petitions/${id}`)
        const res = await b.post(`/petitions/${id}/signatures`, {
          ...good,
          email: 'bad@example.org',
          ...change,
        })
        assert.equal(res.statusCode, 400)
        assert.match(res.body, new RegExp(`href="#${fieldName}"`))
        assert.match(res.body, message)
        const escapeHtml = (v: string) =>
          v
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/"/g, '&quot;')
            .replace(/'/g, '&#39;')
        assert.ok(
          res.body.includes(`value="${escapeHtml(Object.values(change)[0]!)}"`),
          `what was typed in ${fieldName} is kept`,
        )
      }
      const api = await t.app.inject({
        method: 'POST',
        url: `/api/v1/petitions/${id}/signatures`,
        payload: { ...goodJson, email: 'nope' },
      })
      assert.equal(api.statusCode, 400)
      assert.deepEqual(api.json().error.details.fields, [{ field: 'email', code: 'invalid' }])
      const rows = await t.services.db
        .selectFrom('petition_signatures')
        .select('id')
        .where('petition_id', '=', id)
        .execute()
      assert.equal(rows.length, 0)
    })

    it('silently marks signatures over the per-IP rate limit as fraudulent: they never count', async () => {
      const id = await openPetition(t.services.db)
      for (const n of [1, 2, 3]) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/v1/petitions/${id}/signatures`,
          payload: {
            name: `Bot ${n}`,
            email: `bot${n}@example.org`,
            country: 'GB',
            postcode: 'CF10 1EP',
            declaration: true,
          },
          remoteAddress: '203.0.113.9',
        })
        assert.equal(res.statusCode, 202)
      }
      const states = await t.services.db
        .selectFrom('petition_signatures')
        .select('state')
        .where('petition_id', '=', id)
        .orderBy('id')
        .execute()
      assert.deepEqual(
        states.map((s) => s.state),
        ['pending', 'fraudulent', 'fraudulent'],
      )
      const b = new TestBrowser(t.app)
      await confirmFromEmail(t, b, 'bot2@example.org')
      assert.equal((await findPetitionById(t.services.db, id))?.signatureCount, 0)
    })

    it('refuses signatures on a closed petition clearly, and on an imported one', async () => {
      const id = await closedPetition(t.services.db)
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/petitions/${id}/signatures`,
        payload: goodJson,
      })
      assert.equal(res.statusCode, 409)
      assert.equal(res.json().error.code, 'petition-closed')
      const page = await t.app.inject(`/cy/petitions/${id}`)
      assert.equal(page.statusCode, 200)
      assert.doesNotMatch(page.body, /Llofnodi’r ddeiseb hon/)
      const imported = await openPetition(t.services.db, { source: 'uk-import' })
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/v1/petitions/${imported}/signatures`,
            payload: goodJson,
          })
        ).statusCode,
        404,
      )
    })

    it('documents the signing API in the OpenAPI document', async () => {
      const doc = (await t.app.inject('/api/v1/openapi.json')).json()
      assert.ok(doc.paths['/api/v1/petitions/{id}/signatures']?.post)
    })
  })
}
