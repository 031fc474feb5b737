import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import pino from 'pino'
import { addStaff, testConfig } from '../../../../test/support/app.js'
import {
  createTestDatabase,
  dialectLabel,
  openTestDb,
  TEST_DATABASE_URL,
  TEST_DIALECTS,
  type TestDialect,
} from '../../../../test/support/db.js'
import { FakeBlueskyPds, FakeMastodonApi } from '../../../../test/support/fake-social.js'
import { findAuditEntries } from '../../../platform/audit/audit.js'
import type { Actor } from '../../../platform/auth/actor.js'
import { connect, type DbHandle } from '../../../platform/db/connect.js'
import { migrateToLatest } from '../../../platform/db/migrate.js'
import { createServices, type Services } from '../../../platform/services.js'
import type { SocialNetwork } from '../../../platform/social/index.js'
import { MAX_ATTEMPTS } from '../domain/post.js'
import { encryptCredentials } from '../services/credentials.js'
import { publishDue, refreshEngagement } from '../services/publisher.js'
import { decidePost, submitPost } from '../services/workflow.js'
import { insertAccount, insertWorkflow } from '../store/account-store.js'
import { findPost, insertPost, listTargets, setTargets } from '../store/post-store.js'

/** Two handles on one database, as two app processes would have (PGlite in-process: one shared). */
async function twoHandles(
  dialect: TestDialect,
): Promise<{ a: DbHandle; b: DbHandle; cleanup(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ts-pub-'))
    const file = join(dir, 'db.sqlite')
    const a = await openTestDb('sqlite', { file })
    const b = connect(`sqlite:${file}`)
    return { a, b, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  if (TEST_DATABASE_URL) {
    const { url, drop } = await createTestDatabase()
    const a = connect(url, { poolSize: 5 })
    await migrateToLatest(a.db)
    return { a, b: connect(url, { poolSize: 5 }), cleanup: drop }
  }
  const a = await openTestDb('postgres')
  return { a, b: { ...a, close: async () => {} }, cleanup: async () => {} }
}

class LogCapture extends Writable {
  text = ''
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

for (const dialect of TEST_DIALECTS) {
  describe(`the publisher (${dialectLabel(dialect)})`, () => {
    let mastodon: FakeMastodonApi
    let bluesky: FakeBlueskyPds
    let handles: Awaited<ReturnType<typeof twoHandles>>
    let one: Services
    let two: Services
    const logs = new LogCapture()
    let author: Actor & { kind: 'staff' }
    let approvers: (Actor & { kind: 'staff' })[]
    let workflowId: number
    const t0 = new Date('2027-01-11T09:00:00Z')

    before(async () => {
      mastodon = await FakeMastodonApi.start({ token: 'mastodon-secret-token-0123456789' })
      bluesky = await FakeBlueskyPds.start({ appPassword: 'bsky-app-pass-word-9876' })
      handles = await twoHandles(dialect)
      const logger = pino({ level: 'trace' }, logs)
      one = await createServices(testConfig(), { handle: handles.a, logger, migrate: false, localJobs: true })
      two = await createServices(testConfig(), { handle: handles.b, logger, migrate: false, localJobs: true })
      const staff = async (email: string, roles: ('communications' | 'moderator')[]) => ({
        kind: 'staff' as const,
        id: await addStaff(one, email, roles),
        email,
        name: email,
        roles,
      })
      author = await staff('carys@example.org', ['communications'])
      approvers = [await staff('ifan@example.org', ['moderator'])]
      workflowId = await insertWorkflow(
        one.db,
        'One approver',
        [{ name: 'Comms lead', mode: 'any', role: 'moderator', staffIds: [] }],
        t0,
      )
    })
    after(async () => {
      await two?.close()
      await one?.close()
      await handles?.cleanup()
      await mastodon?.close()
      await bluesky?.close()
    })

    async function account(network: SocialNetwork, secret: string, name: string): Promise<number> {
      const fake = network === 'mastodon' ? mastodon : bluesky
      return insertAccount(
        one.db,
        {
          name,
          network,
          kind: 'official',
          team: 'Comms',
          language: 'bilingual',
          serviceUrl: fake.url,
          identifier: network === 'mastodon' ? 'council@fake' : bluesky.handle,
          workflowId,
          enabled: true,
        },
        encryptCredentials(one, secret),
        t0,
      )
    }

    /** A post through the whole workflow, scheduled at t0. */
    async function approvedPost(accountIds: number[], title: string): Promise<number> {
      const id = await insertPost(
        one.db,
        {
          title,
          textEn: `${title} (English)`,
          textCy: `${title} (Cymraeg)`,
          topic: 'Roads',
          team: 'Highways',
          kind: 'text',
          plannedAt: t0.toISOString(),
        },
        author.id,
        t0,
      )
      await setTargets(
        one.db,
        id,
        accountIds.flatMap((accountId) => [
          { accountId, language: 'cy' as const },
          { accountId, language: 'en' as const },
        ]),
      )
      await submitPost(one, author, id, t0)
      assert.equal(await decidePost(one, approvers[0]!, id, 'approve', null, t0), 'scheduled')
      return id
    }

    it('two processes running the job at once publish a scheduled post once, Welsh first, on both networks', async () => {
      const m = await account('mastodon', 'mastodon-secret-token-0123456789', 'Council Mastodon')
      const b = await account('bluesky', 'bsky-app-pass-word-9876', 'Council Bluesky')
      const id = await approvedPost([m, b], 'Gritting tonight')
      // A slow network, so both processes are inside the job at the same time.
      const slow = (input: string, init?: RequestInit) =>
        new Promise<Response>((r) => setTimeout(() => r(fetch(input, init)), 20))
      const [x, y] = await Promise.all([
        publishDue(one, t0, { fetch: slow, worker: 'process-1' }),
        publishDue(two, t0, { fetch: slow, worker: 'process-2' }),
      ])
      assert.deepEqual([...x.published, ...y.published], [id])
      assert.deepEqual(
        mastodon.posted.map((s) => [s.text, s.language]),
        [
          ['Gritting tonight (Cymraeg)', 'cy'],
          ['Gritting tonight (English)', 'en'],
        ],
      )
      assert.equal(bluesky.posted.length, 2)
      assert.equal((await findPost(one.db, id))?.state, 'published')
      // Running again publishes nothing more.
      await Promise.all([
        publishDue(one, new Date(t0.getTime() + 60_000)),
        publishDue(two, new Date(t0.getTime() + 60_000)),
      ])
      assert.equal(mastodon.posted.length, 2)
      const targets = await listTargets(one.db, id)
      assert.ok(targets.every((t) => t.externalId !== null && t.publishedAt !== null))
      mastodon.setEngagement(targets[0]!.externalId!, { replies: 3, boosts: 4, favourites: 5 })
      assert.equal(await refreshEngagement(one, t0), 4)
      const after = await listTargets(one.db, id)
      assert.deepEqual([after[0]!.replies, after[0]!.boosts, after[0]!.favourites], [3, 4, 5])
    })

    it('a failing server is retried with back-off, then the post is shown as failed with the reason', async () => {
      const m = (
        await one.db
          .selectFrom('publishing_accounts')
          .select('id')
          .where('network', '=', 'mastodon')
          .executeTakeFirstOrThrow()
      ).id
      const id = await approvedPost([Number(m)], 'Library closed')
      mastodon.fail(100, 500)
      let now = t0
      for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
        const out = await publishDue(one, now)
        assert.deepEqual(out.retrying, [id], `attempt ${attempt} retries`)
        const post = (await findPost(one.db, id))!
        assert.equal(post.state, 'scheduled')
        assert.equal(post.attempts, attempt)
        assert.match(post.lastError ?? '', /HTTP 500/)
        // Not before the back-off has passed.
        assert.deepEqual(
          (await publishDue(one, new Date(Date.parse(post.nextAttemptAt!) - 1000))).retrying,
          [],
        )
        now = new Date(post.nextAttemptAt!)
      }
      const last = await publishDue(one, now)
      assert.deepEqual(last.failed, [id])
      const post = (await findPost(one.db, id))!
      assert.equal(post.state, 'failed')
      assert.equal(post.attempts, MAX_ATTEMPTS)
      assert.match(post.lastError ?? '', /Mastodon post: HTTP 500/)
      mastodon.fail(0)
      const entries = await findAuditEntries(one.db, {})
      assert.equal(
        entries.filter((e) => e.subjectId === String(id) && e.action === 'publishing.retry').length,
        MAX_ATTEMPTS - 1,
      )
      assert.ok(entries.some((e) => e.subjectId === String(id) && e.action === 'publishing.fail'))
    })

    it('bad credentials fail at once with a reason that does not contain them; nothing leaks into the logs', async () => {
      const wrong = await account('mastodon', 'wrong-token-abcdefghijkl', 'Wrong token')
      const id = await approvedPost([wrong], 'Parking')
      assert.deepEqual((await publishDue(one, t0)).failed, [id])
      const post = (await findPost(one.db, id))!
      assert.match(post.lastError ?? '', /HTTP 401/)
      for (const secret of [
        'wrong-token-abcdefghijkl',
        'mastodon-secret-token-0123456789',
        'bsky-app-pass-word-9876',
      ]) {
        assert.ok(!(post.lastError ?? '').includes(secret))
        assert.ok(!logs.text.includes(secret), 'secret in the logs')
        assert.ok(
          !JSON.stringify(await findAuditEntries(one.db, {})).includes(secret),
          'secret in the audit log',
        )
      }
      assert.ok(logs.text.includes('publishing: post failed'), 'the logs were captured')
    })

    it('nothing is published without the workflow: a post forced to scheduled without approvals fails', async () => {
      const m = (
        await one.db
          .selectFrom('publishing_accounts')
          .select('id')
          .where('name', '=', 'Council Mastodon')
          .executeTakeFirstOrThrow()
      ).id
      const id = await insertPost(
        one.db,
        {
          title: 'Sneaky',
          textEn: 'Sneaky',
          textCy: 'Slei',
          topic: 'Roads',
          team: 'Highways',
          kind: 'text',
          plannedAt: t0.toISOString(),
        },
        author.id,
        t0,
      )
      await setTargets(one.db, id, [{ accountId: Number(m), language: 'en' }])
      await one.db.updateTable('publishing_posts').set({ state: 'scheduled' }).where('id', '=', id).execute()
      const before = mastodon.posted.length
      assert.deepEqual((await publishDue(one, t0)).failed, [id])
      assert.equal(mastodon.posted.length, before)
      assert.match((await findPost(one.db, id))?.lastError ?? '', /approval workflow is not complete/)
    })
  })
}
