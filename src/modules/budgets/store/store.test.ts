import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../../test/support/db.js'
import { findAuditEntries } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import type { DbHandle } from '../../../platform/db/connect.js'
import type { Mailer, MailMessage } from '../../../platform/mail/mail.js'
import { approvalStyle, costLimitedStyle } from '../domain/ballots.js'
import { defaultSchedule } from '../domain/phases.js'
import { advanceProcess, enterPaperBallots, runScheduledTransitions, saveMilestone } from '../operations.js'
import {
  ballotCounts,
  ballotHistory,
  castBallot,
  censusStats,
  findBallot,
  findCensusCode,
  findPostcode,
  importCensusCodes,
  listBallots,
  statePostcode,
} from './ballot-store.js'
import { findFollower, follow, listFollowers, listMilestones, unfollow } from './delivery-store.js'
import { findCount, winningProjectIds } from './outcome-store.js'
import {
  findBudget,
  findProcess,
  insertBudget,
  insertProcess,
  listBudgets,
  listProcesses,
  phaseFacts,
  setPhase,
  updateBudget,
} from './process-store.js'
import { insertProject, listProjects, ruleId, saveReview } from './project-store.js'

const DAY = 86_400_000
const staff = { kind: 'staff', id: 1, email: 'sam@example.org', name: 'Sam', roles: ['admin'] } as const

function fakeMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = []
  return {
    sent,
    smtp: false,
    async send(_db, message) {
      sent.push(message)
      return sent.length
    },
    async deliverPending() {
      return 0
    },
    close() {},
  }
}

