/**
 * Petition signing and reading over real HTTP, on SQLite and on PostgreSQL (issue #3).
 *
 *   npx tsx bench/petitions/run.ts [--seconds 10] [--connections 50]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/petitions/run.ts
 *
 * For each database it starts the real server (a separate process, durable commits: SQLite WAL
 * synchronous=NORMAL, PostgreSQL default fsync), then measures with autocannon from this process
 * (no HTTP pipelining anywhere):
 * 1. GET /healthz alone: the ceiling of this machine for the framework;
 * 2. POST /api/v1/petitions/:id/signatures alone, every request a new signer;
 * 3. the surge: readers load the petition page and count.json while signers sign and a
 *    confirmer follows emailed links (read from the outbox) one after another, so the count
 *    moves; a sampler compares what count.json and the page show with the confirmations that
 *    had already succeeded, and reports the worst staleness in seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import pg from 'pg'
import pino from 'pino'
import { addFraudRule } from '../../src/modules/petitions/store/fraud-store.js'
import { openPetition } from '../../src/modules/petitions/test/factories.js'
import { connect } from '../../src/platform/db/connect.js'
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

interface Figures {
  readonly label: string
  readonly health: Result
  readonly signing: Result
  readonly readRps: number
  readonly readP99: number
  readonly readErrors: number
  readonly signUnder: Result
  readonly confirmed: number
  readonly staleness: { readonly maxS: number; readonly samples: number; readonly consistent: boolean }
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Follows emailed confirmation links one at a time, like signers clicking them: GET the page (for
 * its CSRF token and cookie), POST the form. After the k-th success the true count is ≥ base + k;
 * `confirmedAt[k-1]` is when that success was known.
 */
