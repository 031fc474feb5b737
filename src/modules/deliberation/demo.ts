import { recordAudit } from '../../platform/audit/audit.js'
import { systemActor } from '../../platform/auth/actor.js'
import type { Db } from '../../platform/db/database.js'
import type { Services } from '../../platform/services.js'
import { mulberry32 } from './domain/math/random.js'
import { plantedConversation } from './domain/math/synthetic.js'
import type { VoteValue } from './domain/math/types.js'
import { recomputeConversation } from './recompute.js'
import { bumpNumbers, insertConversation, insertStatement } from './store/conversation-store.js'
import { insertImportedParticipant } from './store/participant-store.js'
import { importVotes } from './store/vote-store.js'

/**
 * Demo conversations for Glanaber County Council: statements written for the demo in English
 * and Welsh, votes drawn from the synthetic generator with planted opinion groups (so the map
 * shows real structure), a few statements waiting for a moderator, and one script-like voter
 * who agrees with everything at machine speed, for the abnormal-voter alert.
 */

const DAY = 86_400_000

type Seed = readonly [en: string, cy: string]

const TOWN_CENTRE: readonly Seed[] = [
  [
    'The high street should be closed to cars on Saturdays.',
    'Dylid cau’r stryd fawr i geir ar ddydd Sadwrn.',
  ],
  [
    'Parking in the town centre should be free for the first hour.',
    'Dylai parcio yng nghanol y dref fod am ddim am yr awr gyntaf.',
  ],
  ['Empty shops should be turned into homes.', 'Dylid troi siopau gwag yn gartrefi.'],
  [
    'The council should buy empty buildings and rent them cheaply to local businesses.',
    'Dylai’r cyngor brynu adeiladau gwag a’u rhentu’n rhad i fusnesau lleol.',
  ],
  [
    'We need more public toilets in the town centre.',
    'Mae angen mwy o doiledau cyhoeddus yng nghanol y dref.',
  ],
  ['Buses to the villages should run in the evenings.', 'Dylai bysiau i’r pentrefi redeg gyda’r nos.'],
  [
    'A safe cycle route from the station to the seafront should come before new car parks.',
    'Dylai llwybr beicio diogel o’r orsaf i lan y môr ddod cyn meysydd parcio newydd.',
  ],
  ['The weekly market should stay in the square.', 'Dylai’r farchnad wythnosol aros yn y sgwâr.'],
  [
    'Out-of-town retail parks are killing the high street.',
    'Mae parciau manwerthu y tu allan i’r dref yn lladd y stryd fawr.',
  ],
  [
    'More trees and benches would make me spend longer in town.',
    'Byddai mwy o goed a meinciau yn gwneud i mi dreulio mwy o amser yn y dref.',
  ],
  [
    'Business rates are the main reason shops close.',
    'Ardrethi busnes yw’r prif reswm pam mae siopau’n cau.',
  ],
  ['Welsh should be visible on every shop sign.', 'Dylai’r Gymraeg fod yn amlwg ar bob arwydd siop.'],
  [
    'The town centre does not feel safe after dark.',
    'Nid yw canol y dref yn teimlo’n ddiogel ar ôl iddi nosi.',
  ],
  ['Student housing is changing the character of the town.', 'Mae tai myfyrwyr yn newid cymeriad y dref.'],
  [
    'The council should spend less on the town centre and more on the estates around it.',
    'Dylai’r cyngor wario llai ar ganol y dref a mwy ar y stadau o’i chwmpas.',
  ],
  [
    'Events such as food festivals bring people back to the high street.',
    'Mae digwyddiadau fel gwyliau bwyd yn dod â phobl yn ôl i’r stryd fawr.',
  ],
  [
    'Charity shops and betting shops should be limited on the high street.',
    'Dylid cyfyngu ar siopau elusen a siopau betio ar y stryd fawr.',
  ],
  ['A 20 mph limit in the town centre is right.', 'Mae terfyn 20 mya yng nghanol y dref yn iawn.'],
  [
    'The seafront should have more cafés and fewer car parks.',
    'Dylai fod mwy o gaffis a llai o feysydd parcio ar lan y môr.',
  ],
  [
    'Free Wi-Fi across the town centre would help local businesses.',
    'Byddai Wi-Fi am ddim ar draws canol y dref yn helpu busnesau lleol.',
  ],
  [
    'I would use a library and community hub if it opened in an empty shop.',
    'Byddwn yn defnyddio llyfrgell a chanolfan gymunedol pe bai’n agor mewn siop wag.',
  ],
  [
    'Delivery lorries should only unload before 10am.',
    'Dim ond cyn 10am y dylai lorïau dosbarthu ddadlwytho.',
  ],
  [
    'Young people have nowhere to go in the town centre.',
    'Does gan bobl ifanc unman i fynd yng nghanol y dref.',
  ],
]
const TOWN_CENTRE_META: Seed = [
  'I live within walking distance of the town centre.',
  'Rwy’n byw o fewn pellter cerdded i ganol y dref.',
]
const TOWN_CENTRE_PENDING: ReadonlyArray<{ en?: string; cy?: string }> = [
  { en: 'Bring back the Christmas lights on the pier.' },
  { cy: 'Dylai fod lle chwarae dan do i blant yng nghanol y dref.' },
  { en: 'The one-way system confuses visitors and should be scrapped.' },
]

