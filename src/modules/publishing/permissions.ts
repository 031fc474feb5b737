import { staffWith } from '../../platform/auth/permissions.js'

/**
 * The publishing module's permissions table, `action:subject → rule` (admins pass every rule).
 * Communications officers draft and schedule; who signs a post off is decided by the workflow the
 * account requires (named staff or a role), checked per post in domain/post.ts `canDecide`.
 * Only admins register accounts (they hold credentials) and define workflows (they decide who
 * may speak for the body). Analysts read the report.
 */
export const publishingPermissions = {
  'view:publishing': staffWith('communications', 'analyst', 'moderator', 'responder'),
  'edit:posts': staffWith('communications'),
  'review:posts': staffWith('communications', 'moderator', 'analyst', 'responder'),
  'view:report': staffWith('communications', 'analyst'),
  'manage:accounts': staffWith(),
  'manage:workflows': staffWith(),
} as const
