import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pino from 'pino'
import { findAuditEntries, recordAudit } from '../../src/platform/audit/audit.js'
import {
  consumeEmailToken,
  issueEmailToken,
  pseudonymiseCitizen,
  upsertVerifiedCitizen,
} from '../../src/platform/auth/citizens.js'
import { findStaffByEmail, insertStaff, recordFailedLogin } from '../../src/platform/auth/staff-store.js'
import type { DbHandle } from '../../src/platform/db/connect.js'
import { createJobs } from '../../src/platform/jobs/jobs.js'
import { ensureSetting, readSetting, writeSetting } from '../../src/platform/settings/settings.js'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../support/db.js'

const logger = pino({ level: 'silent' })

for (const dialect of TEST_DIALECTS) {
  describe(`platform stores on ${dialectLabel(dialect)}`, () => {
    let h: DbHandle
    before(async () => {
      h = await openTestDb(dialect)
    })
    after(async () => {
      await h.close()
    })

    it('keeps the audit log append-only, even against direct SQL', async () => {
      await recordAudit(h.db, {
        actor: { kind: 'system', name: 'test' },
        action: 'test.create',
        subject: { type: 'thing', id: 7 },
        details: { a: 1 },
      })
      const [entry] = await findAuditEntries(h.db, { action: 'test.create' })
      assert.equal(entry?.subjectId, '7')
      assert.deepEqual(entry?.details, { a: 1 })
      await assert.rejects(
        h.db.updateTable('audit_log').set({ action: 'rewritten' }).execute(),
        /append-only/,
      )
      await assert.rejects(h.db.deleteFrom('audit_log').execute(), /append-only/)
      assert.equal((await findAuditEntries(h.db, { action: 'test.create' })).length, 1)
    })

    it('filters the audit log by actor, action, record and date', async () => {
      const at = new Date('2026-01-02T03:04:05Z')
      await recordAudit(h.db, {
        actor: { kind: 'staff', id: 9, email: 'mod@example.org', name: 'Mod', roles: ['moderator'] },
        action: 'petitions.approve',
        subject: { type: 'petition', id: 42 },
        at,
      })
      assert.equal((await findAuditEntries(h.db, { actor: 'mod@' })).length, 1)
      assert.equal((await findAuditEntries(h.db, { action: 'petitions.' })).length, 1)
      assert.equal((await findAuditEntries(h.db, { subjectType: 'petition', subjectId: '42' })).length, 1)
      assert.equal((await findAuditEntries(h.db, { from: '2026-01-02', to: '2026-01-03' })).length, 1)
      assert.equal(
        (await findAuditEntries(h.db, { from: '2026-01-03' })).filter((e) => e.action === 'petitions.approve')
          .length,
        0,
      )
    })

    it('uses an email token once, and refuses it after expiry', async () => {
      const now = new Date('2026-11-29T10:00:00Z')
      const raw = await issueEmailToken(
        h.db,
        { purpose: 'p', email: 'Ann@Example.org ', payload: { x: 1 }, ttlMinutes: 60 },
        now,
      )
      assert.deepEqual(await consumeEmailToken(h.db, raw, 'other', now), {
        ok: false,
        problem: 'token-invalid',
      })
      const first = await consumeEmailToken(h.db, raw, 'p', now)
      assert.deepEqual(first, { ok: true, token: { email: 'ann@example.org', payload: { x: 1 } } })
      assert.deepEqual(await consumeEmailToken(h.db, raw, 'p', now), { ok: false, problem: 'token-used' })
      const late = await issueEmailToken(h.db, { purpose: 'p', email: 'b@example.org', ttlMinutes: 1 }, now)
      assert.deepEqual(await consumeEmailToken(h.db, late, 'p', new Date(now.getTime() + 61_000)), {
        ok: false,
        problem: 'token-expired',
      })
      assert.deepEqual(await consumeEmailToken(h.db, 'made-up', 'p', now), {
        ok: false,
        problem: 'token-invalid',
      })
    })

    it('lets only one of many simultaneous clicks use a token', async () => {
      const now = new Date()
      const raw = await issueEmailToken(h.db, { purpose: 'race', email: 'r@example.org', ttlMinutes: 5 }, now)
      const results = await Promise.all(
        Array.from({ length: 10 }, () => consumeEmailToken(h.db, raw, 'race', now)),
      )
      assert.equal(results.filter((r) => r.ok).length, 1)
    })

    it('verifies a citizen once and keeps the strongest assurance level', async () => {
      const now = new Date()
      const a = await upsertVerifiedCitizen(h.db, { email: 'Cit@Example.org', language: 'cy' }, now)
      assert.equal(a.assuranceLevel, 'email-verified')
      assert.equal(a.language, 'cy')
      await h.db.updateTable('citizens').set({ assurance_level: 'census' }).where('id', '=', a.id).execute()
      const b = await upsertVerifiedCitizen(h.db, { email: 'cit@example.org', language: 'en' }, now)
      assert.equal(b.id, a.id)
      assert.equal(b.assuranceLevel, 'census')
      await pseudonymiseCitizen(h.db, a.id)
      const gone = await h.db
        .selectFrom('citizens')
        .select('email')
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow()
      assert.match(gone.email, /pseudonymised\.invalid$/)
    })

    it('stores staff with unique emails and counts failures atomically', async () => {
      const id = await insertStaff(
        h.db,
        { email: 'Staff@Example.org', name: 'S', passwordHash: 'x', roles: ['analyst'] },
        new Date(),
      )
      await assert.rejects(
        insertStaff(
          h.db,
          { email: 'staff@example.org', name: 'T', passwordHash: 'x', roles: ['admin'] },
          new Date(),
        ),
      )
      const counts = await Promise.all(Array.from({ length: 5 }, () => recordFailedLogin(h.db, id)))
      assert.deepEqual([...counts].sort(), [1, 2, 3, 4, 5])
      assert.deepEqual((await findStaffByEmail(h.db, 'STAFF@example.org'))?.roles, ['analyst'])
    })

    it('keeps settings, and lets the first writer of a default win', async () => {
      await writeSetting(h.db, 'k', { a: 1 })
      await writeSetting(h.db, 'k', { a: 2 })
      assert.deepEqual(await readSetting(h.db, 'k'), { a: 2 })
      const winners = await Promise.all([
        ensureSetting(h.db, 'secret', 'first'),
        ensureSetting(h.db, 'secret', 'second'),
      ])
      assert.equal(winners[0], winners[1])
    })

    it('runs a recurring job once per period however many workers tick', async () => {
      let runs = 0
      const workers = ['w1', 'w2', 'w3'].map((workerId) => {
        const jobs = createJobs({ db: h.db, logger, postgresUrl: null, workerId })
        jobs.every('test.tick', 60_000, async () => {
          runs++
        })
        return jobs
      })
      const t0 = new Date('2026-11-29T10:00:10Z')
      const ran = await Promise.all(workers.map((w) => w.runDueRecurring(t0)))
      assert.equal(runs, 1)
      assert.equal(ran.flat().length, 1)
      await Promise.all(workers.map((w) => w.runDueRecurring(new Date('2026-11-29T10:00:50Z'))))
      assert.equal(runs, 1, 'same period: not again')
      await Promise.all(workers.map((w) => w.runDueRecurring(new Date('2026-11-29T10:01:01Z'))))
      assert.equal(runs, 2, 'next period: once more')
    })

    it('keeps queued jobs in the database until they run, and retries failures', async () => {
      const jobs = createJobs({ db: h.db, logger, postgresUrl: null })
      const seen: number[] = []
      let fail = true
      jobs.define<{ n: number }>('test.queue', async ({ n }) => {
        if (n === 2 && fail) {
          fail = false
          throw new Error('flaky')
        }
        seen.push(n)
      })
      await jobs.enqueue('test.queue', { n: 1 })
      await jobs.enqueue('test.queue', { n: 2 })
      const queued = await h.db
        .selectFrom('job_queue')
        .select('status')
        .where('name', '=', 'test.queue')
        .execute()
      assert.deepEqual(
        queued.map((r) => r.status),
        ['queued', 'queued'],
      )
      await jobs.drainLocal(new Date())
      assert.deepEqual(seen, [1])
      await jobs.drainLocal(new Date(Date.now() + 60_000))
      assert.deepEqual(seen, [1, 2])
    })
  })
}
