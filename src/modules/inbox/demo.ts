import { seededRandom } from '../../platform/random.js'
import type { Services } from '../../platform/services.js'
import type { Channel } from './domain/case.js'
import { addNote, submitReply } from './services/cases.js'
import { invalidateRoutingContext, receiveMessage } from './services/intake.js'
import { insertAnswer } from './store/answer-store.js'
import { addTeamMember, insertRule, insertTeam, replaceSensitiveTopics } from './store/config-store.js'

const HOUR_MS = 3_600_000

const DEMO_MESSAGES: readonly [Channel, string, string][] = [
  [
    'mastodon',
    '@council our bins were not collected again on Elm Street this week. Third time!',
    'resident@mastodon.example',
  ],
  ['bluesky', 'Anyone know when the library on Queen Street reopens? @council.example', 'reader.bsky.social'],
  [
    'email',
    'Hello, there is a large pothole outside number 12 Heol y Bont. A cyclist nearly fell off.',
    'gwen@example.org',
  ],
  [
    'contact',
    'Mae’r biniau ailgylchu heb eu casglu ers pythefnos. Diolch am eich help.',
    'dafydd@example.org',
  ],
  [
    'petitions',
    'I signed the petition about the bus route but never got a confirmation email.',
    'sam@example.org',
  ],
  [
    'mastodon',
    'Great work by the parks team clearing the fallen tree so quickly, thank you!',
    'happy@mastodon.example',
  ],
  [
    'email',
    'I think I got food poisoning from a takeaway on Castle Road. Who do I report this to?',
    'worried@example.org',
  ],
  [
    'bluesky',
    'The streetlight on Park Avenue has been out for a month, it is really dark walking home',
    'nightwalker.bsky.social',
  ],
]

/**
 * Demo inbox: two teams with responders, routing rules, approved answers in English and Welsh,
 * and cases across channels, some answered, some close to their deadline.
 */
export async function seedInboxDemo(services: Services, now: Date): Promise<void> {
  const { db } = services
  const rnd = seededRandom(7)
  // The platform's demo staff take the cases (the responder and the communications officer);
  // without them (a module demo on its own) the cases wait unassigned in their team queues.
  const staffRows = await db
    .selectFrom('staff_users')
    .select(['id', 'email'])
    .where('email', 'in', [
      'responder@demo.townsquare.invalid',
      'comms@demo.townsquare.invalid',
      'moderator@demo.townsquare.invalid',
    ])
    .orderBy('id')
    .execute()
  const staff = staffRows.map((r) => Number(r.id))
  const streets = await insertTeam(
    db,
    { name: 'Streets and waste', email: 'streets@demo.townsquare.invalid' },
    now,
  )
  const contact = await insertTeam(
    db,
    { name: 'Contact centre', email: 'contact@demo.townsquare.invalid' },
    now,
  )
  const health = await insertTeam(db, { name: 'Environmental health' }, now)
  for (const [i, id] of staff.entries()) {
    await addTeamMember(db, i % 2 === 0 ? streets : contact, id, { maxOpen: 20 })
    await addTeamMember(db, i % 2 === 0 ? contact : health, id, { maxOpen: 20 })
  }
  await insertRule(
    db,
    {
      name: 'Food safety is urgent',
      conditions: { keywords: ['food poisoning', 'gwenwyn bwyd'] },
      actions: { teamId: health, priority: 'urgent', tag: 'food-safety' },
    },
    now,
  )
  await insertRule(
    db,
    {
      name: 'Bins, roads and lights',
      conditions: { keywords: ['bin', 'bins', 'biniau', 'pothole', 'streetlight', 'recycling', 'ailgylchu'] },
      actions: { teamId: streets, tag: 'streets' },
    },
    now,
  )
  await insertRule(
    db,
    {
      name: 'Unhappy on social media',
      conditions: { sentiments: ['negative'], channels: ['mastodon', 'bluesky'] },
      actions: { priority: 'high' },
    },
    now,
  )
  await insertRule(
    db,
    {
      name: 'Everything else',
      conditions: {
        channels: [
          'mastodon',
          'bluesky',
          'email',
          'contact',
          'petitions',
          'consultations',
          'listening',
          'other',
        ],
      },
      actions: { teamId: contact },
    },
    now,
  )
  await replaceSensitiveTopics(db, ['food poisoning', 'safeguarding'], now)
  const review = new Date(now.getTime() + 180 * 24 * HOUR_MS).toISOString().slice(0, 10)
  await insertAnswer(
    db,
    {
      title: 'Missed bin collection',
      teamId: streets,
      reviewOn: review,
      textEn:
        'Sorry your bins were missed. We have asked the crew to return within two working days. If they are still not collected, reply here with your street name.',
      textCy:
        'Mae’n ddrwg gennym na chasglwyd eich biniau. Rydym wedi gofyn i’r criw ddychwelyd o fewn dau ddiwrnod gwaith. Os nad ydynt wedi’u casglu o hyd, atebwch yma gydag enw’ch stryd.',
      createdBy: null,
      approved: true,
    },
    now,
  )
  await insertAnswer(
    db,
    {
      title: 'Report a pothole',
      teamId: streets,
      reviewOn: review,
      textEn:
        'Thank you for telling us. We have logged the pothole and an inspector will visit within five working days.',
      textCy:
        'Diolch am roi gwybod i ni. Rydym wedi cofnodi’r twll yn y ffordd a bydd arolygydd yn ymweld o fewn pum diwrnod gwaith.',
      createdBy: null,
      approved: true,
    },
    now,
  )
  invalidateRoutingContext(db)
  for (const [i, [channel, text, who]] of DEMO_MESSAGES.entries()) {
    const at = new Date(now.getTime() - (i * 5 + Math.floor(rnd() * 4)) * HOUR_MS)
    const social = channel === 'mastodon' || channel === 'bluesky'
    const r = await receiveMessage(
      db,
      {
        channel,
        text,
        receivedAt: at,
        citizenHandle: who,
        ...(social ? { externalId: `demo-${channel}-${i}`, accountKey: 'demo' } : { citizenEmail: who }),
        ...(channel === 'email' ? { externalId: `<demo-${i}@example.org>`, subject: text.slice(0, 40) } : {}),
      },
      at,
    )
    if (i % 3 === 2) {
      await addNote(
        db,
        { kind: 'system', name: 'demo' },
        r.caseId,
        'Checked the collection round: the crew reported a blocked road.',
        new Date(at.getTime() + HOUR_MS),
      )
    }
    if (i === 5) {
      await submitReply(
        db,
        { kind: 'system', name: 'demo' },
        { caseId: r.caseId, text: 'Thank you, we will pass this on to the parks team!', findings: [] },
        new Date(at.getTime() + 2 * HOUR_MS),
      )
    }
  }
}
