import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mapGeometry, shapePath, timelineGeometry } from './charts.js'
import type { ConversationRecord, StatementRecord } from './conversation.js'
import { DEFAULT_SETTINGS } from './conversation.js'
import { buildReport, participationOverTime, reportCsvRows } from './report.js'
import { emptySnapshot, type Snapshot } from './snapshot.js'

const conversation: ConversationRecord = {
  ...DEFAULT_SETTINGS,
  id: 1,
  titleEn: 'Parks',
  titleCy: 'Parciau',
  descriptionEn: 'About parks',
  descriptionCy: null,
  opensAt: '2026-06-01T00:00:00.000Z',
  closesAt: null,
  source: null,
  sourceUrl: null,
  createdAt: '2026-06-01T00:00:00.000Z',
  updatedAt: '2026-06-01T00:00:00.000Z',
}

const statement = (number: number, over: Partial<StatementRecord> = {}): StatementRecord => ({
  id: number + 100,
  conversationId: 1,
  number,
  textEn: `Statement ${number}`,
  textCy: `Datganiad ${number}`,
  authorParticipantId: null,
  seed: true,
  meta: false,
  moderation: 1,
  createdAt: '2026-06-01T00:00:00.000Z',
  moderatedAt: null,
  ...over,
})

const snapshot: Snapshot = {
  ...emptySnapshot('2026-06-02T00:00:00.000Z', 10),
  participants: 20,
  inConversation: 18,
  votes: 90,
  groups: [
    {
      id: 0,
      size: 10,
      center: [-1, 0],
      representative: [
        {
          statementId: 0,
          repfulFor: 'agree',
          nSuccess: 9,
          nTrials: 10,
          pSuccess: 0.83,
          pTest: 2.5,
          repness: 2.1,
          repnessTest: 2,
          bestAgree: true,
        },
      ],
    },
    {
      id: 1,
      size: 8,
      center: [1, 0],
      representative: [
        {
          statementId: 1,
          repfulFor: 'disagree',
          nSuccess: 7,
          nTrials: 8,
          pSuccess: 0.8,
          pTest: 2.2,
          repness: 3,
          repnessTest: 2.2,
          bestAgree: false,
        },
      ],
    },
  ],
  consensus: {
    agree: [{ statementId: 2, nSuccess: 17, nTrials: 18, pSuccess: 0.9, pTest: 3.5 }],
    disagree: [],
  },
  groupInformedConsensus: [
    { statementId: 2, value: 0.7 },
    { statementId: 0, value: 0.2 },
  ],
  statements: {
    '0': {
      agree: 12,
      disagree: 6,
      pass: 2,
      extremity: 1,
      x: -1,
      y: 0,
      groups: [
        [9, 1, 10],
        [3, 5, 8],
      ],
      priority: 1,
    },
    '1': {
      agree: 6,
      disagree: 12,
      pass: 0,
      extremity: 1,
      x: 1,
      y: 0,
      groups: [
        [5, 5, 10],
        [1, 7, 8],
      ],
      priority: 1,
    },
    '2': {
      agree: 17,
      disagree: 1,
      pass: 0,
      extremity: 0.1,
      x: 0,
      y: 0,
      groups: [
        [9, 1, 10],
        [8, 0, 8],
      ],
      priority: 1,
    },
  },
}

