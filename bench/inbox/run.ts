/**
 * Cases routed per second through the inbox's real intake path with 10,000 open cases already
 * in the database: text engine (language, sentiment, topic keywords), ordered routing rules,
 * round-robin assignment with per-person limits and availability (kept open-case counters, a
 * guarded increment), SLA deadlines in business hours, and one transaction writing the case, its
 * first message, the assignment and the audit entry. Goal ≥ 2,000 cases/s on SQLite.
 *
 * Two ways in, both measured: one message at a time (a transaction each — the contact form, an
 * email) and a page of messages at once (`receiveMessages`, as the mentions job takes a page of
 * up to 40: one transaction, each case still complete in it).
 *
 *   npx tsx bench/inbox/run.ts [--open 10000] [--cases 5000] [--batch 40] [--url postgres://…]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { receiveMessage, receiveMessages } from '../../src/modules/inbox/services/intake.js'
import {
  addTeamMember,
  insertRule,
  insertTeam,
  setAgent,
} from '../../src/modules/inbox/store/config-store.js'
import { insertStaff } from '../../src/platform/auth/staff-store.js'
import { connect } from '../../src/platform/db/connect.js'
import { migrateToLatest } from '../../src/platform/db/migrate.js'
import { seededRandom } from '../../src/platform/random.js'

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const openCases = Number(option('--open', '10000'))
const total = Number(option('--cases', '5000'))
const url = option('--url', '')
const batch = Number(option('--batch', '40'))

const SUBJECTS = [
  'bins',
  'recycling',
  'pothole',
  'streetlight',
  'library',
  'parking permit',
  'council tax',
  'bus stop',
  'noise',
  'fly-tipping',
  'food poisoning',
  'planning application',
]
const PLACES = ['Elm Street', 'Queen Street', 'Heol y Bont', 'Castle Road', 'Park Avenue', 'the High Street']
const EN = [
  (s: string, p: string) => `Hi, the ${s} on ${p} has been a problem for weeks. Can someone help?`,
  (s: string, p: string) => `Why is nobody answering about the ${s} near ${p}? Really disappointed.`,
  (s: string, p: string) => `Thank you for sorting the ${s} at ${p} so quickly, great work!`,
  (s: string, p: string) => `Who do I contact about ${s}? I live on ${p}.`,
]
const CY = [
  (s: string, p: string) =>
    `Helo, mae problem gyda’r ${s} ar ${p} ers wythnosau. Allwch chi helpu os gwelwch yn dda?`,
  (_s: string, p: string) => `Mae’r biniau heb eu casglu ar ${p} eto. Diolch am eich help.`,
]
const CHANNELS = ['mastodon', 'bluesky', 'email', 'contact'] as const

function message(rnd: () => number, i: number) {
  const s = SUBJECTS[Math.floor(rnd() * SUBJECTS.length)]!
  const p = PLACES[Math.floor(rnd() * PLACES.length)]!
  const welsh = rnd() < 0.2
  const tpl = welsh ? CY[Math.floor(rnd() * CY.length)]! : EN[Math.floor(rnd() * EN.length)]!
  const channel = CHANNELS[i % CHANNELS.length]!
  return { channel, text: tpl(s, p), externalId: `bench-${i}`, handle: `citizen${i % 5000}@example.org` }
}

const dir = mkdtempSync(join(tmpdir(), 'ts-inbox-bench-'))
const handle = connect(url || `sqlite:${join(dir, 'bench.sqlite')}`)
try {
  const db = handle.db
  await migrateToLatest(db)
  const now = new Date('2026-11-30T10:00:00Z')
  const teams: number[] = []
  for (const name of [
    'Streets and waste',
    'Contact centre',
    'Environmental health',
    'Libraries',
    'Welsh language',
  ])
    teams.push(await insertTeam(db, { name }, now))
  // 40 people, 8 a team, limits high enough for 20,000 open cases; every fifth person is away.
  let person = 0
  for (const teamId of teams) {
    for (let k = 0; k < 8; k++) {
      const id = await insertStaff(
        db,
        {
          email: `agent${person}@bench.invalid`,
          name: `Agent ${person}`,
          passwordHash: 'x',
          roles: ['responder'],
        },
        now,
      )
      await addTeamMember(db, teamId, id, { maxOpen: 800 })
      if (person % 5 === 4) await setAgent(db, id, { available: false })
      person++
    }
  }
  const [streets, contact, health, libraries, welsh] = teams as [number, number, number, number, number]
  const rules: [string, object, object][] = [
    [
      'Food safety',
      { keywords: ['food poisoning'] },
      { teamId: health, priority: 'urgent', tag: 'food-safety' },
    ],
    ['Noise', { keywords: ['noise'] }, { teamId: health }],
    ['Welsh', { languages: ['cy'] }, { teamId: welsh, tag: 'cymraeg' }],
    [
      'Bins and streets',
      { keywords: ['bins', 'recycling', 'pothole', 'streetlight', 'fly-tipping', 'biniau'] },
      { teamId: streets },
    ],
    ['Libraries', { keywords: ['library', 'books'] }, { teamId: libraries }],
    ['Parking', { topics: ['parking permit', 'parking'] }, { teamId: contact, tag: 'parking' }],
    [
      'Unhappy on social',
      { sentiments: ['negative'], channels: ['mastodon', 'bluesky'] },
      { priority: 'high', tag: 'unhappy' },
    ],
    ['Happy', { sentiments: ['positive'] }, { tag: 'praise' }],
    ['Email', { channels: ['email'] }, { tag: 'email' }],
    ['Council tax', { keywords: ['council tax'] }, { teamId: contact, tag: 'revenue' }],
    ['Planning', { keywords: ['planning application'] }, { teamId: contact, tag: 'planning' }],
    ['Everything else', { channels: ['mastodon', 'bluesky', 'email', 'contact'] }, { teamId: contact }],
  ]
  for (const [name, conditions, actions] of rules)
    await insertRule(db, { name, conditions, actions } as never, now)

  const rnd = seededRandom(42)
  // The 10,000 open cases already waiting, through the same path (not timed).
  const fillStart = performance.now()
  for (let i = 0; i < openCases; i++) {
    const m = message(rnd, i)
    await receiveMessage(db, {
      channel: m.channel,
      text: m.text,
      receivedAt: now,
      externalId: m.externalId,
      citizenHandle: m.handle,
      citizenEmail: m.handle,
    })
  }
  const fillMs = performance.now() - fillStart
  const open = await db
    .selectFrom('inbox_cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow()

  const toMessage = (i: number) => {
    const m = message(rnd, i)
    return {
      channel: m.channel,
      text: m.text,
      receivedAt: now,
      externalId: m.externalId,
      citizenHandle: m.handle,
      citizenEmail: m.handle,
    }
  }
  const times: number[] = []
  const start = performance.now()
  for (let i = openCases; i < openCases + total; i++) {
    const m = toMessage(i)
    const t0 = performance.now()
    await receiveMessage(db, m)
    times.push(performance.now() - t0)
  }
  const elapsed = performance.now() - start
  times.sort((a, b) => a - b)
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!

  // The same number of new cases again, a page at a time.
  const batchTimes: number[] = []
  const bStart = performance.now()
  for (let i = openCases + total; i < openCases + 2 * total; i += batch) {
    const page = []
    for (let k = i; k < Math.min(i + batch, openCases + 2 * total); k++) page.push(toMessage(k))
    const t0 = performance.now()
    await receiveMessages(db, page, now)
    batchTimes.push((performance.now() - t0) / page.length)
  }
  const bElapsed = performance.now() - bStart
  batchTimes.sort((a, b) => a - b)
  const bPct = (p: number) =>
    batchTimes[Math.min(batchTimes.length - 1, Math.floor((p / 100) * batchTimes.length))]!
  const assigned = await db
    .selectFrom('inbox_cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('assignee_id', 'is not', null)
    .executeTakeFirstOrThrow()
  const overLimit = await db
    .selectFrom('inbox_agents')
    .select('staff_id')
    .where((eb) => eb('open_count', '>', eb.ref('max_open')))
    .execute()
  const rate = total / (elapsed / 1000)
  const bRate = total / (bElapsed / 1000)
  console.log(
    `inbox routing bench — ${handle.dialect}, ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  )
  console.log(
    `  open cases before timing: ${Number(open.n).toLocaleString('en-GB')} (filled at ${Math.round(openCases / (fillMs / 1000)).toLocaleString('en-GB')} cases/s)`,
  )
  console.log(
    `  one at a time: ${total.toLocaleString('en-GB')} cases in ${(elapsed / 1000).toFixed(2)} s = ${Math.round(rate).toLocaleString('en-GB')} cases/s (goal ≥ 2,000/s)`,
  )
  console.log(
    `    per case: p50 ${pct(50).toFixed(3)} ms, p99 ${pct(99).toFixed(3)} ms, max ${times.at(-1)!.toFixed(3)} ms`,
  )
  console.log(
    `  pages of ${batch}: ${total.toLocaleString('en-GB')} cases in ${(bElapsed / 1000).toFixed(2)} s = ${Math.round(bRate).toLocaleString('en-GB')} cases/s`,
  )
  console.log(
    `    per case (page time / page size): p50 ${bPct(50).toFixed(3)} ms, p99 ${bPct(99).toFixed(3)} ms`,
  )
  console.log(`  machine load average (1 min): ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`)
  console.log(
    `  assigned: ${Number(assigned.n).toLocaleString('en-GB')}; people over their limit: ${overLimit.length}`,
  )
  console.log(
    `  command: npx tsx bench/inbox/run.ts --open ${openCases} --cases ${total} --batch ${batch}${url ? ' --url <postgres>' : ''}`,
  )
} finally {
  await handle.close()
  rmSync(dir, { recursive: true, force: true })
}
