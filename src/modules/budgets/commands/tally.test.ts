import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { after, describe, it } from 'node:test'
import { CliError, type CliIO } from '../../../platform/cli/command.js'
import { ROOT } from '../../../platform/paths.js'
import { parsePabulib } from '../interop/pabulib.js'
import { tallyCommand } from './tally.js'

function fakeIO(): { io: CliIO; out: () => string; err: () => string } {
  const sink = () => {
    const chunks: string[] = []
    const stream = new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk))
        done()
      },
    })
    return { stream, text: () => chunks.join('') }
  }
  const o = sink()
  const e = sink()
  return {
    io: {
      stdout: o.stream,
      stderr: e.stream,
      stdin: new PassThrough(),
      services: () => Promise.reject(new Error('tally must not open the database')),
    },
    out: o.text,
    err: e.text,
  }
}

async function run(args: string[]) {
  const f = fakeIO()
  const code = await tallyCommand.run(args, f.io)
  return { code, out: f.out(), err: f.err() }
}

async function fails(args: string[], fragment: string | RegExp) {
  await assert.rejects(
    () => run(args),
    (e: unknown) => {
      assert.ok(e instanceof CliError, String(e))
      assert.ok(!e.message.includes('\n'), 'one line')
      if (typeof fragment === 'string') assert.ok(e.message.includes(fragment), e.message)
      else assert.match(e.message, fragment)
      return true
    },
  )
}

const dir = mkdtempSync(join(tmpdir(), 'townsquare-tally-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const SMALL = `META
key;value
budget;100
vote_type;approval
rule;greedy
currency;EUR
PROJECTS
project_id;cost
z;60
y;50
x;30.5
VOTES
voter_id;vote
1;z,y
2;z,x
3;y,x
4;z
`

describe('townsquare budgets tally', () => {
  it('is registered under budgets tally with help', async () => {
    assert.deepEqual(tallyCommand.path, ['budgets', 'tally'])
    const { code, out } = await run(['--help'])
    assert.equal(code, 0)
    assert.match(out, /^Usage: townsquare budgets tally <file\.pb>/)
    assert.match(out, /--rule/)
    assert.match(out, /--json/)
  })

  it('prints JSON exactly: rule, selected ids in file order, cost in currency units', async () => {
    const path = file('small.pb', SMALL)
    const { code, out } = await run([path, '--json'])
    assert.equal(code, 0)
    // votes: z 3, y 2, x 2 (tie y/x: 2 supporters each, x cheaper). z 60, x 30.5 → 90.5; y no longer fits.
    assert.equal(out, '{"rule":"greedy","selected":["z","x"],"cost":90.5}\n')
  })

  it('prints the ids and the total as text', async () => {
    const { code, out } = await run([file('small2.pb', SMALL)])
    assert.equal(code, 0)
    assert.equal(
      out,
      [
        'Rule: greedy (META rule "greedy")',
        'Selected 2 of 3 projects:',
        '  z',
        '  x',
        'Total cost: 90.50 EUR of a budget of 100 EUR',
        '',
      ].join('\n'),
    )
  })

  it('lets --rule override META, in both spellings', async () => {
    const path = file('small3.pb', SMALL)
    const a = await run([path, '--json', '--rule', 'equal-shares'])
    const b = await run(['--rule=equal-shares', path, '--json'])
    assert.equal(a.out, b.out)
    assert.equal(JSON.parse(a.out).rule, 'equal-shares')
  })

  it('warns on stderr about counts that do not match', async () => {
    const { err } = await run([
      file('warn.pb', SMALL.replace('rule;greedy', 'rule;greedy\nnum_votes;5')),
      '--json',
    ])
    assert.match(err, /^warning: .*line 6: num_votes says 5 but the file has 4 votes\n$/)
  })

  it('fails with one line naming the file and line for a bad file', async () => {
    await fails(
      [file('bad.pb', SMALL.replace('3;y,x', '3;y,w')), '--json'],
      /bad\.pb: line 16: vote names project "w"/,
    )
  })

  it('fails on a missing file, a missing argument, unknown options and rules', async () => {
    await fails([join(dir, 'nope.pb')], 'no such file')
    await fails([], 'missing <file.pb>')
    await fails([file('a.pb', SMALL), '--frobnicate'], 'unknown option --frobnicate')
    await fails([file('b.pb', SMALL), '--rule', 'borda'], 'unknown rule "borda"')
    await fails([file('c.pb', SMALL), '--rule'], '--rule needs a value')
    await fails([file('d.pb', SMALL), file('e.pb', SMALL)], 'one file expected')
  })

  it('fails when META names a rule we do not count and --rule is auto', async () => {
    await fails([file('unknown.pb', SMALL.replace('rule;greedy', 'rule;unknown'))], 'META rule "unknown"')
    const { code } = await run([
      file('unknown2.pb', SMALL.replace('rule;greedy', 'rule;unknown')),
      '--rule',
      'greedy',
    ])
    assert.equal(code, 0)
  })

  it('fails clearly on greedy-points for approval ballots', async () => {
    await fails(
      [file('gp.pb', SMALL), '--rule', 'greedy-points'],
      'greedy-points needs ranked or points ballots',
    )
  })
})

const DATA = join(ROOT, '..', 'shared', 'data', 'pabulib')
describe('townsquare budgets tally on the real Pabulib files', {
  skip: existsSync(DATA) ? false : `shared data not found at ${DATA}`,
}, () => {
  const cases = [
    ['Netherlands_Assen_2024.pb', 'equal-shares'],
    ['Poland_Warszawa_2023_Wesola.pb', 'greedy'],
    ['Poland_Krakow_2023_Lagiewniki-Borek_Falecki.pb', 'greedy-points'],
  ] as const
  for (const [name, rule] of cases) {
    it(`${name}: --json gives the "selected" column and its cost`, async () => {
      const doc = parsePabulib(readFileSync(join(DATA, name), 'utf8'))
      const selected = doc.projects.filter((p) => p.fields.selected === '1')
      const cost = selected.reduce((sum, p) => sum + p.cost, 0) / 100
      const { code, out } = await run([join(DATA, name), '--json'])
      assert.equal(code, 0)
      assert.deepEqual(JSON.parse(out), { rule, selected: selected.map((p) => p.id), cost })
    })
  }
})
