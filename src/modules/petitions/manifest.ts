import type { ModuleManifest } from '../module.js'
import { importUkCommand } from './commands/import-uk.js'
import { petitionsMigrations } from './migrations/index.js'
import openDataRoutes from './routes/open-data.js'

/**
 * E-petitions to the rules of the UK Parliament petitions service. So far: the lifecycle and
 * signing rules, storage, the petition.parliament.uk JSON open data and `petitions import-uk`.
 */
export const petitionsModule: ModuleManifest = {
  key: 'petitions',
  migrations: petitionsMigrations,
  routes: openDataRoutes,
  commands: [importUkCommand],
}
