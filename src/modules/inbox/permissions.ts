import { staffWith } from '../../platform/auth/permissions.js'

/**
 * The inbox module's permissions table, `action:subject → rule` (admins pass every rule).
 * Responders answer; communications officers also approve flagged replies and own the answer
 * library (Sprout's "Approve Others"); moderators apply house rules; only admins change teams,
 * routing and service standards, because those decide who sees what and what is promised.
 */
export const inboxPermissions = {
  'view:inbox': staffWith('responder', 'communications', 'moderator'),
  'reply:case': staffWith('responder', 'communications'),
  'approve:reply': staffWith('communications'),
  'moderate:message': staffWith('moderator', 'responder', 'communications'),
  'manage:answers': staffWith('communications'),
  'manage:inbox': staffWith(),
} as const
