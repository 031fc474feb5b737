/**
 * Reads the sentiment training and validation data (shared/data/tweeteval-sentiment, see its
 * README, section 2): the SemEval 2017 task 4A English files for 2013–2016 for training, and
 * TweetEval's validation split for measuring.
 *
 * TweetEval drew its validation tweets from those same SemEval files, so every training tweet
 * that matches a validation tweet is removed: otherwise the validation score is inflated.
 * Matching ignores links, @mentions, "RT", case and punctuation, and a tweet whose first 50
 * letters and digits equal a validation tweet's also counts as a match (truncated copies).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isSentimentLabel, type LabelledText, SENTIMENT_LABELS, type SentimentLabel } from './sentiment.js'

export interface SentimentData {
  readonly training: ReadonlyArray<LabelledText & { readonly id: string; readonly file: string }>
  readonly validation: { readonly texts: readonly string[]; readonly labels: readonly SentimentLabel[] }
  readonly stats: {
    readonly files: readonly string[]
    readonly read: number
    readonly removedAsValidation: number
    readonly duplicates: number
  }
}

/** The SemEval files carry JSON-style escapes such as \u002c and \u2019. */
export function unescapeTweet(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
}

function decodeBasicEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

/** The key used to find a validation tweet among the training tweets. */
export function matchKey(s: string): string {
  return decodeBasicEntities(unescapeTweet(s))
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/@\w+(['’]s)?/g, ' ')
    .replace(/\bRT\b/gi, ' ')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')
}

function readLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/**
 * Loads training and validation data from `<dataDir>/tweeteval-sentiment`. Files are read in
 * name order and duplicates (same id or same match key) keep their first occurrence, so the
 * result is the same on every machine.
 */
export function loadSentimentData(dataDir: string): SentimentData {
  const dir = join(dataDir, 'tweeteval-sentiment')
  const semeval = join(dir, 'semeval2017-task4a-2013-2016')
  if (!existsSync(semeval)) throw new Error(`${semeval} not found`)

  const valTexts = readLines(join(dir, 'val_text.txt'))
  const valLabels = readLines(join(dir, 'val_labels.txt')).map((l, i) => {
    const label = SENTIMENT_LABELS[Number(l.trim())]
    if (!label) throw new Error(`val_labels.txt line ${i + 1}: bad label "${l}"`)
    return label
  })
  if (valTexts.length !== valLabels.length)
    throw new Error('val_text.txt and val_labels.txt differ in length')
  const valKeys = new Set(valTexts.map(matchKey))
  const valPrefixes = new Set([...valKeys].filter((k) => k.length >= 50).map((k) => k.slice(0, 50)))

  const files = readdirSync(semeval)
    .filter((f) => f.endsWith('.tsv'))
    .sort()
  const seenIds = new Set<string>()
  const seenKeys = new Set<string>()
  const training: Array<LabelledText & { readonly id: string; readonly file: string }> = []
  let read = 0
  let removedAsValidation = 0
  let duplicates = 0
  for (const file of files) {
    for (const line of readLines(join(semeval, file))) {
      // tweet_id <TAB> label <TAB> text (a few lines end in a stray tab)
      const [id, label, ...rest] = line.split('\t')
      const text = unescapeTweet(rest.join('\t')).replace(/\t+$/, '').trim()
      if (!id || !isSentimentLabel(label) || text === '') continue
      read++
      const key = matchKey(text)
      if (valKeys.has(key) || (key.length >= 50 && valPrefixes.has(key.slice(0, 50)))) {
        removedAsValidation++
        continue
      }
      if (seenIds.has(id) || seenKeys.has(key)) {
        duplicates++
        continue
      }
      seenIds.add(id)
      seenKeys.add(key)
      training.push({ id, text, label, file })
    }
  }
  return {
    training,
    validation: { texts: valTexts, labels: valLabels },
    stats: { files, read, removedAsValidation, duplicates },
  }
}
