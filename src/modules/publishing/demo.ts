/**
 * Demo records: two workflows, three accounts (no real credentials: demo accounts cannot publish
 * until an admin stores a token), and a month of posts in every state with generated engagement.
 */

import { recordAudit } from '../../platform/audit/audit.js'
import { systemActor } from '../../platform/auth/actor.js'
import { listStaff } from '../../platform/auth/staff-store.js'
import { seededRandom } from '../../platform/random.js'
import type { Services } from '../../platform/services.js'
import { languagesOf, type ReviewStep } from './domain/post.js'
import { insertAccount, insertWorkflow, listAccounts } from './store/account-store.js'
import {
  insertApproval,
  insertPost,
  listTargets,
  markTargetPublished,
  setEngagement,
  setPostState,
  setTargets,
} from './store/post-store.js'

const POSTS: readonly { title: string; topic: string; team: string; kind: string; en: string; cy: string }[] =
  [
    {
      title: 'Garden waste collections',
      topic: 'Bins and recycling',
      team: 'Waste services',
      kind: 'image',
      en: 'Garden waste collections restart on Monday 2 March. Check your day: https://glanaber.example/bins',
      cy: 'Mae casgliadau gwastraff gardd yn ailddechrau ddydd Llun 2 Mawrth. Gwiriwch eich diwrnod: https://glanaber.example/biniau',
    },
    {
      title: 'Library opening hours',
      topic: 'Libraries',
      team: 'Culture',
      kind: 'text',
      en: 'From next week Aberglas library opens until 7pm on Thursdays.',
      cy: "O'r wythnos nesaf bydd llyfrgell Aberglas ar agor tan 7pm ar ddydd Iau.",
    },
    {
      title: 'Road closure on the A487',
      topic: 'Roads',
      team: 'Highways',
      kind: 'link',
      en: 'The A487 at Pont Glas is closed overnight for resurfacing, 8pm to 6am. Diversion signed.',
      cy: "Bydd yr A487 ym Mhont Glas ar gau dros nos ar gyfer ailwynebu, 8pm tan 6am. Bydd gwyriad wedi'i arwyddo.",
    },
    {
      title: 'Recycling centre winter hours',
      topic: 'Bins and recycling',
      team: 'Communications',
      kind: 'text',
      en: 'Recycling centres close at 4pm from November to February.',
      cy: 'Mae canolfannau ailgylchu yn cau am 4pm o fis Tachwedd i fis Chwefror.',
    },
    {
      title: 'Budget consultation',
      topic: 'Budget',
      team: 'Finance',
      kind: 'link',
      en: 'Have your say on next year’s budget before 31 January: https://glanaber.example/budget',
      cy: 'Dweud eich dweud ar gyllideb y flwyddyn nesaf cyn 31 Ionawr: https://glanaber.example/cyllideb',
    },
    {
      title: 'Flood alert advice',
      topic: 'Weather',
      team: 'Emergency planning',
      kind: 'video',
      en: 'Heavy rain is forecast tonight. Sandbags are available at the depot on Heol y Bont.',
      cy: 'Mae disgwyl glaw trwm heno. Mae bagiau tywod ar gael yn y depo ar Heol y Bont.',
    },
  ]

