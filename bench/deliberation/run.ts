/**
 * Benchmark of the deliberation opinion math on generated conversations with planted opinion
 * groups. Run: npx tsx bench/deliberation/run.ts [--quick]
 *
 * 1. Full recompute, 10,000 participants × 1,000 statements, 5 % of cells voted.
 * 2. Full recompute, 33,000 participants × 800 statements, 2,000,000 votes.
 * 3. Incremental (live) update after 1,000 new votes on the second conversation.
 * Goals on one core: (1) < 1 s, (2) < 3 s, (3) < 200 ms, and the planted groups recovered.
 * Everything is seeded: the same command prints the same groups (timings vary by machine).
 */
import { cpus, loadavg } from 'node:os'
import { analyzeMatrix } from '../../src/modules/deliberation/domain/math/analyze.js'
import { adjustedRandIndex } from '../../src/modules/deliberation/domain/math/ari.js'
import { LiveAnalysis } from '../../src/modules/deliberation/domain/math/live.js'
import { plantedConversation } from '../../src/modules/deliberation/domain/math/synthetic.js'
import type { AnalysisResult, VoteRecord } from '../../src/modules/deliberation/domain/math/types.js'
import { excludedColumns } from '../../src/modules/deliberation/domain/math/vote-matrix.js'

/** Agreement of the found groups with the planted ones, over the participants clustered. */
function recovery(result: AnalysisResult, planted: Int32Array): { k: number; ari: number } {
  const found: number[] = []
  const truth: number[] = []
  for (const g of result.groups) {
    for (const member of g.members) {
      found.push(g.id)
      truth.push(planted[member]!)
    }
  }
  return { k: result.groups.length, ari: adjustedRandIndex(truth, found) }
}

/** Wall-clock and process CPU time (CPU includes V8's helper threads, e.g. the collector). */
function time<T>(run: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const value = run()
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { value, ms, cpuMs: (used.user + used.system) / 1000 }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const quick = process.argv.includes('--quick')
const repeats = quick ? 1 : 3
const shares = [0.5, 0.3, 0.2]
const lines: string[] = []
const say = (line: string): void => {
  lines.push(line)
  console.log(line)
}

say(
  `deliberation math benchmark — node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (single thread)`,
)
say(
  `planted groups: ${shares.length} (shares ${shares.join('/')}), seeded; load average before: ${loadavg()[0]!.toFixed(2)}`,
)

const results: Array<{ name: string; ms: number; goal: number; ok: boolean }> = []

for (const [name, n, m, votes, goal, seed] of [
  ['full 10k × 1k (5 % voted)', 10_000, 1_000, 500_000, 1000, 11],
  ['full 33k × 800 (2M votes)', 33_000, 800, 2_000_000, 3000, 12],
] as const) {
  const planted = plantedConversation({ participants: n, statements: m, votes, shares, seed })
  const excluded = excludedColumns(planted.matrix, planted.statements)
  const runs = Array.from({ length: repeats }, () => time(() => analyzeMatrix(planted.matrix, excluded)))
  const ms = median(runs.map((r) => r.ms))
  const { k, ari } = recovery(runs[0]!.value, planted.group)
  const ok = ms < goal && k === shares.length && ari >= 0.9
  results.push({ name, ms, goal, ok })
  say(
    `${name}: ${planted.matrix.column.length.toLocaleString('en')} votes, ${ms.toFixed(0)} ms ` +
      `(median of ${repeats}, CPU ${median(runs.map((r) => r.cpuMs)).toFixed(0)} ms; goal < ${goal} ms); ` +
      `in analysis ${runs[0]!.value.inConversation}, groups found ${k} (planted ${shares.length}), ARI vs planted ${ari.toFixed(3)}`,
  )
}

{
  const planted = plantedConversation({
    participants: 33_000,
    statements: 800,
    votes: 2_000_000,
    shares,
    seed: 12,
  })
  const build = time(() => LiveAnalysis.fromMatrix(planted.matrix, planted.statements))
  const live = build.value
  const first = time(() => live.update())
  say(
    `live 33k × 800: start (co-vote sums) ${build.ms.toFixed(0)} ms, first update (cold) ${first.ms.toFixed(0)} ms`,
  )
  const timings: number[] = []
  const cpuTimings: number[] = []
  let last = first.value
  const rounds = quick ? 3 : 10
  // Round 0 warms up the incremental code path (the JIT compiles it on first use) and is not counted.
  for (let round = 0; round <= rounds; round++) {
    // 1,000 new votes: mostly existing participants, some newcomers, on statements they had not seen.
    const batch: VoteRecord[] = []
    const seen = new Set<string>()
    while (batch.length < 1000) {
      const newcomer = planted.random() < 0.1
      const participant = newcomer
        ? 33_000 + round * 1000 + Math.floor(planted.random() * 1000)
        : Math.floor(planted.random() * 33_000)
      const g = participant < 33_000 ? planted.group[participant]! : participant % shares.length
      const statement = Math.floor(planted.random() * 800)
      const key = `${participant}:${statement}`
      if (seen.has(key)) continue
      seen.add(key)
      batch.push({ participant, statement, vote: planted.vote(g, statement) })
    }
    live.addVotes(batch)
    const step = time(() => live.update())
    if (round > 0) {
      timings.push(step.ms)
      cpuTimings.push(step.cpuMs)
    } else say(`  warm-up incremental update: ${step.ms.toFixed(0)} ms (not counted)`)
    last = step.value
  }
  const ms = median(timings)
  const group = (id: number): number => (id < 33_000 ? planted.group[id]! : id % shares.length)
  const found: number[] = []
  const truth: number[] = []
  for (const g of last.groups) {
    for (const member of g.members) {
      found.push(g.id)
      truth.push(group(member))
    }
  }
  const ari = adjustedRandIndex(truth, found)
  const ok = ms < 200 && last.groups.length === shares.length && ari >= 0.9
  results.push({ name: 'incremental', ms, goal: 200, ok })
  say(
    `incremental after 1,000 new votes (33k × 800): median ${ms.toFixed(0)} ms (CPU ${median(cpuTimings).toFixed(0)} ms), ` +
      `max ${Math.max(...timings).toFixed(0)} ms over ${rounds} updates (goal < 200 ms); ` +
      `groups ${last.groups.length}, ARI vs planted ${ari.toFixed(3)}`,
  )
}

say(
  `goals met: ${
    results.every((r) => r.ok)
      ? 'all'
      : results
          .filter((r) => !r.ok)
          .map((r) => r.name)
          .join(', ') + ' MISSED'
  }`,
)
say('reproduce: cd <repo> && npx tsx bench/deliberation/run.ts')
