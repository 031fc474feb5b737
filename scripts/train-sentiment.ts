/**
 * Trains the shipped sentiment model, src/platform/text/model/sentiment.json.
 *
 *   npx tsx scripts/train-sentiment.ts            train on SemEval 2013–2016, measure on TweetEval val, write the model
 *   npx tsx scripts/train-sentiment.ts --holdout  tuning: fit 6/7 of the training tweets, report the other 1/7, write nothing
 *   npx tsx scripts/train-sentiment.ts --test-file twitter-2016test-A.tsv
 *                                                 a later, unseen test set: leave that file out of training, report on it, write nothing
 *   npx tsx scripts/train-sentiment.ts --extra corrections.tsv
 *                                                 add labelled examples (label<TAB>text per line), e.g. staff corrections
 *
 * Options: --data <dir> (default <repo>/../shared/data), --out <file>, --no-write,
 * --epochs N, --lr X, --class-power X, --bits N, --char-min N, --char-max N, --char-weight X,
 * --trigrams, --no-bigrams. Defaults are those of `trainSentimentModel`.
 *
 * Every training tweet that matches a TweetEval validation tweet is removed first (see
 * src/platform/text/training-data.ts). The run is deterministic (files in name order, seeded
 * shuffle, no timestamps in the output), so the committed model is reproduced byte for byte.
 * Hyperparameters were chosen with --holdout, never on the validation split.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { evaluateLabels } from '../src/platform/text/metrics.js'
import {
  DEFAULT_FEATURES,
  DEFAULT_SENTIMENT_MODEL_PATH,
  type FeatureSettings,
  isSentimentLabel,
  type LabelledText,
  parseSentimentModel,
  SENTIMENT_LABELS,
  type SentimentLabel,
  type SentimentModel,
  serializeSentimentModel,
  type TrainSentimentOptions,
  trainSentimentModel,
} from '../src/platform/text/sentiment.js'
import { loadSentimentData } from '../src/platform/text/training-data.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const flag = (name: string): boolean => process.argv.includes(name)
function num(name: string): number | undefined {
  const v = option(name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) {
    console.error(`train-sentiment: ${name} needs a number, not "${v}"`)
    process.exit(1)
  }
  return n
}
function maybe<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>)
}

const dataDir = resolve(option('--data') ?? join(root, '..', 'shared', 'data'))
let data: ReturnType<typeof loadSentimentData>
try {
  data = loadSentimentData(dataDir)
} catch (err) {
  console.error(`train-sentiment: ${(err as Error).message} (pass --data <dir>)`)
  process.exit(1)
}
const { training, validation, stats } = data

const extraFile = option('--extra')
const extra: LabelledText[] = []
if (extraFile) {
  readFileSync(extraFile, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return
      const [label, ...rest] = line.split('\t')
      if (!isSentimentLabel(label)) {
        console.error(
          `train-sentiment: ${extraFile} line ${i + 1}: label must be negative, neutral or positive`,
        )
        process.exit(1)
      }
      extra.push({ label, text: rest.join('\t') })
    })
}

const count = (xs: ReadonlyArray<{ label: SentimentLabel }>): string =>
  SENTIMENT_LABELS.map((l) => xs.filter((x) => x.label === l).length).join(' / ')
console.log(`read ${stats.read} tweets from ${stats.files.length} files in ${dataDir}/tweeteval-sentiment`)
console.log(
  `removed ${stats.removedAsValidation} that match a validation tweet and ${stats.duplicates} duplicates`,
)
console.log(`training on ${training.length} tweets (negative / neutral / positive: ${count(training)})`)
if (extra.length > 0) console.log(`plus ${extra.length} extra examples from ${extraFile}`)

const features: FeatureSettings = {
  ...DEFAULT_FEATURES,
  ...maybe('bits', num('--bits')),
  ...maybe('charMin', num('--char-min')),
  ...maybe('charMax', num('--char-max')),
  ...maybe('charWeight', num('--char-weight')),
  ...(flag('--trigrams') ? { wordTrigrams: true } : {}),
  ...(flag('--no-bigrams') ? { wordBigrams: false } : {}),
}
const trainOptions: TrainSentimentOptions = {
  features,
  ...maybe('epochs', num('--epochs')),
  ...maybe('learningRate', num('--lr')),
  ...maybe('classWeightPower', num('--class-power')),
  extra,
  onEpoch: (epoch, loss) => console.log(`  epoch ${epoch}: mean loss ${loss.toFixed(4)}`),
}

function report(
  name: string,
  model: SentimentModel,
  texts: readonly string[],
  gold: readonly SentimentLabel[],
) {
  const started = performance.now()
  const r = evaluateLabels(
    SENTIMENT_LABELS,
    gold,
    texts.map((t) => model.predictLabel(t)),
  )
  const ms = performance.now() - started
  const p = (x: number): string => (100 * x).toFixed(2)
  console.log(
    `${name}: accuracy ${p(r.accuracy)} %, macro-averaged recall ${p(r.macroRecall)} %` +
      ` (recall negative ${p(r.recall.negative)}, neutral ${p(r.recall.neutral)}, positive ${p(r.recall.positive)};` +
      ` ${texts.length} texts in ${ms.toFixed(0)} ms)`,
  )
  return r
}

const started = performance.now()
if (flag('--holdout')) {
  // Tuning mode: a fixed seventh of the training tweets (by id) is held out; validation is not read.
  const isHeld = (id: string): boolean => BigInt(id) % 7n === 3n
  const fit = training.filter((t) => !isHeld(t.id))
  const held = training.filter((t) => isHeld(t.id))
  console.log(`holdout mode: fitting ${fit.length}, holding out ${held.length}`)
  const model = trainSentimentModel(fit, trainOptions)
  console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  report(
    'holdout',
    model,
    held.map((t) => t.text),
    held.map((t) => t.label),
  )
} else if (option('--test-file')) {
  const name = option('--test-file')!
  const fit = training.filter((t) => t.file !== name)
  const test = training.filter((t) => t.file === name)
  if (test.length === 0) {
    console.error(`train-sentiment: no training tweets come from ${name} (files: ${stats.files.join(', ')})`)
    process.exit(1)
  }
  console.log(`test-file mode: fitting ${fit.length}, testing on ${test.length} tweets of ${name}`)
  const model = trainSentimentModel(fit, trainOptions)
  console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  report(
    name,
    model,
    test.map((t) => t.text),
    test.map((t) => t.label),
  )
} else {
  const model = trainSentimentModel(training, trainOptions)
  console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  report('validation, float weights', model, validation.texts, validation.labels)
  // Measure the model as shipped: quantised, written and read back.
  const shipped = parseSentimentModel(serializeSentimentModel(model))
  const r = report('validation (TweetEval val), as shipped', shipped, validation.texts, validation.labels)
  const json = serializeSentimentModel(model, {
    trainingExamples: training.length,
    extraExamples: extra.length,
    validation: {
      accuracy: Number(r.accuracy.toFixed(4)),
      macroRecall: Number(r.macroRecall.toFixed(4)),
      examples: r.examples,
    },
    notes:
      'Trained by scripts/train-sentiment.ts on the SemEval 2017 task 4A English files for 2013-2016, ' +
      'with every tweet matching a TweetEval validation tweet removed. Validation = TweetEval val split.',
  })
  if (!flag('--no-write')) {
    const out = resolve(option('--out') ?? DEFAULT_SENTIMENT_MODEL_PATH)
    writeFileSync(out, json)
    console.log(`wrote ${out} (${(Buffer.byteLength(json) / 1024).toFixed(0)} KiB)`)
  }
}
