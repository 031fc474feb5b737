import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { and, field, hashtag, mention, near, not, or, phrase, type QueryNode, term } from './ast.js'
import { QueryParseError } from './errors.js'
import { MAX_NESTING, parseQuery, parseQueryWithWarnings } from './parser.js'

const t = term
const p = (q: string): QueryNode => parseQuery(q)

/** Parses `q`, expecting a QueryParseError, and returns it. */
function parseError(q: string): QueryParseError {
  try {
    parseQuery(q)
  } catch (err) {
    assert.ok(err instanceof QueryParseError, `expected a QueryParseError, got ${String(err)}`)
    return err
  }
  assert.fail(`expected "${q}" not to parse`)
}

function assertError(q: string, position: number, expected: string, message?: string): QueryParseError {
  const err = parseError(q)
  assert.equal(err.position, position, `position for ${JSON.stringify(q)}: ${err.message}`)
  assert.equal(err.expected, expected, `expected for ${JSON.stringify(q)}`)
  if (message !== undefined) assert.equal(err.message, message)
  return err
}

describe('parseQuery: terms', () => {
  it('parses a single word, lower-cased', () => {
    assert.deepEqual(p('Council'), t('council'))
  })

  it('keeps punctuation inside a word as written (it is matched as consecutive words)', () => {
    assert.deepEqual(p('e-Petition'), t('e-petition'))
    assert.deepEqual(p("council's"), t("council's"))
    assert.deepEqual(p('10:30'), t('10:30'))
  })

  it('reads Unicode words', () => {
    assert.deepEqual(p('Dŵr AND café AND привет'), and([t('dŵr'), t('café'), t('привет')]))
  })

  it('treats lower-case and mixed-case operator words as search words, and words starting with operators as words', () => {
    assert.deepEqual(
      p('ANDROID AND NEARBY AND ORBIT AND NOTE'),
      and([t('android'), t('nearby'), t('orbit'), t('note')]),
    )
    assert.deepEqual(p('"rock and roll"'), phrase('rock and roll'))
    assert.deepEqual(p('near/3 OR And'), or([t('near/3'), t('and')]))
  })

  it('marks wildcards', () => {
    assert.deepEqual(p('council*'), { kind: 'term', value: 'council*', wildcard: true })
    assert.deepEqual(p('customi?e'), { kind: 'term', value: 'customi?e', wildcard: true })
    assert.deepEqual(p('council'), { kind: 'term', value: 'council', wildcard: false })
    assert.deepEqual(p('colo*r'), t('colo*r'))
  })

  it('skips <<<comments>>>', () => {
    assert.deepEqual(p('bins <<<the usual>>> AND <<<x>>>missed'), and([t('bins'), t('missed')]))
  })

  it('accepts any white space, new lines included', () => {
    assert.deepEqual(p('\n  bins\tAND\r\n  missed  '), and([t('bins'), t('missed')]))
  })

  it('returns frozen plain objects', () => {
    const ast = p('(a OR b) AND site:(x.com OR y.com) NOT (c NEAR/2 d)')
    const walk = (n: unknown): void => {
      assert.ok(Object.isFrozen(n), `not frozen: ${JSON.stringify(n)}`)
      if (n && typeof n === 'object')
        for (const v of Object.values(n)) if (v && typeof v === 'object') walk(v)
    }
    walk(ast)
    assert.deepEqual(JSON.parse(JSON.stringify(ast)), ast)
  })
})

