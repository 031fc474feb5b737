import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  decodeEntities,
  isElongated,
  splitHashtag,
  squeezeRepeats,
  stem,
  type TokenType,
  tokenize,
  words,
} from './tokenize.js'

function types(text: string): Array<[TokenType, string]> {
  return tokenize(text).map((t) => [t.type, t.text])
}

describe('tokenize', () => {
  it('keeps hashtags, mentions, links and emoji whole', () => {
    assert.deepEqual(types('Love the #BikeLane @CardiffCouncil 🚲 https://t.co/AbC123'), [
      ['word', 'Love'],
      ['word', 'the'],
      ['hashtag', '#BikeLane'],
      ['mention', '@CardiffCouncil'],
      ['emoji', '🚲'],
      ['url', 'https://t.co/AbC123'],
    ])
  })

  it('gives offsets into the original text', () => {
    const text = 'Bins missed in Splott 😡'
    for (const t of tokenize(text)) assert.equal(text.slice(t.start, t.end), t.text)
  })

  it('leaves sentence punctuation out of a link', () => {
    const tokens = tokenize('Details at https://example.org/plan. Thanks!')
    assert.equal(tokens[2]!.text, 'https://example.org/plan')
    assert.equal(tokens[3]!.text, '.')
  })

  it('recognises bare domains, e-mail addresses and Mastodon handles', () => {
    assert.deepEqual(types('see cardiff.gov.uk or mail help@example.org, @alice@mastodon.social'), [
      ['word', 'see'],
      ['url', 'cardiff.gov.uk'],
      ['word', 'or'],
      ['word', 'mail'],
      ['email', 'help@example.org'],
      ['punct', ','],
      ['mention', '@alice@mastodon.social'],
    ])
  })

  it('keeps emoji sequences together: skin tones, ZWJ families, flag pairs and the Welsh flag', () => {
    const emoji = tokenize('👍🏽 👨‍👩‍👧 🇬🇧 🏴󠁧󠁢󠁷󠁬󠁳󠁿').filter((t) => t.type === 'emoji')
    assert.deepEqual(
      emoji.map((t) => t.text),
      ['👍🏽', '👨‍👩‍👧', '🇬🇧', '🏴󠁧󠁢󠁷󠁬󠁳󠁿'],
    )
  })

  it('finds emoticons but not inside words or links', () => {
    assert.deepEqual(
      tokenize('great :-) <3 but sad :( and XD; see http://x.org')
        .filter((t) => t.type === 'emoticon')
        .map((t) => t.text),
      [':-)', '<3', ':(', 'XD'],
    )
    assert.equal(
      tokenize('ratio:D').some((t) => t.type === 'emoticon'),
      false,
    )
  })

  it('keeps contractions and Welsh clitics as one word by default', () => {
    assert.deepEqual(
      tokenize("I don't think they’ll fix it. Mae'r cyngor i'r dref").map((t) => t.norm),
      ['i', "don't", 'think', "they'll", 'fix', 'it', '.', "mae'r", 'cyngor', "i'r", 'dref'],
    )
  })

  it('splits English contractions on request, with expanded norms', () => {
    const tokens = tokenize("I don't know, won't they? can't", { splitContractions: true })
    assert.deepEqual(
      tokens.map((t) => [t.text, t.norm]),
      [
        ['I', 'i'],
        ['do', 'do'],
        ["n't", 'not'],
        ['know', 'know'],
        [',', ','],
        ['wo', 'will'],
        ["n't", 'not'],
        ['they', 'they'],
        ['?', '?'],
        ['ca', 'can'],
        ["n't", 'not'],
      ],
    )
    // Welsh clitics are not English contractions.
    assert.deepEqual(
      tokenize("mae'r", { splitContractions: true }).map((t) => t.text),
      ["mae'r"],
    )
  })

  it('reads money, percentages, times and ordinals as numbers', () => {
    assert.deepEqual(
      tokenize('£5.50 10% 7pm 1st 2,000').map((t) => [t.type, t.text]),
      [
        ['number', '£5.50'],
        ['number', '10%'],
        ['number', '7pm'],
        ['number', '1st'],
        ['number', '2,000'],
      ],
    )
  })

  it('keeps Welsh letters with diacritics inside words', () => {
    assert.deepEqual(
      tokenize('dŵr tŷ Cwmbrân').map((t) => t.norm),
      ['dŵr', 'tŷ', 'cwmbrân'],
    )
  })

  it('groups repeated punctuation', () => {
    assert.deepEqual(
      tokenize('what?!?! no...').map((t) => t.text),
      ['what', '?!?!', 'no', '...'],
    )
  })
})

describe('helpers', () => {
  it('splits hashtags at case changes and digits', () => {
    assert.deepEqual(splitHashtag('#SaveOurLibraries'), ['save', 'our', 'libraries'])
    assert.deepEqual(splitHashtag('#NHSFunding'), ['nhs', 'funding'])
    assert.deepEqual(splitHashtag('#COVID19Wales'), ['covid', '19', 'wales'])
    assert.deepEqual(splitHashtag('#bins'), ['bins'])
  })

  it('squeezes and detects elongations', () => {
    assert.equal(squeezeRepeats('soooo goooood!!!!'), 'soo good!!')
    assert.equal(isElongated('yesss'), true)
    assert.equal(isElongated('tree'), false)
  })

  it('stems English plurals to real words', () => {
    const cases: Array<[string, string]> = [
      ['potholes', 'pothole'],
      ['libraries', 'library'],
      ['buses', 'bus'],
      ['houses', 'house'],
      ['boxes', 'box'],
      ['classes', 'class'],
      ['trees', 'tree'],
      ['news', 'news'],
      ['status', 'status'],
      ['bus', 'bus'],
    ]
    for (const [word, expected] of cases) assert.equal(stem(word), expected, word)
  })

  it('decodes HTML entities', () => {
    assert.equal(
      decodeEntities('fish &amp; chips &gt;&gt; &#8217; &#x1F600; &bogus;'),
      'fish & chips >> ’ 😀 &bogus;',
    )
  })

  it('lists the words of a text, hashtags split', () => {
    assert.deepEqual(words('Fix #PotholesNow, @council! https://x.org'), ['fix', 'potholes', 'now'])
  })
})
