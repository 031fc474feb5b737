import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../test/support/db.js'
import type { DbHandle } from '../db/connect.js'
import { DomainError } from '../errors/errors.js'
import {
  addElectionPeriod,
  electionPeriodOn,
  electionProblems,
  listElectionPeriods,
  londonDay,
  removeElectionPeriod,
} from './index.js'

describe('elections calendar: electionPeriodOn (pure, Europe/London)', () => {
  const periods = [
    { id: 1, name: 'Senedd election 2026', startsOn: '2026-03-26', pollsOn: '2026-05-07' },
    { id: 2, name: 'Local elections 2027', startsOn: '2027-03-18', pollsOn: '2027-05-06' },
  ]
  it('includes both the first day and polling day', () => {
    assert.equal(electionPeriodOn(periods, new Date('2026-03-26T00:30:00Z'))?.id, 1)
    assert.equal(electionPeriodOn(periods, new Date('2026-05-07T21:59:00Z'))?.id, 1)
    assert.equal(electionPeriodOn(periods, new Date('2027-04-01T12:00:00Z'))?.id, 2)
  })
  it('is null outside every period', () => {
    assert.equal(electionPeriodOn(periods, new Date('2026-03-25T12:00:00Z')), null)
    assert.equal(electionPeriodOn(periods, new Date('2026-05-08T12:00:00Z')), null)
    assert.equal(electionPeriodOn([], new Date('2026-04-01T12:00:00Z')), null)
  })
  it('reads the day in London: 23:30 UTC on polling day in May is already the next day (BST)', () => {
    assert.equal(londonDay(new Date('2026-05-07T23:30:00Z')), '2026-05-08')
    assert.equal(electionPeriodOn(periods, new Date('2026-05-07T23:30:00Z')), null)
    // In winter London is on UTC: 23:30 UTC is still the same day.
    assert.equal(londonDay(new Date('2026-01-10T23:30:00Z')), '2026-01-10')
    // 23:30 UTC the day before the period starts (BST) is already inside it.
    assert.equal(electionPeriodOn(periods, new Date('2027-03-17T23:30:00Z')), null) // GMT until 28 March
    assert.equal(electionPeriodOn(periods, new Date('2026-03-25T23:30:00Z')), null)
    assert.equal(electionPeriodOn(periods, new Date('2026-05-06T23:30:00Z'))?.id, 1)
  })
  it('names the field that is wrong', () => {
    assert.deepEqual(electionProblems({ name: '', startsOn: '2026-02-30', pollsOn: 'soon' }), [
      { field: 'name', code: 'required' },
      { field: 'startsOn', code: 'invalid' },
      { field: 'pollsOn', code: 'invalid' },
    ])
    assert.deepEqual(electionProblems({ name: 'x', startsOn: '2026-05-07', pollsOn: '2026-03-26' }), [
      { field: 'pollsOn', code: 'before-start' },
    ])
    assert.deepEqual(electionProblems({ name: 'x', startsOn: '2026-05-07', pollsOn: '2026-05-07' }), [])
  })
})

for (const dialect of TEST_DIALECTS) {
  describe(`elections calendar store (${dialectLabel(dialect)})`, () => {
    let handle: DbHandle
    before(async () => {
      handle = await openTestDb(dialect)
    })
    after(async () => {
      await handle.close()
    })

    it('adds, lists in date order and removes periods', async () => {
      const { db } = handle
      const later = await addElectionPeriod(db, {
        name: ' Local elections 2027 ',
        startsOn: '2027-03-18',
        pollsOn: '2027-05-06',
      })
      const first = await addElectionPeriod(db, {
        name: 'Senedd 2026',
        startsOn: '2026-03-26',
        pollsOn: '2026-05-07',
      })
      assert.equal(later.name, 'Local elections 2027')
      assert.equal(typeof first.id, 'number')
      const listed = await listElectionPeriods(db)
      assert.deepEqual(
        listed.map((p) => p.name),
        ['Senedd 2026', 'Local elections 2027'],
      )
      assert.deepEqual(listed[0], first)
      assert.equal(electionPeriodOn(listed, new Date('2026-04-20T09:00:00Z'))?.id, first.id)
      await removeElectionPeriod(db, first.id)
      assert.deepEqual(
        (await listElectionPeriods(db)).map((p) => p.id),
        [later.id],
      )
      await assert.rejects(
        removeElectionPeriod(db, first.id),
        (e: unknown) => (e as DomainError).code === 'not-found',
      )
      await removeElectionPeriod(db, later.id)
    })

    it('refuses a bad period, naming the field', async () => {
      await assert.rejects(
        addElectionPeriod(handle.db, { name: 'x', startsOn: '2026-05-07', pollsOn: '2026-05-01' }),
        (e: unknown) =>
          e instanceof DomainError && e.code === 'validation-failed' && e.details?.['field'] === 'pollsOn',
      )
      assert.deepEqual(await listElectionPeriods(handle.db), [])
    })
  })
}