describe('parseQuery: phrases, hashtags and mentions', () => {
  it('parses phrases, collapsing white space', () => {
    assert.deepEqual(p('"Council   Tax"'), phrase('council tax'))
    assert.deepEqual(p('"council\ntax"'), phrase('council tax'))
    assert.deepEqual(p('"council tax*"'), { kind: 'phrase', value: 'council tax*', wildcard: true })
  })

  it('accepts typographic quotes pasted from a word processor', () => {
    assert.deepEqual(p('“Bin Day” OR „bin day”'), or([phrase('bin day'), phrase('bin day')]))
  })

  it('parses hashtags without the #', () => {
    assert.deepEqual(p('#BinDay'), hashtag('binday'))
    assert.deepEqual(p('#council_tax'), hashtag('council_tax'))
    assert.deepEqual(p('#bin*'), { kind: 'hashtag', value: 'bin*', wildcard: true })
  })

  it('parses mentions without the @, with an optional instance', () => {
    assert.deepEqual(p('@LeedsCC'), mention('leedscc'))
    assert.deepEqual(p('@LeedsCC@Mastodon.social'), mention('leedscc@mastodon.social'))
    assert.deepEqual(p('@leeds.bsky.social'), mention('leeds.bsky.social'))
  })

  it('tells hashtags, mentions and plain words apart', () => {
    assert.deepEqual(p('#bins OR bins OR @bins'), or([hashtag('bins'), t('bins'), mention('bins')]))
  })
})

describe('parseQuery: operators', () => {
  it('AND', () => {
    assert.deepEqual(p('bins AND missed'), and([t('bins'), t('missed')]))
  })

  it('OR', () => {
    assert.deepEqual(p('bins OR rubbish'), or([t('bins'), t('rubbish')]))
  })

  it('flattens chains of the same operator', () => {
    assert.deepEqual(p('a AND b AND c'), and([t('a'), t('b'), t('c')]))
    assert.deepEqual(p('a OR b OR c OR d'), or([t('a'), t('b'), t('c'), t('d')]))
    assert.deepEqual(p('(a AND b) AND (c AND d)'), and([t('a'), t('b'), t('c'), t('d')]))
    assert.deepEqual(p('a OR (b OR c)'), or([t('a'), t('b'), t('c')]))
  })

  it('NOT before a term, and between terms as Brandwatch writes it (a NOT b = a AND NOT b)', () => {
    assert.deepEqual(p('NOT parking'), not(t('parking')))
    assert.deepEqual(p('council NOT parking'), and([t('council'), not(t('parking'))]))
    assert.deepEqual(p('council AND NOT parking'), and([t('council'), not(t('parking'))]))
    assert.deepEqual(
      p('council NOT parking NOT fines'),
      and([t('council'), not(t('parking')), not(t('fines'))]),
    )
    assert.deepEqual(
      p('council NOT (parking OR fines)'),
      and([t('council'), not(or([t('parking'), t('fines')]))]),
    )
    assert.deepEqual(p('NOT NOT council'), not(not(t('council'))))
  })

  it('NEAR/n and NEAR/nf', () => {
    assert.deepEqual(p('bins NEAR/3 missed'), near(t('bins'), t('missed'), 3))
    assert.deepEqual(p('bins NEAR/0f missed'), near(t('bins'), t('missed'), 0, true))
    assert.deepEqual(
      p('(bins OR #bins) NEAR/5 "not collected"'),
      near(or([t('bins'), hashtag('bins')]), phrase('not collected'), 5),
    )
    assert.deepEqual(p('@leedscc NEAR/2 bin*'), near(mention('leedscc'), t('bin*'), 2))
  })

  it('chains NEAR from left to right, and accepts NEAR inside NEAR', () => {
    assert.deepEqual(p('a NEAR/3 b NEAR/2 c'), near(near(t('a'), t('b'), 3), t('c'), 2))
    assert.deepEqual(p('a NEAR/3 (b NEAR/2 c)'), near(t('a'), near(t('b'), t('c'), 2), 3))
    assert.deepEqual(
      p('(a OR (b NEAR/1 c)) NEAR/4 d'),
      near(or([t('a'), near(t('b'), t('c'), 1)]), t('d'), 4),
    )
  })
})

