import { recordAudit } from '../../platform/audit/audit.js'
import { systemActor } from '../../platform/auth/actor.js'
import { seededRandom } from '../../platform/random.js'
import type { Services } from '../../platform/services.js'
import { importAreas } from './commands/areas-import.js'
import { DEFAULT_RULES, deadlineFor } from './domain/petition.js'
import { canonicalEmail } from './domain/signature.js'
import { insertPetition, type NewPetition, newPetition, recordPetitionEvent } from './store/petition-store.js'
import { bumpCount, bumpPetitionCount, insertSignature } from './store/signature-store.js'

/** A small generated postcode table for the demo council's wards (not real data). */
const WARDS = [
  ['W09000901', 'Harbour', 'SA62'],
  ['W09000902', 'Castle', 'SA63'],
  ['W09000903', 'Meadow', 'SA64'],
  ['W09000904', 'Quarry', 'SA65'],
] as const

const FIRST = [
  'Alaw',
  'Bethan',
  'Carys',
  'Dafydd',
  'Elin',
  'Emyr',
  'Ffion',
  'Gareth',
  'Gwen',
  'Huw',
  'Iwan',
  'Jac',
  'Lowri',
  'Mared',
  'Nia',
  'Osian',
  'Rhys',
  'Siân',
  'Tomos',
  'Wyn',
  'Amira',
  'Ben',
  'Chloe',
  'Priya',
  'Sam',
]
const LAST = [
  'Davies',
  'Evans',
  'Hughes',
  'Jones',
  'Lewis',
  'Morgan',
  'Owen',
  'Price',
  'Roberts',
  'Thomas',
  'Williams',
  'Khan',
  'Patel',
  'Smith',
]

function petition(now: Date, fields: Parameters<typeof newPetition>[1]): NewPetition {
  return newPetition(now, {
    creatorName: 'Demo Creator',
    creatorEmail: 'creator@demo.townsquare.invalid',
    ...fields,
  })
}

/** Petitions at every stage, with generated signatures spread over wards and hours. */
export async function seedPetitionsDemo(services: Services, now: Date): Promise<void> {
  const { db } = services
  const random = seededRandom(2026)
  const day = 86_400_000
  await importAreas(
    db,
    WARDS.flatMap(([code, name, district]) =>
      ['1AA', '2AB', '3AD', '4AE', '5AF'].map((unit, i) => ({
        postcode: `${district}${i + 1}${unit.slice(1)}`,
        areaCode: code,
        areaName: name,
        regionCode: 'W1',
        regionName: 'Glanaber',
      })),
    ),
  )
  const openedAt = new Date(now.getTime() - 20 * day)
  const open = await insertPetition(
    db,
    petition(now, {
      action: 'Keep the Harbour Road library open on Saturdays',
      background:
        'Families who work during the week can only use the library at weekends. Closing it on Saturdays would shut them out.',
      additionalDetails: 'The library is also the only place in the ward with free computers and wifi.',
      state: 'open',
      creatorName: 'Lowri Morgan',
      createdAt: new Date(openedAt.getTime() - 5 * day).toISOString(),
      openedAt: openedAt.toISOString(),
      deadlineAt: deadlineFor(openedAt, DEFAULT_RULES.durationMonths).toISOString(),
    }),
  )
  const closed = await insertPetition(
    db,
    petition(now, {
      action: 'Put a pedestrian crossing outside Ysgol y Castell',
      background: 'Children cross a busy road twice a day with no crossing.',
      state: 'closed',
      createdAt: new Date(now.getTime() - 220 * day).toISOString(),
      openedAt: new Date(now.getTime() - 210 * day).toISOString(),
      closedAt: new Date(now.getTime() - 27 * day).toISOString(),
      response: {
        respondedOn: new Date(now.getTime() - 10 * day).toISOString().slice(0, 10),
        summary: 'A zebra crossing will be installed in the spring, funded from the road safety budget.',
        details: 'Our highways team surveyed the road and agrees a crossing is needed.',
        createdAt: new Date(now.getTime() - 10 * day).toISOString(),
        updatedAt: new Date(now.getTime() - 10 * day).toISOString(),
      },
      governmentResponseAt: new Date(now.getTime() - 10 * day).toISOString(),
    }),
  )
  await insertPetition(
    db,
    petition(now, {
      action: 'Plant fruit trees along the Meadow cycle path',
      background: 'Fruit trees would give shade, food and a home to pollinators.',
      state: 'sponsored',
      moderationThresholdReachedAt: new Date(now.getTime() - 12 * day).toISOString(),
    }),
  )
  await insertPetition(
    db,
    petition(now, {
      action: 'Ban dogs from every park in the county',
      background: 'Parks should be for people.',
      state: 'sponsored',
      moderationThresholdReachedAt: new Date(now.getTime() - 2 * day).toISOString(),
    }),
  )
  await insertPetition(
    db,
    petition(now, {
      action: 'Give every councillor a free car',
      background: 'It would make their work easier.',
      state: 'rejected',
      rejectedAt: new Date(now.getTime() - 30 * day).toISOString(),
      rejection: {
        code: 'irrelevant',
        details: 'Councillors’ allowances are set by an independent panel, not by the council.',
      },
    }),
  )

  for (const [id, n] of [
    [open, 340],
    [closed, 210],
  ] as const) {
    let count = 0
    for (let i = 0; i < n; i++) {
      const [areaCode, areaName, district] = WARDS[Math.floor(random() * WARDS.length)]!
      const name = `${FIRST[Math.floor(random() * FIRST.length)]} ${LAST[Math.floor(random() * LAST.length)]}`
      const email = `signer${id}-${i}@demo.townsquare.invalid`
      const created = new Date(now.getTime() - Math.floor(random() * (id === open ? 3 : 150) * day))
      const pending = random() < 0.08
      const country = random() < 0.97 ? 'GB' : 'IE'
      const sigId = await insertSignature(
        db,
        {
          petitionId: id,
          name,
          email,
          canonicalEmail: canonicalEmail(email),
          country,
          postcode: `${district}${1 + Math.floor(random() * 5)} 1AA`,
          state: pending ? 'pending' : 'validated',
          assuranceLevel: 'email-verified',
          notify: random() < 0.6,
          creator: i === 0,
          ip: `198.51.100.${1 + (i % 250)}`,
          referrer: random() < 0.5 ? 'https://social.example/post/1' : null,
          campaign: random() < 0.3 ? 'newsletter' : null,
          language: random() < 0.25 ? 'cy' : 'en',
          tokenHash: null,
        },
        created,
      )
      if (pending || sigId === null) continue
      await db
        .updateTable('petition_signatures')
        .set({ validated_at: created.toISOString(), area_code: country === 'GB' ? areaCode : null })
        .where('id', '=', sigId)
        .execute()
      await bumpCount(db, id, 'country', country, country === 'GB' ? 'United Kingdom' : 'Ireland', 1)
      if (country === 'GB') {
        await bumpCount(db, id, 'area', areaCode, areaName, 1)
        await bumpCount(db, id, 'region', 'W1', 'Glanaber', 1)
      }
      await bumpCount(db, id, 'assurance', 'email-verified', 'email-verified', 1)
      count++
    }
    await bumpPetitionCount(db, id, count, now)
    await recordPetitionEvent(db, id, 'state.open', now)
  }
  await recordAudit(db, { actor: systemActor('demo'), action: 'petitions.demo.seed', at: now })
}
