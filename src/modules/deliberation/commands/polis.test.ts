import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { buildTestApp, type TestApp } from '../../../../test/support/app.js'
import { run } from '../../../../test/support/process.js'
import { runCli } from '../../../cli.js'
import type { CliIO } from '../../../platform/cli/command.js'
import { type PolisExport, readPolisExport } from '../interop/polis-export.js'
import { loadSummary } from '../store/result-store.js'
import { exportPolisCommand, importPolisCommand } from './polis.js'

/**
 * `townsquare deliberation import-polis` and `export-polis`: a round trip through the database
 * on the real Pol.is exports in ../shared/data/polis (compdemocracy/openData, CC BY 4.0), and
 * malformed exports refused with one line naming the file and line.
 */

const DATA = fileURLToPath(new URL('../../../../../shared/data/polis/', import.meta.url))
const HAVE_DATA = existsSync(DATA)
const NO_DATA = `Pol.is round trip skipped: shared data not found at ${DATA} (it sits next to the repository, see ../shared/data/README.md)`
if (!HAVE_DATA) console.log(NO_DATA)

function capture(services: () => Promise<TestApp['services']>): {
  io: CliIO
  out: () => string
  err: () => string
} {
  let out = ''
  let err = ''
  const stream = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk))
        done()
      },
    })
  return {
    io: {
      stdout: stream((s) => (out += s)),
      stderr: stream((s) => (err += s)),
      stdin: process.stdin,
      services,
    },
    out: () => out,
    err: () => err,
  }
}

type Vote = [comment: number, voter: number, vote: number, timestamp: number | null]
function votesOf(e: PolisExport): Vote[] {
  return (e.votes ?? [])
    .map((v): Vote => [v.commentId, v.voterId, v.vote, v.timestamp])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[3] ?? 0) - (b[3] ?? 0) || a[2] - b[2])
}
function finalVotes(e: PolisExport): string[] {
  return (e.participants ?? [])
    .filter((p) => p.votes.size > 0)
    .map(
      (p) =>
        `${p.id}:${[...p.votes]
          .sort((a, b) => a[0] - b[0])
          .map(([c, v]) => `${c}=${v}`)
          .join(',')}`,
    )
    .sort()
}

describe('Pol.is import and export through the database', { skip: HAVE_DATA ? false : NO_DATA }, () => {
  let t: TestApp
  const dir = mkdtempSync(join(tmpdir(), 'townsquare-polis-'))
  before(async () => {
    t = await buildTestApp('sqlite')
  })
  after(async () => {
    await t.close()
    rmSync(dir, { recursive: true, force: true })
  })

  for (const name of ['15-per-hour-seattle', 'scoop-hivemind.biodiversity']) {
    it(`${name}: export-polis writes back what import-polis read`, async () => {
      const source = join(DATA, name)
      const original = readPolisExport(source)
      const imported = capture(async () => t.services)
      assert.equal(await importPolisCommand.run([source], imported.io), 0)
      const m =
        /as conversation (\d+): (\d+) statements, (\d+) participants, (\d+) votes; (\d+) opinion groups/.exec(
          imported.out(),
        )
      assert.ok(m, imported.out())
      const [, id, statements, , votes, groups] = m.map(Number)
      assert.equal(statements, original.comments.length)
      assert.equal(votes, original.votes!.length)
      assert.ok(groups >= 2, `${groups} groups`)
      const summary = await loadSummary(t.services.db, id)
      assert.equal(summary?.snapshot.groups.length, groups)

      const out = join(dir, name)
      const exported = capture(async () => t.services)
      assert.equal(await exportPolisCommand.run([String(id), out], exported.io), 0)
      assert.match(
        exported.out(),
        /Wrote summary\.csv, comments\.csv, votes\.csv and participants-votes\.csv/,
      )
      const back = readPolisExport(out)
      // comments.csv: same ids, authors, bodies, moderation and agree/disagree counts.
      const comments = (e: PolisExport) =>
        [...e.comments]
          .sort((a, b) => a.id - b.id)
          .map((c) => [c.id, c.authorId, c.moderated, c.body, c.timestamp])
      assert.deepEqual(comments(back), comments(original))
      // votes.csv: every vote, changed votes included, with its time.
      assert.deepEqual(votesOf(back), votesOf(original))
      // participants-votes.csv: every participant's final votes.
      assert.deepEqual(finalVotes(back), finalVotes(original))
      assert.equal(
        back.summary?.find(([k]) => k === 'topic')?.[1],
        original.summary?.find(([k]) => k === 'topic')?.[1],
      )
      assert.equal(back.summary?.find(([k]) => k === 'groups')?.[1], String(groups))
      // The group-id column carries our groups.
      assert.ok(
        (back.participants ?? []).filter((p) => p.groupId !== null).length >=
          summary!.snapshot.inConversation - 1,
      )
    })
  }
})

