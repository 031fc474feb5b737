import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ROOT } from '../paths.js'
import { analyseText, sentiment } from './index.js'
import { evaluateLabels } from './metrics.js'
import {
  adaptSentimentModel,
  DEFAULT_FEATURES,
  type FeatureSettings,
  type LabelledText,
  loadSentimentModel,
  parseSentimentModel,
  SENTIMENT_LABELS,
  sentimentFeatures,
  serializeSentimentModel,
  trainSentimentModel,
  welshLexiconSentiment,
} from './sentiment.js'

/** Published TweetEval sentiment baselines (macro-averaged recall, test split): SVM 62.9, FastText 62.9. */
const BASELINE_MACRO_RECALL = 0.629
/** What issue 6 requires of the shipped model on the 2,000 validation tweets. */
const REQUIRED_MACRO_RECALL = 0.66

const SMALL: FeatureSettings = { ...DEFAULT_FEATURES, bits: 14 }

const TOY: LabelledText[] = [
  { text: 'I love the new park, brilliant work', label: 'positive' },
  { text: 'Great service, thank you so much', label: 'positive' },
  { text: 'Lovely day at the festival :)', label: 'positive' },
  { text: 'Really happy with the new library', label: 'positive' },
  { text: 'Terrible service, nobody answers the phone', label: 'negative' },
  { text: 'The bins were not collected again, awful', label: 'negative' },
  { text: 'I hate the roadworks, traffic is a nightmare :(', label: 'negative' },
  { text: 'Disgusting state of the toilets', label: 'negative' },
  { text: 'The meeting is on Tuesday at 7pm', label: 'neutral' },
  { text: 'Council tax bills are sent out in March', label: 'neutral' },
  { text: 'The library opens at 9am on Saturdays', label: 'neutral' },
  { text: 'Bus route 61 now stops at the station', label: 'neutral' },
]

describe('sentiment features', () => {
  it('are deterministic and unit length', () => {
    const a = sentimentFeatures('Not happy with the bins!!! 😡', SMALL)
    const b = sentimentFeatures('Not happy with the bins!!! 😡', SMALL)
    assert.deepEqual(a, b)
    const norm = Math.sqrt(a.values.reduce((s, v) => s + v * v, 0))
    assert.ok(Math.abs(norm - 1) < 1e-6)
  })

  it('mark negation, so "good" and "not good" differ beyond the word "not"', () => {
    const good = new Set(sentimentFeatures('good', SMALL).indices)
    const notGood = new Set(sentimentFeatures('not good', SMALL).indices)
    const butGood = new Set(sentimentFeatures('not bad, but good', SMALL).indices)
    // "good" inside a negation scope is a different feature…
    assert.ok([...good].some((i) => !notGood.has(i)))
    // …and the scope ends at the comma and "but".
    assert.ok([...good].filter((i) => butGood.has(i)).length >= 1)
  })
})

describe('trainSentimentModel', () => {
  it('learns a toy set and is reproducible', () => {
    const a = trainSentimentModel(TOY, { features: SMALL, epochs: 20, learningRate: 0.5 })
    const b = trainSentimentModel(TOY, { features: SMALL, epochs: 20, learningRate: 0.5 })
    assert.deepEqual(a.weights, b.weights)
    const predicted = TOY.map((e) => a.predictLabel(e.text))
    assert.deepEqual(
      predicted,
      TOY.map((e) => e.label),
    )
  })

  it('keeps predictions through the compact model file', () => {
    const model = trainSentimentModel(TOY, { features: SMALL, epochs: 20, learningRate: 0.5 })
    const json = serializeSentimentModel(model, { notes: 'test' })
    const back = parseSentimentModel(json)
    assert.equal(back.info.notes, 'test')
    for (const e of TOY) assert.equal(back.predictLabel(e.text), model.predictLabel(e.text))
    assert.throws(() => parseSentimentModel('{"format":"other"}'), /format/)
  })

  it('takes extra labelled examples (staff corrections) into account', () => {
    const text = 'The consultation closes on Friday'
    const before = trainSentimentModel(TOY, { features: SMALL, epochs: 20, learningRate: 0.5 })
    assert.notEqual(before.predictLabel(text), 'negative')
    const corrections: LabelledText[] = [{ text, label: 'negative' }]
    const after = trainSentimentModel(TOY, {
      features: SMALL,
      epochs: 20,
      learningRate: 0.5,
      extra: corrections,
    })
    assert.equal(after.predictLabel(text), 'negative')
  })

  it('adapts an existing model to corrections without the original data', () => {
    const base = trainSentimentModel(TOY, { features: SMALL, epochs: 20, learningRate: 0.5 })
    const text = 'Parking permits are changing'
    const adapted = adaptSentimentModel(base, [{ text, label: 'negative' }], {
      epochs: 10,
      learningRate: 0.5,
    })
    assert.ok(adapted.probabilities(text)[0] > base.probabilities(text)[0])
    assert.deepEqual(
      base.weights,
      trainSentimentModel(TOY, { features: SMALL, epochs: 20, learningRate: 0.5 }).weights,
    )
  })

  it('rejects an empty training set', () => {
    assert.throws(() => trainSentimentModel([]), /no examples/)
  })
})

