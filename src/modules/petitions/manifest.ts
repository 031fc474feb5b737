import type { ModuleManifest } from '../module.js'
import { areasImportCommand } from './commands/areas-import.js'
import { importUkCommand } from './commands/import-uk.js'
import { registerPetitionJobs } from './commands/maintenance.js'
import { seedPetitionsDemo } from './demo.js'
import { petitionsMigrations } from './migrations/index.js'
import { petitionPermissions } from './permissions.js'
import petitionRoutes from './routes/index.js'
import { DEFAULT_PETITION_SETTINGS, petitionSettingsSchema } from './settings.js'

/**
 * E-petitions to the rules of the UK Parliament petitions service. So far: the lifecycle and
 * signing rules (double opt-in, duplicates, rate limits, counts by area and assurance
 * level), the petition.parliament.uk JSON open data, the signing API and `petitions import-uk`.
 */
export const petitionsModule: ModuleManifest = {
  key: 'petitions',
  migrations: petitionsMigrations,
  nav: { labelKey: 'petitions.nav', path: '/petitions' },
  adminNav: { labelKey: 'petitions.admin.queue.title', path: '/admin/petitions' },
  routes: petitionRoutes,
  permissions: petitionPermissions,
  settings: { schema: petitionSettingsSchema, defaults: DEFAULT_PETITION_SETTINGS },
  registerJobs: registerPetitionJobs,
  seedDemo: seedPetitionsDemo,
  commands: [importUkCommand, areasImportCommand],
}
