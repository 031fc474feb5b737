import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { QueryParseError } from './errors.js'
import { tokenizeQuery } from './lexer.js'

const brief = (q: string): string[] => tokenizeQuery(q).map((t) => `${t.type}@${t.start}-${t.end}:${t.text}`)

describe('tokenizeQuery', () => {
  it('splits brackets, words, phrases and operators with their positions', () => {
    assert.deepEqual(brief('(bins OR "bin day") AND NOT x'), [
      'lparen@0-1:(',
      'word@1-5:bins',
      'or@6-8:OR',
      'phrase@9-18:"bin day"',
      'rparen@18-19:)',
      'and@20-23:AND',
      'not@24-27:NOT',
      'word@28-29:x',
      'eof@29-29:',
    ])
  })

  it('reads NEAR/n and NEAR/nf', () => {
    const [, n1, , n2] = tokenizeQuery('a NEAR/3 b NEAR/10f c')
    assert.deepEqual(n1, { type: 'near', distance: 3, ordered: false, start: 2, end: 8, text: 'NEAR/3' })
    assert.deepEqual(n2, { type: 'near', distance: 10, ordered: true, start: 11, end: 19, text: 'NEAR/10f' })
  })

  it('recognises operators only in capitals and as whole words', () => {
    assert.deepEqual(
      tokenizeQuery('and Or NOTE ANDROID NEARBY near/3').map((t) => t.type),
      ['word', 'word', 'word', 'word', 'word', 'word', 'eof'],
    )
  })

  it('splits a field name from its value', () => {
    assert.deepEqual(brief('site:bbc.co.uk Lang:"en"'), [
      'field@0-5:site:',
      'word@5-14:bbc.co.uk',
      'field@15-20:Lang:',
      'phrase@20-24:"en"',
      'eof@24-24:',
    ])
    const [f] = tokenizeQuery('language:cy')
    assert.ok(f?.type === 'field' && f.field === 'lang')
  })

  it('keeps colons inside words that are not field names', () => {
    assert.deepEqual(brief('10:30'), ['word@0-5:10:30', 'eof@5-5:'])
  })

  it('reads typographic quotes and keeps the phrase as written', () => {
    const [t] = tokenizeQuery('“Bin  Day”')
    assert.ok(t?.type === 'phrase')
    assert.equal(t.value, 'Bin  Day')
  })

  it('stops words at brackets and quotes', () => {
    assert.deepEqual(
      tokenizeQuery('a(b)"c"').map((t) => t.type),
      ['word', 'lparen', 'word', 'rparen', 'phrase', 'eof'],
    )
  })

  it('skips comments', () => {
    assert.deepEqual(brief('<<<x>>>a <<< y >>>'), ['word@7-8:a', 'eof@18-18:'])
  })

  it('throws QueryParseError with positions', () => {
    assert.throws(
      () => tokenizeQuery('a "b'),
      (e) => e instanceof QueryParseError && e.position === 4,
    )
    assert.throws(
      () => tokenizeQuery('a NEAR b'),
      (e) => e instanceof QueryParseError && e.position === 6,
    )
    assert.throws(
      () => tokenizeQuery('foo:bar'),
      (e) => e instanceof QueryParseError && e.position === 0,
    )
  })
})
