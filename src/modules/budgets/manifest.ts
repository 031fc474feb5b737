import type { ModuleManifest } from '../module.js'
import { tallyCommand } from './commands/tally.js'

/**
 * Participatory budgeting. So far: ballot rules, the counting rules (greedy, greedy by points,
 * Method of Equal Shares) and Pabulib interop, reached through `townsquare budgets tally`.
 */
export const budgetsModule: ModuleManifest = {
  key: 'budgets',
  migrations: {},
  commands: [tallyCommand],
}
