import { Type } from 'typebox'
import type { ModuleManifest } from '../module.js'
import { analyzeCommand } from './commands/analyze.js'
import { exportPolisCommand, importPolisCommand } from './commands/polis.js'
import { seedDeliberationDemo } from './demo.js'
import { deliberationMigrations } from './migrations/index.js'
import { deliberationPermissions } from './permissions.js'
import { DEFAULT_DELIBERATION_SETTINGS, registerDeliberationJobs } from './recompute.js'
import deliberationRoutes from './routes/index.js'

/**
 * Pol.is-style deliberation: conversations of short statements people agree or disagree with,
 * the opinion groups found in the votes, and the Pol.is export set in and out.
 */
export const deliberationModule: ModuleManifest = {
  key: 'deliberation',
  nav: { labelKey: 'deliberation.nav', path: '/conversations' },
  adminNav: { labelKey: 'deliberation.admin.nav', path: '/admin/deliberation' },
  migrations: deliberationMigrations,
  routes: deliberationRoutes,
  permissions: deliberationPermissions,
  settings: {
    schema: Type.Object({
      recomputeDelaySeconds: Type.Integer({ minimum: 0, maximum: 600 }),
      duplicateThreshold: Type.Number({ minimum: 0.3, maximum: 1 }),
      abnormalMinVotes: Type.Integer({ minimum: 5, maximum: 10_000 }),
      abnormalSameShare: Type.Number({ minimum: 0.5, maximum: 1 }),
      abnormalMedianSeconds: Type.Number({ minimum: 0, maximum: 60 }),
    }),
    defaults: { ...DEFAULT_DELIBERATION_SETTINGS },
  },
  commands: [analyzeCommand, importPolisCommand, exportPolisCommand],
  registerJobs: registerDeliberationJobs,
  seedDemo: seedDeliberationDemo,
}
