import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { openTestDb } from '../../../../test/support/db.js'
import { allCommands, runCli } from '../../../cli.js'
import type { CliIO } from '../../../platform/cli/command.js'
import type { DbHandle } from '../../../platform/db/connect.js'
import { addElectionPeriod } from '../../../platform/elections/index.js'
import { defaultPolicy, savePolicy } from '../../../platform/policy/index.js'
import type { Services } from '../../../platform/services.js'
import { checkCommand } from './check.js'

let handle: DbHandle

async function run(args: string[], stdin: string): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough()
  let out = ''
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8')
  })
  const input = new PassThrough()
  input.end(stdin)
  const io: CliIO = {
    stdout,
    stderr: new PassThrough(),
    stdin: input,
    // The command only reads the database.
    services: async () => ({ db: handle.db }) as unknown as Services,
  }
  const code = await checkCommand.run(args, io)
  return { code, stdout: out }
}

describe('townsquare publishing check', () => {
  before(async () => {
    handle = await openTestDb('sqlite')
  })
  after(async () => {
    await handle.close()
  })

  it('has the path the issue names', () => {
    assert.deepEqual(checkCommand.path, ['publishing', 'check'])
    assert.match(checkCommand.usage, /^Usage: townsquare publishing check/)
  })

  it('prints the findings as JSON with character offsets, and exits 0', async () => {
    const text = '👍 Vote for the Green Party! Call 07700 900123 #localelections\n'
    const r = await run(['--json', '--date', '2026-11-29'], text)
    assert.equal(r.code, 0)
    const { findings } = JSON.parse(r.stdout) as {
      findings: { code: string; severity: string; start: number; end: number; message: string }[]
    }
    const chars = [...text]
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, chars.slice(f.start, f.end).join('')]),
      [
        ['political', 'warn', 'Vote for'],
        ['political', 'warn', 'Green Party'],
        ['personal-data.phone', 'block', '07700 900123'],
        ['accessibility.hashtag-case', 'warn', '#localelections'],
      ],
    )
    // The emoji is one character, not two UTF-16 units.
    assert.equal(findings[0]!.start, 2)
    assert.deepEqual(Object.keys(findings[0]!), ['code', 'severity', 'start', 'end', 'message'])
  })

  it('applies the channel limit and the elections calendar of the database', async () => {
    await addElectionPeriod(handle.db, { name: 'Senedd 2026', startsOn: '2026-03-26', pollsOn: '2026-05-07' })
    const inside = JSON.parse((await run(['--json', '--date=2026-04-01'], 'Meet Plaid Cymru.')).stdout)
    assert.deepEqual(
      inside.findings.map((f: { code: string; severity: string }) => [f.code, f.severity]),
      [['pre-election.political', 'block']],
    )
    const long = JSON.parse((await run(['--json', '--channel', 'bluesky'], 'a'.repeat(301))).stdout)
    assert.deepEqual(
      long.findings.map((f: { code: string; start: number; end: number }) => [f.code, f.start, f.end]),
      [['length', 300, 301]],
    )
    const fits = JSON.parse((await run(['--json', '--channel', 'mastodon'], 'a'.repeat(301))).stdout)
    assert.deepEqual(fits.findings, [])
  })

  it('reads the installed policy, and explains in Welsh with --locale cy', async () => {
    await savePolicy(handle.db, {
      rules: defaultPolicy().rules.map((r) =>
        r.code === 'polemical' ? { ...r, severity: 'block' as const } : r,
      ),
    })
    const r = await run(['--locale', 'cy'], 'Mae hyn yn warthus.')
    assert.equal(r.code, 0)
    assert.match(r.stdout, /^block {2}11-18 {2}polemical {2}"warthus" {2}Mae “warthus” yn air emosiynol/m)
    assert.match(r.stdout, /1 finding\(s\), 1 blocking\./)
    assert.equal((await run([], 'Your bins are collected on Tuesday.')).stdout, 'No findings.\n')
  })

  const registered = allCommands().some((c) => c.path.join(' ') === 'publishing check')
  it('runs as `townsquare publishing check` through the CLI', {
    skip: !registered && 'not registered yet',
  }, async () => {
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    let out = ''
    let err = ''
    stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8')
    })
    stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8')
    })
    const stdin = new PassThrough()
    stdin.end('Email jo@example.com')
    const services = async () => ({ db: handle.db }) as unknown as Services
    const code = await runCli(['publishing', 'check', '--json'], { stdout, stderr, stdin, services })
    assert.equal(code, 0)
    assert.deepEqual(JSON.parse(out), {
      findings: [
        {
          code: 'personal-data.email',
          severity: 'block',
          start: 6,
          end: 20,
          message:
            '“jo@example.com” looks like an email address. Do not publish personal data; use the organisation’s contact page.',
        },
      ],
    })
    const bad = await runCli(['publishing', 'check', '--channel', 'fax'], {
      stdout,
      stderr,
      stdin: new PassThrough(),
      services,
    })
    assert.equal(bad, 1)
    assert.match(
      err,
      /^townsquare: publishing check: --channel must be mastodon, bluesky, email or web, not "fax"\n$/,
    )
  })

  it('refuses bad options with a one-line error naming the option', async () => {
    await assert.rejects(
      run(['--channel', 'twitter'], 'x'),
      /--channel must be mastodon, bluesky, email or web/,
    )
    await assert.rejects(run(['--date', '2026-02-30'], 'x'), /--date must be a date YYYY-MM-DD/)
    await assert.rejects(run(['--date'], 'x'), /--date needs a value/)
    await assert.rejects(run(['--colour'], 'x'), /unknown option --colour/)
  })
})
