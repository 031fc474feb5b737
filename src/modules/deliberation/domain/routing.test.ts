import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { nextStatement } from '../actions.js'
import type { ConversationRecord, StatementRecord } from './conversation.js'
import { analyzeMatrix } from './math/analyze.js'
import { mulberry32 } from './math/random.js'
import { plantedConversation } from './math/synthetic.js'
import { excludedColumns } from './math/vote-matrix.js'
import { chooseStatement, META_PRIORITY, NEW_STATEMENT_PRIORITY, statementPriority } from './routing.js'
import { snapshotFromAnalysis, type VoteCounts } from './snapshot.js'

describe('statement priority (Pol.is priority-metric)', () => {
  it('follows the formula: (importance × (1 + 8·2^(−S/5)))²', () => {
    // S = 0: p = a = ½, importance = ½ · 1 · ½ = ¼, novelty 9 → (9/4)² = 5.0625
    assert.equal(statementPriority({ agree: 0, pass: 0, seen: 0, extremity: 0 }), 5.0625)
    assert.equal(NEW_STATEMENT_PRIORITY, 5.0625)
    // S = 10, A = 6, P = 2, E = 1: p = 3/12, a = 7/12, importance = 0.75·2·7/12 = 0.875, novelty 1 + 8/4 = 3
    assert.ok(
      Math.abs(statementPriority({ agree: 6, pass: 2, seen: 10, extremity: 1 }) - (0.875 * 3) ** 2) < 1e-12,
    )
  })

  it('gives meta statements the fixed priority 49', () => {
    assert.equal(statementPriority({ agree: 50, pass: 0, seen: 60, extremity: 3 }, true), META_PRIORITY)
    assert.equal(META_PRIORITY, 49)
  })

  it('puts new, extreme and rarely-passed statements first', () => {
    const base = { agree: 20, pass: 5, seen: 40, extremity: 1 }
    const p = statementPriority(base)
    assert.ok(
      statementPriority({ agree: 1, pass: 0, seen: 2, extremity: 1 }) > p,
      'newer (fewer votes) first',
    )
    assert.ok(statementPriority({ ...base, extremity: 3 }) > p, 'more extreme first')
    assert.ok(statementPriority({ ...base, pass: 25, agree: 5 }) < p, 'often passed later')
    assert.ok(NEW_STATEMENT_PRIORITY > p, 'a statement nobody has seen beats a settled one')
  })

  it('differs between the statements of a real analysis (not the all-49 bug of Pol.is #2611)', () => {
    const planted = plantedConversation({
      participants: 300,
      statements: 40,
      votes: 6000,
      shares: [0.5, 0.3, 0.2],
      seed: 7,
    })
    const result = analyzeMatrix(planted.matrix, excludedColumns(planted.matrix, planted.statements, false))
    const counts = new Map<number, VoteCounts>()
    const m = planted.matrix
    for (let e = 0; e < m.value.length; e++) {
      const id = m.statementIds[m.column[e]]
      const c = counts.get(id) ?? { agree: 0, disagree: 0, pass: 0 }
      const v = m.value[e]
      counts.set(id, {
        agree: c.agree + (v === 1 ? 1 : 0),
        disagree: c.disagree + (v === -1 ? 1 : 0),
        pass: c.pass + (v === 0 ? 1 : 0),
      })
    }
    const { snapshot } = snapshotFromAnalysis(result, counts, {
      computedAt: '2026-01-01T00:00:00.000Z',
      lastVoteId: 1,
    })
    const priorities = Object.values(snapshot.statements).map((s) => s.priority)
    assert.equal(priorities.length, 40)
    const distinct = new Set(priorities.map((p) => p.toFixed(6)))
    assert.ok(distinct.size >= 38, `distinct priorities: ${distinct.size} of 40`)
    assert.ok(!priorities.every((p) => p === META_PRIORITY))
    const max = Math.max(...priorities)
    const min = Math.min(...priorities)
    assert.ok(max / min > 2, `spread ${min.toFixed(3)}–${max.toFixed(3)}`)
    // With similar vote counts, the more extreme statement has the higher priority.
    const byExtremity = Object.values(snapshot.statements).sort((a, b) => a.extremity - b.extremity)
    assert.ok(byExtremity.at(-1)!.extremity > byExtremity[0].extremity)
  })
})

describe('choosing the next statement', () => {
  it('draws in proportion to priority', () => {
    const random = mulberry32(42)
    const candidates = [
      { id: 'a', priority: 1 },
      { id: 'b', priority: 3 },
      { id: 'c', priority: 6 },
    ]
    const counts = new Map<string, number>()
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const id = chooseStatement(candidates, random)!
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    assert.ok(Math.abs(counts.get('a')! / n - 0.1) < 0.01)
    assert.ok(Math.abs(counts.get('b')! / n - 0.3) < 0.015)
    assert.ok(Math.abs(counts.get('c')! / n - 0.6) < 0.015)
  })

  it('treats a missing or zero priority as 1, and returns null with nothing to choose', () => {
    assert.equal(chooseStatement([], Math.random), null)
    assert.equal(
      chooseStatement([{ id: 1, priority: 0 }], () => 0.99),
      1,
    )
    assert.equal(
      chooseStatement(
        [
          { id: 1, priority: Number.NaN },
          { id: 2, priority: 1 },
        ],
        () => 0.25,
      ),
      1,
    )
  })

  const conversation = { strictModeration: false } as ConversationRecord
  const statement = (id: number, over: Partial<StatementRecord> = {}): StatementRecord => ({
    id,
    conversationId: 1,
    number: id - 1,
    textEn: `Statement ${id}`,
    textCy: null,
    authorParticipantId: null,
    seed: true,
    meta: false,
    moderation: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    moderatedAt: null,
    ...over,
  })

  it('never offers a statement already voted on, rejected, hidden by strict moderation or written by the participant', () => {
    const statements = [
      statement(1),
      statement(2, { moderation: -1 }),
      statement(3, { moderation: 0, seed: false }),
      statement(4, { authorParticipantId: 9, seed: false }),
      statement(5),
    ]
    const participant = { id: 9 } as Parameters<typeof nextStatement>[3]
    const seen = new Set<number>()
    for (let i = 0; i < 200; i++) {
      const s = nextStatement(
        { ...conversation, strictModeration: true },
        statements,
        new Set([1]),
        participant,
        null,
        mulberry32(i),
      )
      seen.add(s!.id)
    }
    assert.deepEqual([...seen], [5])
    const open = new Set<number>()
    for (let i = 0; i < 200; i++)
      open.add(nextStatement(conversation, statements, new Set(), undefined, null, mulberry32(i))!.id)
    assert.deepEqual(
      [...open].sort(),
      [1, 3, 4, 5],
      'unmoderated statements are shown without strict moderation',
    )
    assert.equal(nextStatement(conversation, statements, new Set([1, 3, 4, 5]), undefined, null), null)
  })

  it('routes a meta statement at 49 against settled statements', () => {
    const statements = [statement(1), statement(2, { meta: true })]
    const snapshot = {
      statements: { '0': { priority: 1 } },
    } as unknown as Parameters<typeof nextStatement>[4]
    let meta = 0
    const random = mulberry32(3)
    for (let i = 0; i < 5000; i++)
      if (nextStatement(conversation, statements, new Set(), undefined, snapshot, random)!.id === 2) meta++
    assert.ok(Math.abs(meta / 5000 - 49 / 50) < 0.01, `meta share ${meta / 5000}`)
  })
})
