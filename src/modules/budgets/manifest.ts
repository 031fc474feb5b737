import type { ModuleManifest } from '../module.js'
import { exportPbCommand, importPbCommand } from './commands/import-pb.js'
import { tallyCommand } from './commands/tally.js'
import { seedBudgetsDemo } from './demo.js'
import { budgetsMigrations } from './migrations/index.js'
import { runScheduledTransitions } from './operations.js'
import { budgetsPermissions } from './permissions.js'
import budgetsRoutes from './routes/index.js'

/** How often the schedule is checked for phases whose date has come (once per period across processes). */
export const PHASE_CHECK_MS = 60_000

/**
 * Participatory budgeting: processes with chained phases (proposing → reviewing → voting →
 * counting → results → delivery), several budgets each, four ballot styles, residents' and
 * census eligibility, paper ballots, counting with greedy or the Method of Equal Shares with
 * per-project explanations, open data, delivery milestones and Pabulib interop.
 */
export const budgetsModule: ModuleManifest = {
  key: 'budgets',
  nav: { labelKey: 'budgets.nav', path: '/budgets' },
  adminNav: { labelKey: 'budgets.admin.nav', path: '/admin/budgets' },
  migrations: budgetsMigrations,
  routes: budgetsRoutes,
  permissions: budgetsPermissions,
  commands: [tallyCommand, importPbCommand, exportPbCommand],
  registerJobs(services) {
    services.jobs.every('budgets.phases', PHASE_CHECK_MS, async () => {
      const moved = await runScheduledTransitions(services.db, new Date())
      if (moved.length > 0) services.logger.info({ moved }, 'budgets: phases moved on schedule')
    })
  },
  seedDemo: seedBudgetsDemo,
}