describe('Welsh word-list sentiment', () => {
  it('scores opinion words, mutated forms, emoji and negation', () => {
    assert.equal(welshLexiconSentiment('Gwasanaeth ardderchog, diolch!').label, 'positive')
    assert.equal(welshLexiconSentiment('Mae’r gwasanaeth yn ofnadwy 😡').label, 'negative')
    assert.equal(welshLexiconSentiment('Dyw e ddim yn dda o gwbl').label, 'negative')
    assert.equal(welshLexiconSentiment('Bydd y cyfarfod nos Fawrth').label, 'neutral')
    assert.equal(welshLexiconSentiment('Diolch yn fawr').method, 'lexicon')
  })

  it('is where sentiment() routes Welsh text', () => {
    assert.equal(sentiment('Gwasanaeth ardderchog, diolch yn fawr!').method, 'lexicon')
    assert.equal(sentiment('Excellent service, thank you very much!').method, 'model')
  })
})

describe('the shipped model', () => {
  it('loads fast and knows how it was measured', () => {
    const started = performance.now()
    const model = loadSentimentModel()
    const ms = performance.now() - started
    assert.ok(ms < 300, `loading took ${ms.toFixed(0)} ms`)
    assert.ok((model.info.validation?.macroRecall ?? 0) > BASELINE_MACRO_RECALL)
  })

  it('labels without building a feature vector, with the same answer as the vector', () => {
    const model = loadSentimentModel()
    for (const text of [
      'Not happy with the bins!!! 😡',
      'GREAT work 𝒳𝒳𝒳 sooo good',
      '',
      'fish &amp; chips',
    ]) {
      const x = sentimentFeatures(text, model.features)
      const z = [0, 1, 2].map((k) => {
        let s = model.bias[k]!
        for (let j = 0; j < x.indices.length; j++) s += model.weights[x.indices[j]! * 3 + k]! * x.values[j]!
        return s
      })
      const p = model.probabilities(text)
      const e = z.map((v) => Math.exp(v - Math.max(...z)))
      const sum = e.reduce((a, b) => a + b, 0)
      for (const [k, v] of e.entries()) assert.equal(p[k], v / sum, text)
    }
  })

  it('labels clear cases', () => {
    const model = loadSentimentModel()
    assert.equal(model.predictLabel('Thank you so much, brilliant work by the team! 😍'), 'positive')
    assert.equal(model.predictLabel('Absolutely disgusting, the worst service ever 😡'), 'negative')
    assert.equal(model.predictLabel('The council meeting is on Tuesday at 7pm'), 'neutral')
    const r = model.predict('I love this')
    assert.ok(r.score > 0.5 && r.score <= 1)
    const sum = r.probabilities.negative + r.probabilities.neutral + r.probabilities.positive
    assert.ok(Math.abs(sum - 1) < 0.001)
  })

  it('analyseText puts language, sentiment, keywords and places together', () => {
    const a = analyseText('Bin collection missed in Splott again, third week running 😡', {
      places: { gazetteer: ['Splott'] },
    })
    assert.equal(a.language.language, 'en')
    assert.equal(a.sentiment.label, 'negative')
    assert.ok(a.keywords.some((k) => k.term === 'bin collection'))
    assert.deepEqual(
      a.places.map((p) => p.name),
      ['Splott'],
    )
  })

  const dir = join(ROOT, '..', 'shared', 'data', 'tweeteval-sentiment')
  const hasData = existsSync(join(dir, 'val_text.txt')) && existsSync(join(dir, 'val_labels.txt'))
  it(`beats the published baselines (macro recall ${BASELINE_MACRO_RECALL}) and reaches ${REQUIRED_MACRO_RECALL} on the TweetEval validation split`, {
    skip: hasData ? false : `${dir} not found: the shared data folder is absent`,
  }, (t) => {
    const lines = (f: string): string[] => readFileSync(join(dir, f), 'utf8').replace(/\n$/, '').split('\n')
    const texts = lines('val_text.txt')
    const gold = lines('val_labels.txt').map((l) => SENTIMENT_LABELS[Number(l)]!)
    assert.equal(texts.length, 2000)
    const model = loadSentimentModel()
    const r = evaluateLabels(
      SENTIMENT_LABELS,
      gold,
      texts.map((x) => model.predictLabel(x)),
    )
    t.diagnostic(
      `TweetEval val: accuracy ${(100 * r.accuracy).toFixed(2)} %, macro recall ${(100 * r.macroRecall).toFixed(2)} %`,
    )
    assert.ok(r.macroRecall > BASELINE_MACRO_RECALL, `macro recall ${r.macroRecall}`)
    assert.ok(
      r.macroRecall >= REQUIRED_MACRO_RECALL,
      `macro recall ${r.macroRecall} < ${REQUIRED_MACRO_RECALL}`,
    )
    // The figure recorded in the model file is the one measured here.
    assert.ok(Math.abs(r.macroRecall - (model.info.validation?.macroRecall ?? 0)) < 0.0001)
  })
})
