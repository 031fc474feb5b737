import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DomainError } from '../../../platform/errors/errors.js'
import { londonDay, londonToUtc } from '../../../platform/time/london.js'
import {
  canDecide,
  findClashes,
  highlightParts,
  lengthOf,
  resolveSteps,
  retryDelayMs,
  stepComplete,
  textFor,
  transition,
  workflowComplete,
} from '../domain/post.js'
import { groupReport } from '../services/report.js'

const staff = [
  { id: 1, roles: ['communications'], disabled: false },
  { id: 2, roles: ['communications'], disabled: false },
  { id: 3, roles: ['moderator'], disabled: false },
  { id: 4, roles: ['communications'], disabled: true },
]

describe('approval workflows', () => {
  it('resolves approvers from a role and named people, leaving out the author and disabled staff', () => {
    const steps = resolveSteps(
      [{ name: 'Comms', mode: 'any', role: 'communications', staffIds: [3] }],
      staff,
      1,
    )
    assert.deepEqual(steps, [{ name: 'Comms', mode: 'any', approverIds: [2, 3] }])
  })

  it('refuses a step nobody but the author could sign off', () => {
    assert.throws(
      () => resolveSteps([{ name: 'Self', mode: 'all', role: null, staffIds: [1] }], staff, 1),
      (e: DomainError) => e.code === 'publishing.no-approvers' && e.details?.['step'] === 'Self',
    )
    assert.throws(
      () => resolveSteps([], staff, 1),
      (e: DomainError) => e.code === 'publishing.no-steps',
    )
  })

  it('an `any` step needs one approval, an `all` step every approver; rejections never count', () => {
    const any = { name: 'a', mode: 'any' as const, approverIds: [2, 3] }
    const all = { name: 'b', mode: 'all' as const, approverIds: [2, 3] }
    assert.equal(stepComplete(any, [{ stepIndex: 0, staffId: 3, decision: 'approve' }], 0), true)
    assert.equal(stepComplete(all, [{ stepIndex: 0, staffId: 3, decision: 'approve' }], 0), false)
    assert.equal(
      stepComplete(
        all,
        [
          { stepIndex: 0, staffId: 3, decision: 'approve' },
          { stepIndex: 0, staffId: 2, decision: 'reject' },
        ],
        0,
      ),
      false,
    )
    assert.equal(
      workflowComplete(
        [any, all],
        [
          { stepIndex: 0, staffId: 2, decision: 'approve' },
          { stepIndex: 1, staffId: 2, decision: 'approve' },
          { stepIndex: 1, staffId: 3, decision: 'approve' },
        ],
      ),
      true,
    )
    assert.equal(workflowComplete([], []), false)
  })

  it('only an approver of the current step decides, once, and never on their own post', () => {
    const steps = [{ name: 'a', mode: 'all' as const, approverIds: [2, 3] }]
    const post = { state: 'in_review', stepIndex: 0, createdBy: 1 }
    assert.equal(canDecide(post, steps, [], 2), true)
    assert.equal(canDecide(post, steps, [], 1), false)
    assert.equal(canDecide(post, steps, [], 4), false)
    assert.equal(canDecide(post, steps, [{ stepIndex: 0, staffId: 2, decision: 'approve' }], 2), false)
    assert.equal(canDecide({ ...post, state: 'draft' }, steps, [], 2), false)
  })

  it('guards transitions', () => {
    assert.equal(transition('draft', 'submit'), 'in_review')
    assert.equal(transition('in_review', 'approve-final'), 'scheduled')
    assert.equal(transition('in_review', 'reject'), 'draft')
    assert.throws(
      () => transition('published', 'withdraw'),
      (e: DomainError) => e.code === 'publishing.bad-state' && e.statusCode === 409,
    )
    assert.throws(() => transition('scheduled', 'edit'), DomainError)
  })
})

