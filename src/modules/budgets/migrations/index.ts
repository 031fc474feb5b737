import type { Migration } from 'kysely'
import * as budgetsCore from './2026_11_29_1700_budgets_core.js'

/** The budgets module's migrations, by name (frozen; add new ones, never edit). */
export const budgetsMigrations: Record<string, Migration> = {
  '2026_11_29_1700_budgets_core': budgetsCore,
}
