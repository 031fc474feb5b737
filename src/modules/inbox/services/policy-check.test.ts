import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../../test/support/db.js'
import type { DbHandle } from '../../../platform/db/connect.js'
import { addElectionPeriod } from '../../../platform/elections/index.js'
import { checkReply } from './policy-check.js'

for (const dialect of TEST_DIALECTS) {
  describe(`reply policy checks and the elections calendar (${dialectLabel(dialect)})`, () => {
    let h: DbHandle
    before(async () => {
      h = await openTestDb(dialect)
    })
    after(async () => {
      await h.close()
    })

    it('holds a party-political reply to the pre-election rule only inside a period', async () => {
      const text = 'Thanks for asking. Vote Labour on Thursday!'
      const reply = { text, channel: 'mastodon' as const, language: 'en' }
      const before = await checkReply(h.db, reply, new Date('2027-04-20T10:00:00Z'), 'en')
      assert.ok(before.length > 0, 'the political rule warns outside a period')
      assert.ok(before.every((f) => f.severity === 'warn'))
      await addElectionPeriod(h.db, {
        name: 'Council elections 2027',
        startsOn: '2027-04-01',
        pollsOn: '2027-05-06',
      })
      const during = await checkReply(h.db, reply, new Date('2027-04-20T10:00:00Z'), 'en')
      const blocked = during.find((f) => f.code === 'pre-election.political')
      assert.ok(blocked, JSON.stringify(during))
      assert.equal(blocked.severity, 'block')
      assert.equal(text.slice(blocked.start, blocked.end).toLowerCase().includes('labour'), true)
      const afterPoll = await checkReply(h.db, reply, new Date('2027-05-10T10:00:00Z'), 'en')
      assert.ok(afterPoll.every((f) => f.code !== 'pre-election.political'))
    })
  })
}
