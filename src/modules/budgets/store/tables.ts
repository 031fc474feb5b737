import type { Generated } from 'kysely'

/**
 * Row types of the budgets module's tables (migrations/2026_11_29_1700_budgets_core.ts).
 * Ids and money are bigint columns: PostgreSQL returns them as strings, so the stores read them
 * with Number().
 */
export interface BudgetsTables {
  budgets_processes: {
    id: Generated<number>
    title_en: string
    title_cy: string
    description_en: string
    description_cy: string
    phase: string
    proposing_at: string
    reviewing_at: string
    voting_at: string
    counting_at: string
    results_at: string
    delivery_at: string
    source: string
    created_at: string
    updated_at: string
  }
  budgets_budgets: {
    id: Generated<number>
    process_id: number
    position: number
    title_en: string
    title_cy: string
    description_en: string
    description_cy: string
    amount: number
    currency: string
    /** JSON array of postcode areas, districts or sectors. */
    area: string
    voter_rule: string
    /** JSON: the ballot style without the budget (cost-limited ballots take the amount). */
    style: string
    rule: string | null
    points_scale: number | null
    /** JSON: extra facts, e.g. a Pabulib file's META for imported budgets. */
    meta: string
    created_at: string
    updated_at: string
  }
  budgets_projects: {
    id: Generated<number>
    budget_id: number
    external_id: string | null
    title_en: string
    title_cy: string
    description_en: string
    description_cy: string
    location: string
    estimated_cost: number
    final_cost: number | null
    status: string
    reason_en: string
    reason_cy: string
    proposer_id: number | null
    source: string
    reviewed_by: number | null
    reviewed_at: string | null
    created_at: string
    updated_at: string
  }
  budgets_residents: {
    citizen_id: number
    postcode: string
    stated_at: string
  }
  budgets_census_codes: {
    id: Generated<number>
    budget_id: number
    code_hash: string
    imported_at: string
    used_at: string | null
  }
  budgets_ballots: {
    id: Generated<number>
    budget_id: number
    voter_key: string
    channel: string
    citizen_id: number | null
    census_code_id: number | null
    postcode: string | null
    assurance: string
    /** JSON: the Ballot. */
    content: string
    version: number
    entered_by: number | null
    created_at: string
    updated_at: string
  }
  budgets_ballot_history: {
    id: Generated<number>
    ballot_id: number
    budget_id: number
    voter_key: string
    version: number
    channel: string
    content: string
    actor_kind: string
    actor_id: string | null
    at: string
  }
  budgets_outcomes: {
    id: Generated<number>
    budget_id: number
    rule: string
    official: number
    /** JSON array of project ids (as text), in project order. */
    selected: string
    cost: number
    /** JSON object: project id → Explanation. */
    explanations: string
    /** JSON object: project id → { votes, points }. */
    totals: string
    ballots: number
    counted_at: string
  }
  budgets_milestones: {
    id: Generated<number>
    project_id: number
    title_en: string
    title_cy: string
    date: string
    status: string
    created_at: string
    updated_at: string
  }
  budgets_followers: {
    id: Generated<number>
    project_id: number
    email: string
    language: string
    created_at: string
    unsubscribed_at: string | null
  }
}

declare module '../../../platform/db/database.js' {
  interface Database extends BudgetsTables {}
}
