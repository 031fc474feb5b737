import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, describe, it } from 'node:test'
import type { CliIO } from '../../../platform/cli/command.js'
import { analyzeCommand } from '../commands/analyze.js'
import { buildPolisExport, writePolisExport } from './polis-export.js'

// Tests of `townsquare deliberation analyze` (commands/analyze.ts), kept with the export format it reads.

function capture(): { io: CliIO; out: () => string } {
  let text = ''
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk)
      done()
    },
  })
  const io: CliIO = {
    stdout,
    stderr: stdout,
    stdin: process.stdin,
    services: () => Promise.reject(new Error('the analyze command must not open the database')),
  }
  return { io, out: () => text }
}

const dir = mkdtempSync(join(tmpdir(), 'townsquare-analyze-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** Two camps of 15 on 8 statements, the last one moderated out. */
function writeExample(path: string): void {
  const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s))
  const statements = Array.from({ length: 8 }, (_, id) => ({
    id,
    authorId: null,
    createdAt: at(id),
    body: `Statement ${id}`,
    moderation: (id === 7 ? -1 : 1) as -1 | 1,
  }))
  const votes = Array.from({ length: 30 }, (_, p) =>
    statements.map((s) => ({
      participant: p,
      statement: s.id,
      vote: (p < 15 === (s.id % 2 === 0) ? 1 : s.id === 6 ? 1 : -1) as 1 | -1,
      at: at(100 + p * 10 + s.id),
    })),
  ).flat()
  writePolisExport(path, buildPolisExport({ topic: 'Example', statements, votes }))
}

describe('townsquare deliberation analyze', () => {
  const good = join(dir, 'good')
  writeExample(good)

  it('prints exactly the documented JSON shape with --json', async () => {
    const { io, out } = capture()
    assert.equal(await analyzeCommand.run([good, '--json'], io), 0)
    const json = JSON.parse(out())
    assert.deepEqual(Object.keys(json), [
      'participants',
      'inConversation',
      'groups',
      'consensus',
      'representative',
    ])
    assert.equal(json.participants, 30)
    assert.equal(json.inConversation, 30)
    assert.equal(json.groups.length, 2)
    for (const g of json.groups) assert.deepEqual(Object.keys(g), ['id', 'members'])
    assert.deepEqual(
      json.groups.flatMap((g: { members: number[] }) => g.members).sort((a: number, b: number) => a - b),
      Array.from({ length: 30 }, (_, i) => i),
    )
    assert.deepEqual(json.consensus, [6])
    assert.deepEqual(Object.keys(json.representative), ['0', '1'])
    assert.ok(!Object.values(json.representative).flat().includes(7))
  })

  it('prints a readable summary without --json', async () => {
    const { io, out } = capture()
    assert.equal(await analyzeCommand.run([good], io), 0)
    assert.match(out(), /Opinion groups: 2/)
    assert.match(out(), /Group 0: 15 participants/)
    assert.match(out(), /#6 "Statement 6"/)
  })

  it('prints usage with --help', async () => {
    const { io, out } = capture()
    assert.equal(await analyzeCommand.run(['--help'], io), 0)
    assert.match(out(), /^Usage: townsquare deliberation analyze <dir>/)
    assert.deepEqual(analyzeCommand.path, ['deliberation', 'analyze'])
  })

  const bad = (name: string, file: string, edit: (text: string) => string): string => {
    const path = join(dir, name)
    writeExample(path)
    const original = join(path, file)
    writeFileSync(original, edit(readFileSync(original, 'utf8')))
    return path
  }

  it('stops with one line naming file and line on a malformed export', async () => {
    const cases: Array<[string, string]> = [
      [
        bad('vote7', 'votes.csv', (t) => t.replace(/,1\n/, ',7\n')),
        'votes.csv line 2: vote must be -1, 0 or 1 (got 7)',
      ],
      [
        bad('column', 'votes.csv', (t) => t.replace('voter-id', 'voter')),
        'votes.csv line 1: missing column "voter-id"',
      ],
      [
        bad('unknown', 'votes.csv', (t) => t.replace(/^([^,]*,[^,]*,)0,/m, '$1999,')),
        'votes.csv line 2: unknown statement id 999 (not in comments.csv)',
      ],
      [join(dir, 'nowhere'), `${join(dir, 'nowhere')}: not a directory`],
    ]
    for (const [path, message] of cases) {
      const { io } = capture()
      await assert.rejects(analyzeCommand.run([path], io), (err: Error) => {
        assert.equal(err.name, 'CliError')
        assert.equal(err.message, message)
        return true
      })
    }
  })

  it('rejects missing or extra arguments', async () => {
    const { io } = capture()
    await assert.rejects(analyzeCommand.run([], io), /missing the export directory/)
    await assert.rejects(analyzeCommand.run([good, '--frobnicate'], io), { name: 'CliError' })
    await assert.rejects(analyzeCommand.run([good, '--seed', 'x'], io), /--seed must be a whole number/)
  })
})