describe('parseQuery: precedence NOT > NEAR > AND > OR', () => {
  it('AND before OR', () => {
    assert.deepEqual(p('a OR b AND c'), or([t('a'), and([t('b'), t('c')])]))
    assert.deepEqual(p('a AND b OR c'), or([and([t('a'), t('b')]), t('c')]))
    assert.deepEqual(p('a AND b OR c AND d'), or([and([t('a'), t('b')]), and([t('c'), t('d')])]))
  })

  it('NEAR before AND and OR', () => {
    assert.deepEqual(p('a AND b NEAR/3 c'), and([t('a'), near(t('b'), t('c'), 3)]))
    assert.deepEqual(p('a NEAR/3 b AND c'), and([near(t('a'), t('b'), 3), t('c')]))
    assert.deepEqual(p('a OR b NEAR/2 c'), or([t('a'), near(t('b'), t('c'), 2)]))
  })

  it('NOT before AND and OR', () => {
    assert.deepEqual(p('NOT a AND b'), and([not(t('a')), t('b')]))
    assert.deepEqual(p('NOT a OR b'), or([not(t('a')), t('b')]))
    assert.deepEqual(p('a OR b NOT c'), or([t('a'), and([t('b'), not(t('c'))])]))
  })

  it('NOT of a NEAR needs brackets', () => {
    assert.deepEqual(p('NOT (a NEAR/3 b)'), not(near(t('a'), t('b'), 3)))
    assertError('NOT a NEAR/3 b', 0, 'a word, phrase, hashtag or mention before NEAR/3')
  })

  it('brackets override precedence', () => {
    assert.deepEqual(p('(a OR b) AND c'), and([or([t('a'), t('b')]), t('c')]))
    assert.deepEqual(p('a AND (b OR c)'), and([t('a'), or([t('b'), t('c')])]))
    assert.deepEqual(p('NOT (a AND b)'), not(and([t('a'), t('b')])))
  })

  it('nested brackets', () => {
    assert.deepEqual(p('((a))'), t('a'))
    assert.deepEqual(p('((a OR (b AND (c OR d))))'), or([t('a'), and([t('b'), or([t('c'), t('d')])])]))
    assert.deepEqual(
      p('((bins OR rubbish) AND (missed OR (not NEAR/1 collected))) NOT site:example.com'),
      and([
        or([t('bins'), t('rubbish')]),
        or([t('missed'), near(t('not'), t('collected'), 1)]),
        not(field('site', ['example.com'])),
      ]),
    )
  })

  it('accepts nesting up to the limit', () => {
    assert.deepEqual(p(`${'('.repeat(MAX_NESTING)}a${')'.repeat(MAX_NESTING)}`), t('a'))
    assertError(
      `${'('.repeat(MAX_NESTING + 1)}a${')'.repeat(MAX_NESTING + 1)}`,
      MAX_NESTING,
      `at most ${MAX_NESTING} levels of brackets`,
    )
  })
})

describe('parseQuery: fields', () => {
  it('author:, dropping a leading @', () => {
    assert.deepEqual(p('author:LeedsCC'), field('author', ['leedscc']))
    assert.deepEqual(p('author:@leedscc@mastodon.social'), field('author', ['leedscc@mastodon.social']))
    assert.deepEqual(p('author:"Leeds City Council"'), field('author', ['leeds city council']))
  })

  it('lang: and its Brandwatch name language:', () => {
    assert.deepEqual(p('lang:EN'), field('lang', ['en']))
    assert.deepEqual(p('language:cy'), field('lang', ['cy']))
    assert.deepEqual(p('lang:pt_BR'), field('lang', ['pt-br']))
  })

  it('source:', () => {
    assert.deepEqual(p('source:Mastodon'), field('source', ['mastodon']))
  })

  it('site: without www., scheme or trailing slash', () => {
    assert.deepEqual(p('site:www.BBC.co.uk'), field('site', ['bbc.co.uk']))
    assert.deepEqual(p('site:"https://www.bbc.co.uk/"'), field('site', ['bbc.co.uk']))
  })

  it('place:, quoted when it has spaces', () => {
    assert.deepEqual(p('place:"West  Yorkshire"'), field('place', ['west yorkshire']))
    assert.deepEqual(p('place:leeds'), field('place', ['leeds']))
  })

  it('field names in any case', () => {
    assert.deepEqual(
      p('SITE:bbc.co.uk AND Lang:en'),
      and([field('site', ['bbc.co.uk']), field('lang', ['en'])]),
    )
  })

  it('a list of values joined by OR', () => {
    assert.deepEqual(p('site:(bbc.co.uk OR "itv.com")'), field('site', ['bbc.co.uk', 'itv.com']))
    assert.deepEqual(
      p('place:(leeds OR "west yorkshire" OR bradford)'),
      field('place', ['leeds', 'west yorkshire', 'bradford']),
    )
  })

  it('fields combine with terms', () => {
    assert.deepEqual(
      p('bins AND lang:en NOT source:rss'),
      and([t('bins'), field('lang', ['en']), not(field('source', ['rss']))]),
    )
  })

  it('wildcards in author, source and place values', () => {
    assert.deepEqual(p('author:leeds*'), field('author', ['leeds*']))
  })
})

