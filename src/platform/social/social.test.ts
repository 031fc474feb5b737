import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { FakeBlueskyPds, FakeMastodonApi } from '../../../test/support/fake-social.js'
import {
  clearBlueskySessions,
  fetchEngagement,
  fetchMentions,
  PublishError,
  publishPost,
  type SocialCredentials,
} from './index.js'

const now = new Date('2026-12-01T10:00:00Z')
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])

describe('Mastodon connector against the fake server', () => {
  let fake: FakeMastodonApi
  let creds: SocialCredentials
  before(async () => {
    fake = await FakeMastodonApi.start()
    creds = { network: 'mastodon', serviceUrl: fake.url, identifier: 'council@fake', secret: fake.token }
  })
  after(() => fake.close())

  test('posts a status with an image and its description, in the language given', async () => {
    const out = await publishPost(
      creds,
      {
        text: 'Bin collections change next week',
        language: 'en',
        media: [{ data: png, mimeType: 'image/png', altText: 'A green bin' }],
      },
      { now },
    )
    const status = fake.posted.find((s) => s.id === out.id)
    assert.ok(status)
    assert.equal(status.text, 'Bin collections change next week')
    assert.equal(status.language, 'en')
    assert.equal(fake.media.length, 1)
    assert.equal(fake.media[0]!.description, 'A green bin')
    assert.deepEqual(status.media_ids, [fake.media[0]!.id])
    assert.equal(out.url, status.url)
  })

  test('a reply lands in the thread of the status replied to', async () => {
    const mention = fake.addMention({ text: '@council when is my bin day?' })
    const out = await publishPost(creds, { text: 'Tuesdays', inReplyTo: { id: mention.id } }, { now })
    assert.equal(fake.posted.find((s) => s.id === out.id)?.in_reply_to_id, mention.id)
    assert.equal((await fetchEngagement(creds, { id: mention.id, url: null }, {})).replies, 1)
  })

  test('the same Idempotency-Key never posts twice', async () => {
    const before = fake.posted.length
    const a = await publishPost(creds, { text: 'Once only', idempotencyKey: 'post-1-account-1' }, { now })
    const b = await publishPost(creds, { text: 'Once only', idempotencyKey: 'post-1-account-1' }, { now })
    assert.equal(a.id, b.id)
    assert.equal(fake.posted.length, before + 1)
    assert.equal(fake.requests.at(-1)?.headers['idempotency-key'], 'post-1-account-1')
  })

  test('scheduled_at answers a ScheduledStatus without a URL', async () => {
    const at = new Date('2026-12-02T09:00:00Z')
    const out = await publishPost(creds, { text: 'Tomorrow', scheduledAt: at }, { now })
    assert.equal(out.url, null)
    assert.equal(fake.scheduled.at(-1)?.scheduled_at, at.toISOString())
  })

  test('engagement is read back from the status', async () => {
    const out = await publishPost(creds, { text: 'Count me' }, { now })
    fake.setEngagement(out.id, { replies: 2, boosts: 5, favourites: 9 })
    assert.deepEqual(await fetchEngagement(creds, out, {}), { replies: 2, boosts: 5, favourites: 9 })
  })

  test('mentions come back oldest first with a cursor, then only newer ones', async () => {
    const first = await fetchMentions(creds, null, { now })
    assert.ok(first.mentions.some((m) => m.text === '@council when is my bin day?'))
    assert.ok(first.cursor)
    fake.addMention({ text: 'Thanks <b>council</b>', acct: 'ann@fake.example', displayName: 'Ann' })
    const second = await fetchMentions(creds, first.cursor, { now })
    assert.equal(second.mentions.length, 1)
    assert.equal(second.mentions[0]!.text, 'Thanks <b>council</b>')
    assert.equal(second.mentions[0]!.authorHandle, 'ann@fake.example')
    assert.equal((await fetchMentions(creds, second.cursor, { now })).mentions.length, 0)
  })

  test('errors say what failed and whether to retry, never the token', async () => {
    fake.fail(1, 500)
    await assert.rejects(publishPost(creds, { text: 'x' }, { now }), (err: unknown) => {
      assert.ok(err instanceof PublishError)
      assert.equal(err.retryable, true)
      assert.equal(err.status, 500)
      return true
    })
    fake.fail(1, 429)
    await assert.rejects(
      publishPost(creds, { text: 'x' }, { now }),
      (err: PublishError) => err.code === 'social.rate_limited' && err.retryAfterMs === 1000,
    )
    const bad = { ...creds, secret: 'wrong-token-123456' }
    await assert.rejects(publishPost(bad, { text: 'x' }, { now }), (err: PublishError) => {
      assert.equal(err.code, 'social.auth')
      assert.equal(err.retryable, false)
      assert.ok(!err.message.includes('wrong-token-123456'))
      assert.ok(!err.message.includes(fake.token))
      return true
    })
  })

  test('too long, or an image without alt text, is refused before any request', async () => {
    const count = fake.requests.length
    await assert.rejects(publishPost(creds, { text: 'a'.repeat(501) }, { now }), /longer than 500/)
    await assert.rejects(
      publishPost(creds, { text: 'a', media: [{ data: png, mimeType: 'image/png', altText: ' ' }] }, { now }),
      /alt text/,
    )
    assert.equal(fake.requests.length, count)
  })
})

