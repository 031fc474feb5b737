/**
 * The inbox's channels against local fakes that implement the real endpoints: Mastodon and
 * Bluesky (test/support/fake-social.ts) and a real SMTP conversation (nodemailer → smtp-server).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import nodemailer from 'nodemailer'
import pino from 'pino'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../../test/support/db.js'
import { FakeBlueskyPds, FakeMastodonApi } from '../../../../test/support/fake-social.js'
import type { DbHandle } from '../../../platform/db/connect.js'
import type { Db } from '../../../platform/db/database.js'
import { loadCatalogues } from '../../../platform/i18n/i18n.js'
import { createMailer } from '../../../platform/mail/mail.js'
import { catalogueDirs } from '../../../platform/services.js'
import { submitReply } from '../services/cases.js'
import { type ConnectedAccount, deliverReply, pullMentions } from '../services/delivery.js'
import { startMailIntake } from '../services/mail-intake.js'
import { caseMessages, findCase, listCases } from '../store/case-store.js'

const staff = {
  kind: 'staff',
  id: 1,
  email: 'rhodri@example.org',
  name: 'Rhodri',
  roles: ['responder'],
} as const

function mailerFor(db: Db) {
  return createMailer({
    db,
    smtpUrl: null,
    from: 'Council <no-reply@example.org>',
    publicUrl: 'http://localhost',
    catalogues: loadCatalogues(catalogueDirs()),
    organisationName: async () => 'Test Council',
    logger: pino({ level: 'silent' }),
  })
}

for (const dialect of TEST_DIALECTS) {
  describe(`inbox connectors (${dialectLabel(dialect)})`, () => {
    let handle: DbHandle
    let db: Db
    let mastodon: FakeMastodonApi
    let bluesky: FakeBlueskyPds
    let mastodonAccount: ConnectedAccount
    let blueskyAccount: ConnectedAccount
    const logs: string[] = []
    const log = (msg: string, details: Record<string, unknown>) =>
      logs.push(`${msg} ${JSON.stringify(details)}`)

    before(async () => {
      handle = await openTestDb(dialect)
      db = handle.db
      mastodon = await FakeMastodonApi.start({ acct: 'council' })
      bluesky = await FakeBlueskyPds.start({ handle: 'council.example' })
      mastodonAccount = {
        key: 'test:mastodon',
        name: 'Council on Mastodon',
        credentials: {
          network: 'mastodon',
          serviceUrl: mastodon.url,
          identifier: 'council',
          secret: mastodon.token,
        },
      }
      blueskyAccount = {
        key: 'test:bluesky',
        name: 'Council on Bluesky',
        credentials: {
          network: 'bluesky',
          serviceUrl: bluesky.url,
          identifier: bluesky.handle,
          secret: bluesky.appPassword,
        },
      }
    })
    after(async () => {
      await mastodon?.close()
      await bluesky?.close()
      await handle?.close()
    })

    it('pulls Mastodon mentions once, even when the cursor is lost, and replies in the thread', async () => {
      const now = new Date()
      const first = mastodon.addMention({
        text: '@council the bins on Elm Street were missed again',
        acct: 'anna@fake.example',
      })
      assert.deepEqual(await pullMentions(db, mastodonAccount, { now }), { stored: 1, duplicates: 0 })
      assert.deepEqual(await pullMentions(db, mastodonAccount, { now }), { stored: 0, duplicates: 0 })
      // A restart that lost its cursor sees the same mention again: still one message.
      await db.deleteFrom('inbox_cursors').execute()
      const again = await pullMentions(db, mastodonAccount, { now })
      assert.equal(again.stored, 0)
      assert.equal(again.duplicates, 1)
      const [c] = await listCases(db, { status: 'all' })
      assert.ok(c)
      assert.equal(c.channel, 'mastodon')
      assert.equal(c.citizenHandle, 'anna@fake.example')
      assert.equal(c.language, 'en')
      assert.equal(c.sentiment !== null, true)
      assert.equal((await caseMessages(db, c.id)).length, 1)

      const sent = await submitReply(
        db,
        staff,
        { caseId: c.id, text: 'Sorry, Anna: the crew will return tomorrow.', findings: [] },
        now,
      )
      assert.equal(sent.state, 'queued')
      const state = await deliverReply(db, sent.messageId, {
        mailer: mailerFor(db),
        accounts: async () => [mastodonAccount],
        now,
        log,
      })
      assert.equal(state, 'sent')
      const posted = mastodon.posted.at(-1)!
      assert.equal(posted.in_reply_to_id, first.id, 'the reply is threaded under the mention')
      assert.match(posted.text, /crew will return/)
      assert.ok(
        posted.text.startsWith('@anna@fake.example '),
        'the citizen is mentioned, so Mastodon notifies them',
      )
      assert.equal((await findCase(db, c.id))!.firstResponseAt, now.toISOString())

      // The citizen answers our reply: it joins the same case.
      mastodon.addMention({ text: '@council thank you!', acct: 'anna@fake.example', inReplyToId: posted.id })
      assert.equal((await pullMentions(db, mastodonAccount, { now })).stored, 1)
      assert.equal((await listCases(db, { status: 'all' })).length, 1)
      assert.equal((await caseMessages(db, c.id)).length, 3)
    })

    it('replies on Bluesky with the thread root and parent', async () => {
      const now = new Date()
      const root = bluesky.addMention({
        text: '@council.example when does the library reopen?',
        handle: 'reader.bsky.social',
      })
      assert.equal((await pullMentions(db, blueskyAccount, { now })).stored, 1)
      // A second post by the citizen in the same thread, replying to their own first post.
      const follow = bluesky.addMention({
        text: '@council.example it is the one on Queen Street',
        handle: 'reader.bsky.social',
        replyTo: { uri: root.uri, cid: root.cid },
      })
      assert.equal((await pullMentions(db, blueskyAccount, { now })).stored, 1)
      assert.equal((await pullMentions(db, blueskyAccount, { now })).stored, 0)
      const cases = (await listCases(db, { status: 'all' })).filter((x) => x.channel === 'bluesky')
      assert.equal(cases.length, 1, 'both posts are one case')
      const c = cases[0]!
      const sent = await submitReply(
        db,
        staff,
        { caseId: c.id, text: 'It reopens on Monday at 9.', findings: [] },
        now,
      )
      assert.equal(
        await deliverReply(db, sent.messageId, {
          mailer: mailerFor(db),
          accounts: async () => [blueskyAccount],
          now,
          log,
        }),
        'sent',
      )
      const reply = bluesky.posted.at(-1)!.record['reply'] as {
        root: { uri: string; cid: string }
        parent: { uri: string; cid: string }
      }
      assert.deepEqual(reply.root, { uri: root.uri, cid: root.cid })
      assert.deepEqual(reply.parent, { uri: follow.uri, cid: follow.cid })
    })

    it('keeps credentials out of logs and stored errors when a network refuses', async () => {
      const now = new Date()
      const c = (await listCases(db, { status: 'all' })).find((x) => x.channel === 'mastodon')!
      const bad: ConnectedAccount = {
        ...mastodonAccount,
        credentials: { ...mastodonAccount.credentials, secret: 'wrong-secret-token-12345' },
      }
      const sent = await submitReply(db, staff, { caseId: c.id, text: 'A second answer.', findings: [] }, now)
      const state = await deliverReply(db, sent.messageId, {
        mailer: mailerFor(db),
        accounts: async () => [bad],
        now,
        log,
      })
      assert.equal(state, 'failed', 'bad credentials are not retried')
      const stored = (await caseMessages(db, c.id)).find((m) => m.id === sent.messageId)!
      assert.ok(stored.lastError)
      for (const text of [...logs, stored.lastError!]) {
        assert.ok(!text.includes('wrong-secret-token-12345'))
        assert.ok(!text.includes(mastodon.token))
        assert.ok(!text.includes(bluesky.appPassword))
      }
      const requests = JSON.stringify(await db.selectFrom('inbox_messages').selectAll().execute())
      assert.ok(!requests.includes(mastodon.token))
    })

    it('takes email over real SMTP and threads by In-Reply-To, References and [TS-n]', async () => {
      let clock = new Date('2026-11-30T10:00:00Z')
      const intake = await startMailIntake(db, { port: 0, now: () => clock })
      try {
        const client = nodemailer.createTransport({
          host: '127.0.0.1',
          port: intake.port,
          secure: false,
          ignoreTLS: true,
        })
        await client.sendMail({
          from: 'Gwen Jones <gwen@example.org>',
          to: 'contact@council.example',
          subject: 'Pothole on Heol y Bont',
          text: 'There is a deep pothole outside number 12.',
          messageId: '<first@example.org>',
        })
        const c = (await listCases(db, { status: 'all' })).find((x) => x.channel === 'email')!
        assert.ok(c, 'the email opened a case')
        assert.equal(c.citizenEmail, 'gwen@example.org')
        assert.equal(c.citizenName, 'Gwen Jones')
        assert.equal(c.subject, 'Pothole on Heol y Bont')
        clock = new Date('2026-11-30T10:05:00Z')
        await client.sendMail({
          from: 'gwen@example.org',
          to: 'contact@council.example',
          subject: 'Re: Pothole on Heol y Bont',
          text: 'A photo is attached.\n\nOn Mon, 30 Nov 2026, Gwen wrote:\n> There is a deep pothole',
          inReplyTo: '<first@example.org>',
          references: ['<first@example.org>'],
          messageId: '<second@example.org>',
        })
        // Delivered twice by a relay: still one message.
        await client.sendMail({
          from: 'gwen@example.org',
          to: 'contact@council.example',
          subject: 'Re: Pothole on Heol y Bont',
          text: 'A photo is attached.',
          messageId: '<second@example.org>',
        })
        const sent = await submitReply(
          db,
          staff,
          { caseId: c.id, text: 'An inspector will visit this week.', findings: [] },
          clock,
        )
        const mailer = mailerFor(db)
        assert.equal(
          await deliverReply(db, sent.messageId, { mailer, accounts: async () => [], now: clock }),
          'sent',
        )
        const out = await db.selectFrom('outbox').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
        assert.equal(out.to_address, 'gwen@example.org')
        assert.match(out.subject, new RegExp(`\\[TS-${c.id}\\]`))
        assert.match(out.text_body, /An inspector will visit/)
        // Their mail program threads it under their own messages (RFC 5322 §3.6.4).
        assert.deepEqual(JSON.parse(out.headers ?? 'null'), {
          'In-Reply-To': '<second@example.org>',
          References: '<first@example.org> <second@example.org>',
        })
        // The citizen answers our email from another client that drops the headers: the subject token threads it.
        await client.sendMail({
          from: 'gwen@example.org',
          to: 'contact@council.example',
          subject: `Re: ${out.subject}`,
          text: 'Thank you.',
          messageId: '<third@example.org>',
        })
        const thread = await caseMessages(db, c.id)
        assert.deepEqual(
          thread.map((m) => [m.direction, m.text]),
          [
            ['inbound', 'There is a deep pothole outside number 12.'],
            ['inbound', 'A photo is attached.'],
            ['outbound', 'An inspector will visit this week.'],
            ['inbound', 'Thank you.'],
          ],
        )
        client.close()
      } finally {
        await intake.close()
      }
    })
  })
}
