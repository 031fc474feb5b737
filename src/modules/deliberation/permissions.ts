import type { Actor } from '../../platform/auth/actor.js'
import { ALLOW, type PermissionRule, staffWith } from '../../platform/auth/permissions.js'

/**
 * The deliberation module's permissions table, `action:subject → rule`. Admins pass every staff
 * rule. Moderators moderate statements and participants; analysts read reports and exports;
 * the public reads a report only when its conversation's data is open.
 */

const readReport: PermissionRule<{ readonly openData: boolean }> = (actor: Actor, context) => {
  if (context?.openData) return ALLOW
  return staffWith('moderator', 'analyst')(actor, context)
}

export const deliberationPermissions = {
  /** The staff list of conversations and a conversation's overview. */
  'view:conversations': staffWith('moderator', 'analyst'),
  /** Create and edit conversations, their settings and seed statements. */
  'manage:conversation': staffWith(),
  /** Accept, reject, mark as meta. */
  'moderate:statement': staffWith('moderator'),
  /** See participants and alerts; ban and unban; dismiss alerts. */
  'moderate:participant': staffWith('moderator'),
  /** Run the math now rather than wait for the queue. */
  'recompute:conversation': staffWith('moderator', 'analyst'),
  /** The report: public with open data, otherwise staff who moderate or analyse. */
  'read:report': readReport,
} as const

export type DeliberationPermission = keyof typeof deliberationPermissions
