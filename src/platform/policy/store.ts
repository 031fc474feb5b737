import type { DbOrTrx } from '../db/database.js'
import { DomainError } from '../errors/errors.js'
import { readSetting, writeSetting } from '../settings/settings.js'
import { defaultPolicy } from './defaults.js'
import type { Policy, PolicyRule } from './types.js'
import { policyProblems } from './validate.js'

/** The installed policy lives in the settings table, as JSON, under this key. */
export const POLICY_SETTING = 'policy'

/**
 * The installed policy, or the default when none was saved. Built-in rules added by a later
 * version of Townsquare are appended, so upgrading never leaves a body without a new check.
 */
export async function loadPolicy(db: DbOrTrx): Promise<Policy> {
  const stored = await readSetting<Policy>(db, POLICY_SETTING)
  const defaults = defaultPolicy()
  if (!stored || !Array.isArray(stored.rules)) return defaults
  const codes = new Set(stored.rules.map((r) => r.code))
  const rules: PolicyRule[] = [...stored.rules, ...defaults.rules.filter((r) => !codes.has(r.code))]
  return { rules }
}

/**
 * Saves the policy after checking it; throws `validation-failed` (400) whose details name the
 * rule, the field and the problem (e.g. `{ rule: 'custom.x', field: 'patterns', problem:
 * 'does-not-compile' }`).
 */
export async function savePolicy(db: DbOrTrx, policy: Policy, now: Date = new Date()): Promise<void> {
  const problems = policyProblems(policy)
  if (problems.length > 0) {
    const first = problems[0]!
    throw new DomainError('validation-failed', 400, { ...first, problems })
  }
  await writeSetting(db, POLICY_SETTING, { rules: policy.rules }, now)
}
