import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import pg from 'pg'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/db.js'
import { freePort, HttpClient, run, startServer } from '../support/process.js'

const REDIS_URL = process.env['REDIS_URL'] || null

describe('the server as a process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'townsquare-proc-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const [name, value] of [
    ['PORT', 'not-a-port'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['SMTP_URL', 'ftp://mail'],
  ]) {
    it(`stops at boot on a bad ${name}, naming the variable`, async () => {
      const res = await run(['--import', 'tsx', 'src/server.ts'], {
        env: {
          [name!]: value!,
          DATABASE_URL: name === 'DATABASE_URL' ? value! : `sqlite:${join(dir, 'bad.sqlite')}`,
        },
      })
      assert.notEqual(res.code, 0)
      assert.match(res.stderr, new RegExp(`Invalid configuration: ${name}`))
      assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace')
    })
  }

  it('npm run demo: fills an empty database, prints the logins, serves home, login and admin', async () => {
    const port = await freePort()
    const server = await startServer({
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`,
      TOWNSQUARE_DEMO: '1',
    })
    try {
      const login = /admin\s+(\S+@\S+)\s+(\S+)/.exec(server.output())
      assert.ok(login, `demo logins printed:\n${server.output()}`)
      const client = new HttpClient(server.url)
      const home = await client.get('/')
      assert.equal(home.status, 200)
      assert.match(home.body, /Glanaber County Council/)
      assert.equal((await client.get('/admin/login')).status, 200)
      const signedIn = await client.post('/admin/login', { email: login[1]!, password: login[2]! })
      assert.equal(signedIn.status, 303)
      const admin = await client.get('/admin')
      assert.equal(admin.status, 200)
      assert.match(admin.body, /Dashboard/)
      assert.equal((await client.get('/healthz')).body, '{"status":"ok"}')
    } finally {
      await server.stop()
    }
    // A second start keeps the data and does not print new logins.
    const again = await startServer({
      PORT: String(await freePort()),
      DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`,
      TOWNSQUARE_DEMO: '1',
    })
    await again.stop()
    assert.match(again.output(), /Demo data already present/)
  })
})

describe('two app processes on one PostgreSQL and Redis', {
  skip: TEST_DATABASE_URL && REDIS_URL ? false : 'needs TEST_DATABASE_URL and REDIS_URL (set by .ci/run)',
}, () => {
  it('run a recurring job once per period, not twice, and share rate limits', async () => {
    const database = await createTestDatabase()
    const admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    const env = { DATABASE_URL: database.url, REDIS_URL: REDIS_URL!, LOGIN_ATTEMPTS_PER_MINUTE: '4' }
    const a = await startServer({ ...env, PORT: String(await freePort()) })
    const b = await startServer({ ...env, PORT: String(await freePort()) })
    try {
      // Let both processes tick through several periods of the mail-retry job (one a minute) and
      // of the per-second recurring runs they would both like to claim.
      const email = `flood-${Date.now()}@example.org`
      const clientA = new HttpClient(a.url)
      await clientA.get('/admin/login')
      for (let i = 0; i < 4; i++) {
        const res = await clientA.post('/admin/login', { email, password: 'wrong password 1' })
        assert.equal(res.status, 401, `attempt ${i + 1} on A is judged`)
      }
      const clientB = new HttpClient(b.url)
      await clientB.get('/admin/login')
      const blocked = await clientB.post('/admin/login', { email, password: 'wrong password 1' })
      assert.equal(blocked.status, 429, 'the limit reached through A holds in B')

      // Both processes tick every second; the heartbeat's period is five seconds.
      await new Promise((r) => setTimeout(r, 11_000))
      const runs = await admin.query(
        `SELECT period_start, count(*)::int AS n FROM recurring_job_runs WHERE name = 'platform.heartbeat' GROUP BY period_start`,
      )
      assert.ok(runs.rows.length >= 2, `the heartbeat ran in ${runs.rows.length} periods`)
      for (const row of runs.rows) assert.equal(row.n, 1, `period ${row.period_start} ran once`)
      const beats = await admin.query(
        `SELECT count(*)::int AS n FROM recurring_job_runs WHERE name = 'platform.heartbeat'`,
      )
      assert.equal(beats.rows[0].n, runs.rows.length, 'never twice in a period')
    } finally {
      await a.stop()
      await b.stop()
      await admin.end()
      await database.drop()
    }
  })
})
