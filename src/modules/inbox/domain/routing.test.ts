import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { OFFICE_HOURS } from './business-hours.js'
import { compileRules, type IncomingFacts, pickAssignee, type RoutingRule, routeMessage } from './routing.js'
import { deadlines, type SlaPolicy, timerStates } from './sla.js'

const rule = (id: number, r: Partial<RoutingRule>): RoutingRule => ({
  id,
  position: id,
  name: `r${id}`,
  enabled: true,
  conditions: {},
  actions: {},
  ...r,
})
const facts = (f: Partial<IncomingFacts>): IncomingFacts => ({
  text: '',
  channel: 'email',
  language: 'en',
  sentiment: 'neutral',
  topics: [],
  ...f,
})

describe('routing rules', () => {
  const rules = compileRules([
    rule(1, {
      conditions: { keywords: ['food poisoning'] },
      actions: { teamId: 10, priority: 'urgent', tag: 'crisis' },
    }),
    rule(2, { conditions: { languages: ['cy'] }, actions: { teamId: 20, tag: 'cymraeg' } }),
    rule(3, {
      conditions: { sentiments: ['negative'], channels: ['mastodon', 'bluesky'] },
      actions: { priority: 'high', tag: 'unhappy' },
    }),
    rule(4, { conditions: { topics: ['bins'] }, actions: { teamId: 30 } }),
    rule(5, { enabled: false, conditions: {}, actions: { teamId: 99 } }),
  ])

  it('matches keywords as whole words, case-insensitively, across spaces', () => {
    const d = routeMessage(rules, facts({ text: 'I think I got FOOD  poisoning from the market' }))
    assert.deepEqual(d, { teamId: 10, tags: ['crisis'], priority: 'urgent', matchedRuleIds: [1] })
    assert.equal(routeMessage(rules, facts({ text: 'seafood poisoningx' })).teamId, null)
  })

  it('first team wins, tags add up, the highest priority is kept', () => {
    const d = routeMessage(
      rules,
      facts({
        text: 'Mae’r biniau',
        language: 'cy',
        sentiment: 'negative',
        channel: 'mastodon',
        topics: ['bins'],
      }),
    )
    assert.equal(d.teamId, 20)
    assert.deepEqual(d.tags, ['cymraeg', 'unhappy'])
    assert.equal(d.priority, 'high')
    assert.deepEqual(d.matchedRuleIds, [2, 3, 4])
  })

  it('falls back to the default team; disabled rules never apply', () => {
    assert.equal(routeMessage(rules, facts({ text: 'hello' }), 7).teamId, 7)
  })
})

describe('round-robin with per-person limits', () => {
  it('picks the available person assigned longest ago, under their limit', () => {
    const agents = [
      { staffId: 1, available: true, maxOpen: 5, openCount: 1, lastAssignedAt: '2026-11-29T10:00:00Z' },
      { staffId: 2, available: true, maxOpen: 5, openCount: 5, lastAssignedAt: null },
      { staffId: 3, available: false, maxOpen: 5, openCount: 0, lastAssignedAt: null },
      { staffId: 4, available: true, maxOpen: 5, openCount: 4, lastAssignedAt: '2026-11-29T09:00:00Z' },
    ]
    assert.equal(pickAssignee(agents), 4)
    assert.equal(pickAssignee(agents.filter((a) => a.staffId !== 4)), 1)
    assert.equal(pickAssignee([agents[1]!, agents[2]!]), null)
  })
})

describe('SLA timers', () => {
  const policy: SlaPolicy = {
    id: 1,
    name: 'Standard',
    firstResponseMinutes: 480,
    nextResponseMinutes: 240,
    resolutionMinutes: 2400,
    warnMinutes: 60,
    hours: OFFICE_HOURS,
  }
  it('runs first-response and resolution timers until answered, then the next-response one', () => {
    const created = '2026-11-13T16:30:00.000Z'
    const d = deadlines(policy, {
      createdAt: created,
      firstResponseAt: null,
      awaitingSince: created,
      resolvedAt: null,
    })
    assert.equal(d.firstResponseDue, '2026-11-16T16:30:00.000Z')
    assert.equal(d.nextResponseDue, null)
    assert.equal(d.resolutionDue, '2026-11-20T16:30:00.000Z')
    const later = deadlines(policy, {
      createdAt: created,
      firstResponseAt: '2026-11-16T10:00:00.000Z',
      awaitingSince: '2026-11-16T15:00:00.000Z',
      resolvedAt: null,
    })
    assert.equal(later.firstResponseDue, null)
    assert.equal(later.nextResponseDue, '2026-11-17T11:00:00.000Z')
  })

  it('warns within the warning window and says when a timer is breached', () => {
    const due = { firstResponseDue: '2026-11-16T16:30:00.000Z', nextResponseDue: null, resolutionDue: null }
    assert.equal(timerStates(policy, due, new Date('2026-11-16T13:00:00Z'))[0]!.state, 'ok')
    const warn = timerStates(policy, due, new Date('2026-11-16T16:00:00Z'))[0]!
    assert.deepEqual([warn.state, warn.businessMinutesLeft], ['warning', 30])
    const late = timerStates(policy, due, new Date('2026-11-17T09:30:00Z'))[0]!
    assert.deepEqual([late.state, late.businessMinutesLeft], ['breached', -60])
  })
})
