/**
 * The query language as a table: queries with posts they must and must not match, and
 * malformed queries with the position of the error. Each row is one test, so a failure names it.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileQuery, type MatchablePost, parseQuery, QueryParseError } from '../domain/query/index.js'

type P = string | Partial<MatchablePost>
const post = (p: P): MatchablePost => ({
  text: '',
  author: 'someone@mastodon.social',
  lang: 'en',
  source: 'mastodon',
  site: 'mastodon.social',
  places: [],
  hashtags: [],
  mentions: [],
  ...(typeof p === 'string' ? { text: p } : p),
})

const MATCHING: readonly [query: string, must: readonly P[], mustNot: readonly P[]][] = [
  ['bins', ['Bins missed', 'the BINS', '#bins today'], ['binday', 'cabins', '#binday']],
  ['bins AND missed', ['bins missed', 'missed the bins'], ['bins', 'missed', 'bin missed']],
  ['bins OR rubbish', ['bins', 'rubbish everywhere'], ['recycling', 'binned']],
  ['council NOT parking', ['council meeting'], ['council parking fines', 'parking']],
  ['NOT parking', ['anything else'], ['parking here']],
  ['council AND NOT parking', ['council news'], ['council parking']],
  ['(bins OR rubbish) AND missed', ['rubbish missed', 'bins missed'], ['rubbish', 'missed bus']],
  ['bins AND (missed OR late)', ['bins late', 'bins missed'], ['bins early']],
  ['"council tax"', ['Council tax rises', 'council, tax'], ['tax council', 'council and tax']],
  ['"bin day"', ['it is bin day', 'Bin-day'], ['day bin', 'binday']],
  ['council*', ['council', 'councils', 'councillor'], ['counci', 'the cabinet']],
  ['colo*r', ['colour', 'color'], ['colo', 'colours']],
  ['customi?e', ['customise', 'customize'], ['customie', 'customisse']],
  ['"council tax*"', ['council taxes', 'council tax'], ['council the tax']],
  [
    'bins NEAR/3 missed',
    ['bins missed', 'missed: our bins', 'the bins were once again missed'],
    ['bins were not collected and then missed'],
  ],
  ['bins NEAR/0 missed', ['bins missed', 'missed bins'], ['bins were missed']],
  ['bins NEAR/2f missed', ['bins were missed', 'bins missed'], ['missed bins']],
  ['"bin day" NEAR/1 missed', ['missed the bin day'], ['missed it again on bin day']],
  [
    '(bins OR rubbish) NEAR/2 (missed OR late)',
    ['rubbish is late', 'bins missed'],
    ['rubbish was collected very late'],
  ],
  ['(council NEAR/2 tax) NEAR/5 rise', ['council tax will rise'], ['council tax is fine', 'rise']],
  ['#binday', ['#BinDay tomorrow', { text: 'tomorrow', hashtags: ['binday'] }], ['binday', '#bins']],
  ['#cleanairzone', ['#CleanAirZone starts', { text: 'x', hashtags: ['#CleanAirZone'] }], ['clean air zone']],
  [
    '@leedscc',
    ['thanks @LeedsCC', 'ask @leedscc@mastodon.social', { text: 'x', mentions: ['leedscc'] }],
    ['leedscc', '@leeds'],
  ],
  ['@leedscc@mastodon.social', ['hi @leedscc@mastodon.social'], ['hi @leedscc@other.example']],
  ['author:leedscc', [{ author: 'leedscc@mastodon.social' }, { author: 'LeedsCC' }], [{ author: 'someone' }]],
  ['author:leeds*', [{ author: 'leedscouncil' }], [{ author: 'bradford' }]],
  ['author:"Leeds City Council"', [{ author: 'Leeds City Council' }], [{ author: 'Leeds' }]],
  ['lang:cy', [{ lang: 'cy' }], [{ lang: 'en' }]],
  ['lang:en', [{ lang: 'en' }, { lang: 'en-GB' }], [{ lang: 'cy' }]],
  ['language:en', [{ lang: 'en-US' }], [{ lang: 'fr' }]],
  ['source:bluesky', [{ source: 'bluesky' }], [{ source: 'mastodon' }]],
  ['source:rss', [{ source: 'rss' }], [{ source: 'webhook' }]],
  ['site:bbc.co.uk', [{ site: 'www.bbc.co.uk' }, { site: 'news.bbc.co.uk' }], [{ site: 'bbc.com' }]],
  ['site:(bbc.co.uk OR itv.com)', [{ site: 'itv.com' }, { site: 'bbc.co.uk' }], [{ site: 'sky.com' }]],
  ['place:leeds', [{ places: ['Leeds'] }], [{ places: ['Bradford'] }]],
  ['place:"West Yorkshire"', [{ places: ['West Yorkshire'] }], [{ places: ['Yorkshire'] }]],
  [
    '"bin day" AND lang:en NOT source:rss',
    [{ text: 'bin day', lang: 'en' }],
    [
      { text: 'bin day', source: 'rss' },
      { text: 'bin day', lang: 'cy' },
    ],
  ],
  [
    '(bins NEAR/3 missed) AND lang:en',
    [{ text: 'bins missed', lang: 'en' }],
    [{ text: 'bins missed', lang: 'cy' }],
  ],
  ['NOT (bins NEAR/3 recycling)', ['bins only'], ['bins and recycling']],
  ['dwr', ['Dŵr Cymru', 'dwr'], ['dwrs']],
  ['dŵr', ['Dŵr Cymru'], ['dwr cymru']],
  ['cafe', ['Café open', 'cafe'], ['cafes']],
  ['straße', ['Die Straße'], ['strasse']],
  ['caerdydd', ['Cyngor Caerdydd'], ['caerdyddion']],
  ['e-petition', ['Sign the e-petition', 'e petition'], ['epetition']],
  ["council's", ["the council's plan"], ['councils']],
  ['council', ["the council's plan", 'Council!'], ['councils', 'counciltax']],
  ['"rock and roll"', ['Rock and roll!'], ['rock roll']],
  ['a OR b AND c', ['a', 'b c'], ['b', 'c']],
  ['a AND b OR c', ['c', 'a b'], ['a', 'b']],
  ['NOT a AND b', ['b'], ['a b', 'c']],
  [
    'pothole* OR (road* NEAR/3 (resurfac* OR fix*))',
    ['Potholes again', 'roads being resurfaced', 'road fixed'],
    ['road closed', 'resurfacing'],
  ],
  [
    '"clean air zone" OR #cleanairzone',
    ['The Clean Air Zone', { text: 'x', hashtags: ['CleanAirZone'] }],
    ['clean air', 'zone'],
  ],
  [
    'librar* OR llyfrgell',
    ['library hours', 'y llyfrgell', 'libraries'],
    ['librarian'.replace('librarian', 'books')],
  ],
  ['(bus OR buses) AND (late OR timetable)', ['bus late', 'buses timetable'], ['bus on time', 'late train']],
  ['<<<a note>>> bins', ['bins'], ['note']],
  ['bins <<<note>>> AND missed', ['bins missed'], ['bins']],
  ['#bins OR @splottcc', [{ text: 'x', hashtags: ['bins'] }, 'hi @SplottCC'], ['bins@example.com']],
  ['missed AND NOT (bins OR rubbish)', ['missed the bus'], ['missed bins', 'missed rubbish']],
  ['“council tax”', ['council tax'], ['tax']],
  ['bins AND bins', ['bins'], ['bin']],
  ['priv*t', ['привет'.replace('привет', 'privat')], ['private']],
  ['привет', ['Привет, мир'], ['приветствую']],
]

const MALFORMED: readonly [query: string, position: number, expected: RegExp][] = [
  ['bins AND (missed OR late', 24, /closing "\)"/],
  ['council tax', 8, /AND, OR, NOT or NEAR/],
  ['bins AND', 8, /term or "\("/],
  ['bins and missed', 5, /AND, OR, NOT or NEAR/],
  ['"council tax', 12, /closing quote/],
  ['*council', 0, /letter or digit before the wildcard/],
  ['title:bins', 0, /field name/],
  ['bins NEAR missed', 9, /distance after NEAR/],
  ['site: bbc.co.uk', 5, /value right after "site:"/],
  ['()', 1, /term or "\("/],
  ['', 0, /term or "\("/],
  ['bins OR OR rubbish', 8, /term or "\("/],
  ['bins NEAR/3 lang:en', 12, /before\/after NEAR|word, phrase/],
  ['#council-tax', 8, /./],
]

describe('query table: queries and the posts they must and must not match', () => {
  assert.ok(MATCHING.length >= 60, `${MATCHING.length} queries`)
  for (const [query, must, mustNot] of MATCHING) {
    it(query, () => {
      const matches = compileQuery(parseQuery(query))
      for (const p of must) assert.ok(matches(post(p)), `${query} must match ${JSON.stringify(p)}`)
      for (const p of mustNot) assert.ok(!matches(post(p)), `${query} must not match ${JSON.stringify(p)}`)
    })
  }
})

describe('query table: malformed queries and where the error is', () => {
  for (const [query, position, expected] of MALFORMED) {
    it(JSON.stringify(query), () => {
      assert.throws(
        () => parseQuery(query),
        (err: unknown) => {
          assert.ok(err instanceof QueryParseError)
          assert.equal(err.position, position, err.message)
          assert.match(err.message, expected)
          return true
        },
      )
    })
  }
})