describe('the report', () => {
  const input = {
    conversation,
    statements: [statement(0), statement(1), statement(2)],
    snapshot,
    participation: [],
    locale: 'en' as const,
    now: new Date('2026-06-10T00:00:00Z'),
  }

  it('gives groups with sizes and representative statements, consensus and bridging statements', () => {
    const report = buildReport(input)
    assert.equal(report.totals.participants, 20)
    assert.deepEqual(
      report.groups.map((g) => [g.label, g.size, g.representative.map((r) => r.statementId)]),
      [
        ['A', 10, [0]],
        ['B', 8, [1]],
      ],
    )
    assert.equal(report.groups[0].representative[0].share, 0.9)
    assert.deepEqual(
      report.consensus.agree.map((c) => c.text),
      ['Statement 2'],
    )
    assert.deepEqual(report.bridging[0].groups, [
      { group: 0, agreeShare: 0.9, voters: 10 },
      { group: 1, agreeShare: 1, voters: 8 },
    ])
    assert.equal(buildReport({ ...input, locale: 'cy' }).consensus.agree[0].text, 'Datganiad 2')
  })

  it('drops a statement the moment a moderator rejects it, before the math runs again', () => {
    const report = buildReport({
      ...input,
      statements: [statement(0), statement(1), statement(2, { moderation: -1 })],
    })
    assert.deepEqual(report.consensus.agree, [])
    assert.deepEqual(
      report.bridging.map((b) => b.statementId),
      [0],
    )
    assert.equal(report.totals.statementsRejected, 1)
    assert.equal(report.statements.find((s) => s.statementId === 2)?.moderation, 'rejected')
  })

  it('is empty but whole before anyone votes', () => {
    const report = buildReport({ ...input, snapshot: null })
    assert.equal(report.computedAt, null)
    assert.deepEqual(report.groups, [])
    assert.equal(report.statements.length, 3)
  })

  it('writes one CSV row per statement with per-group counts', () => {
    const { header, rows } = reportCsvRows(buildReport(input))
    assert.deepEqual(header.slice(0, 8), [
      'statement-id',
      'text',
      'moderation',
      'meta',
      'seed',
      'agrees',
      'disagrees',
      'passes',
    ])
    assert.ok(header.includes('group-A-agrees') && header.includes('group-B-seen'))
    assert.equal(rows.length, 3)
    assert.deepEqual(rows[2].slice(-3), ['agree', 1, ''])
  })
})

describe('participation over time', () => {
  it('counts per day with empty days filled in', () => {
    const periods = participationOverTime([
      { day: '2026-06-03', votes: 5, newParticipants: 1 },
      { day: '2026-06-01', votes: 10, newParticipants: 2 },
    ])
    assert.deepEqual(
      periods.map((p) => [p.period, p.unit, p.votes, p.participants]),
      [
        ['2026-06-01', 'day', 10, 2],
        ['2026-06-02', 'day', 0, 2],
        ['2026-06-03', 'day', 5, 3],
      ],
    )
  })

  it('folds long conversations into weeks from Monday, then months', () => {
    const weeks = participationOverTime([
      { day: '2026-01-07', votes: 1, newParticipants: 1 },
      { day: '2026-05-01', votes: 2, newParticipants: 1 },
    ])
    assert.equal(weeks[0].unit, 'week')
    assert.equal(weeks[0].period, '2026-01-05')
    assert.equal(
      weeks.reduce((s, p) => s + p.votes, 0),
      3,
    )
    const months = participationOverTime([
      { day: '2014-06-18', votes: 1, newParticipants: 1 },
      { day: '2018-11-17', votes: 1, newParticipants: 1 },
    ])
    assert.equal(months[0].unit, 'month')
    assert.equal(months[0].period, '2014-06-01')
    assert.equal(months.length, 54)
  })
})

describe('charts', () => {
  it('places the map inside its box, the same scale on both axes', () => {
    const map = mapGeometry(
      [
        { x: -2, y: 1, size: 10, group: 0 },
        { x: 3, y: -1, size: 5, group: 1 },
      ],
      [0.5, 0.5],
    )
    for (const m of map.marks) {
      const numbers = m.d.match(/-?\d+(\.\d+)?/g)!.map(Number)
      assert.ok(numbers.every((n) => Number.isFinite(n)))
    }
    assert.ok(map.you!.x > 0 && map.you!.x < map.width && map.you!.y > 0 && map.you!.y < map.height)
    assert.equal(map.legend.length, 2)
    assert.notEqual(map.marks[0].fill, map.marks[1].fill)
  })

  it('tells groups apart by shape as well as colour (WCAG 1.4.1)', () => {
    const shapes = new Set([0, 1, 2, 3, 4].map((g) => shapePath(g, 10, 10, 5).replace(/[\d.\s-]+/g, '')))
    assert.equal(shapes.size, 5)
  })

  it('scales the bars to the busiest period', () => {
    const t = timelineGeometry(
      participationOverTime([
        { day: '2026-06-01', votes: 10, newParticipants: 1 },
        { day: '2026-06-02', votes: 5, newParticipants: 1 },
      ]),
    )
    assert.equal(t.maxVotes, 10)
    assert.equal(t.bars[0].height, t.baseline - t.top)
    assert.equal(t.bars[1].height, (t.baseline - t.top) / 2)
  })
})
