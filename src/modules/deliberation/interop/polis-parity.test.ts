import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { analyze } from '../domain/math/analyze.js'
import { adjustedRandIndex } from '../domain/math/ari.js'
import { mulberry32 } from '../domain/math/random.js'
import type { AnalysisResult } from '../domain/math/types.js'
import {
  conversationFromPolisExport,
  type PolisExport,
  polisGroupIds,
  readPolisExport,
} from './polis-export.js'

/**
 * Parity with Pol.is on two real conversations (compdemocracy/openData, CC BY 4.0; see
 * ../shared/data/README.md): our groups against the `group-id` column Pol.is exported, over the
 * participants both put in a group. Required: the same number of groups and ARI ≥ 0.85.
 */

const DATA = fileURLToPath(new URL('../../../../../shared/data/polis/', import.meta.url))
const CONVERSATIONS = ['15-per-hour-seattle', 'scoop-hivemind.biodiversity']
const skip = existsSync(DATA) ? false : `shared data not found at ${DATA} (it sits next to the repository)`

function groupsOf(result: AnalysisResult): Map<number, number> {
  const out = new Map<number, number>()
  for (const g of result.groups) for (const member of g.members) out.set(member, g.id)
  return out
}

function agreement(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
): { ari: number; shared: number } {
  const shared = [...a.keys()].filter((p) => b.has(p))
  return {
    ari: adjustedRandIndex(
      shared.map((p) => a.get(p)),
      shared.map((p) => b.get(p)),
    ),
    shared: shared.length,
  }
}

/**
 * The same export with its participants in a random order under random new ids, read from the
 * participants-votes matrix (whose row order becomes the matrix's row order).
 */
function shuffled(
  exported: PolisExport,
  seed: number,
): { exported: PolisExport; originalId: Map<number, number> } {
  const random = mulberry32(seed)
  const rows = [...(exported.participants ?? [])]
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[rows[i], rows[j]] = [rows[j]!, rows[i]!]
  }
  const ids = rows.map((_, i) => 50_000 + i)
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[ids[i], ids[j]] = [ids[j]!, ids[i]!]
  }
  const originalId = new Map(rows.map((p, i) => [ids[i]!, p.id]))
  return {
    exported: { ...exported, votes: null, participants: rows.map((p, i) => ({ ...p, id: ids[i]! })) },
    originalId,
  }
}

describe('parity with Pol.is on real conversations', { skip }, () => {
  for (const name of CONVERSATIONS) {
    it(`${name}: same number of groups as Pol.is and adjusted Rand index ≥ 0.85`, () => {
      const exported = readPolisExport(DATA + name)
      const polis = polisGroupIds(exported)
      const result = analyze(conversationFromPolisExport(exported))
      const { ari, shared } = agreement(polis, groupsOf(result))
      const polisCount = new Set(polis.values()).size
      console.log(
        `parity ${name}: groups ${result.groups.length} (Pol.is ${polisCount}), sizes ${result.groups
          .map((g) => g.members.length)
          .join('/')}, ARI ${ari.toFixed(3)} over ${shared} participants in a group in both`,
      )
      assert.equal(result.groups.length, polisCount)
      assert.ok(ari >= 0.85, `ARI ${ari.toFixed(3)} < 0.85`)
    })

    it(`${name}: shuffling the participants (order and ids) gives the same groups`, () => {
      const exported = readPolisExport(DATA + name)
      const fromMatrix = analyze(conversationFromPolisExport({ ...exported, votes: null }))
      const fromLog = analyze(conversationFromPolisExport(exported))
      const { exported: mixed, originalId } = shuffled(exported, 2024)
      const again = groupsOf(analyze(conversationFromPolisExport(mixed)))
      const back = new Map([...again].map(([id, g]) => [originalId.get(id)!, g]))
      const shuffledRun = agreement(groupsOf(fromMatrix), back)
      const sameVotes = agreement(groupsOf(fromMatrix), groupsOf(fromLog))
      console.log(
        `shuffle ${name}: ARI ${shuffledRun.ari.toFixed(3)} between the export and its shuffled copy; ` +
          `${sameVotes.ari.toFixed(3)} between votes.csv and participants-votes.csv`,
      )
      assert.equal(shuffledRun.shared, fromMatrix.inConversation)
      assert.ok(shuffledRun.ari >= 0.95, `ARI ${shuffledRun.ari.toFixed(3)} < 0.95`)
      assert.ok(sameVotes.ari >= 0.95)
    })
  }
})
