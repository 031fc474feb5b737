import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { seededRandom } from '../../../../platform/random.js'
import { and, field, hashtag, near, not, or, phrase, term } from './ast.js'
import { describeQuery, formatQueryTree } from './describe.js'
import { QueryParseError } from './errors.js'
import { parseQuery, parseQueryWithWarnings } from './parser.js'

const normalised = (q: string): string => describeQuery(parseQuery(q))

/** mulberry32: a small seeded generator, so a failing query can be reproduced from its seed. */
const seeded = seededRandom

describe('describeQuery', () => {
  it('prints each kind of node', () => {
    assert.equal(describeQuery(term('council*')), 'council*')
    assert.equal(describeQuery(phrase('bin day')), '"bin day"')
    assert.equal(describeQuery(hashtag('bins')), '#bins')
    assert.equal(describeQuery(field('site', ['bbc.co.uk'])), 'site:bbc.co.uk')
    assert.equal(
      describeQuery(field('place', ['west yorkshire', 'leeds'])),
      'place:("west yorkshire" OR leeds)',
    )
    assert.equal(describeQuery(not(term('a'))), 'NOT a')
    assert.equal(describeQuery(near(term('a'), term('b'), 3, true)), 'a NEAR/3f b')
  })

  it('normalises case, spacing, quotes, field names and values', () => {
    assert.equal(normalised('  Council   AND\n\tTax '), 'council AND tax')
    assert.equal(normalised('“Bin  Day”'), '"bin day"')
    assert.equal(
      normalised('language:EN AND Site:www.BBC.co.uk AND author:@LeedsCC'),
      'lang:en AND site:bbc.co.uk AND author:leedscc',
    )
    assert.equal(normalised('((a))'), 'a')
    assert.equal(normalised('a <<<note>>> OR b'), 'a OR b')
  })

  it('writes NOT between terms as AND NOT', () => {
    assert.equal(normalised('council NOT parking NOT fines'), 'council AND NOT parking AND NOT fines')
  })

  it('adds brackets where different operators meet', () => {
    assert.equal(normalised('a AND b OR c'), '(a AND b) OR c')
    assert.equal(normalised('a OR b AND c'), 'a OR (b AND c)')
    assert.equal(normalised('a AND b NEAR/3 c'), 'a AND (b NEAR/3 c)')
    assert.equal(normalised('a OR b NEAR/3 c'), 'a OR (b NEAR/3 c)')
    assert.equal(normalised('a NEAR/3 b NEAR/2 c'), '(a NEAR/3 b) NEAR/2 c')
    assert.equal(normalised('NOT (a OR b) AND c'), 'NOT (a OR b) AND c')
    assert.equal(normalised('NOT (a NEAR/1 b)'), 'NOT (a NEAR/1 b)')
    assert.equal(normalised('(a OR b) NEAR/2 (c OR "d e")'), '(a OR b) NEAR/2 (c OR "d e")')
  })

  it('removes brackets that change nothing', () => {
    assert.equal(normalised('(a AND b) AND (c)'), 'a AND b AND c')
    assert.equal(normalised('(a) OR ((b OR c))'), 'a OR b OR c')
    assert.equal(normalised('(NOT a) AND b'), 'NOT a AND b')
  })

  it('quotes field values that need it', () => {
    assert.equal(normalised('author:"Leeds City Council"'), 'author:"leeds city council"')
    assert.equal(normalised('place:"10:30"'), 'place:"10:30"')
    assert.equal(normalised('place:"a(b)"'), 'place:"a(b)"')
  })

  it('round-trips a set of written queries', () => {
    const queries = [
      'council',
      '(council OR councillor*) AND ("bin day" OR #bins) NOT site:example.com',
      '((bins OR rubbish OR #binday) NEAR/5 (missed OR late OR "not collected")) AND lang:en',
      '@leedscc@mastodon.social OR author:(leedscc OR "leeds city council")',
      'place:(leeds OR "west yorkshire") AND source:(mastodon OR bluesky) AND NOT (spam OR advert*)',
      'a NEAR/0f b NEAR/1 c NEAR/2f d',
      'NOT NOT NOT x',
      'e-petition* AND customi?e AND 10:30 AND dŵr AND привет',
      'ANDROID OR and OR "OR" OR near/3',
    ]
    for (const q of queries) {
      const ast = parseQuery(q)
      const text = describeQuery(ast)
      assert.deepEqual(parseQuery(text), ast, `${q} → ${text}`)
      assert.equal(describeQuery(parseQuery(text)), text)
    }
  })
})

