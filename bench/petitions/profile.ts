/**
 * Where the server's time goes under one kind of petition load: starts the real server under
 * `node --cpu-prof`, loads it with autocannon for a few seconds, stops it and prints the
 * functions and packages with the most self time (the figures in the petitions README).
 *
 *   npx tsx bench/petitions/profile.ts sign|read|count|health [--seconds 5] [--no-profile]
 *   PROFILE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<empty db> npx tsx bench/petitions/profile.ts sign
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import pino from 'pino'
import { addFraudRule } from '../../src/modules/petitions/store/fraud-store.js'
import { openPetition } from '../../src/modules/petitions/test/factories.js'
import { ROOT } from '../../src/platform/paths.js'
import { createServices } from '../../src/platform/services.js'
import { DEFAULT_ORGANISATION } from '../../src/platform/settings/organisation.js'
import { writeSetting } from '../../src/platform/settings/settings.js'
import { testConfig } from '../../test/support/app.js'
import { freePort } from '../../test/support/process.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '5' }, 'no-profile': { type: 'boolean', default: false } },
})
const mode = positionals[0] ?? 'sign'
const seconds = Number(values.seconds)
const dir = mkdtempSync(join(tmpdir(), 'townsquare-profile-'))
const profDir = values['no-profile'] ? null : join(dir, 'profiles')
const databaseUrl = process.env['PROFILE_DATABASE_URL'] ?? `sqlite:${join(dir, 'profile.sqlite')}`

const services = await createServices(testConfig({ DATABASE_URL: databaseUrl }), {
  logger: pino({ level: 'silent' }),
  localJobs: true,
})
await writeSetting(services.db, 'organisation', { ...DEFAULT_ORGANISATION, enabledModules: ['petitions'] })
await addFraudRule(
  services.db,
  { list: 'allow', kind: 'ip', pattern: '127.0.0.0/8', note: 'profile' },
  new Date(),
)
const id = await openPetition(services.db, { action: 'Profiled petition' })
await services.close()

const port = await freePort()
const child = spawn(
  process.execPath,
  [
    ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
    '--import',
    'tsx',
    join(ROOT, 'src', 'server.ts'),
  ],
  {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      JOBS: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
)
await new Promise<void>((resolve) => {
  child.stdout!.on('data', (d: Buffer) => {
    if (d.toString().includes('Townsquare is listening')) resolve()
  })
})
const url = `http://127.0.0.1:${port}`
const run = (o: autocannon.Options) =>
  new Promise<autocannon.Result>((res, rej) => autocannon(o, (e, r) => (e ? rej(e) : res(r))))
let n = 0
const result =
  mode === 'sign'
    ? await run({
        url,
        connections: 50,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: `/api/v1/petitions/${id}/signatures`,
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => {
              n++
              return {
                ...req,
                body: JSON.stringify({
                  name: `Signer ${n}`,
                  email: `p${n}@example.org`,
                  country: 'GB',
                  postcode: 'CF10 1EP',
                  declaration: true,
                }),
              }
            },
          },
        ],
      })
    : await run({
        url: `${url}${{ read: `/petitions/${id}`, count: `/petitions/${id}/count.json`, health: '/healthz' }[mode]}`,
        connections: 50,
        duration: seconds,
      })
console.log(
  `${mode}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ` +
    `non-2xx ${result.non2xx}, errors ${result.errors}`,
)
await new Promise((r) => {
  child.once('exit', r)
  child.kill('SIGTERM')
})

if (profDir) {
  // The main thread's profile is the largest (tsx's loader thread writes a small one).
  const file = readdirSync(profDir)
    .map((f) => join(profDir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0]!
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
    samples: number[]
    timeDeltas: number[]
  }
  const time = new Map<number, number>()
  for (const [i, s] of profile.samples.entries())
    time.set(s, (time.get(s) ?? 0) + (profile.timeDeltas[i] ?? 0))
  const byFunction = new Map<string, number>()
  const byPackage = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const t = time.get(node.id) ?? 0
    total += t
    const where = node.callFrame.url.replace(/.*node_modules\//, '').replace(`file://${ROOT}/`, '')
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + t)
    const pkg = where.split('/').slice(0, 2).join('/') || node.callFrame.functionName
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t)
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, t]) => `  ${((t / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n')
  console.log(
    `\nself time, ${Math.round(total / 1000)} ms sampled (start-up included):\n${top(byFunction, 25)}`,
  )
  console.log(`\nby package:\n${top(byPackage, 15)}`)
}
rmSync(dir, { recursive: true, force: true })