const LIBRARIES: readonly Seed[] = [
  [
    'Libraries should open later in the evening rather than early in the morning.',
    'Dylai llyfrgelloedd agor yn hwyrach gyda’r nos yn hytrach nag yn gynnar yn y bore.',
  ],
  [
    'Sunday opening matters more than Monday opening.',
    'Mae agor ar ddydd Sul yn bwysicach nag agor ar ddydd Llun.',
  ],
  ['Volunteers could keep small branches open.', 'Gallai gwirfoddolwyr gadw canghennau bach ar agor.'],
  [
    'Opening without staff, with self-service, would be fine for me.',
    'Byddai agor heb staff, gyda hunanwasanaeth, yn iawn i mi.',
  ],
  [
    'The mobile library matters more than branch opening hours.',
    'Mae’r llyfrgell deithiol yn bwysicach nag oriau agor y canghennau.',
  ],
  ['Quiet study space is the main reason I visit.', 'Lle tawel i astudio yw’r prif reswm rwy’n ymweld.'],
  ['Children’s activities should be on Saturday mornings.', 'Dylai gweithgareddau plant fod ar fore Sadwrn.'],
  ['I would pay a small fee for longer opening hours.', 'Byddwn yn talu ffi fach am oriau agor hirach.'],
]

interface DemoConversation {
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
  readonly seeds: readonly Seed[]
  readonly meta?: Seed
  readonly pending?: ReadonlyArray<{ en?: string; cy?: string }>
  readonly opensAt: Date
  readonly closesAt: Date
  /** Votes are cast between the opening and this instant. */
  readonly activeUntil: Date
  readonly participants: number
  readonly votesEach: number
  readonly shares: readonly number[]
  readonly seed: number
  readonly bot: boolean
}