describe('parseQuery: errors point at the position and say what was expected', () => {
  it('unclosed bracket', () => {
    assertError(
      '(council AND tax',
      16,
      'a closing ")"',
      'Expected a closing ")" at position 16 (the "(" at position 0 is not closed)',
    )
    const err = assertError('a AND (b OR (c AND d)', 21, 'a closing ")"')
    assert.equal(err.hint, 'the "(" at position 6 is not closed')
    assert.equal(err.found, null)
  })

  it('a closing bracket with nothing to close', () => {
    const err = assertError('a AND b)', 7, 'AND, OR, NOT, NEAR/n or the end of the query')
    assert.equal(err.found, '")"')
  })

  it('dangling operators', () => {
    assertError(
      'council AND',
      11,
      'a term or "("',
      'Expected a term or "(" at position 11 (AND needs a term after it)',
    )
    assertError('council AND ', 12, 'a term or "("')
    assertError('council OR', 10, 'a term or "("')
    assertError('council NOT', 11, 'a term or "("')
    assertError(
      'AND council',
      0,
      'a term or "("',
      'Expected a term or "(" at position 0, found AND (AND needs a term on each side)',
    )
    assertError('OR council', 0, 'a term or "("')
    assertError('a AND AND b', 6, 'a term or "("')
    assertError('a OR AND b', 5, 'a term or "("')
    assertError('(AND a)', 1, 'a term or "("')
    assertError('a AND (b OR)', 11, 'a term or "("')
  })

  it('empty query and empty brackets', () => {
    assertError('', 0, 'a term or "("', 'Expected a term or "(" at position 0 (the query is empty)')
    assertError('   ', 3, 'a term or "("')
    assertError('<<<only a comment>>>', 20, 'a term or "("')
    assertError(
      '()',
      1,
      'a term or "("',
      'Expected a term or "(" at position 1, found ")" (brackets need something inside)',
    )
    assertError('a AND ()', 7, 'a term or "("')
  })

  it('unknown field', () => {
    assertError(
      'council AND title:tax',
      12,
      'a field name (author:, lang:, place:, site: or source:)',
      'Expected a field name (author:, lang:, place:, site: or source:) at position 12, found "title:" (to search for text with a colon in it, put it in quotes)',
    )
    assertError('https://bbc.co.uk', 0, 'a field name (author:, lang:, place:, site: or source:)')
  })

  it('NEAR without a number', () => {
    assertError('bins NEAR missed', 9, 'a distance after NEAR, e.g. NEAR/3')
    assertError('bins NEAR/ missed', 10, 'a number of words after "NEAR/", e.g. NEAR/3')
    assertError('bins NEAR/x missed', 10, 'a number of words after "NEAR/", e.g. NEAR/3')
    assertError('bins NEAR/3x missed', 11, '"f" or a space after the distance')
    assertError('bins NEAR/1001 missed', 10, 'a distance of at most 1000 words')
  })

  it('NEAR without a term on one side', () => {
    assertError('NEAR/3 bins', 0, 'a term or "("')
    assertError('bins NEAR/3', 11, 'a term or "("')
  })

  it('NEAR with NOT, AND or a field inside', () => {
    assertError('a NEAR/3 NOT b', 9, 'a word, phrase, hashtag or mention after NEAR/3')
    assertError('a NOT b NEAR/3 c', 2, 'a word, phrase, hashtag or mention before NEAR/3')
    assertError('site:x.com NEAR/3 b', 0, 'a word, phrase, hashtag or mention before NEAR/3')
    assertError('(a AND b) NEAR/3 c', 0, 'a word, phrase, hashtag or mention before NEAR/3')
    assertError('a NEAR/3 (b OR NOT c)', 9, 'a word, phrase, hashtag or mention after NEAR/3')
  })

  it('unclosed quote', () => {
    assertError(
      '"council tax',
      12,
      'a closing quote (")',
      'Expected a closing quote (") at position 12 (the phrase that starts at position 0 is not closed)',
    )
    const err = assertError('bins AND "bin day', 17, 'a closing quote (")')
    assert.equal(err.hint, 'the phrase that starts at position 9 is not closed')
  })

  it('empty phrases and words without letters', () => {
    assertError('""', 1, 'words inside the quotes')
    assertError('"!!!"', 1, 'words inside the quotes')
    assertError('!!!', 0, 'a term with letters or digits')
  })

  it('two terms without an operator (no implicit AND)', () => {
    const err = assertError('council tax', 8, 'AND, OR, NOT or NEAR/n between terms')
    assert.equal(err.found, '"tax"')
    assert.equal(err.hint, 'write "council tax" for the phrase, or council AND tax for both words anywhere')
    assertError('(council tax)', 9, 'AND, OR, NOT, NEAR/n or a closing ")"')
    assertError('"bin day" missed', 10, 'AND, OR, NOT or NEAR/n between terms')
    assertError('a (b)', 2, 'AND, OR, NOT or NEAR/n between terms')
    assertError('bins site:bbc.co.uk', 5, 'AND, OR, NOT or NEAR/n between terms')
  })

  it('operators in lower case', () => {
    const err = assertError('bins and missed', 5, 'AND, OR, NOT or NEAR/n between terms')
    assert.equal(err.hint, 'operators are written in capitals: AND')
    assert.equal(parseError('bins near/3 missed').hint, 'operators are written in capitals: NEAR/3')
  })

  it('wildcards at the start of a word', () => {
    assertError('*council', 0, 'a letter or digit before the wildcard')
    assertError('?ouncil', 0, 'a letter or digit before the wildcard')
    assertError('e-*tax', 2, 'a letter or digit before the wildcard')
    assertError('"council *tax"', 9, 'a letter or digit before the wildcard')
    assertError('#*bins', 1, 'a hashtag name after "#"')
    assertError('author:*leeds', 7, 'a letter or digit before the wildcard')
  })

  it('field values', () => {
    assertError('site: bbc.co.uk', 5, 'a value right after "site:"')
    assertError('site:', 5, 'a value right after "site:"')
    assertError('site:AND', 5, 'a value right after "site:"')
    assertError('author:lang:en', 7, 'a value right after "author:"')
    assertError('lang:english', 5, 'a language code such as en, cy or pt-br')
    assertError('site:bbc.co.uk/news', 5, 'a web site name such as bbc.co.uk')
    assertError('site:"bbc co uk"', 6, 'a web site name such as bbc.co.uk')
    assertError('site:(a.com AND b.com)', 12, 'OR or a closing ")"')
    assertError('site:(a.com', 11, 'a closing ")"')
    assertError('site:()', 6, 'a value for site:')
    assertError('author:""', 8, 'a value for author:')
  })

  it('hashtags and mentions', () => {
    assertError('#', 1, 'a hashtag name after "#"')
    assertError('@', 1, 'a name after "@"')
    assertError('#council-tax', 8, 'letters, digits or _ in a hashtag')
    assertError('@leedscc.', 8, 'a letter or digit at the end of the mention')
  })

  it('Brandwatch syntax that is not supported', () => {
    assertError('"apple juice"~5', 13, 'NEAR/n for words near each other')
    assertError('apple~5', 5, 'NEAR/n for words near each other')
    assertError('{BT}', 0, 'a term')
    assertError('council AND -parking', 12, 'a term')
  })

  it('unclosed comment', () => {
    assertError('bins <<<note', 12, 'a closing ">>>"')
  })

  it('queries that are too long', () => {
    assertError('a OR '.repeat(2001) + 'a', 10_000, 'the end of the query (at most 10000 characters)')
  })

  it('errors are Errors with a name and JSON form', () => {
    const err = parseError('(a')
    assert.ok(err instanceof Error)
    assert.equal(err.name, 'QueryParseError')
    assert.deepEqual(JSON.parse(JSON.stringify(err)), {
      position: 2,
      expected: 'a closing ")"',
      found: null,
      hint: 'the "(" at position 0 is not closed',
      message: 'Expected a closing ")" at position 2 (the "(" at position 0 is not closed)',
    })
  })

  it('reports the first mistake in the text', () => {
    assertError('(a AND "b', 9, 'a closing quote (")')
    assertError('a b AND "c', 2, 'AND, OR, NOT or NEAR/n between terms')
  })
})