describe('texts, lengths, calendar and time', () => {
  it('uses the account variant when there is one', () => {
    const post = { textEn: 'Long English', textCy: 'Cymraeg hir' }
    assert.equal(textFor(post, { language: 'cy', text: null }), 'Cymraeg hir')
    assert.equal(textFor(post, { language: 'en', text: 'Short' }), 'Short')
    assert.equal(textFor(post, { language: 'en', text: '  ' }), 'Long English')
  })

  it('counts graphemes: one family emoji is one character on Bluesky', () => {
    assert.deepEqual(lengthOf('bluesky', '👨‍👩‍👧'.repeat(300)), { length: 300, limit: 300, over: false })
    assert.equal(lengthOf('bluesky', 'a'.repeat(301)).over, true)
    assert.equal(lengthOf('mastodon', 'a'.repeat(500)).over, false)
  })

  it('warns when two teams post on one topic on one London day, not one team twice', () => {
    const clashes = findClashes([
      { id: 1, title: 'a', topic: 'Bins', team: 'Waste', plannedAt: '2027-06-01T08:00:00Z', state: 'draft' },
      {
        id: 2,
        title: 'b',
        topic: ' bins ',
        team: 'Comms',
        plannedAt: '2027-06-01T22:30:00Z',
        state: 'scheduled',
      },
      { id: 3, title: 'c', topic: 'Bins', team: 'Waste', plannedAt: '2027-06-01T23:30:00Z', state: 'draft' },
      {
        id: 4,
        title: 'd',
        topic: 'Roads',
        team: 'Highways',
        plannedAt: '2027-06-01T09:00:00Z',
        state: 'draft',
      },
      {
        id: 5,
        title: 'e',
        topic: 'Roads',
        team: 'Highways',
        plannedAt: '2027-06-01T10:00:00Z',
        state: 'draft',
      },
    ])
    // 23:30 UTC on 1 June is 00:30 on 2 June in London (BST).
    assert.deepEqual(clashes, [
      { day: '2027-06-01', topic: 'Bins', teams: ['Comms', 'Waste'], postIds: [1, 2] },
    ])
  })

  it('reads a wall-clock time in London, in winter and in summer, and refuses impossible dates', () => {
    assert.equal(londonToUtc('2027-01-15', '09:30')?.toISOString(), '2027-01-15T09:30:00.000Z')
    assert.equal(londonToUtc('2027-07-15', '09:30')?.toISOString(), '2027-07-15T08:30:00.000Z')
    assert.equal(londonToUtc('2027-02-30', '09:30'), null)
    assert.equal(londonToUtc('2027-01-15', '25:00'), null)
    assert.equal(londonDay('2027-07-15T23:30:00Z'), '2027-07-16')
  })

  it('highlights finding spans, merging overlaps', () => {
    assert.deepEqual(
      highlightParts('Vote Labour now', [
        { start: 5, end: 11 },
        { start: 0, end: 4 },
      ]),
      [
        { text: 'Vote', mark: true },
        { text: ' ', mark: false },
        { text: 'Labour', mark: true },
        { text: ' now', mark: false },
      ],
    )
    assert.deepEqual(
      highlightParts('Vote Labour now', [
        { start: 0, end: 4 },
        { start: 2, end: 6 },
        { start: 5, end: 11 },
        { start: 3, end: 3 },
      ]),
      [
        { text: 'Vote Labour', mark: true },
        { text: ' now', mark: false },
      ],
    )
  })

  it('backs off 1, 2, 4 minutes, or longer when the server asks', () => {
    assert.deepEqual(
      [1, 2, 3].map((a) => retryDelayMs(a, null)),
      [60_000, 120_000, 240_000],
    )
    assert.equal(retryDelayMs(1, 300_000), 300_000)
  })

  it('groups engagement by a key with the mean per copy', () => {
    const item = { kind: 'text', topic: 'Bins', hour: 9, account: 'A', replies: 1, boosts: 2, favourites: 3 }
    const rows = groupReport(
      [item, { ...item, replies: 0, boosts: 0, favourites: 0 }, { ...item, kind: 'image', favourites: 10 }],
      (i) => i.kind,
    )
    assert.deepEqual(
      rows.map((r) => [r.label, r.posts, r.average]),
      [
        ['image', 1, 13],
        ['text', 2, 3],
      ],
    )
  })
})
