/**
 * CLI commands of the text engine:
 *   townsquare text sentiment            one text per line on stdin → one label per line
 *   townsquare text evaluate <texts> <labels>   accuracy and macro-averaged recall
 */
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { type CliCommand, CliError, type CliIO } from '../cli/command.js'
import { detectLanguage } from './language.js'
import { evaluateLabels } from './metrics.js'
import {
  defaultSentimentModel,
  loadSentimentModel,
  SENTIMENT_LABELS,
  type SentimentLabel,
  type SentimentModel,
  type SentimentResult,
  welshLexiconSentiment,
} from './sentiment.js'

type LanguageChoice = 'auto' | 'en' | 'cy'

interface SentimentFlags {
  json: boolean
  model: string | undefined
  language: LanguageChoice
  positional: string[]
}

/** Parses the flags both commands share; anything unknown is an error. */
function parseFlags(args: readonly string[], command: string): SentimentFlags {
  const flags: SentimentFlags = { json: false, model: undefined, language: 'auto', positional: [] }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--json') flags.json = true
    else if (arg === '--model' || arg === '--language') {
      const value = args[i + 1]
      if (value === undefined || value.startsWith('--'))
        throw new CliError(`${command}: ${arg} needs a value`)
      i++
      if (arg === '--model') flags.model = value
      else if (value === 'auto' || value === 'en' || value === 'cy') flags.language = value
      else throw new CliError(`${command}: --language must be auto, en or cy, not "${value}"`)
    } else if (arg.startsWith('--model=')) flags.model = arg.slice('--model='.length)
    else if (arg.startsWith('-') && arg !== '-')
      throw new CliError(`${command}: unknown option ${arg} (see --help)`)
    else flags.positional.push(arg)
  }
  return flags
}

function loadModel(path: string | undefined, command: string): SentimentModel {
  try {
    return path === undefined ? defaultSentimentModel() : loadSentimentModel(path)
  } catch (err) {
    throw new CliError(`${command}: cannot load the sentiment model ${path ?? ''}: ${(err as Error).message}`)
  }
}

/** English goes to the model; text detected (or declared) as Welsh to the Welsh word-list scorer. */
function classifier(model: SentimentModel, language: LanguageChoice): (text: string) => SentimentResult {
  return (text) => {
    const lang = language === 'auto' ? detectLanguage(text).language : language
    return lang === 'cy' ? welshLexiconSentiment(text) : model.predict(text)
  }
}

const SENTIMENT_USAGE = `Usage: townsquare text sentiment [--json] [--language auto|en|cy] [--model <file>]

Reads one text per line on standard input and prints one sentiment label per line, in
the same order: negative, neutral or positive. An empty line gets "neutral".

Options:
  --json                 print one JSON object per line instead:
                         {"label","score","confidence","probabilities","method"}
  --language auto|en|cy  auto (default) sends text detected as Welsh to the Welsh
                         word-list scorer and everything else to the English model
  --model <file>         use another model file (e.g. one retrained with corrections)
  --help                 show this help

Example:
  printf 'Great work, thank you!\\nThe bins were not collected\\n' | townsquare text sentiment
`

export const textSentimentCommand: CliCommand = {
  path: ['text', 'sentiment'],
  summary: 'Label the sentiment of texts read from stdin, one per line',
  usage: SENTIMENT_USAGE,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(SENTIMENT_USAGE)
      return 0
    }
    const flags = parseFlags(args, 'text sentiment')
    if (flags.positional.length > 0) {
      throw new CliError(
        `text sentiment: unexpected argument "${flags.positional[0]}" (texts are read from stdin)`,
      )
    }
    const classify = classifier(loadModel(flags.model, 'text sentiment'), flags.language)
    const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })
    for await (const line of lines) {
      const result = line.trim() === '' ? null : classify(line)
      if (flags.json) {
        io.stdout.write(
          JSON.stringify(
            result ?? {
              label: 'neutral',
              score: 0,
              confidence: 0,
              probabilities: { negative: 0, neutral: 0, positive: 0 },
              method: 'empty',
            },
          ) + '\n',
        )
      } else io.stdout.write((result?.label ?? 'neutral') + '\n')
    }
    return 0
  },
}

