import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../../test/support/db.js'
import { CliError } from '../../../platform/cli/command.js'
import type { DbHandle } from '../../../platform/db/connect.js'
import { addElectionPeriod } from '../../../platform/elections/index.js'
import { importAreas, parseAreasCsv } from '../commands/areas-import.js'
import {
  closeAllEarly,
  closeExpiredPetitions,
  closeForElectionPeriod,
  pseudonymiseOldSignatures,
  recountPetitions,
} from '../commands/maintenance.js'
import { DEFAULT_RULES } from '../domain/petition.js'
import { findPetitionById, findPetitionEvents } from '../store/petition-store.js'
import { findArea } from '../store/signature-store.js'
import { openPetition, petitionIn } from './factories.js'

describe('areas CSV', () => {
  it('reads postcodes with areas and regions, and names the line of a bad row', () => {
    const rows = parseAreasCsv(
      'postcode,area_code,area_name,region_code,region_name\ncf10 1ep,W05001,Cathays,W1,Cardiff\n',
      'a.csv',
    )
    assert.deepEqual(rows, [
      {
        postcode: 'CF101EP',
        areaCode: 'W05001',
        areaName: 'Cathays',
        regionCode: 'W1',
        regionName: 'Cardiff',
      },
    ])
    assert.throws(
      () => parseAreasCsv('postcode,area_code,area_name\nnope,W1,X\n', 'a.csv'),
      (e: unknown) => e instanceof CliError && /a\.csv line 2: "nope" is not a UK postcode/.test(e.message),
    )
    assert.throws(
      () => parseAreasCsv('postcode,name\nCF10 1EP,X\n', 'a.csv'),
      /line 1: missing column "area_code"/,
    )
  })
})

for (const dialect of TEST_DIALECTS) {
  describe(`petition maintenance on ${dialectLabel(dialect)}`, () => {
    let h: DbHandle
    before(async () => {
      h = await openTestDb(dialect)
    })
    after(async () => {
      await h.close()
    })

    it('imports and updates the postcode lookup', async () => {
      await importAreas(
        h.db,
        parseAreasCsv('postcode,area_code,area_name\nCF10 1EP,W05001,Cathays\n', 'a.csv'),
      )
      await importAreas(
        h.db,
        parseAreasCsv('postcode,area_code,area_name\nCF10 1EP,W05002,Plasnewydd\n', 'a.csv'),
      )
      assert.equal((await findArea(h.db, 'cf10 1ep'))?.areaName, 'Plasnewydd')
    })

    it('closes open petitions at their deadline, not before', async () => {
      const due = await openPetition(h.db, { deadlineAt: '2026-05-01T23:59:59.999Z' })
      const later = await openPetition(h.db, { deadlineAt: '2026-06-01T23:59:59.999Z' })
      const closed = await closeExpiredPetitions(h.db, new Date('2026-05-02T07:00:00Z'))
      assert.ok(closed.includes(due))
      assert.ok(!closed.includes(later))
      const p = await findPetitionById(h.db, due)
      assert.equal(p?.state, 'closed')
      assert.equal(p?.closedAt, '2026-05-01T23:59:59.999Z')
      assert.ok((await findPetitionEvents(h.db, due)).some((e) => e.kind === 'state.closed'))
      assert.deepEqual(await closeExpiredPetitions(h.db, new Date('2026-05-02T08:00:00Z')), [], 'idempotent')
    })

    it('closes every open petition and stops unpublished ones for an election', async () => {
      const open = await openPetition(h.db)
      const waiting = await petitionIn(h.db, 'sponsored')
      const result = await closeAllEarly(h.db, new Date('2026-04-01T00:00:00Z'))
      assert.ok(result.closed.includes(open))
      assert.ok(result.stopped.includes(waiting))
      assert.equal((await findPetitionById(h.db, waiting))?.state, 'stopped')
    })

    it('pauses for a pre-election period of the elections calendar only when the council says so', async () => {
      await addElectionPeriod(h.db, {
        name: 'County council 2027',
        startsOn: '2027-04-08',
        pollsOn: '2027-05-06',
      })
      const open = await openPetition(h.db)
      const waiting = await petitionIn(h.db, 'validated')
      const during = new Date('2027-04-20T09:00:00Z')
      assert.equal(await closeForElectionPeriod(h.db, { closeForElections: false }, during), null)
      assert.equal((await findPetitionById(h.db, open))?.state, 'open')
      assert.equal(
        await closeForElectionPeriod(h.db, { closeForElections: true }, new Date('2027-04-07T22:30:00Z')),
        null,
        'the day before the period starts (23:30 BST)',
      )
      const done = await closeForElectionPeriod(h.db, { closeForElections: true }, during)
      assert.equal(done?.period.name, 'County council 2027')
      assert.ok(done?.closed.includes(open))
      assert.ok(done?.stopped.includes(waiting))
      const again = await closeForElectionPeriod(h.db, { closeForElections: true }, during)
      assert.deepEqual([again?.closed, again?.stopped], [[], []], 'running again changes nothing')
    })

    it('recounts stored counts from the signatures and reverses thresholds', async () => {
      const id = await openPetition(h.db, {
        signatureCount: 10_003,
        responseThresholdReachedAt: '2026-01-01T00:00:00.000Z',
      })
      for (let i = 0; i < 3; i++) {
        await h.db
          .insertInto('petition_signatures')
          .values({
            petition_id: id,
            name: `S${i}`,
            name_key: `s${i}`,
            email: `s${i}@example.org`,
            canonical_email: `s${i}@example.org`,
            country: 'GB',
            postcode: 'CF10 1EP',
            state: 'validated',
            assurance_level: 'email-verified',
            language: 'en',
            created_at: new Date().toISOString(),
          })
          .execute()
      }
      const fixed = await recountPetitions(h.db, DEFAULT_RULES, new Date())
      assert.deepEqual(
        fixed.find((f) => f.petitionId === id),
        { petitionId: id, stored: 10_003, actual: 3 },
      )
      const p = await findPetitionById(h.db, id)
      assert.equal(p?.signatureCount, 3)
      assert.equal(p?.responseThresholdReachedAt, null)
      assert.equal(
        (await recountPetitions(h.db, DEFAULT_RULES, new Date())).find((f) => f.petitionId === id),
        undefined,
      )
    })
  })
}

