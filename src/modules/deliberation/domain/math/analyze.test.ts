import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { analyze, analyzeMatrix } from './analyze.js'
import { adjustedRandIndex } from './ari.js'
import { maxGroupCount } from './clustering.js'
import { LiveAnalysis } from './live.js'
import { mulberry32 } from './random.js'
import { smoothGroupK } from './smoother.js'
import { plantedConversation } from './synthetic.js'
import type { AnalysisResult, Conversation, VoteRecord } from './types.js'
import { excludedColumns, type VoteMatrix } from './vote-matrix.js'

function toConversation(matrix: VoteMatrix, statements: Conversation['statements']): Conversation {
  const votes: VoteRecord[] = []
  for (let i = 0; i < matrix.participantIds.length; i++) {
    for (let e = matrix.rowStart[i]; e < matrix.rowStart[i + 1]; e++) {
      votes.push({
        participant: matrix.participantIds[i]!,
        statement: matrix.statementIds[matrix.column[e]!]!,
        vote: matrix.value[e] as -1 | 0 | 1,
      })
    }
  }
  return { statements, votes }
}

function groupOf(result: AnalysisResult): Map<number, number> {
  const out = new Map<number, number>()
  for (const g of result.groups) for (const member of g.members) out.set(member, g.id)
  return out
}

function agreement(a: Map<number, number>, b: Map<number, number>): number {
  const shared = [...a.keys()].filter((p) => b.has(p))
  return adjustedRandIndex(
    shared.map((p) => a.get(p)),
    shared.map((p) => b.get(p)),
  )
}

describe('analyze', () => {
  const planted = plantedConversation({
    participants: 400,
    statements: 40,
    votes: 10_000,
    shares: [3, 2, 1],
    seed: 21,
  })
  const conversation = toConversation(planted.matrix, planted.statements)

  it('recovers planted groups, with representative statements and the Pol.is outputs', () => {
    const result = analyze(conversation)
    assert.equal(result.participants, 400)
    assert.equal(result.groups.length, 3)
    const truth = new Map([...planted.group].map((g, i) => [i, g]))
    assert.ok(agreement(groupOf(result), truth) > 0.85)
    assert.deepEqual(
      result.groups.map((g) => g.id),
      [0, 1, 2],
    )
    assert.ok(result.groups[0]!.members.length >= result.groups[1]!.members.length)
    for (const g of result.groups) {
      assert.ok(g.representative.length >= 1 && g.representative.length <= 5)
      for (const r of g.representative) assert.equal(planted.statements[r.statementId]!.moderation, 1)
    }
    assert.equal(result.silhouettes.length, maxGroupCount(result.baseClusters.length, 5) - 1)
    assert.equal(result.groupInformedConsensus.length, result.excluded.filter((x) => x === 0).length)
    assert.ok(result.divisive.length > 0)
    assert.equal(result.projection.length, 800)
  })

  it('gives the same groups for the same votes in another participant order, under other ids', () => {
    const random = mulberry32(77)
    const relabel = new Map<number, number>()
    const ids = [...Array(400).keys()].map((i) => 1000 + i)
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[ids[i], ids[j]] = [ids[j]!, ids[i]!]
    }
    for (const [i, id] of ids.entries()) relabel.set(i, id)
    const shuffledVotes = conversation.votes.map((v) => ({ ...v, participant: relabel.get(v.participant)! }))
    for (let i = shuffledVotes.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[shuffledVotes[i], shuffledVotes[j]] = [shuffledVotes[j]!, shuffledVotes[i]!]
    }
    const original = groupOf(analyze(conversation))
    const shuffled = groupOf(analyze({ statements: conversation.statements, votes: shuffledVotes }))
    const back = new Map([...shuffled].map(([id, g]) => [id - 1000, g]))
    const mapped = new Map([...original].map(([i, g]) => [relabel.get(i)! - 1000, g]))
    assert.equal(agreement(mapped, back), 1)
  })

  it('is reproducible: the same input and seed give identical results', () => {
    const excluded = excludedColumns(planted.matrix, planted.statements)
    const a = analyzeMatrix(planted.matrix, excluded)
    const b = analyzeMatrix(planted.matrix, excluded)
    assert.deepEqual(a.groups, b.groups)
    assert.deepEqual([...a.projection], [...b.projection])
  })

  it('handles an empty conversation and a conversation without disagreement', () => {
    const empty = analyze({ statements: [{ id: 1, moderation: 1 }], votes: [] })
    assert.equal(empty.participants, 0)
    assert.deepEqual(empty.groups, [])
    const unanimous = analyze({
      statements: [{ id: 1, moderation: 1 }],
      votes: Array.from({ length: 20 }, (_, p) => ({ participant: p, statement: 1, vote: 1 as const })),
    })
    assert.equal(unanimous.groups.length, 1)
    assert.equal(unanimous.groups[0]!.members.length, 20)
    assert.deepEqual(
      unanimous.consensus.agree.map((c) => c.statementId),
      [1],
    )
  })
})

describe('live analysis', () => {
  it('after new votes, gives the groups a full recompute gives', () => {
    const planted = plantedConversation({
      participants: 500,
      statements: 30,
      votes: 6000,
      shares: [1, 1],
      seed: 4,
    })
    const live = LiveAnalysis.fromMatrix(planted.matrix, planted.statements)
    live.update()
    const all: VoteRecord[] = []
    for (let round = 0; round < 3; round++) {
      const batch: VoteRecord[] = Array.from({ length: 300 }, () => {
        const participant = Math.floor(planted.random() * 560)
        const g = participant < 500 ? planted.group[participant]! : participant % 2
        const statement = Math.floor(planted.random() * 30)
        return { participant, statement, vote: planted.vote(g, statement) }
      })
      live.addVotes(batch)
      all.push(...batch)
    }
    const incremental = live.update()
    const full = analyze({
      statements: planted.statements,
      votes: [...toConversation(planted.matrix, []).votes, ...all],
    })
    assert.equal(incremental.participants, full.participants)
    assert.equal(incremental.groups.length, full.groups.length)
    assert.ok(agreement(groupOf(incremental), groupOf(full)) > 0.95)
    for (let c = 0; c < full.pca.eigenvalues.length; c++) {
      assert.ok(
        Math.abs(incremental.pca.eigenvalues[c]! - full.pca.eigenvalues[c]!) <
          1e-6 * full.pca.eigenvalues[c]!,
      )
    }
  })

  it('applies moderation at the next update', () => {
    const planted = plantedConversation({
      participants: 100,
      statements: 10,
      votes: 800,
      shares: [1, 1],
      seed: 6,
    })
    const live = LiveAnalysis.fromMatrix(planted.matrix, planted.statements)
    const first = live.update()
    const shown = planted.statements.find((s) => s.moderation === 1)!.id
    live.setModeration(shown, -1)
    const second = live.update()
    const column = first.statementIds.indexOf(shown)
    assert.equal(first.excluded[column], 0)
    assert.equal(second.excluded[column], 1)
  })
})

describe('group-count smoother (Pol.is group-k-smoother)', () => {
  it('switches k only after the new k is best on 4 consecutive updates', () => {
    let state = smoothGroupK(undefined, 2)
    assert.equal(state.smoothedK, 2)
    const shown: number[] = []
    for (const best of [3, 3, 3, 2, 3, 3, 3, 3, 3]) {
      state = smoothGroupK(state, best)
      shown.push(state.smoothedK)
    }
    assert.deepEqual(shown, [2, 2, 2, 2, 2, 2, 2, 3, 3])
  })
})
