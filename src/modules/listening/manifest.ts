import type { ModuleManifest } from '../module.js'
import { listeningCorrectionsCommand } from './commands/corrections.js'
import { listeningImportCommand } from './commands/import.js'
import { createListeningQueryCommand } from './commands/query.js'
import { listeningReportCommand } from './commands/report.js'
import { seedListeningDemo } from './demo.js'
import { registerListeningJobs } from './jobs.js'
import { listeningMigrations } from './migrations/index.js'
import { listeningPermissions } from './permissions.js'
import listeningRoutes from './routes/index.js'
import { countStoredMatches } from './services/ingest.js'
import { DEFAULT_LISTENING_SETTINGS, listeningSettingsSchema } from './settings.js'

/**
 * Social listening: sources (Mastodon, Bluesky Jetstream, RSS/Atom, file import, webhook), the
 * boolean query language, the analysis pipeline, insights per query, spikes with alerts, and the
 * weekly report. Staff pages under /admin/listening.
 */
export const listeningModule: ModuleManifest = {
  key: 'listening',
  adminNav: { labelKey: 'listening.title', path: '/admin/listening' },
  migrations: listeningMigrations,
  routes: listeningRoutes,
  permissions: listeningPermissions,
  settings: { schema: listeningSettingsSchema, defaults: { ...DEFAULT_LISTENING_SETTINGS } },
  commands: [
    createListeningQueryCommand({
      countMatches: async (match, io) => (await countStoredMatches((await io.services()).db, match)).matched,
    }),
    listeningImportCommand,
    listeningReportCommand,
    listeningCorrectionsCommand,
  ],
  registerJobs: registerListeningJobs,
  seedDemo: seedListeningDemo,
}
