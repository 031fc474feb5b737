import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type Actor, ANONYMOUS, STAFF_ROLES, type StaffRole } from '../../platform/auth/actor.js'
import { decide } from '../../platform/auth/permissions.js'
import { type DeliberationPermission, deliberationPermissions } from './permissions.js'

const staff = (role: StaffRole): Actor => ({
  kind: 'staff',
  id: 1,
  email: `${role}@example.org`,
  name: role,
  roles: [role],
})
const citizen: Actor = { kind: 'citizen', id: 2, email: 'c@example.org', assurance: 'email-verified' }

/** Who holds each staff permission (admins hold all). */
const EXPECTED: Record<Exclude<DeliberationPermission, 'read:report'>, readonly StaffRole[]> = {
  'view:conversations': ['admin', 'moderator', 'analyst'],
  'manage:conversation': ['admin'],
  'moderate:statement': ['admin', 'moderator'],
  'moderate:participant': ['admin', 'moderator'],
  'recompute:conversation': ['admin', 'moderator', 'analyst'],
}

describe('deliberation permissions', () => {
  for (const [key, allowed] of Object.entries(EXPECTED) as [keyof typeof EXPECTED, readonly StaffRole[]][]) {
    it(`${key}: ${allowed.join(', ')} only`, () => {
      for (const role of STAFF_ROLES)
        assert.equal(decide(deliberationPermissions, key, staff(role)).allowed, allowed.includes(role), role)
      assert.equal(decide(deliberationPermissions, key, ANONYMOUS).allowed, false)
      assert.equal(decide(deliberationPermissions, key, citizen).allowed, false)
    })
  }

  it('read:report is public with open data, otherwise for moderators, analysts and admins', () => {
    for (const actor of [ANONYMOUS, citizen, staff('communications')])
      assert.equal(decide(deliberationPermissions, 'read:report', actor, { openData: true }).allowed, true)
    assert.equal(
      decide(deliberationPermissions, 'read:report', ANONYMOUS, { openData: false }).allowed,
      false,
    )
    assert.equal(decide(deliberationPermissions, 'read:report', citizen, { openData: false }).allowed, false)
    assert.equal(
      decide(deliberationPermissions, 'read:report', staff('communications'), { openData: false }).allowed,
      false,
    )
    for (const role of ['admin', 'moderator', 'analyst'] as const)
      assert.equal(
        decide(deliberationPermissions, 'read:report', staff(role), { openData: false }).allowed,
        true,
        role,
      )
  })

  it('refuses an action that is not in the table', () => {
    assert.deepEqual(
      decide(deliberationPermissions, 'delete:everything' as DeliberationPermission, staff('admin')),
      {
        allowed: false,
        reason: 'unknown-permission',
      },
    )
  })
})