/** Random but always valid query text: varied spelling of the same language, so the round trip has work to do. */
function randomQuery(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const chance = (p: number): boolean => rand() < p
  const space = (): string => pick([' ', ' ', ' ', '  ', '\n', '\t', ' <<<note>>> '])
  const words = [
    'council',
    'Bins',
    'missed',
    'café',
    'dŵr',
    'привет',
    'e-petition',
    "council's",
    'ANDROID',
    'nearby',
    'and',
    'or',
    'not',
    '10:30',
    'Straße',
    'x',
  ]
  const word = (): string => {
    const w = pick(words)
    return chance(0.15) ? `${w.slice(0, 4)}*` : chance(0.05) ? 'customi?e' : w
  }
  const quote = (body: string): string => (chance(0.2) ? `“${body}”` : `"${body}"`)

  type Gen = { text: string; compound: boolean; kind: string }
  const leaf = (positionalOnly: boolean): Gen => {
    const r = rand()
    if (r < 0.45) return { text: word(), compound: false, kind: 'term' }
    if (r < 0.6)
      return {
        text: quote(
          [word(), word(), word()].slice(0, 1 + Math.floor(rand() * 3)).join(space().trim() || ' '),
        ),
        compound: false,
        kind: 'phrase',
      }
    if (r < 0.7)
      return {
        text: `#${pick(['BinDay', 'bins', 'Leeds2025', 'council_tax', 'bin*', 'café'])}`,
        compound: false,
        kind: 'hashtag',
      }
    if (r < 0.8 || positionalOnly) {
      return {
        text: `@${pick(['LeedsCC', 'leedscc@mastodon.social', 'bob.smith', 'bin*', 'a-b'])}`,
        compound: false,
        kind: 'mention',
      }
    }
    const name = pick(['author', 'lang', 'language', 'source', 'site', 'Site', 'place'])
    const values: Record<string, readonly string[]> = {
      author: ['LeedsCC', '@leedscc', '"Leeds City Council"', 'leeds*'],
      lang: ['en', 'CY', 'pt_BR', 'en-GB'],
      language: ['en', 'cy'],
      source: ['mastodon', 'Bluesky', 'rss'],
      site: ['bbc.co.uk', 'www.itv.com', '"https://www.leeds.gov.uk/"'],
      Site: ['gov.uk'],
      place: ['leeds', '"West  Yorkshire"', '"10:30"'],
    }
    const vs = values[name]!
    const v = chance(0.25) ? `(${pick(vs)} OR ${pick(vs)}${chance(0.5) ? ` OR ${pick(vs)}` : ''})` : pick(vs)
    return { text: `${name}:${v}`, compound: false, kind: 'field' }
  }
  const wrap = (g: Gen, must: boolean): string =>
    g.compound && (must || chance(0.6))
      ? `(${space().trim()}${g.text})`
      : chance(0.05)
        ? `(${g.text})`
        : g.text

  const gen = (depth: number, positionalOnly: boolean): Gen => {
    if (depth === 0 || chance(0.3)) return leaf(positionalOnly)
    const op = positionalOnly ? pick(['or', 'near']) : pick(['and', 'or', 'not', 'near', 'and'])
    if (op === 'near') {
      const l = gen(depth - 1, true)
      const r = gen(depth - 1, true)
      const n = `NEAR/${Math.floor(rand() * 6)}${chance(0.3) ? 'f' : ''}`
      return {
        text: `${wrap(l, true)}${space()}${n}${space()}${wrap(r, true)}`,
        compound: true,
        kind: 'near',
      }
    }
    if (op === 'not') {
      const o = gen(depth - 1, false)
      return { text: `NOT${space()}${wrap(o, o.kind === 'near')}`, compound: true, kind: 'not' }
    }
    const count = 2 + Math.floor(rand() * 3)
    const parts: string[] = []
    for (let i = 0; i < count; i++) {
      const o = gen(depth - 1, positionalOnly)
      const text = wrap(o, positionalOnly)
      if (i === 0) parts.push(text)
      else if (op === 'and')
        parts.push(chance(0.2) ? `NOT${space()}${wrap(o, true)}` : `AND${space()}${text}`)
      else parts.push(`OR${space()}${text}`)
    }
    return { text: parts.join(space()), compound: true, kind: op }
  }
  return gen(1 + Math.floor(rand() * 4), false).text
}