describe('malformed Pol.is exports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'townsquare-bad-polis-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const COMMENTS =
    'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,1,0,1,More benches\n2,x,1,0,0,1,1,Longer hours\n'
  const cases: Array<{ name: string; votes: string; expected: string }> = [
    {
      name: 'missing-column',
      votes: 'timestamp,datetime,comment-id,voter-id\n1,x,0,1\n',
      expected: 'votes.csv line 1: missing column "vote"',
    },
    {
      name: 'vote-of-7',
      votes: 'timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,1,1,-1\n3,x,1,2,7\n',
      expected: 'votes.csv line 4: vote must be -1, 0 or 1 (got 7)',
    },
    {
      name: 'unknown-statement',
      votes: 'timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,99,1,1\n',
      expected: 'votes.csv line 3: unknown statement id 99 (not in comments.csv)',
    },
  ]
  for (const c of cases) {
    const path = join(dir, c.name)
    mkdirSync(path, { recursive: true })
    writeFileSync(join(path, 'comments.csv'), COMMENTS)
    writeFileSync(join(path, 'votes.csv'), c.votes)
  }

  for (const c of cases) {
    it(`import-polis refuses ${c.name} with one line naming file and line, exit 1, before touching the database`, async () => {
      let opened = false
      const { io, out, err } = capture(async () => {
        opened = true
        throw new Error('the database must not be opened')
      })
      const code = await runCli(['deliberation', 'import-polis', join(dir, c.name)], io)
      assert.equal(code, 1)
      assert.equal(err(), `townsquare: ${c.expected}\n`)
      assert.equal(out(), '')
      assert.equal(opened, false)
    })
  }

  it('exits non-zero from a real process, with the one line on stderr', async () => {
    const res = await run(
      ['--import', 'tsx', 'src/cli.ts', 'deliberation', 'import-polis', join(dir, 'vote-of-7')],
      {
        env: { DATABASE_URL: `sqlite:${join(dir, 'never.sqlite')}`, LOG_LEVEL: 'silent' },
      },
    )
    assert.equal(res.code, 1)
    assert.equal(res.stderr, 'townsquare: votes.csv line 4: vote must be -1, 0 or 1 (got 7)\n')
    assert.equal(existsSync(join(dir, 'never.sqlite')), false, 'no database was created')
  })

  it('export-polis names a conversation that does not exist', async () => {
    const t = await buildTestApp('sqlite')
    try {
      const { io, err } = capture(async () => t.services)
      assert.equal(await runCli(['deliberation', 'export-polis', '999', join(dir, 'out')], io), 1)
      assert.equal(err(), 'townsquare: no conversation 999\n')
      assert.equal(existsSync(join(dir, 'out')), false)
      assert.equal(readFileSync(join(dir, 'vote-of-7', 'votes.csv'), 'utf8').split('\n').length, 5)
    } finally {
      await t.close()
    }
  })
})
