import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { after, describe, it } from 'node:test'
import { CliError, type CliIO } from '../cli/command.js'
import { textEvaluateCommand, textSentimentCommand } from './commands.js'

interface Run {
  code: number
  stdout: string
}

async function run(command: typeof textSentimentCommand, args: string[], stdin = ''): Promise<Run> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const input = new PassThrough()
  let out = ''
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8')
  })
  input.end(stdin)
  const io: CliIO = {
    stdout,
    stderr,
    stdin: input,
    services: () => Promise.reject(new Error('text commands must not open the database')),
  }
  const code = await command.run(args, io)
  return { code, stdout: out }
}

const dir = mkdtempSync(join(tmpdir(), 'townsquare-text-'))
after(() => rmSync(dir, { recursive: true, force: true }))
function file(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

describe('townsquare text sentiment', () => {
  it('has the path and help the CLI expects', async () => {
    assert.deepEqual(textSentimentCommand.path, ['text', 'sentiment'])
    const r = await run(textSentimentCommand, ['--help'])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /^Usage: townsquare text sentiment/)
  })

  it('prints one label per input line, in order', async () => {
    const r = await run(
      textSentimentCommand,
      [],
      'Thank you so much, brilliant work! 😍\r\nAbsolutely disgusting, worst service ever 😡\n\nThe meeting is on Tuesday at 7pm\n',
    )
    assert.equal(r.code, 0)
    assert.equal(r.stdout, 'positive\nnegative\nneutral\nneutral\n')
  })

  it('handles a last line without a newline, and no input at all', async () => {
    assert.equal((await run(textSentimentCommand, [], 'I love it')).stdout, 'positive\n')
    assert.equal((await run(textSentimentCommand, [], '')).stdout, '')
  })

  it('prints JSON lines with --json', async () => {
    const r = await run(textSentimentCommand, ['--json'], 'I love it\nGwasanaeth ardderchog, diolch!\n')
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.equal(lines.length, 2)
    assert.equal(lines[0]!['label'], 'positive')
    assert.equal(lines[0]!['method'], 'model')
    assert.equal(lines[1]!['method'], 'lexicon')
  })

  it('rejects unknown options and arguments with a CliError', async () => {
    await assert.rejects(run(textSentimentCommand, ['--bogus']), CliError)
    await assert.rejects(run(textSentimentCommand, ['file.txt']), /read from stdin/)
    await assert.rejects(run(textSentimentCommand, ['--language', 'fr']), /auto, en or cy/)
    await assert.rejects(run(textSentimentCommand, ['--model', join(dir, 'missing.json')]), /cannot load/)
  })
})

describe('townsquare text evaluate', () => {
  const texts = file(
    'texts.txt',
    'I love it, brilliant!\nThis is awful, I hate it\nThe meeting is at 7pm\nGreat stuff\n',
  )

  it('prints accuracy and macro-averaged recall', async () => {
    const labels = file('labels.txt', '2\n0\n1\n0\n')
    const r = await run(textEvaluateCommand, [texts, labels])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /texts\s+4/)
    assert.match(r.stdout, /accuracy\s+75\.00 %/)
    // Recall: negative 1/2, neutral 1/1, positive 1/1 → macro 83.33 %.
    assert.match(r.stdout, /macro-averaged recall\s+83\.33 %/)
  })

  it('accepts label words and prints JSON', async () => {
    const labels = file('words.txt', 'positive\nNegative\nneutral\npositive\n')
    const r = await run(textEvaluateCommand, [texts, labels, '--json'])
    const report = JSON.parse(r.stdout) as { accuracy: number; macroRecall: number; examples: number }
    assert.equal(report.examples, 4)
    assert.equal(report.accuracy, 1)
    assert.equal(report.macroRecall, 1)
  })

  it('names the missing line when the files differ in length', async () => {
    const labels = file('short.txt', '2\n0\n1\n')
    await assert.rejects(run(textEvaluateCommand, [texts, labels]), (err: Error) => {
      assert.ok(err instanceof CliError)
      assert.match(err.message, /has 4 lines but .*short\.txt has 3; line 4 is missing from .*short\.txt/)
      return true
    })
  })

  it('names the file and line of a bad label', async () => {
    const labels = file('bad.txt', '2\n0\nmaybe\n1\n')
    await assert.rejects(run(textEvaluateCommand, [texts, labels]), /bad\.txt line 3: "maybe" is not a label/)
  })

  it('explains missing files and arguments', async () => {
    await assert.rejects(
      run(textEvaluateCommand, [texts, join(dir, 'nope.txt')]),
      /cannot read .*nope\.txt: no such file/,
    )
    await assert.rejects(run(textEvaluateCommand, [texts]), /expected two files/)
    const r = await run(textEvaluateCommand, ['--help'])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /macro-averaged recall/)
  })
})
