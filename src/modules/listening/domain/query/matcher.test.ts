import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileQuery, hostOf, type MatchablePost, matchPost, previewMatches } from './matcher.js'
import { parseQuery } from './parser.js'

function post(text: string, extra: Partial<MatchablePost> = {}): MatchablePost {
  return {
    text,
    author: 'someone@mastodon.social',
    lang: 'en',
    source: 'mastodon',
    site: 'mastodon.social',
    places: [],
    hashtags: [],
    mentions: [],
    ...extra,
  }
}

const matches = (query: string, p: string | MatchablePost): boolean =>
  compileQuery(parseQuery(query))(typeof p === 'string' ? post(p) : p)

function check(
  query: string,
  yes: readonly (string | MatchablePost)[],
  no: readonly (string | MatchablePost)[],
): void {
  const compiled = compileQuery(parseQuery(query))
  for (const p of yes)
    assert.ok(compiled(typeof p === 'string' ? post(p) : p), `${query} should match ${JSON.stringify(p)}`)
  for (const p of no)
    assert.ok(
      !compiled(typeof p === 'string' ? post(p) : p),
      `${query} should not match ${JSON.stringify(p)}`,
    )
}

describe('matching words', () => {
  it('matches whole words, ignoring case and punctuation', () => {
    check(
      'council',
      ['The Council met.', 'council!', '(council)', 'COUNCIL'],
      ['councils', 'counciltax', 'cou ncil', ''],
    )
  })

  it('splits words the Unicode way', () => {
    check('straße', ['Die Straße ist gesperrt'], ['strasse'])
    check('привет', ['Привет, мир'], ['приветствую'])
    check('caerdydd', ['Cyngor Caerdydd'], ['caerdyddion'])
  })

  it('a word without accents also finds accented text, but not the other way round', () => {
    check('dwr', ['Dŵr Cymru', 'dwr'], [])
    check('dŵr', ['Dŵr Cymru'], ['dwr cymru'])
    check('cafe', ['Café open', 'cafe'], [])
    check('café', ['café'], ['cafe'])
  })

  it('a word with punctuation is its parts in a row', () => {
    check('e-petition', ['Sign the e-petition', 'e petition', 'E-Petition!'], ['petition e', 'epetition'])
    check("council's", ["the council's plan", 'council s'], ['councils'])
    check('council', ["the council's plan"], [])
  })

  it('does not take operators in lower case as operators', () => {
    check('"rock and roll"', ['Rock and roll!'], ['rock roll'])
  })
})

describe('matching operators', () => {
  it('AND needs both words, anywhere', () => {
    check(
      'bins AND missed',
      ['bins missed', 'missed the bins', 'Bins were, once again, missed'],
      ['bins', 'missed', ''],
    )
  })

  it('OR needs either', () => {
    check('bins OR rubbish', ['bins', 'rubbish', 'bins and rubbish'], ['recycling'])
  })

  it('NOT leaves out', () => {
    check('NOT parking', ['bins', ''], ['parking fine'])
    check('council NOT parking', ['council meeting'], ['council parking', 'parking'])
    check('council AND NOT (parking OR fines)', ['council'], ['council fines', 'council parking'])
    check('NOT NOT council', ['council'], ['bins'])
  })

  it('follows precedence: a OR b AND c is a OR (b AND c)', () => {
    check('a OR b AND c', ['a', 'b c'], ['b', 'c'])
    check('(a OR b) AND c', ['a c', 'b c'], ['a', 'b'])
    check('a AND b OR c', ['a b', 'c'], ['a', 'b'])
    check('NOT a AND b', ['b'], ['a b', 'a'])
  })

  it('nested brackets', () => {
    check(
      '((bins OR rubbish) AND (missed OR late)) NOT (recycling AND centre)',
      ['bins missed', 'rubbish late', 'bins missed recycling'],
      ['bins', 'bins missed recycling centre', 'late'],
    )
  })
})