describe('parseQueryWithWarnings', () => {
  it('returns the normalised query', () => {
    assert.equal(parseQueryWithWarnings('Bins   AND  Missed').query, 'bins AND missed')
  })

  it('warns when AND and OR meet without brackets, and shows the reading', () => {
    const { warnings, query } = parseQueryWithWarnings('a AND b OR c')
    assert.equal(query, '(a AND b) OR c')
    assert.deepEqual(warnings, [
      {
        code: 'mixed-operators',
        position: 2,
        message: 'AND is applied before OR, so this reads as (a AND b) OR c; add brackets to be sure',
      },
    ])
    assert.deepEqual(parseQueryWithWarnings('(a AND b) OR c').warnings, [])
    assert.deepEqual(parseQueryWithWarnings('a OR b OR c').warnings, [])
  })

  it('warns when NEAR meets AND without brackets', () => {
    const { warnings } = parseQueryWithWarnings('a AND b NEAR/3 c')
    assert.equal(warnings.length, 1)
    assert.equal(warnings[0]!.code, 'mixed-operators')
    assert.equal(warnings[0]!.position, 8)
    assert.deepEqual(parseQueryWithWarnings('a AND (b NEAR/3 c)').warnings, [])
  })

  it('warns when the query only excludes', () => {
    assert.deepEqual(
      parseQueryWithWarnings('NOT spam').warnings.map((w) => w.code),
      ['only-excludes'],
    )
    assert.deepEqual(
      parseQueryWithWarnings('NOT spam AND NOT ads').warnings.map((w) => w.code),
      ['only-excludes'],
    )
    assert.deepEqual(parseQueryWithWarnings('bins NOT spam').warnings, [])
  })

  it('warns about short wildcards', () => {
    const { warnings } = parseQueryWithWarnings('bins AND co*')
    assert.deepEqual(
      warnings.map((w) => [w.code, w.position]),
      [['short-wildcard', 9]],
    )
    assert.deepEqual(parseQueryWithWarnings('cou*').warnings, [])
    assert.deepEqual(
      parseQueryWithWarnings('"council b*"').warnings.map((w) => w.position),
      [9],
    )
  })
})

