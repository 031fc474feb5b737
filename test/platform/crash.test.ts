import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import pino from 'pino'
import { openPetition } from '../../src/modules/petitions/test/factories.js'
import { connect } from '../../src/platform/db/connect.js'
import { createServices } from '../../src/platform/services.js'
import { DEFAULT_ORGANISATION } from '../../src/platform/settings/organisation.js'
import { writeSetting } from '../../src/platform/settings/settings.js'
import { testConfig } from '../support/app.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/db.js'
import { freePort, startServer } from '../support/process.js'

/**
 * Nothing accepted is lost (DESIGN.md): sign under load over real HTTP, kill the server with
 * SIGKILL mid-stream, and find every signature that got a success response.
 */
async function signUntilKilled(databaseUrl: string): Promise<void> {
  const services = await createServices(testConfig({ DATABASE_URL: databaseUrl }), {
    logger: pino({ level: 'silent' }),
    localJobs: true,
  })
  await writeSetting(services.db, 'organisation', { ...DEFAULT_ORGANISATION, enabledModules: ['petitions'] })
  const petitionId = await openPetition(services.db)
  await services.close()

  const server = await startServer({
    PORT: String(await freePort()),
    DATABASE_URL: databaseUrl,
    JOBS: 'false',
  })
  const accepted: string[] = []
  let stop = false
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const email = `crash-${w}-${i}@example.org`
      try {
        const res = await fetch(`${server.url}/api/v1/petitions/${petitionId}/signatures`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: `Signer ${w} ${i}`,
            email,
            country: 'GB',
            postcode: 'CF10 1EP',
            declaration: true,
          }),
        })
        if (res.status === 202) accepted.push(email)
      } catch {
        return // the server is gone
      }
    }
  }
  // 32 signers at once, so the group commit (petitions commands/signature-batch.ts) has batches
  // in flight — some answered, some not — when the server dies.
  const workers = Array.from({ length: 32 }, (_, w) => worker(w))
  // Kill the server once a good number of signatures are in flight.
  while (accepted.length < 300) await new Promise((r) => setTimeout(r, 20))
  server.child.kill('SIGKILL')
  stop = true
  await Promise.all(workers)
  if (server.child.exitCode === null && server.child.signalCode === null)
    await new Promise((r) => server.child.once('exit', r))

  const handle = connect(databaseUrl)
  try {
    const rows = await handle.db
      .selectFrom('petition_signatures')
      .select('email')
      .where('petition_id', '=', petitionId)
      .execute()
    const stored = new Set(rows.map((r) => r.email))
    const lost = accepted.filter((e) => !stored.has(e))
    console.log(
      `crash test: ${accepted.length} signatures accepted before SIGKILL, ${stored.size} stored, ${lost.length} lost`,
    )
    assert.deepEqual(lost, [], 'every accepted signature survived the crash')
  } finally {
    await handle.close()
  }
}

describe('a signature that got a success response survives kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'townsquare-crash-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('on SQLite (WAL)', async () => {
    await signUntilKilled(`sqlite:${join(dir, 'crash.sqlite')}`)
  })

  it('on PostgreSQL', {
    skip: TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL (set by .ci/run)',
  }, async () => {
    const database = await createTestDatabase()
    try {
      await signUntilKilled(database.url)
    } finally {
      await database.drop()
    }
  })
})