export async function seedPublishingDemo(services: Services, now: Date): Promise<void> {
  const { db } = services
  if ((await listAccounts(db)).length > 0) return
  const staff = await listStaff(db)
  const comms = staff.find((s) => s.roles.includes('communications')) ?? staff[0]
  const admin = staff.find((s) => s.roles.includes('admin')) ?? staff[0]
  const moderator = staff.find((s) => s.roles.includes('moderator')) ?? admin
  if (!comms || !admin || !moderator) return
  const random = seededRandom(7)
  await db.transaction().execute(async (trx) => {
    const everyday = await insertWorkflow(
      trx,
      'Communications sign-off',
      [{ name: 'Communications team', mode: 'any', role: 'communications', staffIds: [] }],
      now,
    )
    const senior = await insertWorkflow(
      trx,
      'Two senior approvers',
      [
        {
          name: 'Head of communications and monitoring officer',
          mode: 'all',
          role: null,
          staffIds: [admin.id, moderator.id],
        },
      ],
      now,
    )
    const base = { language: 'bilingual' as const, enabled: true }
    const mastodon = await insertAccount(
      trx,
      {
        ...base,
        name: 'Glanaber Council (Mastodon)',
        network: 'mastodon',
        kind: 'official',
        team: 'Communications',
        serviceUrl: 'https://social.glanaber.example',
        identifier: 'cyngor@social.glanaber.example',
        workflowId: senior,
      },
      null,
      now,
    )
    const bluesky = await insertAccount(
      trx,
      {
        ...base,
        name: 'Glanaber Council (Bluesky)',
        network: 'bluesky',
        kind: 'official',
        team: 'Communications',
        serviceUrl: 'https://bsky.social',
        identifier: 'glanaber.bsky.social',
        workflowId: senior,
      },
      null,
      now,
    )
    await insertAccount(
      trx,
      {
        ...base,
        language: 'en',
        name: 'Highways team (Bluesky)',
        network: 'bluesky',
        kind: 'official',
        team: 'Highways',
        serviceUrl: 'https://bsky.social',
        identifier: 'highways-glanaber.bsky.social',
        workflowId: everyday,
      },
      null,
      now,
    )
    const day = 86_400_000
    for (let i = 0; i < 24; i++) {
      const p = POSTS[i % POSTS.length]!
      const offsetDays = i < 16 ? -(i * 2 + 1) : i - 14
      const hour = [8, 9, 12, 13, 17, 19][Math.floor(random() * 6)]!
      const planned = new Date(Math.floor((now.getTime() + offsetDays * day) / day) * day + hour * 3_600_000)
      const id = await insertPost(
        trx,
        {
          title: p.title,
          topic: p.topic,
          team: p.team,
          kind: p.kind,
          textEn: p.en,
          textCy: p.cy,
          plannedAt: planned.toISOString(),
        },
        comms.id,
        now,
      )
      const accounts = i % 3 === 0 ? [mastodon] : [mastodon, bluesky]
      await setTargets(
        trx,
        id,
        accounts.flatMap((accountId) =>
          languagesOf('bilingual').map((language) => ({ accountId, language })),
        ),
      )
      const steps: ReviewStep[] = [
        {
          name: 'Head of communications and monitoring officer',
          mode: 'all',
          approverIds: [admin.id, moderator.id],
        },
      ]
      if (i < 16 || i % 4 === 1) {
        await setPostState(
          trx,
          id,
          'draft',
          { state: 'in_review', review_steps: JSON.stringify(steps), round: 1 },
          now,
        )
        for (const approver of [admin.id, moderator.id])
          await insertApproval(
            trx,
            { postId: id, round: 1, stepIndex: 0, staffId: approver, decision: 'approve', note: null },
            planned,
          )
        await setPostState(trx, id, 'in_review', { state: 'scheduled' }, now)
      }
      if (i < 16) {
        await setPostState(
          trx,
          id,
          'scheduled',
          { state: 'published', published_at: planned.toISOString(), attempts: 1 },
          now,
        )
        for (const t of await listTargets(trx, id)) {
          await markTargetPublished(trx, t.id, { id: `demo-${id}-${t.id}`, url: null }, planned)
          const reach = p.kind === 'image' || p.kind === 'video' ? 3 : 1
          await setEngagement(
            trx,
            t.id,
            {
              replies: Math.floor(random() * 6 * reach),
              boosts: Math.floor(random() * 12 * reach),
              favourites: Math.floor(random() * 30 * reach),
            },
            now,
          )
        }
      } else if (i % 4 === 2) {
        await setPostState(
          trx,
          id,
          'draft',
          { state: 'in_review', review_steps: JSON.stringify(steps), round: 1 },
          now,
        )
      }
    }
    await recordAudit(trx, {
      actor: systemActor('demo'),
      action: 'publishing.demo.seed',
      details: { posts: 24 },
    })
  })
}