for (const dialect of TEST_DIALECTS) {
  describe(`retention on ${dialectLabel(dialect)}`, () => {
    let h: DbHandle
    before(async () => {
      h = await openTestDb(dialect)
    })
    after(async () => {
      await h.close()
    })

    it('pseudonymises signers six months after closing and keeps the area counts', async () => {
      const old = await petitionIn(h.db, 'closed', {
        closedAt: '2026-01-01T00:00:00.000Z',
        creatorEmail: 'creator@example.org',
      })
      const recent = await petitionIn(h.db, 'closed', { closedAt: '2026-10-01T00:00:00.000Z' })
      for (const pid of [old, recent]) {
        await h.db
          .insertInto('petition_signatures')
          .values({
            petition_id: pid,
            name: 'Ann Jones',
            name_key: 'ann jones',
            email: 'ann@example.org',
            canonical_email: 'ann@example.org',
            country: 'GB',
            postcode: 'CF10 1EP',
            area_code: 'W05001',
            state: 'validated',
            assurance_level: 'email-verified',
            language: 'en',
            ip: '203.0.113.1',
            created_at: '2025-12-01T00:00:00.000Z',
          })
          .execute()
      }
      await h.db
        .insertInto('petition_counts')
        .values({ petition_id: old, kind: 'area', code: 'W05001', name: 'Cathays', count: 1 })
        .execute()
      const n = await pseudonymiseOldSignatures(h.db, new Date('2026-11-29T00:00:00Z'))
      assert.equal(n, 1)
      const [gone] = await h.db
        .selectFrom('petition_signatures')
        .selectAll()
        .where('petition_id', '=', old)
        .execute()
      assert.match(gone!.name, /^Signature \d+$/)
      assert.match(gone!.email, /pseudonymised\.invalid$/)
      assert.equal(gone!.ip, null)
      assert.equal(gone!.postcode, 'CF10')
      assert.equal(gone!.area_code, 'W05001')
      const [kept] = await h.db
        .selectFrom('petition_signatures')
        .select('email')
        .where('petition_id', '=', recent)
        .execute()
      assert.equal(kept!.email, 'ann@example.org')
      assert.equal((await findPetitionById(h.db, old))?.creatorEmail, null)
      assert.equal(
        (
          await h.db
            .selectFrom('petition_counts')
            .select('count')
            .where('petition_id', '=', old)
            .executeTakeFirst()
        )?.count,
        1,
      )
      assert.equal(await pseudonymiseOldSignatures(h.db, new Date('2026-11-29T00:00:00Z')), 0, 'idempotent')
    })
  })
}
