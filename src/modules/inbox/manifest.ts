import type { ModuleManifest } from '../module.js'
import { seedInboxDemo } from './demo.js'
import { registerInboxJobs } from './jobs.js'
import { inboxMigrations } from './migrations/index.js'
import { inboxPermissions } from './permissions.js'
import inboxRoutes from './routes/index.js'
import { DEFAULT_INBOX_SETTINGS, inboxSettingsSchema } from './settings.js'

/**
 * The digital frontline: one queue of citizen messages (Mastodon and Bluesky mentions, email,
 * the contact form, petition and consultation feedback, listening alerts), routed to teams and
 * people, answered within published service standards with approved answers, replies sent back
 * through the channel the citizen used. Staff pages under /admin/inbox; public /contact and
 * /service-standards.
 */
export const inboxModule: ModuleManifest = {
  key: 'inbox',
  adminNav: { labelKey: 'inbox.title', path: '/admin/inbox' },
  migrations: inboxMigrations,
  routes: inboxRoutes,
  permissions: inboxPermissions,
  settings: { schema: inboxSettingsSchema, defaults: { ...DEFAULT_INBOX_SETTINGS } },
  registerJobs: registerInboxJobs,
  seedDemo: seedInboxDemo,
}
