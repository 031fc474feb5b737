import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import pino from 'pino'
import { connect } from '../../src/platform/db/connect.js'
import { migrateToLatest } from '../../src/platform/db/migrate.js'
import { createJobs } from '../../src/platform/jobs/jobs.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/db.js'

describe('queued jobs on PostgreSQL (pg-boss)', {
  skip: TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL (set by .ci/run)',
}, () => {
  it('shares one queue between two workers and runs each job exactly once', async () => {
    const database = await createTestDatabase()
    const handles = [connect(database.url, { poolSize: 3 }), connect(database.url, { poolSize: 3 })]
    await migrateToLatest(handles[0]!.db)
    const seen = new Map<number, string[]>()
    const workers = handles.map((h, i) => {
      const jobs = createJobs({
        db: h.db,
        logger: pino({ level: 'silent' }),
        postgresUrl: database.url,
        workerId: `w${i}`,
      })
      jobs.define<{ n: number }>('test.pgboss', async ({ n }) => {
        seen.set(n, [...(seen.get(n) ?? []), `w${i}`])
      })
      return jobs
    })
    try {
      for (const w of workers) await w.start()
      assert.equal(workers[0]!.backend, 'pg-boss')
      for (let n = 0; n < 30; n++) await workers[n % 2]!.enqueue('test.pgboss', { n })
      for (let i = 0; i < 150 && seen.size < 30; i++) await new Promise((r) => setTimeout(r, 100))
      assert.equal(seen.size, 30, 'every job ran')
      for (const [n, by] of seen) assert.equal(by.length, 1, `job ${n} ran once (by ${by.join(', ')})`)
    } finally {
      for (const w of workers) await w.stop()
      for (const h of handles) await h.close()
      await database.drop()
    }
  })
})
