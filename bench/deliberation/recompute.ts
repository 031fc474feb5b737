/**
 * Benchmark of the deliberation module around the math: storing votes, the debounced
 * recompute through the database (full and incremental), and the latency of a vote over HTTP
 * while the math runs. Run: npx tsx bench/deliberation/recompute.ts [--quick]
 *
 * 1. Import the real biodiversity conversation (536 participants, 29,802 votes) and compute it.
 * 2. A generated conversation, 5,000 participants × 120 statements, 150,000 votes: a full
 *    recompute from the database, then an incremental one after 1,000 more votes.
 * 3. 600 votes over HTTP (form posts, 60 browsers) while the queued recompute runs (debounced by
 *    one second, the queue polled every 100 ms): the vote's latency, median and 95th percentile.
 * SQLite in memory, one process, as `npm start` runs on a small install.
 */
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { importPolisExport } from '../../src/modules/deliberation/commands/polis.js'
import { DEFAULT_SETTINGS } from '../../src/modules/deliberation/domain/conversation.js'
import { plantedConversation } from '../../src/modules/deliberation/domain/math/synthetic.js'
import type { VoteValue } from '../../src/modules/deliberation/domain/math/types.js'
import { readPolisExport } from '../../src/modules/deliberation/interop/polis-export.js'
import { recomputeConversation } from '../../src/modules/deliberation/recompute.js'
import {
  bumpNumbers,
  insertConversation,
  insertStatement,
} from '../../src/modules/deliberation/store/conversation-store.js'
import { insertImportedParticipant } from '../../src/modules/deliberation/store/participant-store.js'
import { importVotes, recordVote } from '../../src/modules/deliberation/store/vote-store.js'
import { DEFAULT_ORGANISATION } from '../../src/platform/settings/organisation.js'
import { writeSetting } from '../../src/platform/settings/settings.js'
import { buildTestApp, TestBrowser } from '../../test/support/app.js'

const quick = process.argv.includes('--quick')
const ms = (x: number) => `${Math.round(x)} ms`
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]

const t = await buildTestApp('sqlite')
const db = t.services.db
await writeSetting(db, 'organisation', { ...DEFAULT_ORGANISATION, enabledModules: ['deliberation'] })
await writeSetting(db, 'module.deliberation', { recomputeDelaySeconds: 0 })
t.services.invalidateSettings()
console.log(
  `Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)

// 1. The real conversation.
const data = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'polis',
  'scoop-hivemind.biodiversity',
)
if (existsSync(data)) {
  const exported = readPolisExport(data)
  let start = performance.now()
  const imported = await importPolisExport(db, exported, { fallbackTitle: 'biodiversity', now: new Date() })
  const importMs = performance.now() - start
  start = performance.now()
  const full = await recomputeConversation(db, imported.conversationId)
  console.log(
    `biodiversity: import ${imported.votes} votes ${ms(importMs)}; full recompute ${ms(performance.now() - start)} ` +
      `(${full?.groups} groups, ${full?.inConversation} of ${full?.participants} placed)`,
  )
} else console.log('biodiversity: skipped (../shared/data/polis not found)')

// 2. A large generated conversation.
const participants = quick ? 1000 : 5000
const statements = 120
const planted = plantedConversation({
  participants,
  statements,
  votes: participants * 30,
  shares: [0.5, 0.3, 0.2],
  seed: 11,
})
const now = new Date()
const id = await insertConversation(
  db,
  {
    ...DEFAULT_SETTINGS,
    titleEn: 'Bench',
    titleCy: 'Mainc',
    descriptionEn: '',
    descriptionCy: null,
    opensAt: new Date(now.getTime() - 86_400_000).toISOString(),
    closesAt: null,
  },
  'bench',
  now,
)
const statementIds: number[] = []
for (let j = 0; j < statements; j++)
  statementIds.push(
    (
      await insertStatement(
        db,
        {
          conversationId: id,
          textEn: `Statement ${j}`,
          textCy: null,
          authorParticipantId: null,
          seed: true,
          moderation: 1,
        },
        now,
      )
    ).id,
  )
const participantIds: number[] = []
for (let i = 0; i < participants; i++) participantIds.push(await insertImportedParticipant(db, id, i, now))
await bumpNumbers(db, id, { statement: statements, participant: participants })
const m = planted.matrix
const votes: Array<{ participantId: number; statementId: number; vote: VoteValue; at: Date }> = []
for (let i = 0; i < participants; i++)
  for (let e = m.rowStart[i]; e < m.rowStart[i + 1]; e++)
    votes.push({
      participantId: participantIds[i],
      statementId: statementIds[m.column[e]],
      vote: m.value[e] as VoteValue,
      at: now,
    })
let start = performance.now()
await importVotes(db, id, votes)
console.log(
  `generated: ${participants} participants × ${statements} statements, ${votes.length} votes stored in ${ms(performance.now() - start)}`,
)
start = performance.now()
const full = await recomputeConversation(db, id)
console.log(
  `generated: full recompute from the database ${ms(performance.now() - start)} (math and storage ${full?.durationMs} ms, ${full?.groups} groups)`,
)
const storeTimes: number[] = []
for (let k = 0; k < 1000; k++) {
  const i = Math.floor(planted.random() * participants)
  const j = Math.floor(planted.random() * statements)
  const s = performance.now()
  await recordVote(
    db,
    {
      conversationId: id,
      participantId: participantIds[i],
      statementId: statementIds[j],
      vote: planted.vote(planted.group[i], j),
    },
    new Date(),
  )
  storeTimes.push(performance.now() - s)
}
start = performance.now()
const incremental = await recomputeConversation(db, id)
console.log(
  `generated: storing a vote (upsert + log) median ${percentile(storeTimes, 0.5).toFixed(2)} ms; ` +
    `incremental recompute after 1,000 votes ${ms(performance.now() - start)} (${incremental?.mode})`,
)

// 3. Votes over HTTP while the math runs, debounced by one second.
await writeSetting(db, 'module.deliberation', { recomputeDelaySeconds: 1 })
const browsers = Array.from({ length: 60 }, () => new TestBrowser(t.app))
let running = true
let recomputes = 0
const worker = (async () => {
  while (running) {
    recomputes += await t.services.jobs.drainLocal(new Date(Date.now() + 60_000))
    await new Promise((r) => setTimeout(r, 100))
  }
})()
const latencies: number[] = []
for (let round = 0; round < (quick ? 4 : 10); round++) {
  for (const b of browsers) {
    const page = await b.get(`/conversations/${id}`)
    const sid = /name="statementId" value="(\d+)"/.exec(page.body)?.[1]
    if (!sid) continue
    const s = performance.now()
    const res = await b.post(`/conversations/${id}/vote`, { statementId: sid, vote: 'agree' })
    latencies.push(performance.now() - s)
    if (res.statusCode !== 303) throw new Error(`vote answered ${res.statusCode}`)
  }
}
running = false
await worker
console.log(
  `HTTP: ${latencies.length} votes, latency median ${percentile(latencies, 0.5).toFixed(1)} ms, ` +
    `95th percentile ${percentile(latencies, 0.95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; ` +
    `${recomputes} recomputes ran meanwhile`,
)
await t.close()
