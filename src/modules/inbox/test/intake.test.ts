import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pino from 'pino'
import { addStaff, buildTestApp } from '../../../../test/support/app.js'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../../test/support/db.js'
import { insertStaff } from '../../../platform/auth/staff-store.js'
import type { DbHandle } from '../../../platform/db/connect.js'
import type { Db } from '../../../platform/db/database.js'
import { loadCatalogues } from '../../../platform/i18n/i18n.js'
import { createMailer } from '../../../platform/mail/mail.js'
import { catalogueDirs } from '../../../platform/services.js'
import { seedListeningDemo } from '../../listening/demo.js'
import { openCaseFromModule } from '../intake.js'
import { changeStatus } from '../services/cases.js'
import { invalidateRoutingContext, receiveMessage, receiveMessages } from '../services/intake.js'
import { warnBreaches } from '../services/warnings.js'
import { findCase, listCases } from '../store/case-store.js'
import { addTeamMember, insertRule, insertTeam, listAgents, setAgent } from '../store/config-store.js'

const system = { kind: 'system', name: 'test' } as const

for (const dialect of TEST_DIALECTS) {
  describe(`inbox intake and routing (${dialectLabel(dialect)})`, () => {
    let handle: DbHandle
    let db: Db
    let ann: number
    let bob: number
    let team: number

    before(async () => {
      handle = await openTestDb(dialect)
      db = handle.db
      const now = new Date('2026-11-30T09:00:00Z')
      ann = await insertStaff(
        db,
        { email: 'ann@example.org', name: 'Ann', passwordHash: 'x', roles: ['responder'] },
        now,
      )
      bob = await insertStaff(
        db,
        { email: 'bob@example.org', name: 'Bob', passwordHash: 'x', roles: ['responder'] },
        now,
      )
      team = await insertTeam(db, { name: 'Roads', email: 'roads@example.org' }, now)
      await addTeamMember(db, team, ann, { maxOpen: 2 })
      await addTeamMember(db, team, bob, { maxOpen: 2 })
      await insertRule(
        db,
        { name: 'Roads', conditions: { keywords: ['pothole'] }, actions: { teamId: team, priority: 'high' } },
        now,
      )
      invalidateRoutingContext(db)
    })
    after(async () => {
      await handle?.close()
    })

    const msg = (i: number, at: Date) => ({
      channel: 'email' as const,
      text: `Pothole number ${i} on the ring road`,
      receivedAt: at,
      externalId: `<pothole-${i}@example.org>`,
      citizenEmail: `c${i}@example.org`,
    })

    it('round-robins within per-person limits, skips people who are away, and frees a slot on close', async () => {
      const at = new Date('2026-11-30T09:00:00Z')
      const ids: number[] = []
      for (let i = 1; i <= 4; i++)
        ids.push((await receiveMessage(db, msg(i, new Date(at.getTime() + i * 1000)))).caseId)
      const assignees = await Promise.all(ids.map(async (id) => (await findCase(db, id))!.assigneeId))
      assert.deepEqual(assignees, [ann, bob, ann, bob], 'alternates between the two')
      const fifth = await receiveMessage(db, msg(5, new Date(at.getTime() + 5000)))
      assert.equal(
        (await findCase(db, fifth.caseId))!.assigneeId,
        null,
        'both at their limit: the case waits in the queue',
      )
      assert.equal((await findCase(db, fifth.caseId))!.teamId, team)
      assert.equal((await findCase(db, fifth.caseId))!.priority, 'high')
      await changeStatus(db, system, ids[0]!, 'closed', new Date(at.getTime() + 6000))
      await setAgent(db, bob, { available: false })
      const sixth = await receiveMessage(db, msg(6, new Date(at.getTime() + 7000)))
      assert.equal((await findCase(db, sixth.caseId))!.assigneeId, ann, 'Ann had a slot freed; Bob is away')
      const loads = Object.fromEntries((await listAgents(db)).map((a) => [a.name, a.openCount]))
      assert.deepEqual(loads, { Ann: 2, Bob: 2 })
      // The same email delivered again is not a new case.
      const again = await receiveMessage(db, msg(6, new Date(at.getTime() + 8000)))
      assert.equal(again.duplicate, true)
      assert.equal(again.caseId, sixth.caseId)
      await setAgent(db, bob, { available: true })
    })

    it('warns the assignee once per timer as a deadline nears and passes', async () => {
      const mailer = createMailer({
        db,
        smtpUrl: null,
        from: 'Council <no-reply@example.org>',
        publicUrl: 'http://localhost',
        catalogues: loadCatalogues(catalogueDirs()),
        organisationName: async () => 'Test Council',
        logger: pino({ level: 'silent' }),
      })
      // Case 2 (Bob's) opened Monday 09:00:02; first response due 8 business hours later, 17:00:02.
      const warn = await warnBreaches(db, mailer, new Date('2026-11-30T16:30:00Z'))
      assert.ok(warn >= 1)
      assert.equal(await warnBreaches(db, mailer, new Date('2026-11-30T16:40:00Z')), 0, 'no second warning')
      const late = await warnBreaches(db, mailer, new Date('2026-12-01T09:30:00Z'))
      assert.ok(late >= 1, 'breached timers warn once more')
      const mails = await db.selectFrom('outbox').select(['to_address', 'subject']).execute()
      assert.ok(mails.some((m) => m.to_address === 'bob@example.org' && /TS-\d+/.test(m.subject)))
      assert.ok(
        mails.some((m) => m.to_address === 'roads@example.org'),
        'unassigned cases warn the team address',
      )
    })

    it('takes a page of messages in one go: known and repeated ones are duplicates, replies join their case', async () => {
      const at = new Date('2026-11-30T12:00:00Z')
      const page = [
        msg(1, at), // stored by the first test
        {
          ...msg(20, at),
          channel: 'mastodon' as const,
          externalId: 'm-20',
          text: 'Pothole outside the school',
        },
        {
          ...msg(21, at),
          channel: 'mastodon' as const,
          externalId: 'm-21',
          text: 'Also the drain',
          inReplyTo: ['m-20'],
        },
        {
          ...msg(20, at),
          channel: 'mastodon' as const,
          externalId: 'm-20',
          text: 'Pothole outside the school',
        },
      ]
      const r = await receiveMessages(db, page, at)
      assert.deepEqual(
        r.map((x) => [x.created, x.duplicate]),
        [
          [false, true],
          [true, false],
          [false, false],
          [false, true],
        ],
      )
      assert.equal(r[2]!.caseId, r[1]!.caseId, 'the reply joined the case opened earlier in the page')
      assert.equal(r[3]!.caseId, r[1]!.caseId)
    })

    it('other modules open cases idempotently', async () => {
      const now = new Date('2026-11-30T11:00:00Z')
      const a = await openCaseFromModule(
        db,
        {
          channel: 'listening',
          reference: 'listening-spike:1',
          subject: 'Bins',
          text: 'Bins: 40 posts in an hour',
          context: 'listening:1',
        },
        now,
      )
      const b = await openCaseFromModule(
        db,
        {
          channel: 'listening',
          reference: 'listening-spike:1',
          subject: 'Bins',
          text: 'Bins: 40 posts in an hour',
          context: 'listening:1',
        },
        now,
      )
      assert.equal(a.created, true)
      assert.equal(b.duplicate, true)
      assert.equal((await findCase(db, a.caseId))!.context, 'listening:1')
    })
  })
}

describe('a listening spike with alerts opens an inbox case', () => {
  it('through the listening demo (spike on "Bins and recycling")', async () => {
    const t = await buildTestApp('sqlite')
    try {
      await addStaff(t.services, 'x@example.org', ['admin'])
      await seedListeningDemo(t.services, new Date())
      const cases = (await listCases(t.services.db, { status: 'all' })).filter(
        (c) => c.channel === 'listening',
      )
      assert.equal(cases.length, 1)
      assert.equal(cases[0]!.subject, 'Bins and recycling')
      assert.match(cases[0]!.context ?? '', /^listening:\d+$/)
    } finally {
      await t.close()
    }
  })
})
