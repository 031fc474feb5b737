import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type ConversationInput,
  conversationStatus,
  DEFAULT_SETTINGS,
  pickLanguage,
  seedLines,
  statementProblem,
  statementRefusal,
  validateConversation,
  voteRefusal,
  voteValue,
} from './conversation.js'
import { closesAtFromParts, lastDayOf, opensAtFromParts, parseDateParts, ukMidnight } from './dates.js'

const conversation = {
  opensAt: '2026-06-01T00:00:00.000Z',
  closesAt: '2026-07-01T00:00:00.000Z',
  voteAssurance: 'none' as const,
  statementPolicy: 'anyone' as const,
}
const anyone = { assurance: 'none' as const, banned: false }

describe('conversation rules', () => {
  it('is upcoming, open, then closed by its dates', () => {
    assert.equal(conversationStatus(conversation, new Date('2026-05-31T23:59:59Z')), 'upcoming')
    assert.equal(conversationStatus(conversation, new Date('2026-06-01T00:00:00Z')), 'open')
    assert.equal(conversationStatus(conversation, new Date('2026-06-30T23:59:59Z')), 'open')
    assert.equal(conversationStatus(conversation, new Date('2026-07-01T00:00:00Z')), 'closed')
    assert.equal(conversationStatus({ ...conversation, closesAt: null }, new Date('2099-01-01')), 'open')
  })

  it('refuses votes on a closed or unopened conversation, from banned people, and from anonymous people where email is required', () => {
    const during = new Date('2026-06-15T12:00:00Z')
    assert.equal(voteRefusal(conversation, anyone, during), null)
    assert.equal(voteRefusal(conversation, anyone, new Date('2026-07-02')), 'closed')
    assert.equal(voteRefusal(conversation, anyone, new Date('2026-05-02')), 'upcoming')
    assert.equal(voteRefusal(conversation, { ...anyone, banned: true }, during), 'banned')
    const verified = { ...conversation, voteAssurance: 'email-verified' as const }
    assert.equal(voteRefusal(verified, anyone, during), 'needs-verification')
    assert.equal(voteRefusal(verified, { assurance: 'email-verified', banned: false }, during), null)
    assert.equal(
      voteRefusal(verified, { assurance: 'eid', banned: false }, during),
      null,
      'stronger assurance passes',
    )
  })

  it('applies who may add statements on top of who may vote', () => {
    const during = new Date('2026-06-15T12:00:00Z')
    assert.equal(statementRefusal(conversation, anyone, during), null)
    assert.equal(
      statementRefusal({ ...conversation, statementPolicy: 'staff' }, anyone, during),
      'staff-only',
    )
    assert.equal(
      statementRefusal({ ...conversation, statementPolicy: 'email-verified' }, anyone, during),
      'needs-verification',
    )
    assert.equal(statementRefusal(conversation, anyone, new Date('2026-08-01')), 'closed')
  })

  it('limits statements to 140 characters by default, counting characters not bytes', () => {
    assert.equal(statementProblem('  ', 140)?.code, 'required')
    assert.equal(statementProblem('ŵ'.repeat(140), 140), null)
    assert.equal(statementProblem('🙂'.repeat(140), 140), null)
    assert.deepEqual(statementProblem('a'.repeat(141), 140), {
      field: 'statement',
      code: 'too-long',
      vars: { max: 140 },
    })
    assert.equal(DEFAULT_SETTINGS.maxLength, 140)
  })

  it('codes votes as the Pol.is export does', () => {
    assert.equal(voteValue('agree'), 1)
    assert.equal(voteValue('disagree'), -1)
    assert.equal(voteValue('pass'), 0)
    assert.equal(voteValue('7'), null)
  })

  it('shows the page’s language when there is a text in it, otherwise the other one with its language', () => {
    assert.deepEqual(pickLanguage('Hello', 'Helo', 'cy'), { text: 'Helo', lang: 'cy' })
    assert.deepEqual(pickLanguage('Hello', null, 'cy'), { text: 'Hello', lang: 'en' })
    assert.deepEqual(pickLanguage(null, 'Helo', 'en'), { text: 'Helo', lang: 'cy' })
  })

  const input: ConversationInput = {
    ...DEFAULT_SETTINGS,
    titleEn: 'Parks',
    titleCy: 'Parciau',
    descriptionEn: '',
    descriptionCy: '',
    opensAt: '2026-06-01T00:00:00.000Z',
    closesAt: '2026-07-01T00:00:00.000Z',
    seedsEn: ['More benches', 'Longer opening hours'],
    seedsCy: ['Mwy o feinciau', 'Oriau agor hirach'],
  }

  it('checks the conversation form, Welsh at parity when the organisation works in Welsh', () => {
    assert.deepEqual(validateConversation(input, { welsh: true }), [])
    const codes = (i: Partial<ConversationInput>, welsh = true) =>
      validateConversation({ ...input, ...i }, { welsh }).map((p) => `${p.field}.${p.code}`)
    assert.deepEqual(codes({ titleEn: '', titleCy: '' }), ['titleEn.required', 'titleCy.required'])
    assert.deepEqual(codes({ titleCy: '' }, false), [])
    assert.deepEqual(codes({ opensAt: null }), ['opensAt.invalid'])
    assert.deepEqual(codes({ closesAt: '2026-05-01T00:00:00.000Z' }), ['closesAt.before-opening'])
    assert.deepEqual(codes({ closesAt: 'invalid' }), ['closesAt.invalid'])
    assert.deepEqual(codes({ maxLength: 5 }), ['maxLength.range'])
    assert.deepEqual(codes({ seedsCy: ['Mwy o feinciau'] }), ['seedsCy.missing'])
    assert.deepEqual(codes({ seedsCy: ['a', 'b', 'c'] }), ['seedsCy.more-than-english'])
    assert.deepEqual(codes({ seedsEn: ['x'.repeat(141), 'ok'] }), ['seedsEn.too-long'])
  })

  it('reads one seed statement per line', () => {
    assert.deepEqual(seedLines('  One  \r\n\n Two\twords \n'), ['One', 'Two words'])
  })
})

describe('dates in UK time', () => {
  it('opens at UK midnight, winter and summer', () => {
    assert.equal(ukMidnight(2026, 1, 15).toISOString(), '2026-01-15T00:00:00.000Z')
    assert.equal(ukMidnight(2026, 6, 1).toISOString(), '2026-05-31T23:00:00.000Z')
    // The clocks go forward at 01:00 on 29 March 2026; midnight is still GMT.
    assert.equal(ukMidnight(2026, 3, 29).toISOString(), '2026-03-29T00:00:00.000Z')
    assert.equal(ukMidnight(2026, 10, 25).toISOString(), '2026-10-24T23:00:00.000Z')
  })

  it('closes at the end of the last day and reads it back', () => {
    const closes = closesAtFromParts({ year: 2026, month: 6, day: 30 })
    assert.equal(closes, '2026-06-30T23:00:00.000Z')
    assert.deepEqual(lastDayOf(closes), { year: 2026, month: 6, day: 30 })
    assert.equal(opensAtFromParts({ year: 2026, month: 12, day: 1 }), '2026-12-01T00:00:00.000Z')
  })

  it('refuses dates that do not exist', () => {
    assert.equal(parseDateParts('31', '2', '2026'), null)
    assert.equal(parseDateParts('1', '13', '2026'), null)
    assert.equal(parseDateParts('x', '1', '2026'), null)
    assert.equal(parseDateParts('1', '1', '26'), null)
    assert.deepEqual(parseDateParts('29', '2', '2028'), { year: 2028, month: 2, day: 29 })
  })
})
