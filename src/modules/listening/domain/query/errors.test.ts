import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatQueryError, QueryParseError } from './errors.js'
import { parseQuery } from './parser.js'

function errorOf(q: string): QueryParseError {
  try {
    parseQuery(q)
  } catch (err) {
    if (err instanceof QueryParseError) return err
    throw err
  }
  assert.fail(`expected ${q} not to parse`)
}

describe('QueryParseError', () => {
  it('builds its message from what was expected, what was found and a hint', () => {
    assert.equal(new QueryParseError(17, 'a closing ")"').message, 'Expected a closing ")" at position 17')
    assert.equal(new QueryParseError(3, 'a term', '"x"').message, 'Expected a term at position 3, found "x"')
    assert.equal(new QueryParseError(3, 'a term', null, 'why').message, 'Expected a term at position 3 (why)')
  })
})

describe('formatQueryError', () => {
  it('puts a caret under the position', () => {
    const q = 'council AND (tax OR rates'
    assert.equal(
      formatQueryError(q, errorOf(q)),
      [
        'council AND (tax OR rates',
        '                         ^',
        'Expected a closing ")" at position 25 (the "(" at position 12 is not closed)',
      ].join('\n'),
    )
  })

  it('points inside the query, not only at its end', () => {
    const q = 'bins AND title:missed'
    assert.equal(
      formatQueryError(q, errorOf(q), { message: false }),
      ['bins AND title:missed', '         ^'].join('\n'),
    )
  })

  it('shows only the line with the mistake for a query over several lines', () => {
    const q = '(bins OR rubbish)\nAND (missed\nOR late'
    const err = errorOf(q)
    assert.equal(err.position, q.length)
    assert.equal(
      formatQueryError(q, err, { message: false }),
      ['line 3, column 8:', 'OR late', '       ^'].join('\n'),
    )
    const q2 = 'bins\nAND ~5\nOR late'
    assert.equal(
      formatQueryError(q2, errorOf(q2), { message: false }),
      ['line 2, column 5:', 'AND ~5', '    ^'].join('\n'),
    )
  })

  it('keeps tabs so the caret lines up, and counts characters, not UTF-16 units', () => {
    assert.equal(formatQueryError('a\tAND', errorOf('a\tAND'), { message: false }), 'a\tAND\n \t   ^')
    const q = '😀x AND'
    assert.equal(errorOf(q).position, 7)
    assert.equal(formatQueryError(q, errorOf(q), { message: false }), `${q}\n${' '.repeat(6)}^`)
  })

  it('copes with an empty query', () => {
    assert.equal(
      formatQueryError('', errorOf('')),
      '\n^\nExpected a term or "(" at position 0 (the query is empty)',
    )
  })
})
