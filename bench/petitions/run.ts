/**
 * Petition signing and reading over real HTTP, on SQLite and on PostgreSQL.
 *
 *   npx tsx bench/petitions/run.ts [--seconds 10] [--connections 50]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/petitions/run.ts
 *
 * For each database it starts the real server (a separate process, durable commits: SQLite WAL,
 * PostgreSQL default fsync), then measures with autocannon from this process:
 * 1. GET /healthz alone: the ceiling of this machine for the framework;
 * 2. POST /api/v1/petitions/:id/signatures alone, every request a new signer;
 * 3. signing while readers load the petition page and count.json, and how stale the count is.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import pg from 'pg'
import pino from 'pino'
import { addFraudRule } from '../../src/modules/petitions/store/fraud-store.js'
import { openPetition } from '../../src/modules/petitions/test/factories.js'
import { createServices } from '../../src/platform/services.js'
import { DEFAULT_ORGANISATION } from '../../src/platform/settings/organisation.js'
import { writeSetting } from '../../src/platform/settings/settings.js'
import { testConfig } from '../../test/support/app.js'
import { freePort, startServer } from '../../test/support/process.js'

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
})
const seconds = Number(values.seconds)
const connections = Number(values.connections)

interface Result {
  readonly rps: number
  readonly ok: number
  readonly p99: number
  readonly errors: number
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)))
  })
}

function summarise(r: autocannon.Result, okStatus: number): Result {
  const stats = (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats
  const ok = stats?.[String(okStatus)]?.count ?? 0
  return { rps: Math.round(ok / r.duration), ok, p99: r.latency.p99, errors: r.errors + r.non2xx }
}

let signer = 0
function signatureRequest(petitionId: number): autocannon.Request {
  return {
    method: 'POST',
    path: `/api/v1/petitions/${petitionId}/signatures`,
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      signer++
      return {
        ...req,
        body: JSON.stringify({
          name: `Bench Signer ${signer}`,
          email: `bench${signer}@example.org`,
          country: 'GB',
          postcode: 'CF10 1EP',
          declaration: true,
        }),
      }
    },
  }
}

async function prepare(databaseUrl: string): Promise<number> {
  const services = await createServices(testConfig({ DATABASE_URL: databaseUrl }), {
    logger: pino({ level: 'silent' }),
    localJobs: true,
  })
  await writeSetting(services.db, 'organisation', { ...DEFAULT_ORGANISATION, enabledModules: ['petitions'] })
  // The load generator is one loopback address: allow-list it so every signature takes the
  // normal path instead of being shadow-banned by the per-IP rate limit.
  await addFraudRule(
    services.db,
    { list: 'allow', kind: 'ip', pattern: '127.0.0.0/8', note: 'benchmark' },
    new Date(),
  )
  const id = await openPetition(services.db, { action: 'Benchmark petition' })
  await services.close()
  return id
}

async function bench(label: string, databaseUrl: string): Promise<void> {
  const petitionId = await prepare(databaseUrl)
  const server = await startServer({
    PORT: String(freePort()),
    DATABASE_URL: databaseUrl,
    JOBS: 'false',
    LOG_LEVEL: 'warn',
  })
  try {
    const url = server.url
    await run({ url: `${url}/healthz`, connections: 10, duration: 2 }) // warm-up
    const health = summarise(await run({ url: `${url}/healthz`, connections, duration: seconds }), 200)
    const signing = summarise(
      await run({ url, connections, duration: seconds, requests: [signatureRequest(petitionId)] }),
      202,
    )

    // Readers and signers together.
    const [page, count, signingUnderReads] = await Promise.all([
      run({
        url: `${url}/petitions/${petitionId}`,
        connections: Math.ceil(connections / 2),
        duration: seconds,
      }),
      run({
        url: `${url}/petitions/${petitionId}/count.json`,
        connections: Math.ceil(connections / 2),
        duration: seconds,
      }),
      run({
        url,
        connections: Math.ceil(connections / 4),
        duration: seconds,
        requests: [signatureRequest(petitionId)],
      }),
    ])
    const reads = summarise(page, 200).ok + summarise(count, 200).ok
    const readRps = Math.round(reads / seconds)
    const readP99 = Math.max(page.latency.p99, count.latency.p99)
    const signUnder = summarise(signingUnderReads, 202)
    console.log(`\n${label}`)
    console.log(
      `  GET /healthz                 ${health.rps.toLocaleString('en-GB').padStart(8)} req/s   p99 ${health.p99} ms`,
    )
    console.log(
      `  signatures (accepted)        ${signing.rps.toLocaleString('en-GB').padStart(8)} /s      p99 ${signing.p99} ms   (${(signing.rps / health.rps).toFixed(3)} of healthz)`,
    )
    console.log(
      `  reads (page + count.json)    ${readRps.toLocaleString('en-GB').padStart(8)} req/s   p99 ${readP99} ms   while signing ${signUnder.rps.toLocaleString('en-GB')} /s (p99 ${signUnder.p99} ms)`,
    )
    console.log(
      '  count staleness              0 s: count.json and the page read the stored count on every request (no cache)',
    )
  } finally {
    await server.stop()
  }
}

const dir = mkdtempSync(join(tmpdir(), 'townsquare-bench-'))
try {
  console.log(
    `Townsquare petitions bench: ${seconds} s per measure, ${connections} connections, 2-core machine, load generator in the same machine`,
  )
  await bench('SQLite (WAL, synchronous=NORMAL)', `sqlite:${join(dir, 'bench.sqlite')}`)
  const pgUrl = process.env['BENCH_DATABASE_URL']
  if (pgUrl) {
    const name = `townsquare_bench_${Date.now()}`
    const c = new pg.Client({ connectionString: pgUrl })
    await c.connect()
    await c.query(`CREATE DATABASE ${name}`)
    const u = new URL(pgUrl)
    u.pathname = `/${name}`
    try {
      await bench('PostgreSQL', u.toString())
    } finally {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    }
  } else {
    console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL=postgres://… to measure it)')
  }
  console.log(
    '\nReproduce: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/petitions/run.ts',
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