for (const dialect of TEST_DIALECTS) {
  describe(`budgets stores on ${dialectLabel(dialect)}`, () => {
    let h: DbHandle
    before(async () => {
      h = await openTestDb(dialect)
    })
    after(async () => {
      await h?.close()
    })

    it('keeps processes, budgets and projects, and moves a phase only from the phase it was in', async () => {
      const now = new Date('2027-01-10T12:00:00.000Z')
      const schedule = defaultSchedule(new Date('2027-02-01T00:00:00.000Z'))
      const id = await insertProcess(
        h.db,
        {
          titleEn: 'Budget',
          titleCy: 'Cyllideb',
          descriptionEn: '',
          descriptionCy: '',
          phase: 'draft',
          schedule,
          source: 'staff',
        },
        now,
      )
      assert.deepEqual((await findProcess(h.db, id))?.schedule, schedule)
      assert.equal((await listProcesses(h.db, { publicOnly: true })).length, 0, 'drafts are not public')
      const budgetId = await insertBudget(
        h.db,
        id,
        {
          titleEn: 'North',
          titleCy: 'Gogledd',
          descriptionEn: '',
          descriptionCy: '',
          amount: 250_000_000_000,
          currency: 'GBP',
          area: ['SA43'],
          voterRule: 'residents',
          style: costLimitedStyle({ budget: 1 }),
          rule: null,
        },
        now,
      )
      const budget = await findBudget(h.db, budgetId)
      assert.equal(budget?.amount, 250_000_000_000, 'money beyond 32 bits survives (bigint)')
      assert.equal(
        budget?.style.kind === 'cost-limited' && budget.style.budget,
        250_000_000_000,
        'knapsack budget = amount',
      )
      await updateBudget(h.db, budgetId, { ...budget!, amount: 6_000_000 }, now)
      assert.equal(
        (await findBudget(h.db, budgetId))?.style.kind === 'cost-limited' &&
          (await findBudget(h.db, budgetId))?.amount,
        6_000_000,
      )
      assert.equal(await setPhase(h.db, id, 'proposing', { phase: 'reviewing', schedule }, now), false)
      assert.equal(await setPhase(h.db, id, 'draft', { phase: 'proposing', schedule }, now), true)
      assert.equal((await listProcesses(h.db, { publicOnly: true })).length, 1)
    })

    it('runs a whole process: facts guard each phase, counting stores the outcome and the comparison', async () => {
      const start = new Date('2027-03-01T00:00:00.000Z')
      const schedule = defaultSchedule(start)
      const at = (iso: string, plus = 1) => new Date(Date.parse(iso) + plus)
      const pid = await insertProcess(
        h.db,
        {
          titleEn: 'P',
          titleCy: 'P',
          descriptionEn: '',
          descriptionCy: '',
          phase: 'draft',
          schedule,
          source: 'staff',
        },
        start,
      )
      await assert.rejects(
        () => advanceProcess(h.db, pid, 'proposing', staff, at(schedule.proposing)),
        /conflict/,
      )
      const bid = await insertBudget(
        h.db,
        pid,
        {
          titleEn: 'B',
          titleCy: 'B',
          descriptionEn: '',
          descriptionCy: '',
          amount: 10_000,
          currency: 'EUR',
          area: [],
          voterRule: 'residents-or-census',
          style: approvalStyle(),
          rule: 'greedy',
        },
        start,
      )
      await advanceProcess(h.db, pid, 'proposing', staff, at(schedule.proposing))
      const ids: number[] = []
      for (const [cost, status] of [
        [6000, 'proposed'],
        [5000, 'proposed'],
        [4000, 'proposed'],
      ] as const) {
        ids.push(
          await insertProject(
            h.db,
            {
              budgetId: bid,
              titleEn: `P${cost}`,
              titleCy: '',
              descriptionEn: '',
              descriptionCy: '',
              location: '',
              estimatedCost: cost,
              status,
              source: 'citizen',
              proposerId: 3,
            },
            start,
          ),
        )
      }
      assert.deepEqual(await phaseFacts(h.db, pid), {
        budgets: 1,
        projectsAwaitingReview: 3,
        budgetsWithoutFeasibleProjects: 1,
        budgetsNotCounted: 1,
      })
      // The schedule moves proposing → reviewing, but not on to voting while projects await review.
      const moved = await runScheduledTransitions(h.db, at(schedule.reviewing, 10))
      assert.deepEqual(moved, [{ processId: pid, from: 'proposing', to: 'reviewing' }])
      assert.deepEqual(await runScheduledTransitions(h.db, at(schedule.voting, 10)), [])
      const texts = { titleEn: 'x', titleCy: 'x', descriptionEn: '', descriptionCy: '' }
      await saveReview(h.db, ids[0]!, { decision: 'feasible', finalCost: 6000 }, texts, 1, start)
      await saveReview(h.db, ids[1]!, { decision: 'feasible', finalCost: 5000 }, texts, 1, start)
      await saveReview(
        h.db,
        ids[2]!,
        { decision: 'not-feasible', reasonEn: 'No land.', reasonCy: 'Dim tir.' },
        texts,
        1,
        start,
      )
      assert.equal((await listProjects(h.db, [bid], { status: ['feasible'] })).length, 2)
      await runScheduledTransitions(h.db, at(schedule.voting, 10))
      assert.equal((await findProcess(h.db, pid))?.phase, 'voting')

      // Ballots: one per voter, changed in place with every version kept.
      const votingAt = at(schedule.voting, DAY)
      const cast = (voterKey: string, projects: string[], plus = 0) =>
        castBallot(
          h.db,
          {
            budgetId: bid,
            voterKey,
            channel: 'online',
            ballot: { kind: 'approval', projects },
            assurance: 'email-verified',
            actor: systemActor('test'),
          },
          new Date(votingAt.getTime() + plus),
        )
      const first = await cast('citizen:1', [ruleId({ id: ids[0]! })])
      const changed = await cast('citizen:1', [ruleId({ id: ids[1]! })], 1000)
      assert.equal(first?.id, changed?.id)
      assert.equal(changed?.version, 2)
      await cast('citizen:2', [ruleId({ id: ids[1]! })])
      await cast('citizen:3', [ruleId({ id: ids[0]! }), ruleId({ id: ids[1]! })])
      assert.deepEqual(
        (await ballotHistory(h.db, first!.id)).map((v) => [v.version, v.content]),
        [
          [1, { kind: 'approval', projects: [String(ids[0])] }],
          [2, { kind: 'approval', projects: [String(ids[1])] }],
        ],
      )
      await assert.rejects(
        () => h.db.updateTable('budgets_ballot_history').set({ content: '{}' }).execute(),
        /append-only/,
      )
      await assert.rejects(() => h.db.deleteFrom('budgets_ballot_history').execute(), /append-only/)
      assert.equal((await findBallot(h.db, bid, 'citizen:1'))?.version, 2)

      // Paper ballots: a reference is entered once.
      const budget = (await findBudget(h.db, bid))!
      const paper = { reference: 'P-001', ballot: { kind: 'approval' as const, projects: [String(ids[0])] } }
      assert.deepEqual(await enterPaperBallots(h.db, budget, [paper], staff, votingAt, 'form'), [])
      assert.deepEqual(await enterPaperBallots(h.db, budget, [paper], staff, votingAt, 'form'), [
        { line: 0, code: 'reference-exists' },
      ])
      assert.deepEqual((await ballotCounts(h.db, [bid])).get(bid), {
        total: 4,
        online: 3,
        paper: 1,
        import: 0,
      })

      // Counting when voting closes (the schedule does it), with the comparison.
      await runScheduledTransitions(h.db, at(schedule.counting, 5))
      assert.equal((await findProcess(h.db, pid))?.phase, 'counting')
      const count = await findCount(h.db, bid)
      assert.equal(count?.official.rule, 'greedy')
      assert.deepEqual(
        count?.official.selected,
        [String(ids[1])],
        'votes: P5000 3, P6000 2; 5000 + 6000 > 10000',
      )
      assert.deepEqual(
        count?.comparison.map((c) => c.rule),
        ['greedy', 'equal-shares/add1'],
      )
      assert.equal(count?.official.totals[String(ids[0])]?.votes, 2)
      assert.equal(count?.official.explanations[String(ids[0])]?.code, 'did-not-fit')
      assert.equal((await phaseFacts(h.db, pid)).budgetsNotCounted, 0)

      // A paper ballot after the count makes the count stale until the budget is counted again.
      await enterPaperBallots(
        h.db,
        budget,
        [{ ...paper, reference: 'P-002' }],
        staff,
        at(schedule.counting, DAY),
        'form',
      )
      assert.equal((await phaseFacts(h.db, pid)).budgetsNotCounted, 1)
      await assert.rejects(
        () => advanceProcess(h.db, pid, 'results', staff, at(schedule.results)),
        /conflict/,
      )
      const { recountBudget } = await import('../operations.js')
      await recountBudget(h.db, bid, staff, at(schedule.counting, 2 * DAY))
      await advanceProcess(h.db, pid, 'results', staff, at(schedule.results))
      assert.deepEqual([...(await winningProjectIds(h.db, [bid]))], [ids[1]])

      // Delivery: milestones mail the project's followers, each in their language.
      const followerEn = await follow(h.db, ids[1]!, 'ann@example.org', 'en', start)
      await follow(h.db, ids[1]!, 'bryn@example.org', 'cy', start)
      assert.equal(
        await follow(h.db, ids[1]!, 'ann@example.org', 'cy', start),
        followerEn,
        'following again updates',
      )
      await unfollow(h.db, followerEn, start)
      assert.equal((await findFollower(h.db, followerEn))?.active, false)
      await follow(h.db, ids[1]!, 'ann@example.org', 'en', start)
      assert.equal((await listFollowers(h.db, ids[1]!)).length, 2)
      const mailer = fakeMailer()
      const links = { project: () => 'https://x/p', unfollow: (id: number) => `https://x/u/${id}` }
      const saved = await saveMilestone(
        h.db,
        mailer,
        {
          projectId: ids[1]!,
          milestoneId: null,
          value: { titleEn: 'Built', titleCy: 'Wedi’i adeiladu', date: '2027-09-01', status: 'done' },
          links,
        },
        staff,
        at(schedule.results, DAY),
      )
      assert.equal(saved.notified, 2)
      assert.deepEqual(
        mailer.sent.map((m) => [m.to, m.language, m.template, (m.data as { milestone: string }).milestone]),
        [
          ['ann@example.org', 'en', 'budgets-milestone', 'Built'],
          ['bryn@example.org', 'cy', 'budgets-milestone', 'Wedi’i adeiladu'],
        ],
      )
      assert.equal((await listMilestones(h.db, [ids[1]!]))[0]?.status, 'done')
      await assert.rejects(
        () =>
          saveMilestone(
            h.db,
            mailer,
            {
              projectId: ids[0]!,
              milestoneId: null,
              value: { titleEn: 'x', titleCy: '', date: '2027-09-01', status: 'done' },
              links,
            },
            staff,
            new Date(),
          ),
        /conflict/,
        'only winners have milestones',
      )
      const audit = await findAuditEntries(h.db, { action: 'budgets.' })
      assert.ok(
        ['budgets.phase.advance', 'budgets.count', 'budgets.paper.enter', 'budgets.milestone.add'].every(
          (a) => audit.some((e) => e.action === a),
        ),
      )
      assert.equal((await listBudgets(h.db, pid)).length, 1)
    })

    it('keeps census codes hashed, adds each once, marks one used by its ballot; keeps stated postcodes', async () => {
      const now = new Date()
      const pid = await insertProcess(
        h.db,
        {
          titleEn: 'C',
          titleCy: 'C',
          descriptionEn: '',
          descriptionCy: '',
          phase: 'voting',
          schedule: defaultSchedule(new Date(now.getTime() - 60 * DAY)),
          source: 'staff',
        },
        now,
      )
      const bid = await insertBudget(
        h.db,
        pid,
        {
          titleEn: 'C',
          titleCy: 'C',
          descriptionEn: '',
          descriptionCy: '',
          amount: 100,
          currency: 'GBP',
          area: [],
          voterRule: 'census',
          style: approvalStyle(),
          rule: null,
        },
        now,
      )
      assert.deepEqual(await importCensusCodes(h.db, bid, ['AB12CD', 'XY99ZZ'], now), {
        added: 2,
        alreadyListed: 0,
      })
      assert.deepEqual(await importCensusCodes(h.db, bid, ['AB12CD', 'QQ11QQ'], now), {
        added: 1,
        alreadyListed: 1,
      })
      const rows = await h.db.selectFrom('budgets_census_codes').select('code_hash').execute()
      assert.ok(
        rows.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash)),
        'only hashes are stored',
      )
      const code = await findCensusCode(h.db, bid, 'ab-12 cd')
      assert.equal(code?.usedAt, null)
      await castBallot(
        h.db,
        {
          budgetId: bid,
          voterKey: `census:${code!.id}`,
          channel: 'online',
          ballot: { kind: 'approval', projects: [] },
          assurance: 'census',
          censusCodeId: code!.id,
          actor: systemActor('t'),
        },
        now,
      )
      assert.ok((await findCensusCode(h.db, bid, 'AB12CD'))?.usedAt)
      assert.deepEqual(await censusStats(h.db, bid), { codes: 3, used: 1 })
      assert.equal((await listBallots(h.db, bid)).length, 1)
      await statePostcode(h.db, 42, 'SA43 1AB', now)
      await statePostcode(h.db, 42, 'SA44 2CD', now)
      assert.equal(await findPostcode(h.db, 42), 'SA44 2CD')
      assert.equal(await findPostcode(h.db, 43), null)
    })
  })
}
