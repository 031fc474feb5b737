import type { ModuleManifest } from '../module.js'
import { listeningQueryCommand } from './commands/query.js'

/** Social listening. So far: the boolean query language, reached through `townsquare listening query`. */
export const listeningModule: ModuleManifest = {
  key: 'listening',
  migrations: {},
  commands: [listeningQueryCommand],
}
