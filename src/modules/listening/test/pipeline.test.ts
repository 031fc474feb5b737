import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../../test/support/db.js'
import type { Services } from '../../../platform/services.js'
import { listeningImportCommand } from '../commands/import.js'
import { createListeningQueryCommand } from '../commands/query.js'
import { htmlToText } from '../domain/html.js'
import { readImport } from '../domain/import.js'
import { analysePost } from '../domain/post.js'
import { compileQuery, parseQuery } from '../domain/query/index.js'
import { countStoredMatches, ingestPosts } from '../services/ingest.js'
import { deleteExpiredPosts, matchedPosts } from '../store/post-store.js'
import { insertQuery } from '../store/query-store.js'
import { findSource, insertSource } from '../store/source-store.js'

describe('HTML to text and analysis', () => {
  it('turns Mastodon HTML into text with hashtags, mentions and full links', () => {
    const html =
      '<p>Bins missed on <span class="h-card"><a href="https://x/@cc" class="u-url mention">@<span>cardiffcc</span></a></span> again &amp; again</p><p><a href="https://x/tags/bins" class="mention hashtag" rel="tag">#<span>bins</span></a> <a href="https://example.com/a/b"><span class="invisible">https://</span><span class="ellipsis">example.com/a</span><span class="invisible">/b</span></a></p>'
    assert.equal(htmlToText(html), 'Bins missed on @cardiffcc again & again\n\n#bins https://example.com/a/b')
    assert.match(htmlToText('<ul><li>one</li><li>two</li></ul><img src="x">'), /one[\s\S]*two/)
  })

  it('analyses a post once: language, sentiment, keywords, places, topic', () => {
    const a = analysePost(
      {
        externalId: '1',
        html: '<p>Bins not collected in Splott again, third week running 😡 #bins</p>',
        publishedAt: '2026-12-01T09:00:00Z',
        url: 'https://www.example.com/p/1',
      },
      { gazetteer: ['Splott'] },
    )
    assert.equal(a.lang, 'en')
    assert.equal(a.sentiment, 'negative')
    assert.ok(a.places.includes('Splott'))
    assert.ok(a.hashtags.includes('bins'))
    assert.equal(a.site, 'www.example.com')
    assert.equal(a.topic, a.keywords[0])
    assert.equal(
      analysePost({
        externalId: '2',
        text: 'Mae’r biniau heb eu casglu eto, siomedig iawn',
        publishedAt: '2026-12-01T09:00:00Z',
      }).lang,
      'cy',
    )
  })
})

for (const dialect of TEST_DIALECTS) {
  describe(`ingest pipeline (${dialectLabel(dialect)})`, () => {
    it('stores the same post once, records what matched, and removes posts when retention ends', async () => {
      const h = await openTestDb(dialect)
      const now = new Date('2026-12-07T12:00:00Z')
      const sourceId = await insertSource(
        h.db,
        { name: 's', type: 'webhook', config: {}, retentionDays: 30 },
        now,
      )
      const q = await insertQuery(
        h.db,
        { name: 'Bins', query: 'bins NEAR/3 missed', normalised: 'bins NEAR/3 missed', createdBy: null },
        now,
      )
      const posts = [
        { externalId: 'a', text: 'Our bins were missed again', publishedAt: '2026-12-06T10:00:00Z' },
        { externalId: 'b', text: 'Lovely park', publishedAt: '2026-12-06T11:00:00Z' },
        { externalId: 'c', text: 'Old bins missed', publishedAt: '2026-10-01T11:00:00Z' },
      ]
      const source = { id: sourceId, type: 'webhook' as const, retentionDays: 30 }
      const first = await ingestPosts(h.db, source, [...posts, posts[0]!], { now })
      assert.deepEqual(
        { stored: first.stored, duplicates: first.duplicates, matches: first.matches },
        { stored: 3, duplicates: 1, matches: 2 },
      )
      const second = await ingestPosts(h.db, source, posts, { now })
      assert.equal(second.stored, 0)
      const m = await matchedPosts(h.db, q)
      assert.deepEqual(
        m.map((p) => p.externalId),
        ['a', 'c'],
      )
      assert.deepEqual(m[0]!.terms, ['bins', 'missed'])
      assert.equal((await countStoredMatches(h.db, compileQuery(parseQuery('park')))).matched, 1)
      // Retention counts from publication: post c is past it at the next daily run.
      assert.equal(await deleteExpiredPosts(h.db, new Date('2026-12-08T00:00:00Z')), 1)
      assert.deepEqual(
        (await matchedPosts(h.db, q)).map((p) => p.externalId),
        ['a'],
      )
      assert.equal(await deleteExpiredPosts(h.db, new Date('2027-01-06T00:00:00Z')), 2)
      assert.equal((await matchedPosts(h.db, q)).length, 0)
      assert.equal((await findSource(h.db, sourceId))!.storedCount, 3)
      await h.close()
    })
  })
}

describe('townsquare listening import and query', () => {
  function io(services: Services) {
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    let out = ''
    stdout.on('data', (d) => (out += String(d)))
    return {
      io: { stdout, stderr, stdin: new PassThrough(), services: async () => services },
      out: () => out,
    }
  }

  it('imports NDJSON and CSV with a column mapping, idempotently, counting malformed rows', async () => {
    const h = await openTestDb('sqlite')
    const services = { db: h.db } as unknown as Services
    const dir = mkdtempSync(join(tmpdir(), 'ts-import-'))
    const nd = join(dir, 'posts.ndjson')
    writeFileSync(
      nd,
      [
        JSON.stringify({
          id: 'n1',
          text: 'Potholes on City Road',
          created_at: '2026-12-01T10:00:00Z',
          user: 'amy',
        }),
        '{not json',
        JSON.stringify({ id: 'n2', created_at: '2026-12-01T10:00:00Z' }),
        JSON.stringify({ id: 'n3', text: 'Bins missed', created_at: '2026-12-01T11:00:00Z' }),
      ].join('\n'),
    )
    const run1 = io(services)
    assert.equal(await listeningImportCommand.run([nd, '--source', 'Survey'], run1.io), 0)
    assert.match(run1.out(), /2 stored, 0 already there, 2 malformed/)
    const run2 = io(services)
    await listeningImportCommand.run([nd, '--source', 'Survey'], run2.io)
    assert.match(run2.out(), /0 stored, 2 already there/)
    const csv = join(dir, 'posts.csv')
    writeFileSync(
      csv,
      'comment,submitted,who\n"Clean Air Zone, again",2026-12-02T09:00:00Z,bob\nno date here,,carol\n',
    )
    const run3 = io(services)
    assert.equal(
      await listeningImportCommand.run(
        [csv, '--source', 'Survey', '--map', 'text=comment,publishedAt=submitted,author=who'],
        run3.io,
      ),
      0,
    )
    assert.match(run3.out(), /1 stored, 0 already there, 1 malformed/)
    assert.equal(readImport('id,text,date\n1,hi,2026-01-01\n', 'csv').length, 1)
    const query = createListeningQueryCommand({
      countMatches: async (m) => (await countStoredMatches(h.db, m)).matched,
    })
    const run4 = io(services)
    assert.equal(await query.run(['pothole*', '--json'], run4.io), 0)
    assert.equal(JSON.parse(run4.out()).matches, 1)
    await h.close()
  })
})