describe('matching phrases and wildcards', () => {
  it('a phrase is consecutive words in order', () => {
    check(
      '"council tax"',
      ['Council Tax rise', 'council, tax', 'my council tax'],
      ['tax council', 'council and tax', 'council'],
    )
    check('"bin day"', ['Is it bin-day?'], ['bin days'])
  })

  it('a * wildcard matches the rest of a word (or the middle)', () => {
    check('council*', ['council', 'Councils', 'councillor', 'COUNCILLORS'], ['counc', 'the counsel'])
    check('colo*r', ['colour', 'color', 'colonizer'], ['colours', 'colr'])
  })

  it('a ? wildcard matches exactly one letter', () => {
    check('customi?e', ['customise', 'customize'], ['customie', 'customiise'])
  })

  it('wildcards inside phrases', () => {
    check('"council tax*"', ['council taxes', 'council tax'], ['council rates'])
  })

  it('wildcards with accents folded', () => {
    check('caf*', ['café', 'cafeteria'], ['cofe'])
  })
})

describe('matching NEAR', () => {
  it('within n words, in either order', () => {
    const q = 'bins NEAR/2 missed'
    check(
      q,
      ['bins missed', 'missed bins', 'bins were missed', 'bins were all missed', 'missed: our bins'],
      ['bins were all not missed', 'bins', 'missed'],
    )
  })

  it('follows the README table', () => {
    check(
      'bins NEAR/3 missed',
      ['bins missed', 'missed: our bins', 'the bins were once again missed'],
      ['bins were not collected and then missed'],
    )
  })

  it('counts the words in between exactly', () => {
    check('a NEAR/0 b', ['a b', 'b a'], ['a x b'])
    check('a NEAR/1 b', ['a x b', 'b x a'], ['a x y b'])
    check('a NEAR/3 b', ['a x y z b'], ['a x y z w b'])
  })

  it('NEAR/nf keeps the order', () => {
    check('bins NEAR/2f missed', ['bins missed', 'bins were missed'], ['missed bins', 'missed the bins'])
  })

  it('with phrases: the distance is between the phrase and the word', () => {
    check(
      '"bin day" NEAR/1 missed',
      ['missed the bin day', 'bin day was missed', 'bin day missed'],
      ['missed it on the bin day'],
    )
  })

  it('with ORs on both sides', () => {
    check(
      '(bins OR rubbish) NEAR/2 (missed OR late)',
      ['rubbish was late', 'bins missed', 'late again rubbish'],
      ['rubbish was really not late', 'bins', 'missed late'],
    )
  })

  it('nested NEAR: the whole pair must be near the third word', () => {
    check('(a NEAR/1 b) NEAR/1 c', ['a b c', 'c x a b', 'b a c'], ['a b x x c', 'a c', 'a x x b c'])
  })

  it('needs two different places in the text', () => {
    check('bin NEAR/3 bin*', ['bin bins', 'bins by the bin'], ['bin', 'bins'])
  })

  it('with wildcards, hashtags and mentions', () => {
    check('council* NEAR/3 #bins', ['Councillors on #bins'], ['Councillors on bins', 'council'])
    check(
      '@leedscc NEAR/1 thanks',
      ['thanks @LeedsCC', '@leedscc@mastodon.social many thanks'],
      ['thanks leeds'],
    )
  })

  it('agrees with counting by hand on 400 random texts', () => {
    let seed = 42
    const rand = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      return seed / 2_147_483_648
    }
    for (let i = 0; i < 400; i++) {
      const words = Array.from(
        { length: Math.floor(rand() * 12) },
        () => ['a', 'b', 'c'][Math.floor(rand() * 3)]!,
      )
      const distance = Math.floor(rand() * 4)
      const ordered = rand() < 0.5
      let expected = false
      for (let x = 0; x < words.length; x++) {
        for (let y = 0; y < words.length; y++) {
          if (words[x] === 'a' && words[y] === 'b' && Math.abs(x - y) - 1 <= distance && (!ordered || x < y))
            expected = true
        }
      }
      const query = `a NEAR/${distance}${ordered ? 'f' : ''} b`
      assert.equal(matches(query, words.join(' ')), expected, `${query} on "${words.join(' ')}"`)
    }
  })

  it('is combined with other operators', () => {
    check('(bins NEAR/2 missed) AND NOT recycling', ['bins missed'], ['bins missed recycling'])
    check('NOT (bins NEAR/1 missed)', ['bins were not really missed', 'x'], ['bins missed'])
  })
})

