import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  addBusinessMinutes,
  type BusinessHours,
  businessMinutesBetween,
  OFFICE_HOURS,
  parseHolidays,
} from './business-hours.js'

const at = (iso: string) => new Date(iso)
const add = (iso: string, minutes: number, hours: BusinessHours = OFFICE_HOURS) =>
  addBusinessMinutes(at(iso), minutes, hours).toISOString()

describe('business hours (Mon–Fri 09:00–17:00 Europe/London, England & Wales bank holidays)', () => {
  it('Friday 16:30 + 8 h is Monday 16:30: 30 min on Friday, 7 h 30 on Monday', () => {
    // Friday 13 Nov 2026 is in GMT (UTC+0).
    assert.equal(add('2026-11-13T16:30:00Z', 480), '2026-11-16T16:30:00.000Z')
  })

  it('skips a bank holiday Monday: Friday 1 May 2026 16:30 BST + 8 h is Tuesday 5 May 16:30 BST (15:30 UTC)', () => {
    assert.equal(add('2026-05-01T15:30:00Z', 480), '2026-05-05T15:30:00.000Z')
  })

  it('honours the change to BST: Friday 27 March 2026 16:30 GMT + 8 h is Monday 30 March 16:30 BST', () => {
    assert.equal(add('2026-03-27T16:30:00Z', 480), '2026-03-30T15:30:00.000Z')
  })

  it('honours the change back to GMT: Friday 23 Oct 2026 16:30 BST + 8 h is Monday 26 Oct 16:30 GMT', () => {
    assert.equal(add('2026-10-23T15:30:00Z', 480), '2026-10-26T16:30:00.000Z')
  })

  it('counts from the next opening when a message arrives at night or at the weekend', () => {
    assert.equal(add('2026-11-14T11:00:00Z', 60), '2026-11-16T10:00:00.000Z') // Saturday → Monday 10:00
    assert.equal(add('2026-11-16T07:00:00Z', 30), '2026-11-16T09:30:00.000Z') // before opening
    assert.equal(add('2026-11-16T17:00:00Z', 1), '2026-11-17T09:01:00.000Z') // at closing time
  })

  it('skips Christmas: 24 Dec 2026 16:00 + 2 h is 29 Dec 10:00 (25 and 28 Dec are bank holidays)', () => {
    assert.equal(add('2026-12-24T16:00:00Z', 120), '2026-12-29T10:00:00.000Z')
  })

  it('counts business minutes between two instants, both ways', () => {
    assert.equal(
      businessMinutesBetween(at('2026-11-13T16:30:00Z'), at('2026-11-16T16:30:00Z'), OFFICE_HOURS),
      480,
    )
    assert.equal(
      businessMinutesBetween(at('2026-11-16T16:30:00Z'), at('2026-11-13T16:30:00Z'), OFFICE_HOURS),
      -480,
    )
    assert.equal(
      businessMinutesBetween(at('2026-11-14T10:00:00Z'), at('2026-11-15T10:00:00Z'), OFFICE_HOURS),
      0,
    )
    // Across the BST change the London day is still 8 hours.
    assert.equal(
      businessMinutesBetween(at('2026-03-27T00:00:00Z'), at('2026-03-31T00:00:00Z'), OFFICE_HOURS),
      960,
    )
  })

  it('round-trips: minutes added are the minutes between', () => {
    for (const start of ['2026-03-26T12:00:00Z', '2026-10-22T08:00:00Z', '2026-12-23T15:59:00Z']) {
      for (const m of [1, 59, 480, 2400]) {
        const end = addBusinessMinutes(at(start), m, OFFICE_HOURS)
        const from = addBusinessMinutes(at(start), 0, OFFICE_HOURS)
        assert.ok(businessMinutesBetween(from, end, OFFICE_HOURS) <= m)
      }
    }
  })

  it('refuses hours with no open day instead of looping', () => {
    assert.throws(() =>
      addBusinessMinutes(at('2026-11-13T10:00:00Z'), 60, {
        ...OFFICE_HOURS,
        days: [null, null, null, null, null, null, null],
      }),
    )
  })

  it('parses a holiday list and names bad entries', () => {
    assert.deepEqual(parseHolidays('2026-12-25\n2026-02-30, nope 2026-01-01'), {
      dates: ['2026-01-01', '2026-12-25'],
      invalid: ['2026-02-30', 'nope'],
    })
  })
})
