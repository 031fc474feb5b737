import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ROOT } from '../paths.js'
import { loadSentimentData, matchKey, unescapeTweet } from './training-data.js'

describe('sentiment training data', () => {
  it('matches tweets across the TweetEval and SemEval spellings', () => {
    assert.equal(unescapeTweet('shit\\u002c watch I\\u2019m'), 'shit, watch I’m')
    assert.equal(
      matchKey('RT @Nash076’s neck of the woods &amp; more http://t.co/x'),
      matchKey('@user neck of the woods & more'),
    )
  })

  const dataDir = join(ROOT, '..', 'shared', 'data')
  const present = existsSync(join(dataDir, 'tweeteval-sentiment', 'semeval2017-task4a-2013-2016'))
  it('removes every validation tweet from the training tweets', {
    skip: present ? false : `${dataDir} not found: the shared data folder is absent`,
  }, (t) => {
    const { training, validation, stats } = loadSentimentData(dataDir)
    t.diagnostic(
      `read ${stats.read}, removed ${stats.removedAsValidation} matching validation, ${stats.duplicates} duplicates, kept ${training.length}`,
    )
    assert.equal(validation.texts.length, 2000)
    // The data README found 1,973 of the 2,000 validation tweets in these files.
    assert.ok(stats.removedAsValidation >= 1973)
    const valKeys = new Set(validation.texts.map(matchKey))
    assert.equal(training.filter((x) => valKeys.has(matchKey(x.text))).length, 0)
    assert.equal(new Set(training.map((x) => x.id)).size, training.length)
  })
})
