/**
 * Times the budgets module on a real database: residents casting and changing ballots one at a
 * time (each a transaction with its history row and audit entry), a bulk import of stored
 * ballots, and counting a budget from the database (load, count with the official rule and
 * the comparison rules, store the outcome).
 *
 *   npx tsx bench/budgets/store.ts [--dialect sqlite|postgres] [--voters 100000] [--online 2000] [--projects 200]
 *
 * SQLite runs on a file in the temporary directory (WAL, synchronous=NORMAL as in production);
 * postgres uses TEST_DATABASE_URL if set, else PGlite in-process.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { approvalStyle, type Ballot } from '../../src/modules/budgets/domain/ballots.js'
import { defaultSchedule } from '../../src/modules/budgets/domain/phases.js'
import { castVoterBallot, storeCount } from '../../src/modules/budgets/operations.js'
import { insertBallots } from '../../src/modules/budgets/store/ballot-store.js'
import {
  findBudget,
  findProcess,
  insertBudget,
  insertProcess,
} from '../../src/modules/budgets/store/process-store.js'
import { insertProjects } from '../../src/modules/budgets/store/project-store.js'
import { systemActor } from '../../src/platform/auth/actor.js'
import { connect, type DbHandle } from '../../src/platform/db/connect.js'
import { migrateToLatest } from '../../src/platform/db/migrate.js'
import { seededRandom } from '../../src/platform/random.js'
import { openTestDb } from '../../test/support/db.js'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const dialect = arg('dialect', 'sqlite')
const voters = Number(arg('voters', '100000'))
const online = Number(arg('online', '2000'))
const projectCount = Number(arg('projects', '200'))

const prng = seededRandom

async function main(): Promise<void> {
  let dir: string | null = null
  let handle: DbHandle
  if (dialect === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), 'budgets-bench-'))
    handle = connect(`sqlite:${join(dir, 'bench.sqlite')}`)
    await migrateToLatest(handle.db)
  } else handle = await openTestDb('postgres')
  const db = handle.db
  const rnd = prng(7)
  const now = new Date()
  const pid = await insertProcess(
    db,
    {
      titleEn: 'Bench',
      titleCy: 'Bench',
      descriptionEn: '',
      descriptionCy: '',
      phase: 'voting',
      schedule: defaultSchedule(new Date(now.getTime() - 50 * 86_400_000)),
      source: 'staff',
    },
    now,
  )
  const costs = Array.from({ length: projectCount }, () => Math.round(5_000 + rnd() * 395_000) * 100)
  const total = costs.reduce((a, b) => a + b, 0)
  const bid = await insertBudget(
    db,
    pid,
    {
      titleEn: 'B',
      titleCy: 'B',
      descriptionEn: '',
      descriptionCy: '',
      amount: Math.round(total / 4),
      currency: 'EUR',
      area: [],
      voterRule: 'residents',
      style: approvalStyle({ maxProjects: 15 }),
      rule: 'equal-shares/add1',
    },
    now,
  )
  const ids = (
    await insertProjects(
      db,
      costs.map((cost, i) => ({
        budgetId: bid,
        titleEn: `Project ${i + 1}`,
        titleCy: `Prosiect ${i + 1}`,
        descriptionEn: '',
        descriptionCy: '',
        location: '',
        estimatedCost: cost,
        finalCost: cost,
        status: 'feasible' as const,
        source: 'staff' as const,
      })),
      now,
    )
  ).map(String)
  const weights = ids.map((_, i) => 1 / (i + 1) ** 0.8)
  const sum = weights.reduce((a, b) => a + b, 0)
  const ballot = (): Ballot => {
    const chosen = new Set<string>()
    const k = 1 + Math.floor(rnd() * 15)
    while (chosen.size < k) {
      let x = rnd() * sum
      let i = 0
      while (x > weights[i]! && i < weights.length - 1) x -= weights[i++]!
      chosen.add(ids[i]!)
    }
    return { kind: 'approval', projects: [...chosen] }
  }

  const budget = (await findBudget(db, bid))!
  const phase = (await findProcess(db, pid))!
  let t0 = performance.now()
  for (let i = 0; i < online; i++) {
    await castVoterBallot(
      db,
      {
        budget,
        process: phase,
        voterKey: `citizen:${i}`,
        ballot: ballot(),
        actor: { kind: 'citizen', id: i, email: 'x@y.z', assurance: 'email-verified' },
        assurance: 'email-verified',
        citizenId: i,
      },
      new Date(),
    )
  }
  const castMs = performance.now() - t0
  t0 = performance.now()
  for (let i = 0; i < online / 2; i++) {
    await castVoterBallot(
      db,
      {
        budget,
        process: phase,
        voterKey: `citizen:${i}`,
        ballot: ballot(),
        actor: { kind: 'citizen', id: i, email: 'x@y.z', assurance: 'email-verified' },
        assurance: 'email-verified',
        citizenId: i,
      },
      new Date(),
    )
  }
  const changeMs = performance.now() - t0
  const bulk = Array.from({ length: voters - online }, (_, i) => ({
    voterKey: `import:${i}`,
    ballot: ballot(),
  }))
  t0 = performance.now()
  await db.transaction().execute((trx) => insertBallots(trx, bid, bulk, 'import', systemActor('bench'), now))
  const importMs = performance.now() - t0
  t0 = performance.now()
  const count = await db
    .transaction()
    .execute((trx) => storeCount(trx, budget, systemActor('bench'), new Date()))
  const countMs = performance.now() - t0
  await handle.close()
  if (dir) rmSync(dir, { recursive: true, force: true })

  const perSec = (n: number, ms: number) => Math.round((n / ms) * 1000)
  console.log(
    `budgets store bench — ${dialect === 'sqlite' ? 'SQLite (file, WAL)' : handle.url}, Node ${process.version}`,
  )
  console.log(
    `  ${online} online ballots cast, one transaction each (ballot + history + audit): ${castMs.toFixed(0)} ms (${perSec(online, castMs)}/s)`,
  )
  console.log(
    `  ${online / 2} ballots changed (upsert, version 2): ${changeMs.toFixed(0)} ms (${perSec(online / 2, changeMs)}/s)`,
  )
  console.log(
    `  ${bulk.length} ballots imported in one transaction: ${importMs.toFixed(0)} ms (${perSec(bulk.length, importMs)}/s)`,
  )
  console.log(
    `  count of ${count.ballots} stored ballots × ${projectCount} projects (load, ${count.comparison.map((c) => c.rule).join(' + ')}, store): ${countMs.toFixed(0)} ms — ${count.official.selected.length} selected`,
  )
  console.log(
    `  reproduce: npx tsx bench/budgets/store.ts --dialect ${dialect} --voters ${voters} --online ${online} --projects ${projectCount}`,
  )
}

await main()