async function confirmer(
  serverUrl: string,
  databaseUrl: string,
  petitionId: number,
  until: () => boolean,
): Promise<number[]> {
  const handle = connect(databaseUrl)
  const confirmedAt: number[] = []
  let lastId = 0
  try {
    while (!until()) {
      const mails = await handle.db
        .selectFrom('outbox')
        .select(['id', 'text_body'])
        .where('template', '=', 'petitions-confirm-signature')
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(20)
        .execute()
      if (mails.length === 0) {
        await sleep(20)
        continue
      }
      for (const mail of mails) {
        if (until()) break
        lastId = Number(mail.id)
        const m = /https?:\/\/[^/]+(\/petitions\/(\d+)\/signatures\/\d+\/confirm)\?token=(\S+)/.exec(
          mail.text_body,
        )
        if (!m || Number(m[2]) !== petitionId) continue
        const page = await fetch(`${serverUrl}${m[1]}?token=${m[3]}`)
        const html = await page.text()
        const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
        const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ')
        const res = await fetch(`${serverUrl}${m[1]}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: new URLSearchParams({ _csrf: csrf, token: m[3]! }).toString(),
        })
        if (res.status === 303) confirmedAt.push(Date.now())
        else throw new Error(`confirmation answered ${res.status}`)
      }
    }
  } finally {
    await handle.close()
  }
  return confirmedAt
}

/** Reads count.json and the page ~10 times a second: what each showed, and when it arrived. */
async function sampler(
  serverUrl: string,
  petitionId: number,
  until: () => boolean,
): Promise<{ value: number; at: number }[]> {
  const samples: { value: number; at: number }[] = []
  for (let i = 0; !until(); i++) {
    if (i % 2 === 0) {
      const res = await fetch(`${serverUrl}/petitions/${petitionId}/count.json`)
      const json = (await res.json()) as { signature_count: number }
      samples.push({ value: json.signature_count, at: Date.now() })
    } else {
      const html = await (await fetch(`${serverUrl}/petitions/${petitionId}`)).text()
      samples.push({ value: Number(/data-count="(\d+)"/.exec(html)?.[1] ?? -1), at: Date.now() })
    }
    await sleep(100)
  }
  return samples
}

/**
 * Staleness of a sample that shows `value`, arriving at `at`: if the (value − base + 1)-th
 * confirmation had already succeeded by then, the reader saw a count that was out of date since
 * that moment (an upper bound: the answer may have been made a little before it arrived).
 */
function maxStaleness(
  samples: readonly { value: number; at: number }[],
  confirmedAt: readonly number[],
  base: number,
): number {
  let max = 0
  for (const s of samples) {
    const next = confirmedAt[s.value - base]
    if (next !== undefined && next < s.at) max = Math.max(max, s.at - next)
  }
  return max / 1000
}

async function bench(label: string, databaseUrl: string): Promise<Figures> {
  const petitionId = await prepare(databaseUrl)
  const server = await startServer({
    PORT: String(await freePort()),
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

    // The surge: readers, signers and confirmers together, and the sampler watching the count.
    const base = (
      (await (await fetch(`${url}/petitions/${petitionId}/count.json`)).json()) as {
        signature_count: number
      }
    ).signature_count
    let done = false
    const until = () => done
    const watching = Promise.all([
      confirmer(url, databaseUrl, petitionId, until),
      sampler(url, petitionId, until),
    ])
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
    done = true
    const [confirmedAt, samples] = await watching
    // After the surge the count must catch up exactly: nothing confirmed was lost.
    await sleep(2500)
    const final = (
      (await (await fetch(`${url}/petitions/${petitionId}/count.json`)).json()) as {
        signature_count: number
      }
    ).signature_count
    const reads = summarise(page, 200).ok + summarise(count, 200).ok
    return {
      label,
      health,
      signing,
      readRps: Math.round(reads / seconds),
      readP99: Math.max(page.latency.p99, count.latency.p99),
      readErrors: page.errors + page.non2xx + count.errors + count.non2xx,
      signUnder: summarise(signingUnderReads, 202),
      confirmed: confirmedAt.length,
      staleness: {
        maxS: maxStaleness(samples, confirmedAt, base),
        samples: samples.length,
        consistent: final === base + confirmedAt.length,
      },
    }
  } finally {
    await server.stop()
  }
}

const n = (v: number) => v.toLocaleString('en-GB')

function table(all: readonly Figures[]): string {
  const rows: [string, (f: Figures) => string, string][] = [
    ['GET /healthz (the ceiling)', (f) => `${n(f.health.rps)} req/s, p99 ${f.health.p99} ms`, ''],
    [
      'signatures accepted (202)',
      (f) => `${n(f.signing.rps)}/s, p99 ${f.signing.p99} ms`,
      '10,000/s SQLite, 5,000/s PG',
    ],
    ['  ratio to healthz', (f) => (f.signing.rps / f.health.rps).toFixed(3), '≥ 0.15'],
    [
      'reads: page + count.json',
      (f) => `${n(f.readRps)} req/s, p99 ${f.readP99} ms`,
      '20,000 req/s, p99 < 50 ms',
    ],
    ['  signing meanwhile', (f) => `${n(f.signUnder.rps)}/s, p99 ${f.signUnder.p99} ms`, ''],
    ['  confirmations meanwhile', (f) => `${n(f.confirmed)} (one at a time)`, ''],
    [
      'max count staleness',
      (f) =>
        `${f.staleness.maxS.toFixed(2)} s (${f.staleness.samples} samples${f.staleness.consistent ? '' : ', FINAL COUNT WRONG'})`,
      '≤ 5 s',
    ],
    [
      'errors / non-2xx',
      (f) => String(f.health.errors + f.signing.errors + f.readErrors + f.signUnder.errors),
      '0',
    ],
  ]
  const widths = [28, ...all.map(() => 34), 28]
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')
  return [
    line(['', ...all.map((f) => f.label), 'goal (issue #3)']),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(([name, value, goal]) => line([name, ...all.map(value), goal])),
  ].join('\n')
}

const dir = mkdtempSync(join(tmpdir(), 'townsquare-bench-'))
try {
  console.log(
    `Townsquare petitions bench: ${seconds} s per measure, ${connections} connections, no pipelining, ` +
      'load generator on the same 2-core machine',
  )
  const all: Figures[] = []
  all.push(await bench('SQLite (WAL, synchronous=NORMAL)', `sqlite:${join(dir, 'bench.sqlite')}`))
  const pgUrl = process.env['BENCH_DATABASE_URL']
  if (pgUrl) {
    const name = `townsquare_bench_${Date.now()}`
    const c = new pg.Client({ connectionString: pgUrl })
    await c.connect()
    await c.query(`CREATE DATABASE ${name}`)
    const u = new URL(pgUrl)
    u.pathname = `/${name}`
    try {
      all.push(await bench('PostgreSQL (fsync on)', u.toString()))
    } finally {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    }
  }
  console.log(`\n${table(all)}`)
  // Other work on the machine moves every figure: say how busy it was.
  console.log(
    `\nLoad average at the end (1/5 min): ${loadavg()
      .slice(0, 2)
      .map((l) => l.toFixed(1))
      .join(' / ')} on ${availableParallelism()} cores`,
  )
  if (!pgUrl) console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL=postgres://… to measure it)')
  console.log(
    `\nCommand: ${pgUrl ? `BENCH_DATABASE_URL=${pgUrl} ` : ''}npx tsx bench/petitions/run.ts --seconds ${seconds} --connections ${connections}`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
