/**
 * The import-pb round trip on the three real Pabulib files: `townsquare budgets import-pb`
 * creates a finished budget with every ballot; the results page and the open-data JSON then
 * show the official winners (the file's `selected` column); `export-pb` writes the same
 * election back.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, enableModules, type TestApp } from '../../../../test/support/app.js'
import { dialectLabel, TEST_DIALECTS } from '../../../../test/support/db.js'
import { CliError, type CliIO } from '../../../platform/cli/command.js'
import { ROOT } from '../../../platform/paths.js'
import { exportPbCommand, importPbCommand } from '../commands/import-pb.js'
import { tally } from '../domain/rules/tally.js'
import { listBallots } from '../store/ballot-store.js'
import { findProcess } from '../store/process-store.js'
import { pabulibBallots, pabulibInstance, pabulibRule, parsePabulib } from './pabulib.js'

const DATA = join(ROOT, '..', 'shared', 'data', 'pabulib')
const HAVE_DATA = existsSync(DATA)
if (!HAVE_DATA) console.log(`import-pb round trip skipped: shared data not found at ${DATA}`)

const FILES = [
  { file: 'Netherlands_Assen_2024.pb', rule: 'equal-shares/add1', winners: 9, cost: 76_700, currency: 'EUR' },
  { file: 'Poland_Warszawa_2023_Wesola.pb', rule: 'greedy', winners: 17, cost: 1_009_166, currency: 'PLN' },
  {
    file: 'Poland_Krakow_2023_Lagiewniki-Borek_Falecki.pb',
    rule: 'greedy-points',
    winners: 5,
    cost: 1_433_023,
    currency: 'PLN',
  },
] as const

function cliIO(t: TestApp): { io: CliIO; out: () => string } {
  const chunks: string[] = []
  const stdout = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  const stderr = new Writable({ write: (_c, _e, done) => done() })
  return {
    io: { stdout, stderr, stdin: new PassThrough(), services: async () => t.services },
    out: () => chunks.join(''),
  }
}

for (const dialect of TEST_DIALECTS) {
  describe(`budgets import-pb round trip on ${dialectLabel(dialect)}`, {
    skip: HAVE_DATA ? false : `shared data not found at ${DATA}`,
  }, () => {
    let t: TestApp
    before(async () => {
      t = await buildTestApp(dialect)
      await enableModules(t.services, ['budgets'])
    })
    after(async () => {
      await t?.close()
    })

    for (const expected of FILES) {
      it(`${expected.file}: imported, the results page and JSON show the official winners, exported back`, async () => {
        const path = join(DATA, expected.file)
        const doc = parsePabulib(readFileSync(path, 'utf8'))
        const official = doc.projects.filter((p) => p.fields['selected'] === '1').map((p) => p.id)
        assert.equal(official.length, expected.winners)

        const { io, out } = cliIO(t)
        assert.equal(await importPbCommand.run([path, '--json'], io), 0)
        const result = JSON.parse(out()) as {
          processId: number
          budgetId: number
          rule: string
          selected: string[]
          cost: number
          currency: string
          ballots: number
          matchesFile: boolean
        }
        assert.equal(result.rule, expected.rule)
        assert.deepEqual(result.selected, official)
        assert.equal(result.cost, expected.cost)
        assert.equal(result.currency, expected.currency)
        assert.equal(result.ballots, doc.votes.length)
        assert.equal(result.matchesFile, true)
        assert.equal(
          (await findProcess(t.services.db, result.processId))?.phase,
          'results',
          'a finished budget',
        )
        assert.equal((await listBallots(t.services.db, result.budgetId)).length, doc.votes.length)

        const api = await t.app.inject(`/api/v1/budgets/${result.budgetId}/results`)
        assert.equal(api.statusCode, 200)
        const json = api.json() as {
          rule: string
          cost: number
          ballots: { import: number }
          projects: { externalId: string; selected: boolean; votes: number; points: number | null }[]
        }
        assert.equal(json.rule, expected.rule)
        assert.equal(json.cost, expected.cost * 100)
        assert.equal(json.ballots.import, doc.votes.length)
        assert.deepEqual(
          json.projects.filter((p) => p.selected).map((p) => p.externalId),
          official,
        )
        // The file's own per-project counts agree with ours (votes; Kraków's score = our points).
        for (const p of doc.projects) {
          const ours = json.projects.find((x) => x.externalId === p.id)!
          if (p.fields['votes'] !== undefined && p.fields['votes'] !== '')
            assert.equal(ours.votes, Number(p.fields['votes']), p.id)
          if (p.fields['score'] !== undefined && p.fields['score'] !== '')
            assert.equal(ours.points, Number(p.fields['score']), p.id)
        }

        const page = await t.app.inject(`/budgets/${result.processId}/results`)
        assert.equal(page.statusCode, 200)
        for (const p of doc.projects.filter((x) => official.includes(x.id))) {
          const name = (p.fields['name'] ?? '')
            .replace(/&/g, '&amp;')
            .replace(/"/g, '&quot;')
            .replace(/'/g, '&#39;')
          assert.ok(page.body.includes(name), `results page names winner ${p.id}`)
        }
        assert.equal((page.body.match(/govuk-tag--green">Selected/g) ?? []).length, official.length)

        // export-pb writes the election back: same budget, projects, votes and winners.
        const exported = cliIO(t)
        assert.equal(await exportPbCommand.run([String(result.budgetId)], exported.io), 0)
        const back = parsePabulib(exported.out())
        assert.equal(back.budget, doc.budget)
        assert.equal(back.votes.length, doc.votes.length)
        assert.deepEqual(
          back.projects.map((p) => p.id),
          doc.projects.map((p) => p.id),
        )
        const recount = tally(pabulibInstance(back), pabulibBallots(back), pabulibRule(back)!)
        assert.deepEqual(recount.selected, official)
        assert.deepEqual(
          back.projects.filter((p) => p.fields['selected'] === '1').map((p) => p.id),
          official,
        )
      })
    }

    it('refuses a bad file with a one-line error naming the line, and unknown rules', async () => {
      const { io } = cliIO(t)
      await assert.rejects(
        () => importPbCommand.run([join(DATA, 'no-such.pb')], io),
        (e: unknown) => e instanceof CliError && /no such file/.test(e.message),
      )
      await assert.rejects(
        () => importPbCommand.run([join(DATA, FILES[0].file), '--rule', 'lottery'], io),
        (e: unknown) => e instanceof CliError && /unknown rule/.test(e.message),
      )
      await assert.rejects(
        () => exportPbCommand.run(['99999'], io),
        (e: unknown) => e instanceof CliError && /no budget with id 99999/.test(e.message),
      )
    })
  })
}
