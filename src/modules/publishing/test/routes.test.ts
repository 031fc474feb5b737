import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  addStaff,
  buildTestApp,
  enableModules,
  type TestApp,
  TestBrowser,
} from '../../../../test/support/app.js'
import { TEST_DIALECTS } from '../../../../test/support/db.js'
import { FakeMastodonApi } from '../../../../test/support/fake-social.js'
import { findAuditEntries } from '../../../platform/audit/audit.js'
import { addElectionPeriod } from '../../../platform/elections/index.js'
import { londonDay } from '../../../platform/time/london.js'
import { publishDue } from '../services/publisher.js'
import { findPost } from '../store/post-store.js'

function idFrom(location: unknown, kind: string): number {
  const m = new RegExp(`/${kind}/(\\d+)`).exec(String(location))
  assert.ok(m, `no ${kind} id in ${String(location)}`)
  return Number(m[1])
}

for (const dialect of TEST_DIALECTS) {
  describe(`publishing pages (${dialect})`, () => {
    let t: TestApp
    let fake: FakeMastodonApi
    const admin = () => new TestBrowser(t.app)
    let alex: TestBrowser
    let carys: TestBrowser
    let ifan: TestBrowser
    let megan: TestBrowser
    let ifanId: number
    let meganId: number
    let accountId: number

    before(async () => {
      fake = await FakeMastodonApi.start({ token: 'masto-token-very-secret-1234' })
      t = await buildTestApp(dialect)
      await enableModules(t.services, ['publishing'])
      await addStaff(t.services, 'alex@example.org', ['admin'])
      await addStaff(t.services, 'carys@example.org', ['communications'])
      ifanId = await addStaff(t.services, 'ifan@example.org', ['communications'])
      meganId = await addStaff(t.services, 'megan@example.org', ['moderator'])
      alex = admin()
      await alex.login('alex@example.org')
      carys = new TestBrowser(t.app)
      await carys.login('carys@example.org')
      ifan = new TestBrowser(t.app)
      await ifan.login('ifan@example.org')
      megan = new TestBrowser(t.app)
      await megan.login('megan@example.org')
    })
    after(async () => {
      await t?.close()
      await fake?.close()
    })

    it('an admin defines a two-person workflow and registers an account; the token is never shown again', async () => {
      await alex.get('/admin/publishing/workflows/new')
      const bad = await alex.post('/admin/publishing/workflows/new', {
        name: '',
        step0Name: 'Sign-off',
        step0Mode: 'all',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /Enter a name/)
      assert.match(bad.body, /Choose a role or people who approve step 1/)
      const wf = await alex.post('/admin/publishing/workflows/new', {
        name: 'Two approvers',
        step0Name: 'Head of comms and monitoring officer',
        step0Mode: 'all',
        step0Role: '',
        step0Staff: [String(ifanId), String(meganId)],
      })
      assert.equal(wf.statusCode, 303, wf.body.slice(0, 800))
      const workflowId = idFrom(wf.headers.location, 'workflows')

      await alex.get('/admin/publishing/accounts/new')
      const missing = await alex.post('/admin/publishing/accounts/new', {
        name: 'Council',
        network: 'mastodon',
        kind: 'official',
        team: 'Communications',
        language: 'en',
        serviceUrl: 'not a url',
        identifier: 'council@fake',
        secret: 'masto-token-very-secret-1234',
        workflowId: String(workflowId),
        enabled: 'yes',
      })
      assert.equal(missing.statusCode, 400)
      assert.match(missing.body, /Enter the server address as a web address/)
      assert.ok(!missing.body.includes('masto-token-very-secret-1234'), 'the typed secret is not echoed back')
      const ok = await alex.post('/admin/publishing/accounts/new', {
        name: 'Council',
        network: 'mastodon',
        kind: 'official',
        team: 'Communications',
        language: 'en',
        serviceUrl: fake.url,
        identifier: 'council@fake',
        secret: 'masto-token-very-secret-1234',
        workflowId: String(workflowId),
        enabled: 'yes',
      })
      assert.equal(ok.statusCode, 303, ok.body.slice(0, 800))
      accountId = idFrom(ok.headers.location, 'accounts')
      for (const path of [
        `/admin/publishing/accounts/${accountId}`,
        '/admin/publishing/accounts',
        '/cy/admin/publishing/accounts',
      ]) {
        const page = await alex.get(path)
        assert.equal(page.statusCode, 200)
        assert.ok(!page.body.includes('masto-token-very-secret-1234'))
        assert.match(page.body, /Credentials stored on|Manylion mewngofnodi wedi’u storio/)
      }
      const row = await t.services.db
        .selectFrom('publishing_accounts')
        .select('secret_enc')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
      assert.ok(row.secret_enc && !row.secret_enc.includes('masto-token'), 'stored encrypted')
      const audit = await findAuditEntries(t.services.db, { action: 'publishing.account.add' })
      assert.ok(!JSON.stringify(audit).includes('masto-token-very-secret-1234'))
      assert.equal((await carys.get('/admin/publishing/accounts')).statusCode, 403)
    })

    it('a post with errors keeps what was typed; a political post in an election period is blocked; an edited one is approved by both and published once', async () => {
      await carys.get('/admin/publishing/posts/new')
      const bad = await carys.post('/admin/publishing/posts/new', {
        title: 'Bins',
        textEn: 'Bin day changes',
        textCy: '',
        topic: '',
        team: 'Waste',
        day: '2027-02-30',
        time: '9:00',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /Enter the Welsh text/)
      assert.match(bad.body, /Enter a topic/)
      assert.match(bad.body, /Enter a real date/)
      assert.match(bad.body, /Choose at least one account/)
      assert.match(bad.body, /Bin day changes/)

      const now = new Date()
      const day = londonDay(new Date(now.getTime() + 2 * 86_400_000).toISOString())
      await addElectionPeriod(t.services.db, {
        name: 'County council elections',
        startsOn: londonDay(now.toISOString()),
        pollsOn: londonDay(new Date(now.getTime() + 10 * 86_400_000).toISOString()),
      })
      await carys.get('/admin/publishing/posts/new')
      const created = await carys.post('/admin/publishing/posts/new', {
        title: 'New leisure centre',
        textEn: 'Vote Labour to keep building leisure centres like the new one in Aberglas!',
        textCy: 'Mae canolfan hamdden newydd Aberglas ar agor.',
        topic: 'Leisure',
        team: 'Communications',
        kind: 'text',
        day,
        time: '10:00',
        accounts: String(accountId),
      })
      assert.equal(created.statusCode, 303, created.body.slice(0, 1500))
      const postId = idFrom(created.headers.location, 'posts')
      const page = await carys.get(`/admin/publishing/posts/${postId}`)
      assert.match(page.body, /<mark>/)
      assert.match(page.body, /id="blocked"/)
      const refused = await carys.post(`/admin/publishing/posts/${postId}/submit`, {})
      assert.equal(refused.statusCode, 400)
      assert.match(refused.body, /cannot be sent for approval/)
      assert.equal((await findPost(t.services.db, postId))?.state, 'draft')

      await carys.get(`/admin/publishing/posts/${postId}/edit`)
      const edited = await carys.post(`/admin/publishing/posts/${postId}/edit`, {
        title: 'New leisure centre',
        textEn: 'The new leisure centre in Aberglas opens on Monday. Swimming lessons can be booked online.',
        textCy: 'Mae canolfan hamdden newydd Aberglas yn agor ddydd Llun.',
        topic: 'Leisure',
        team: 'Communications',
        kind: 'text',
        day,
        time: '10:00',
        accounts: String(accountId),
      })
      assert.equal(edited.statusCode, 303)
      await carys.get(`/admin/publishing/posts/${postId}`)
      assert.equal((await carys.post(`/admin/publishing/posts/${postId}/submit`, {})).statusCode, 303)
      assert.equal((await findPost(t.services.db, postId))?.state, 'in_review')

      // The author cannot approve; a rejection needs a note.
      await carys.get(`/admin/publishing/posts/${postId}`)
      assert.equal(
        (await carys.post(`/admin/publishing/posts/${postId}/decide`, { decision: 'approve' })).statusCode,
        403,
      )
      await ifan.get(`/admin/publishing/posts/${postId}`)
      const noNote = await ifan.post(`/admin/publishing/posts/${postId}/decide`, {
        decision: 'reject',
        note: '',
      })
      assert.equal(noNote.statusCode, 400)
      assert.equal(
        (await ifan.post(`/admin/publishing/posts/${postId}/decide`, { decision: 'approve', note: '' }))
          .statusCode,
        303,
      )
      assert.equal(
        (await findPost(t.services.db, postId))?.state,
        'in_review',
        'an all-step waits for the second approver',
      )
      await megan.get(`/cy/admin/publishing/posts/${postId}`)
      assert.equal(
        (await megan.post(`/cy/admin/publishing/posts/${postId}/decide`, { decision: 'approve', note: '' }))
          .statusCode,
        303,
      )
      assert.equal((await findPost(t.services.db, postId))?.state, 'scheduled')

      const early = await publishDue(t.services, now)
      assert.deepEqual(early.published, [], 'not before its time')
      const due = new Date(Date.parse((await findPost(t.services.db, postId))!.plannedAt) + 1000)
      const out = await publishDue(t.services, due)
      assert.deepEqual(out.published, [postId])
      assert.equal(fake.posted.length, 1)
      assert.match(fake.posted[0]!.text, /leisure centre in Aberglas/)
      const actions = (await findAuditEntries(t.services.db, {}))
        .filter((e) => e.subjectId === String(postId))
        .map((e) => e.action)
      for (const a of [
        'publishing.create',
        'publishing.edit',
        'publishing.submit',
        'publishing.approve',
        'publishing.schedule',
        'publishing.publish',
      ]) {
        assert.ok(actions.includes(a), `audit has ${a}`)
      }

      const pub = await new TestBrowser(t.app).get('/publishing')
      assert.equal(pub.statusCode, 200)
      assert.match(pub.body, /leisure centre in Aberglas/)
      const atom = await new TestBrowser(t.app).get('/publishing/feed.atom')
      assert.match(String(atom.headers['content-type']), /application\/atom\+xml/)
      assert.match(atom.body, /<entry>[\s\S]*New leisure centre/)
      const rss = await new TestBrowser(t.app).get('/cy/publishing/feed.rss')
      assert.match(rss.body, /<item>[\s\S]*canolfan hamdden newydd/)
    })

    it('images need a real image and alt text in both languages, and go out with their description', async () => {
      await carys.get('/admin/publishing/posts/new')
      const created = await carys.post('/admin/publishing/posts/new', {
        title: 'Gritters',
        textEn: 'Gritters are out tonight.',
        textCy: 'Mae’r graeanwyr allan heno.',
        topic: 'Winter',
        team: 'Highways',
        kind: 'image',
        day: '2027-01-20',
        time: '17:00',
        accounts: String(accountId),
      })
      const postId = idFrom(created.headers.location, 'posts')
      await carys.get(`/admin/publishing/posts/${postId}`)
      const upload = async (file: Blob | null, altEn: string, altCy: string) => {
        const form = new FormData()
        form.append('_csrf', carys.lastCsrf ?? '')
        if (file) form.append('image', file, 'gritter.png')
        form.append('altEn', altEn)
        form.append('altCy', altCy)
        const req = new Request('http://localhost/', { method: 'POST', body: form })
        return t.app.inject({
          method: 'POST',
          url: `/admin/publishing/posts/${postId}/media`,
          headers: {
            cookie: [...carys.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            'content-type': req.headers.get('content-type')!,
          },
          payload: Buffer.from(await req.arrayBuffer()),
        })
      }
      const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])], {
        type: 'image/png',
      })
      const noAlt = await upload(png, 'A gritter lorry spreading salt', '')
      assert.equal(noAlt.statusCode, 400)
      assert.match(noAlt.body, /Enter the alt text in Welsh/)
      assert.match(noAlt.body, /A gritter lorry spreading salt/, 'keeps what was typed')
      const notImage = await upload(new Blob(['<script>alert(1)</script>'], { type: 'image/png' }), 'x', 'y')
      assert.equal(notImage.statusCode, 400)
      assert.match(notImage.body, /must be a PNG, JPEG, GIF or WebP/)
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: `/admin/publishing/posts/${postId}/media`,
        headers: {
          cookie: [...carys.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'multipart/form-data; boundary=x',
        },
        payload: '--x--\r\n',
      })
      assert.equal(noCsrf.statusCode, 403)
      const ok = await upload(png, 'A gritter lorry spreading salt', 'Lori graeanu yn taenu halen')
      assert.equal(ok.statusCode, 303, ok.body.slice(0, 500))
      const page = await carys.get(`/cy/admin/publishing/posts/${postId}`)
      assert.match(
        page.body,
        /<img src="\/cy\/admin\/publishing\/media\/\d+" alt="Lori graeanu yn taenu halen"/,
      )
      const mediaId = /media\/(\d+)"/.exec(page.body)![1]
      const image = await carys.get(`/admin/publishing/media/${mediaId}`)
      assert.equal(image.headers['content-type'], 'image/png')
      assert.equal(image.rawPayload.length, 12)

      await carys.get(`/admin/publishing/posts/${postId}`)
      assert.equal((await carys.post(`/admin/publishing/posts/${postId}/submit`, {})).statusCode, 303)
      for (const b of [ifan, megan]) {
        await b.get(`/admin/publishing/posts/${postId}`)
        assert.equal(
          (await b.post(`/admin/publishing/posts/${postId}/decide`, { decision: 'approve', note: '' }))
            .statusCode,
          303,
        )
      }
      const before = fake.media.length
      assert.deepEqual((await publishDue(t.services, new Date('2027-01-20T17:00:01Z'))).published, [postId])
      assert.equal(fake.media.length, before + 1)
      assert.equal(fake.media.at(-1)!.description, 'A gritter lorry spreading salt')
      assert.equal(fake.media.at(-1)!.mimeType, 'image/png')
      assert.deepEqual(fake.posted.at(-1)!.media_ids, [fake.media.at(-1)!.id])
    })

    it('the calendar warns of two teams on one topic on one day; pages render in English and Welsh', async () => {
      const day = '2027-03-10'
      for (const team of ['Waste services', 'Communications']) {
        await carys.get('/admin/publishing/posts/new')
        const r = await carys.post('/admin/publishing/posts/new', {
          title: `Recycling ${team}`,
          textEn: 'Recycling news',
          textCy: 'Newyddion ailgylchu',
          topic: 'Recycling',
          team,
          kind: 'text',
          day,
          time: '09:00',
          accounts: String(accountId),
        })
        assert.equal(r.statusCode, 303)
      }
      // A failed post shows staff the reason (never the credentials), in both languages.
      const failed = await t.services.db
        .selectFrom('publishing_posts')
        .select('id')
        .where('title', '=', 'Recycling Waste services')
        .executeTakeFirstOrThrow()
      await t.services.db
        .updateTable('publishing_posts')
        .set({ state: 'failed', attempts: 4, last_error: 'Mastodon post: HTTP 503 (Service Unavailable)' })
        .where('id', '=', failed.id)
        .execute()
      for (const prefix of ['', '/cy']) {
        const page = await carys.get(`${prefix}/admin/publishing/posts/${failed.id}`)
        assert.match(page.body, /id="publish-error"[\s\S]*Mastodon post: HTTP 503/)
        assert.ok(!page.body.includes('masto-token-very-secret-1234'))
      }
      await t.services.db
        .updateTable('publishing_posts')
        .set({ state: 'draft' })
        .where('id', '=', failed.id)
        .execute()
      const cal = await carys.get('/admin/publishing/calendar?month=2027-03')
      assert.equal(cal.statusCode, 200)
      assert.match(cal.body, /Communications, Waste services all post on “Recycling”/)
      for (const path of [
        '/admin/publishing',
        '/admin/publishing/calendar',
        '/admin/publishing/report',
        '/admin/publishing/posts/new',
      ]) {
        for (const prefix of ['', '/cy'])
          assert.equal((await carys.get(prefix + path)).statusCode, 200, prefix + path)
      }
      for (const path of [
        '/admin/publishing/workflows',
        '/admin/publishing/workflows/new',
        '/admin/publishing/accounts/new',
      ]) {
        for (const prefix of ['', '/cy'])
          assert.equal((await alex.get(prefix + path)).statusCode, 200, prefix + path)
      }
    })
  })
}
