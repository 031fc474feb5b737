import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import pino from 'pino'
import { modules } from '../../src/modules/index.js'
import { countStaff } from '../../src/platform/auth/staff-store.js'
import { seedDemo } from '../../src/platform/demo/demo.js'
import { createServices } from '../../src/platform/services.js'
import { testConfig } from '../support/app.js'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../support/db.js'

for (const dialect of TEST_DIALECTS) {
  describe(`demo data on ${dialectLabel(dialect)}`, () => {
    it('fills an empty database with every module’s generated demo data, once', async () => {
      const handle = await openTestDb(dialect)
      const services = await createServices(testConfig(), {
        handle,
        logger: pino({ level: 'silent' }),
        migrate: false,
        localJobs: true,
      })
      try {
        const logins = await seedDemo(services, new Date('2026-11-29T10:00:00Z'))
        assert.equal(logins?.length, 5)
        assert.equal(await countStaff(services.db), 5)
        const org = await services.organisation()
        assert.deepEqual([...org.enabledModules].sort(), modules.map((m) => m.key).sort())
        assert.equal(await seedDemo(services, new Date()), null, 'never mixed into a database that has staff')
      } finally {
        await services.close()
      }
    })
  })
}
