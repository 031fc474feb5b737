import { staffWith } from '../auth/permissions.js'

/**
 * The platform's permissions table for the admin area, `action:subject → rule`. Admins pass every
 * rule; other roles only where listed. (Modules keep their own tables.)
 */
export const adminPermissions = {
  'view:dashboard': staffWith('moderator', 'communications', 'analyst', 'responder'),
  'manage:users': staffWith(),
  'manage:settings': staffWith(),
  'view:audit': staffWith('analyst'),
  'view:outbox': staffWith('moderator', 'responder'),
  // The social media policy and the elections calendar bind every post: admins only.
  'manage:policy': staffWith(),
  'manage:elections': staffWith(),
  'manage:own-account': staffWith('moderator', 'communications', 'analyst', 'responder'),
} as const
