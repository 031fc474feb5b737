import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../../test/support/db.js'
import type { DbHandle } from '../../../platform/db/connect.js'
import { ingestPosts } from '../services/ingest.js'
import { correctionsTsv, correctSentiment, listCorrections } from './correction-store.js'
import { insertSource } from './source-store.js'

for (const dialect of TEST_DIALECTS) {
  describe(`sentiment corrections (${dialectLabel(dialect)})`, () => {
    let h: DbHandle
    before(async () => {
      h = await openTestDb(dialect)
    })
    after(async () => {
      await h.close()
    })

    it('keeps the model’s first label, replaces the staff label, and writes the training file', async () => {
      const now = new Date('2026-12-01T10:00:00Z')
      const sourceId = await insertSource(
        h.db,
        { name: 's', type: 'import', config: {}, retentionDays: 30 },
        now,
      )
      await ingestPosts(
        h.db,
        { id: sourceId, type: 'import', retentionDays: 30 },
        [
          {
            externalId: 'a',
            text: 'The bins were\tcollected early, brilliant',
            publishedAt: now.toISOString(),
          },
        ],
        { queries: [], now },
      )
      const post = await h.db
        .selectFrom('listening_posts')
        .select(['id', 'sentiment'])
        .executeTakeFirstOrThrow()
      const id = Number(post.id)
      assert.equal(await correctSentiment(h.db, id, 'neutral', null, now), true)
      assert.equal(await correctSentiment(h.db, id, 'negative', null, new Date('2026-12-02T10:00:00Z')), true)
      assert.equal(await correctSentiment(h.db, 999_999, 'negative', null, now), false)
      const corrections = await listCorrections(h.db)
      assert.equal(corrections.length, 1)
      assert.equal(corrections[0]!.modelLabel, post.sentiment)
      assert.equal(corrections[0]!.label, 'negative')
      assert.equal(correctionsTsv(corrections), 'negative\tThe bins were collected early, brilliant\n')
    })
  })
}
