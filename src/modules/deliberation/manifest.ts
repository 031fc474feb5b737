import type { ModuleManifest } from '../module.js'
import { analyzeCommand } from './commands/analyze.js'

/** Pol.is-style deliberation. So far: the opinion math and Pol.is export interop (`townsquare deliberation analyze`). */
export const deliberationModule: ModuleManifest = {
  key: 'deliberation',
  migrations: {},
  commands: [analyzeCommand],
}