describe('random queries round-trip: parse → describe → parse', () => {
  it('gives the same tree and text for 500 generated queries', () => {
    const rand = seeded(20_260_601)
    const kinds = new Set<string>()
    for (let i = 0; i < 500; i++) {
      const q = randomQuery(rand)
      let parsed: ReturnType<typeof parseQueryWithWarnings>
      try {
        parsed = parseQueryWithWarnings(q)
      } catch (err) {
        assert.fail(`query ${i} did not parse: ${JSON.stringify(q)}\n${(err as Error).message}`)
      }
      kinds.add(parsed.ast.kind)
      const again = parseQueryWithWarnings(parsed.query)
      assert.deepEqual(again.ast, parsed.ast, `query ${i}: ${JSON.stringify(q)} → ${parsed.query}`)
      assert.equal(again.query, parsed.query)
      // The normalised text has brackets wherever operators meet.
      assert.ok(
        !again.warnings.some((w) => w.code === 'mixed-operators'),
        `mixed operators left in ${parsed.query}`,
      )
    }
    assert.deepEqual([...kinds].sort(), [
      'and',
      'field',
      'hashtag',
      'mention',
      'near',
      'not',
      'or',
      'phrase',
      'term',
    ])
  })

  it('random token soup either parses and round-trips, or fails with a position inside the text', () => {
    const rand = seeded(7)
    const pieces = [
      'a',
      'B*',
      '"c d"',
      '"e',
      '(',
      ')',
      'AND',
      'OR',
      'NOT',
      'NEAR/2',
      'NEAR',
      'site:x.com',
      'site:',
      'title:x',
      '#t',
      '@m',
      '*',
      '~',
      ' ',
      ' ',
      ' ',
    ]
    let parsedCount = 0
    for (let i = 0; i < 500; i++) {
      const q = Array.from(
        { length: 1 + Math.floor(rand() * 12) },
        () => pieces[Math.floor(rand() * pieces.length)],
      ).join(' ')
      try {
        const ast = parseQuery(q)
        parsedCount++
        assert.deepEqual(parseQuery(describeQuery(ast)), ast, q)
      } catch (err) {
        assert.ok(err instanceof QueryParseError, `${JSON.stringify(q)} threw ${String(err)}`)
        assert.ok(
          err.position >= 0 && err.position <= q.length,
          `${JSON.stringify(q)}: position ${err.position}`,
        )
        assert.ok(err.message.startsWith(`Expected ${err.expected} at position ${err.position}`))
      }
    }
    assert.ok(parsedCount > 20, `only ${parsedCount} of the random queries parsed`)
  })
})

describe('formatQueryTree', () => {
  it('draws the tree', () => {
    const ast = and([
      or([term('bins'), hashtag('bins')]),
      not(near(term('a'), phrase('b c'), 2, true)),
      field('site', ['bbc.co.uk']),
    ])
    assert.equal(
      formatQueryTree(ast),
      [
        'AND',
        '├─ OR',
        '│  ├─ term bins',
        '│  └─ hashtag #bins',
        '├─ NOT',
        '│  └─ NEAR/2f (in this order)',
        '│     ├─ term a',
        '│     └─ phrase "b c"',
        '└─ site: bbc.co.uk',
      ].join('\n'),
    )
  })
})