describe('matching hashtags and mentions', () => {
  it('#tag finds only the hashtag; a plain word finds the word and the hashtag', () => {
    check('#bins', ['#Bins again', 'so.#bins'], ['bins again', 'c#bins'])
    check('bins', ['#bins', 'bins'], ['#binday'])
    check('#bin*', ['#BinDay', '#bins'], ['bins'])
  })

  it('hashtags the network reports count for #tag', () => {
    check(
      '#binday',
      [post('nothing here', { hashtags: ['#BinDay'] }), post('x', { hashtags: ['binday'] })],
      [post('nothing here')],
    )
  })

  it('@name finds the mention, with or without its instance', () => {
    check('@leedscc', ['@LeedsCC thanks', 'thanks @leedscc@mastodon.social'], ['leedscc', 'bob@leedscc.org'])
    check('@leedscc@mastodon.social', ['@leedscc@mastodon.social hi'], ['@leedscc@other.social', '@leedscc'])
    check('leedscc', ['@leedscc@mastodon.social hi', 'leedscc'], [])
  })

  it('an e-mail address is words, not a mention', () => {
    check('example', ['write to bob@example.com'], [])
    check('@example', [], ['write to bob@example.com'])
  })

  it('mentions the network reports count for @name', () => {
    check(
      '@leedscc',
      [post('x', { mentions: ['@LeedsCC@mastodon.social'] }), post('x', { mentions: ['leedscc'] })],
      [post('x')],
    )
  })
})

describe('matching fields', () => {
  it('author: by handle, name or the part before @instance', () => {
    check(
      'author:leedscc',
      [post('x', { author: '@LeedsCC@mastodon.social' }), post('x', { author: 'leedscc' })],
      [post('x', { author: 'notleedscc' }), post('x', { author: null })],
    )
    check(
      'author:"leeds city council"',
      [post('x', { author: 'Leeds  City Council' })],
      [post('x', { author: 'Leeds' })],
    )
    check('author:leeds*', [post('x', { author: 'leedsnews@x.social' })], [post('x', { author: 'bradford' })])
  })

  it('lang: also matches regional variants', () => {
    check(
      'lang:en',
      [post('x', { lang: 'en' }), post('x', { lang: 'en-GB' }), post('x', { lang: 'en_GB' })],
      [post('x', { lang: 'cy' }), post('x', { lang: 'eng' }), post('x', { lang: null })],
    )
    check('lang:en-gb', [post('x', { lang: 'en-GB' })], [post('x', { lang: 'en' })])
  })

  it('source:', () => {
    check('source:bluesky', [post('x', { source: 'Bluesky' })], [post('x', { source: 'mastodon' })])
  })

  it('site: matches the host and its subdomains', () => {
    check(
      'site:bbc.co.uk',
      [
        post('x', { site: 'bbc.co.uk' }),
        post('x', { site: 'www.bbc.co.uk' }),
        post('x', { site: 'news.bbc.co.uk' }),
      ],
      [post('x', { site: 'notbbc.co.uk' }), post('x', { site: 'bbc.com' }), post('x', { site: null })],
    )
  })

  it('place: any of the post’s places', () => {
    check(
      'place:"west yorkshire"',
      [post('x', { places: ['Leeds', 'West Yorkshire'] })],
      [post('x', { places: ['Leeds'] })],
    )
  })

  it('a list of values matches any of them', () => {
    check(
      'site:(bbc.co.uk OR itv.com)',
      [post('x', { site: 'itv.com' }), post('x', { site: 'bbc.co.uk' })],
      [post('x', { site: 'sky.com' })],
    )
  })

  it('fields combine with words', () => {
    check(
      'bins AND lang:en NOT source:rss',
      ['bins', post('bins', { lang: 'en-US' })],
      [post('bins', { source: 'rss' }), post('bins', { lang: 'cy' }), 'recycling'],
    )
  })
})