const EVALUATE_USAGE = `Usage: townsquare text evaluate <texts> <labels> [--json] [--language auto|en|cy] [--model <file>]

Labels every line of <texts> with the sentiment model and compares the result with the
gold labels in <labels>, line by line. Prints the number of texts, accuracy and
macro-averaged recall (the TweetEval sentiment metric), recall per class and the
confusion matrix.

<labels> has one label per line: 0, 1, 2 (TweetEval's mapping: negative, neutral,
positive) or the words negative, neutral, positive. Both files must have the same number
of lines.

Options:
  --json                 print the figures as one JSON object
  --language auto|en|cy  as for "text sentiment" (default auto)
  --model <file>         use another model file
  --help                 show this help

Example:
  townsquare text evaluate ../shared/data/tweeteval-sentiment/val_text.txt \\
                           ../shared/data/tweeteval-sentiment/val_labels.txt
`

function readLines(path: string, command: string): string[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new CliError(
      `${command}: cannot read ${path}${code === 'ENOENT' ? ': no such file' : `: ${code ?? err}`}`,
    )
  }
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

function parseLabel(raw: string, file: string, line: number): SentimentLabel {
  const v = raw.trim().toLowerCase()
  if (v === '0' || v === '1' || v === '2') return SENTIMENT_LABELS[Number(v)]!
  if ((SENTIMENT_LABELS as readonly string[]).includes(v)) return v as SentimentLabel
  throw new CliError(
    `text evaluate: ${file} line ${line}: "${raw}" is not a label (use 0, 1, 2 or negative, neutral, positive)`,
  )
}

function pct(x: number): string {
  return (100 * x).toFixed(2) + ' %'
}

export const textEvaluateCommand: CliCommand = {
  path: ['text', 'evaluate'],
  summary: 'Measure sentiment accuracy and macro-averaged recall against gold labels',
  usage: EVALUATE_USAGE,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(EVALUATE_USAGE)
      return 0
    }
    const flags = parseFlags(args, 'text evaluate')
    if (flags.positional.length !== 2) {
      throw new CliError('text evaluate: expected two files, <texts> and <labels> (see --help)')
    }
    const [textsPath, labelsPath] = flags.positional as [string, string]
    const texts = readLines(textsPath, 'text evaluate')
    const rawLabels = readLines(labelsPath, 'text evaluate')
    if (texts.length !== rawLabels.length) {
      const shorter = texts.length < rawLabels.length ? textsPath : labelsPath
      const line = Math.min(texts.length, rawLabels.length) + 1
      throw new CliError(
        `text evaluate: ${textsPath} has ${texts.length} lines but ${labelsPath} has ${rawLabels.length}; ` +
          `line ${line} is missing from ${shorter}`,
      )
    }
    if (texts.length === 0) throw new CliError(`text evaluate: ${textsPath} is empty`)
    const gold = rawLabels.map((l, i) => parseLabel(l, labelsPath, i + 1))
    const classify = classifier(loadModel(flags.model, 'text evaluate'), flags.language)
    const predicted = texts.map((t) => (t.trim() === '' ? 'neutral' : classify(t).label))
    const r = evaluateLabels(SENTIMENT_LABELS, gold, predicted)
    if (flags.json) {
      io.stdout.write(JSON.stringify(r) + '\n')
      return 0
    }
    const out = [
      `texts                  ${r.examples}`,
      `accuracy               ${pct(r.accuracy)}`,
      `macro-averaged recall  ${pct(r.macroRecall)}`,
      ...SENTIMENT_LABELS.map((l) => `recall ${l.padEnd(16)}${pct(r.recall[l])}`),
      '',
      `confusion (rows gold, columns predicted)`,
      `${''.padEnd(10)}${SENTIMENT_LABELS.map((l) => l.padStart(10)).join('')}`,
      ...SENTIMENT_LABELS.map(
        (g) =>
          `${g.padEnd(10)}${SENTIMENT_LABELS.map((p) => String(r.confusion[g][p]).padStart(10)).join('')}`,
      ),
    ]
    io.stdout.write(out.join('\n') + '\n')
    return 0
  },
}
