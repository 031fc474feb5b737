import { budgetsModule } from './budgets/manifest.js'
import { deliberationModule } from './deliberation/manifest.js'
import { inboxModule } from './inbox/manifest.js'
import { listeningModule } from './listening/manifest.js'
import type { ModuleManifest } from './module.js'
import { petitionsModule } from './petitions/manifest.js'
import { publishingModule } from './publishing/manifest.js'

/** The one list of participation modules. Order is the order of the service navigation. */
export const modules: readonly ModuleManifest[] = [
  petitionsModule,
  deliberationModule,
  budgetsModule,
  listeningModule,
  inboxModule,
  publishingModule,
]

export function findModule(key: string): ModuleManifest | undefined {
  return modules.find((m) => m.key === key)
}