async function seedConversation(db: Db, d: DemoConversation, now: Date): Promise<number> {
  const random = mulberry32(d.seed)
  const planted = plantedConversation({
    participants: d.participants,
    statements: d.seeds.length,
    votes: d.participants * d.votesEach,
    shares: d.shares,
    seed: d.seed,
    moderatedOut: 0,
    conviction: 0.8,
  })
  const m = planted.matrix
  return db.transaction().execute(async (trx) => {
    const id = await insertConversation(
      trx,
      {
        titleEn: d.titleEn,
        titleCy: d.titleCy,
        descriptionEn: d.descriptionEn,
        descriptionCy: d.descriptionCy,
        opensAt: d.opensAt.toISOString(),
        closesAt: d.closesAt.toISOString(),
        voteAssurance: 'none',
        statementPolicy: 'anyone',
        strictModeration: false,
        showMap: true,
        openData: true,
        maxLength: 140,
      },
      'demo',
      d.opensAt,
    )
    const statementIds: number[] = []
    for (const [en, cy] of d.seeds) {
      const s = await insertStatement(
        trx,
        {
          conversationId: id,
          textEn: en,
          textCy: cy,
          authorParticipantId: null,
          seed: true,
          moderation: 1,
          moderatedBy: 'demo',
        },
        d.opensAt,
      )
      statementIds.push(s.id)
    }
    let metaId: number | null = null
    if (d.meta) {
      const s = await insertStatement(
        trx,
        {
          conversationId: id,
          textEn: d.meta[0],
          textCy: d.meta[1],
          authorParticipantId: null,
          seed: true,
          meta: true,
          moderation: 1,
          moderatedBy: 'demo',
        },
        d.opensAt,
      )
      metaId = s.id
    }
    const span = d.activeUntil.getTime() - d.opensAt.getTime()
    const votes: Array<{ participantId: number; statementId: number; vote: VoteValue; at: Date }> = []
    const participantIds: number[] = []
    for (let i = 0; i < d.participants; i++) {
      // More people arrive early on, when the conversation is promoted.
      const start = new Date(d.opensAt.getTime() + span * random() ** 1.6)
      const pid = await insertImportedParticipant(trx, id, i, start)
      participantIds.push(pid)
      let t = start.getTime()
      if (metaId !== null) {
        votes.push({
          participantId: pid,
          statementId: metaId,
          vote: random() < 0.6 ? 1 : -1,
          at: new Date(t),
        })
      }
      for (let e = m.rowStart[i]; e < m.rowStart[i + 1]; e++) {
        // Reading a statement and deciding takes people 4 to 25 seconds.
        t += 4000 + Math.floor(random() * 21_000)
        votes.push({
          participantId: pid,
          statementId: statementIds[m.column[e]],
          vote: m.value[e] as VoteValue,
          at: new Date(Math.min(t, d.activeUntil.getTime())),
        })
      }
    }
    let nextParticipant = d.participants
    if (d.bot) {
      // A script: agrees with everything, a vote every 0.4 seconds.
      const start = d.activeUntil.getTime() - 2 * 3_600_000
      const pid = await insertImportedParticipant(trx, id, nextParticipant++, new Date(start))
      statementIds.forEach((sid, j) => {
        votes.push({ participantId: pid, statementId: sid, vote: 1, at: new Date(start + j * 400) })
      })
    }
    let nextStatement = d.seeds.length + (d.meta ? 1 : 0)
    for (const [k, p] of (d.pending ?? []).entries()) {
      const author = participantIds[(k * 37 + 11) % participantIds.length]
      const at = new Date(d.activeUntil.getTime() - (k + 1) * 5 * 3_600_000)
      const s = await insertStatement(
        trx,
        {
          conversationId: id,
          number: nextStatement++,
          textEn: p.en ?? null,
          textCy: p.cy ?? null,
          authorParticipantId: author,
          seed: false,
          moderation: 0,
        },
        at,
      )
      votes.push({ participantId: author, statementId: s.id, vote: 1, at })
    }
    votes.sort((a, b) => a.at.getTime() - b.at.getTime())
    await importVotes(trx, id, votes)
    await bumpNumbers(trx, id, { statement: nextStatement, participant: nextParticipant })
    await recordAudit(trx, {
      actor: systemActor('demo'),
      action: 'deliberation.conversation.create',
      subject: { type: 'deliberation_conversation', id },
      details: { title: d.titleEn, demo: true, votes: votes.length },
      at: now,
    })
    return id
  })
}

export async function seedDeliberationDemo(services: Services, now: Date): Promise<void> {
  const ids = [
    await seedConversation(
      services.db,
      {
        titleEn: 'How should Glanaber town centre change over the next ten years?',
        titleCy: 'Sut dylai canol tref Glanaber newid dros y deng mlynedd nesaf?',
        descriptionEn:
          'We are writing a ten-year plan for the town centre. Say whether you agree or disagree with each statement, and add your own.\n\n' +
          'We will publish what we hear, including where people with different views agree, before the plan goes to the cabinet.',
        descriptionCy:
          'Rydym yn ysgrifennu cynllun deng mlynedd ar gyfer canol y dref. Dywedwch a ydych yn cytuno neu’n anghytuno â phob datganiad, ac ychwanegwch eich rhai eich hun.\n\n' +
          'Byddwn yn cyhoeddi’r hyn a glywn, gan gynnwys lle mae pobl â barn wahanol yn cytuno, cyn i’r cynllun fynd i’r cabinet.',
        seeds: TOWN_CENTRE,
        meta: TOWN_CENTRE_META,
        pending: TOWN_CENTRE_PENDING,
        opensAt: new Date(now.getTime() - 14 * DAY),
        closesAt: new Date(now.getTime() + 30 * DAY),
        activeUntil: new Date(now.getTime() - 3_600_000),
        participants: 240,
        votesEach: 14,
        shares: [0.45, 0.35, 0.2],
        seed: 20_261_201,
        bot: true,
      },
      now,
    ),
    await seedConversation(
      services.db,
      {
        titleEn: 'Library opening hours',
        titleCy: 'Oriau agor y llyfrgell',
        descriptionEn: 'Branch libraries cannot all open every day. We asked which hours matter most.',
        descriptionCy: 'Ni all pob llyfrgell gangen agor bob dydd. Gofynnwyd i chi pa oriau sydd bwysicaf.',
        seeds: LIBRARIES,
        opensAt: new Date(now.getTime() - 75 * DAY),
        closesAt: new Date(now.getTime() - 30 * DAY),
        activeUntil: new Date(now.getTime() - 31 * DAY),
        participants: 90,
        votesEach: 7,
        shares: [0.6, 0.4],
        seed: 20_261_202,
        bot: false,
      },
      now,
    ),
  ]
  for (const id of ids) await recomputeConversation(services.db, id, now, services.logger)
}
