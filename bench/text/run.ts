/**
 * Speed of the shipped sentiment model on one core: texts per second through
 * `SentimentModel.predictLabel` (tokenising, features, hashing and the dot products), on the 2,000
 * TweetEval validation tweets, plus the macro-averaged recall of the same run.
 *
 *   npx tsx bench/text/run.ts [--rounds N] [--data <dir>]
 *
 * Requirement ≥ 30,000 texts/s (goal 50,000); recall ≥ 0.66. The first round warms the JIT up
 * and is not counted; the figure is the median of the rounds after it.
 */
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { ROOT } from '../../src/platform/paths.js'
import { evaluateLabels } from '../../src/platform/text/metrics.js'
import {
  loadSentimentModel,
  SENTIMENT_LABELS,
  type SentimentLabel,
} from '../../src/platform/text/sentiment.js'

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const dir = resolve(option('--data') ?? join(ROOT, '..', 'shared', 'data'), 'tweeteval-sentiment')
const rounds = Number(option('--rounds') ?? 7)
const lines = (f: string): string[] => readFileSync(join(dir, f), 'utf8').replace(/\n$/, '').split('\n')
const texts = lines('val_text.txt')
const gold = lines('val_labels.txt').map((l) => SENTIMENT_LABELS[Number(l)]!)

console.log(
  `sentiment benchmark — node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (one thread), load average ${loadavg()[0]!.toFixed(2)}`,
)
const loadStart = performance.now()
const model = loadSentimentModel()
console.log(`model loaded in ${(performance.now() - loadStart).toFixed(0)} ms`)

// Ten copies of the 2,000 tweets per round: 20,000 texts, long enough to time well.
const batch: string[] = []
for (let i = 0; i < 10; i++) batch.push(...texts)
let predicted: SentimentLabel[] = []
const rates: number[] = []
for (let r = 0; r <= rounds; r++) {
  const started = performance.now()
  const out: SentimentLabel[] = new Array(batch.length)
  for (let i = 0; i < batch.length; i++) out[i] = model.predictLabel(batch[i]!)
  const ms = performance.now() - started
  if (r === 0) predicted = out.slice(0, texts.length)
  else rates.push((batch.length / ms) * 1000)
}
rates.sort((a, b) => a - b)
const median = rates[Math.floor(rates.length / 2)]!
const report = evaluateLabels(SENTIMENT_LABELS, gold, predicted)
console.log(
  `texts/s: median ${Math.round(median).toLocaleString('en-GB')} (min ${Math.round(rates[0]!).toLocaleString('en-GB')}, max ${Math.round(rates.at(-1)!).toLocaleString('en-GB')}) over ${rounds} rounds of ${batch.length.toLocaleString('en-GB')} texts`,
)
console.log(
  `TweetEval validation (${texts.length} tweets): accuracy ${(100 * report.accuracy).toFixed(2)} %, macro-averaged recall ${(100 * report.macroRecall).toFixed(2)} %`,
)
console.log(
  `requirement ≥ 30,000 texts/s: ${median >= 30_000 ? 'met' : 'NOT met'}; goal 50,000: ${median >= 50_000 ? 'met' : 'not met'}; recall ≥ 0.66: ${report.macroRecall >= 0.66 ? 'met' : 'NOT met'}`,
)
console.log('reproduce: npx tsx bench/text/run.ts')