describe('the README examples', () => {
  it('all parse without warnings', () => {
    const examples = [
      'potholes',
      'bins AND missed',
      'bins OR rubbish',
      'council NOT parking',
      '(bins OR rubbish) AND missed',
      '"council tax"',
      'council*',
      'customi?e',
      'bins NEAR/3 missed',
      'bins NEAR/2f missed',
      '#BinDay',
      '@LeedsCC',
      '@leedscc@mastodon.social',
      'author:leedscc',
      'author:"Leeds City Council"',
      'lang:cy',
      'language:cy',
      'source:bluesky',
      'site:bbc.co.uk',
      'place:"West Yorkshire"',
      '<<<added after the flooding>>> bins',
      '“council tax”',
      '"council tax*"',
      'council NOT (parking OR fines)',
      'colo*r',
      '(bins OR rubbish OR #binday) NEAR/5 (missed OR late OR "not collected")',
      '(council NEAR/2 tax) NEAR/5 rise',
      'NOT (bins NEAR/3 recycling) AND bins',
      '(bins NEAR/3 missed) AND lang:en',
      '"bin day" NEAR/1 missed',
      'site:(bbc.co.uk OR itv.com OR "yorkshirepost.co.uk")',
      '"bin day" AND lang:en NOT source:rss',
      'lang:pt-br',
      '((bins OR #binday) NEAR/5 (missed OR late)) AND lang:en NOT site:example.com',
    ]
    for (const q of examples) assert.deepEqual(parseQueryWithWarnings(q).warnings, [], q)
  })
})
