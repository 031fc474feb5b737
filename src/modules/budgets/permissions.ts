import { meetsAssurance } from '../../platform/auth/actor.js'
import { ALLOW, deny, type PermissionRule, staffWith } from '../../platform/auth/permissions.js'

/** Citizens who proved their email address (the emailed sign-in link) or better. */
const verifiedCitizen: PermissionRule = (actor) => {
  if (actor.kind !== 'citizen') return deny(actor.kind === 'anonymous' ? 'not-signed-in' : 'not-a-citizen')
  return meetsAssurance(actor.assurance, 'email-verified') ? ALLOW : deny('not-verified')
}

/**
 * The budgets module's permissions, `action:subject → rule`. Admins pass every staff rule;
 * moderators review feasibility; analysts read. Voting eligibility (area, census) is decided
 * per budget in domain/eligibility.ts.
 */
export const budgetsPermissions = {
  'view:budgets-admin': staffWith('moderator', 'analyst'),
  'manage:process': staffWith(),
  'review:project': staffWith('moderator'),
  'enter:paper-ballots': staffWith(),
  'import:census': staffWith(),
  'count:budget': staffWith(),
  'manage:delivery': staffWith(),
  'propose:project': verifiedCitizen,
} as const
