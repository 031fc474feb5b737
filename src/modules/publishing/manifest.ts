import type { ModuleManifest } from '../module.js'
import { checkCommand } from './commands/check.js'
import { seedPublishingDemo } from './demo.js'
import { publishingMigrations } from './migrations/index.js'
import { publishingPermissions } from './permissions.js'
import publishingRoutes from './routes/index.js'
import { registerPublishingJobs } from './services/publisher.js'

/**
 * Publishing official posts to Mastodon and Bluesky: an accounts register with encrypted
 * credentials, drafts in English and Welsh with channel variants, the policy checker on every
 * text, multi-step approval workflows, a shared calendar with clash warnings, scheduled
 * publishing (once, however many processes run), Atom/RSS feeds, and engagement read back.
 */
export const publishingModule: ModuleManifest = {
  key: 'publishing',
  nav: { labelKey: 'publishing.public.nav', path: '/publishing' },
  adminNav: { labelKey: 'publishing.title', path: '/admin/publishing' },
  migrations: publishingMigrations,
  routes: publishingRoutes,
  permissions: publishingPermissions,
  commands: [checkCommand],
  registerJobs: registerPublishingJobs,
  seedDemo: seedPublishingDemo,
}