describe('Bluesky connector against the fake PDS', () => {
  let fake: FakeBlueskyPds
  let creds: SocialCredentials
  before(async () => {
    clearBlueskySessions()
    fake = await FakeBlueskyPds.start()
    creds = { network: 'bluesky', serviceUrl: fake.url, identifier: fake.handle, secret: fake.appPassword }
  })
  after(() => fake.close())

  test('signs in once, posts a record with language, link facet and image alt text', async () => {
    const out = await publishPost(
      creds,
      {
        text: 'Consultation: https://example.gov.uk/c — have your say',
        language: 'cy',
        media: [{ data: png, mimeType: 'image/png', altText: 'Map' }],
      },
      { now },
    )
    await publishPost(creds, { text: 'Second' }, { now })
    assert.equal(fake.sessionsCreated, 1)
    const post = fake.posted.find((p) => p.uri === out.id)
    assert.ok(post)
    assert.equal(out.cid, post.cid)
    assert.deepEqual(post.record['langs'], ['cy'])
    const embed = post.record['embed'] as { images: { alt: string; image: { ref: { $link: string } } }[] }
    assert.equal(embed.images[0]!.alt, 'Map')
    assert.equal(embed.images[0]!.image.ref.$link, fake.blobs[0]!.cid)
    const facets = post.record['facets'] as { index: { byteStart: number; byteEnd: number } }[]
    const bytes = new TextEncoder().encode(post.record['text'] as string)
    assert.equal(
      new TextDecoder().decode(bytes.slice(facets[0]!.index.byteStart, facets[0]!.index.byteEnd)),
      'https://example.gov.uk/c',
    )
    assert.match(out.url ?? '', new RegExp(`^https://bsky.app/profile/${fake.handle}/post/`))
  })

  test('a reply carries root and parent, so it lands in the right thread', async () => {
    const root = await publishPost(creds, { text: 'Root' }, { now })
    const mention = fake.addMention({ text: 'A question', replyTo: { uri: root.id, cid: root.cid! } })
    const out = await publishPost(
      creds,
      {
        text: 'An answer',
        inReplyTo: { id: mention.uri, cid: mention.cid, rootId: root.id, rootCid: root.cid! },
      },
      { now },
    )
    const reply = fake.posted.find((p) => p.uri === out.id)?.record['reply'] as {
      root: { uri: string }
      parent: { uri: string }
    }
    assert.equal(reply.root.uri, root.id)
    assert.equal(reply.parent.uri, mention.uri)
  })

  test('an expired session is re-created once and the post still goes out', async () => {
    fake.expireSessions()
    const before = fake.sessionsCreated
    const out = await publishPost(creds, { text: 'After expiry' }, { now })
    assert.equal(fake.sessionsCreated, before + 1)
    assert.ok(fake.posted.some((p) => p.uri === out.id))
  })

  test('engagement and mentions are read back', async () => {
    const out = await publishPost(creds, { text: 'Like me' }, { now })
    fake.setEngagement(out.id, { replies: 1, reposts: 3, likes: 7 })
    assert.deepEqual(await fetchEngagement(creds, out, {}), { replies: 1, boosts: 3, favourites: 7 })
    const first = await fetchMentions(creds, null, { now })
    assert.ok(first.mentions.some((m) => m.text === 'A question' && m.rootId !== undefined))
    fake.addMention({ text: 'Shwmae @council', langs: ['cy'] })
    const second = await fetchMentions(creds, first.cursor, { now })
    assert.deepEqual(
      second.mentions.map((m) => [m.text, m.language]),
      [['Shwmae @council', 'cy']],
    )
  })

  test('a wrong app password is an auth error that does not contain it', async () => {
    clearBlueskySessions()
    const bad = { ...creds, secret: 'abcd-efgh-ijkl-mnop' }
    await assert.rejects(publishPost(bad, { text: 'x' }, { now }), (err: PublishError) => {
      assert.equal(err.code, 'social.auth')
      assert.ok(!err.message.includes('abcd-efgh-ijkl-mnop'))
      return true
    })
  })
})