describe('matchPost', () => {
  it('says which terms matched and where', () => {
    const compiled = compileQuery(parseQuery('council* AND ("bin day" OR #bins OR missed) NOT parking'))
    const text = 'Councillors discuss bin day changes'
    assert.deepEqual(matchPost(compiled, post(text)), {
      matched: true,
      terms: ['council*', '"bin day"'],
      highlights: [
        { start: 0, end: 11 },
        { start: 20, end: 27 },
      ],
    })
    assert.equal(text.slice(20, 27), 'bin day')
  })

  it('lists every matching branch of an OR and every occurrence', () => {
    const result = matchPost(
      compileQuery(parseQuery('bins OR #bins OR rubbish')),
      post('#bins and bins, not rubbish'),
    )
    assert.deepEqual(result.terms, ['bins', '#bins', 'rubbish'])
    assert.deepEqual(result.highlights, [
      { start: 0, end: 5 },
      { start: 10, end: 14 },
      { start: 20, end: 27 },
    ])
  })

  it('names fields and NEAR sides, not the words in between', () => {
    const result = matchPost(
      compileQuery(parseQuery('(bins NEAR/3 missed) AND site:bbc.co.uk')),
      post('bins were missed', { site: 'www.bbc.co.uk' }),
    )
    assert.deepEqual(result.terms, ['bins', 'missed', 'site:bbc.co.uk'])
    assert.deepEqual(result.highlights, [
      { start: 0, end: 4 },
      { start: 10, end: 16 },
    ])
  })

  it('gives nothing for a post that does not match, and nothing for NOT', () => {
    const compiled = compileQuery(parseQuery('bins NOT parking'))
    assert.deepEqual(matchPost(compiled, post('parking bins')), { matched: false, terms: [], highlights: [] })
    assert.deepEqual(matchPost(compiled, post('bins')).terms, ['bins'])
  })

  it('agrees with the compiled function', () => {
    const queries = [
      'bins OR #bins',
      'a NEAR/1 b',
      'NOT x',
      'lang:en AND (c* OR "d e")',
      '(a OR b) NEAR/2f (c OR d)',
    ]
    const texts = ['a b', 'b a', 'x', 'c d e', 'a x d', '#bins', 'bins', 'd e', '']
    for (const q of queries) {
      const compiled = compileQuery(parseQuery(q))
      for (const t of texts)
        assert.equal(matchPost(compiled, post(t)).matched, compiled(post(t)), `${q} on "${t}"`)
    }
  })

  it('the compiled query carries its tree and normalised text', () => {
    const compiled = compileQuery(parseQuery('Bins AND missed OR late'))
    assert.equal(compiled.query, '(bins AND missed) OR late')
    assert.equal(compiled.ast.kind, 'or')
  })
})

describe('previewMatches', () => {
  it('counts matching posts and keeps a few samples', () => {
    const posts = ['bins missed', 'bins', 'missed bins again', 'nothing', 'bins missed once more'].map((t) =>
      post(t),
    )
    const preview = previewMatches(compileQuery(parseQuery('bins AND missed')), posts, 2)
    assert.equal(preview.total, 5)
    assert.equal(preview.matched, 3)
    assert.deepEqual(
      preview.samples.map((s) => s.post.text),
      ['bins missed', 'missed bins again'],
    )
    assert.deepEqual(preview.samples[0]!.result.terms, ['bins', 'missed'])
  })
})

describe('hostOf', () => {
  it('takes the host of a URL', () => {
    assert.equal(hostOf('https://www.BBC.co.uk/news/1'), 'www.bbc.co.uk')
    assert.equal(hostOf('not a url'), null)
    assert.equal(hostOf(null), null)
  })

  it('site: works on hostOf(url)', () => {
    assert.ok(matches('site:bbc.co.uk', post('x', { site: hostOf('https://www.bbc.co.uk/news') })))
  })
})
