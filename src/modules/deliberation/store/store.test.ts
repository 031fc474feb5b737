import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../../test/support/db.js'
import type { DbHandle } from '../../../platform/db/connect.js'
import { DEFAULT_SETTINGS } from '../domain/conversation.js'
import { recomputeConversation, resetEngines } from '../recompute.js'
import { listAlerts, raiseAlert, resolveAlerts } from './alert-store.js'
import {
  clearRecompute,
  conversationFigures,
  conversationsBehind,
  findConversation,
  insertConversation,
  insertStatement,
  listStatements,
  markRecompute,
  updateStatementModeration,
} from './conversation-store.js'
import {
  bannedNumbers,
  ensureParticipant,
  findParticipantFor,
  listParticipants,
  setBanned,
} from './participant-store.js'
import { loadPosition, loadSummary, resultInfo } from './result-store.js'
import {
  currentVotes,
  dailyActivity,
  loggedVotesAfter,
  maxVoteLogId,
  recordVote,
  voteCounts,
  voteLogOf,
  votesOf,
} from './vote-store.js'

const T0 = new Date('2026-06-01T09:00:00Z')
const at = (s: number) => new Date(T0.getTime() + s * 1000)

for (const dialect of TEST_DIALECTS) {
  describe(`deliberation stores on ${dialectLabel(dialect)}`, () => {
    let h: DbHandle
    let conversationId: number
    const statementIds: number[] = []
    before(async () => {
      h = await openTestDb(dialect)
      resetEngines(h.db)
      conversationId = await insertConversation(
        h.db,
        {
          ...DEFAULT_SETTINGS,
          titleEn: 'Parks',
          titleCy: 'Parciau',
          descriptionEn: '',
          descriptionCy: null,
          opensAt: T0.toISOString(),
          closesAt: null,
        },
        'test',
        T0,
      )
      for (let i = 0; i < 8; i++) {
        const s = await insertStatement(
          h.db,
          {
            conversationId,
            textEn: `Statement ${i}`,
            textCy: `Datganiad ${i}`,
            authorParticipantId: null,
            seed: true,
            moderation: 1,
          },
          T0,
        )
        statementIds.push(s.id)
      }
    })
    after(async () => {
      await h.close()
    })

    it('stores a conversation and numbers its statements from 0', async () => {
      const c = await findConversation(h.db, conversationId)
      assert.equal(c?.titleCy, 'Parciau')
      assert.equal(c?.maxLength, 140)
      assert.equal(c?.openData, true)
      const statements = await listStatements(h.db, conversationId)
      assert.deepEqual(
        statements.map((s) => s.number),
        [0, 1, 2, 3, 4, 5, 6, 7],
      )
      assert.equal(statements[0].moderation, 1)
      assert.equal(await findConversation(h.db, 999_999), undefined)
    })

    it('keeps one participant per browser, and attaches a citizen who signs in to it', async () => {
      const anon = { kind: 'anonymous', sessionKey: 'key-a' } as const
      const p = await ensureParticipant(h.db, conversationId, anon, T0)
      assert.equal(p.number, 0)
      assert.equal(p.assurance, 'none')
      assert.equal((await ensureParticipant(h.db, conversationId, anon, T0)).id, p.id)
      const citizen = {
        kind: 'citizen',
        citizenId: 77,
        assurance: 'email-verified',
        sessionKey: 'key-a',
      } as const
      const upgraded = await ensureParticipant(h.db, conversationId, citizen, T0)
      assert.equal(upgraded.id, p.id)
      assert.equal(upgraded.assurance, 'email-verified')
      // The same citizen in another browser is the same participant.
      const elsewhere = await findParticipantFor(h.db, conversationId, { ...citizen, sessionKey: 'key-b' })
      assert.equal(elsewhere?.id, p.id)
    })

    it('counts the last vote, and logs every vote with its time (append-only)', async () => {
      const p = await ensureParticipant(h.db, conversationId, { kind: 'anonymous', sessionKey: 'key-a' }, T0)
      await recordVote(
        h.db,
        { conversationId, participantId: p.id, statementId: statementIds[0], vote: 1 },
        at(1),
      )
      await recordVote(
        h.db,
        { conversationId, participantId: p.id, statementId: statementIds[0], vote: -1 },
        at(5),
      )
      assert.deepEqual([...(await votesOf(h.db, p.id))], [[statementIds[0], -1]])
      assert.deepEqual(
        (await voteLogOf(h.db, p.id)).map((v) => v.vote),
        [1, -1],
      )
      assert.deepEqual(
        await voteCounts(h.db, conversationId),
        new Map([[0, { agree: 0, disagree: 1, pass: 0 }]]),
      )
      const last = await maxVoteLogId(h.db, conversationId)
      assert.deepEqual(
        (await loggedVotesAfter(h.db, conversationId, 0, last)).map((v) => v.vote),
        [1, -1],
      )
      assert.deepEqual(await loggedVotesAfter(h.db, conversationId, last, last), [])
      await assert.rejects(
        h.db.updateTable('deliberation_vote_log').set({ vote: 0 }).execute(),
        /append-only/,
      )
      await assert.rejects(h.db.deleteFrom('deliberation_vote_log').execute(), /append-only/)
    })

    it('marks a recompute once until it is cleared (the debounce)', async () => {
      assert.equal(await markRecompute(h.db, conversationId, at(10)), true)
      assert.equal(await markRecompute(h.db, conversationId, at(11)), false)
      assert.deepEqual(await conversationsBehind(h.db, at(5)), [], 'a fresh request is left to its job')
      assert.deepEqual(
        await conversationsBehind(h.db, at(60)),
        [conversationId],
        'a stale request is picked up',
      )
      await clearRecompute(h.db, conversationId)
      assert.deepEqual(
        await conversationsBehind(h.db, at(60)),
        [conversationId],
        'votes the math has not seen',
      )
      assert.equal(await markRecompute(h.db, conversationId, at(12)), true)
      await clearRecompute(h.db, conversationId)
    })

    it('computes and stores the groups, then updates them from the new votes only', async () => {
      // Two camps of 12 over 8 statements.
      for (let i = 0; i < 24; i++) {
        const p = await ensureParticipant(
          h.db,
          conversationId,
          { kind: 'anonymous', sessionKey: `camp-${i}` },
          at(20),
        )
        for (let j = 0; j < 8; j++) {
          const vote = i < 12 === (j % 2 === 0) ? 1 : -1
          await recordVote(
            h.db,
            { conversationId, participantId: p.id, statementId: statementIds[j], vote },
            at(20 + i * 10 + j),
          )
        }
      }
      const first = await recomputeConversation(h.db, conversationId, at(1000))
      assert.equal(first?.mode, 'full')
      assert.equal(first?.groups, 2)
      assert.equal(first?.participants, 25)
      const summary = await loadSummary(h.db, conversationId)
      assert.equal(summary?.snapshot.groups.length, 2)
      assert.deepEqual(summary?.snapshot.groups.map((g) => g.size).sort(), [12, 12])
      assert.ok(summary!.participation.length >= 1)
      const camp0 = await findParticipantFor(h.db, conversationId, {
        kind: 'anonymous',
        sessionKey: 'camp-0',
      })
      const position = await loadPosition(h.db, conversationId, camp0!.number)
      assert.ok(position && Number.isInteger(position[2]), 'a participant with 8 votes is on the map')
      assert.equal(
        (await resultInfo(h.db, conversationId))?.lastVoteId,
        await maxVoteLogId(h.db, conversationId),
      )
      assert.deepEqual(await conversationsBehind(h.db, at(2000)), [])

      const late = await ensureParticipant(
        h.db,
        conversationId,
        { kind: 'anonymous', sessionKey: 'late' },
        at(1100),
      )
      for (let j = 0; j < 8; j++)
        await recordVote(
          h.db,
          { conversationId, participantId: late.id, statementId: statementIds[j], vote: j % 2 ? 1 : -1 },
          at(1100 + j),
        )
      const second = await recomputeConversation(h.db, conversationId, at(1200))
      assert.equal(second?.mode, 'incremental')
      assert.equal(second?.participants, 26)
    })

    it('takes a banned participant’s votes out of the math', async () => {
      const late = await findParticipantFor(h.db, conversationId, { kind: 'anonymous', sessionKey: 'late' })
      await setBanned(h.db, late!.id, { banned: true, by: 'mod@example.org', reason: 'test' }, at(1300))
      assert.deepEqual(await bannedNumbers(h.db, conversationId), [late!.number])
      assert.ok(!(await currentVotes(h.db, conversationId)).some((v) => v.participant === late!.number))
      const after = await recomputeConversation(h.db, conversationId, at(1400))
      assert.equal(after?.mode, 'full', 'a ban rebuilds the analysis')
      assert.equal(after?.participants, 25)
      assert.equal(await loadPosition(h.db, conversationId, late!.number), null)
      await setBanned(h.db, late!.id, { banned: false }, at(1500))
      assert.equal((await recomputeConversation(h.db, conversationId, at(1600)))?.participants, 26)
    })

    it('follows moderation: a rejected statement leaves the math', async () => {
      await updateStatementModeration(h.db, statementIds[7], { moderation: -1 }, 'mod', at(1700))
      const outcome = await recomputeConversation(h.db, conversationId, at(1800))
      assert.equal(outcome?.mode, 'incremental')
      const summary = await loadSummary(h.db, conversationId)
      const represented = summary!.snapshot.groups.flatMap((g) => g.representative.map((r) => r.statementId))
      assert.ok(!represented.includes(7))
    })

    it('raises an alert once per participant and kind, until resolved', async () => {
      const p = await findParticipantFor(h.db, conversationId, { kind: 'anonymous', sessionKey: 'camp-3' })
      const finding = { kind: 'same-answer', votes: 30, answer: 'agree', share: 1 } as const
      assert.equal(await raiseAlert(h.db, { conversationId, participantId: p!.id, finding }, at(1900)), true)
      assert.equal(await raiseAlert(h.db, { conversationId, participantId: p!.id, finding }, at(1901)), false)
      const [alert] = await listAlerts(h.db, conversationId, { open: true })
      assert.equal(alert.participantNumber, p!.number)
      assert.equal(alert.details.share, 1)
      await resolveAlerts(h.db, { alertId: alert.id }, 'dismissed', 'mod', at(1902))
      assert.deepEqual(await listAlerts(h.db, conversationId, { open: true }), [])
      assert.equal((await listAlerts(h.db, conversationId))[0].resolution, 'dismissed')
    })

    it('reports figures, participants and activity per day', async () => {
      const figures = (await conversationFigures(h.db)).get(conversationId)
      assert.equal(figures?.statements, 8)
      assert.equal(figures?.participants, 26)
      const participants = await listParticipants(h.db, conversationId, { limit: 5 })
      assert.equal(participants.length, 5)
      assert.ok(participants[0].votes >= participants[4].votes)
      const days = await dailyActivity(h.db, conversationId)
      assert.deepEqual(
        days.map((d) => d.day),
        ['2026-06-01'],
      )
      assert.equal(days[0].newParticipants, 26)
    })
  })
}
