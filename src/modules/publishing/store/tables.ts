import type { Generated } from 'kysely'

/** The publishing module's tables (joined to `Database` by declaration merging below). */
export interface PublishingTables {
  publishing_workflows: {
    id: Generated<number>
    name: string
    /** JSON: WorkflowStep[] */
    steps: string
    created_at: string
    updated_at: string
  }
  publishing_accounts: {
    id: Generated<number>
    name: string
    /** mastodon | bluesky */
    network: string
    /** official | personal */
    kind: string
    team: string
    /** en | cy | bilingual */
    language: string
    service_url: string
    identifier: string
    secret_enc: string | null
    secret_stored_at: string | null
    workflow_id: number
    enabled: Generated<number>
    created_at: string
    updated_at: string
  }
  publishing_posts: {
    id: Generated<number>
    title: string
    text_en: string
    text_cy: string
    topic: string
    team: string
    kind: Generated<string>
    planned_at: string
    state: string
    review_steps: Generated<string>
    step_index: Generated<number>
    round: Generated<number>
    rejection_note: string | null
    attempts: Generated<number>
    next_attempt_at: string | null
    last_error: string | null
    claimed_by: string | null
    claimed_at: string | null
    published_at: string | null
    created_by: number
    created_at: string
    updated_at: string
  }
  publishing_targets: {
    id: Generated<number>
    post_id: number
    account_id: number
    language: string
    text: string | null
    external_id: string | null
    external_cid: string | null
    url: string | null
    published_at: string | null
    replies: Generated<number>
    boosts: Generated<number>
    favourites: Generated<number>
    engagement_at: string | null
  }
  publishing_approvals: {
    id: Generated<number>
    post_id: number
    round: number
    step_index: number
    staff_id: number
    decision: string
    note: string | null
    at: string
  }
  publishing_media: {
    id: Generated<number>
    post_id: number
    mime_type: string
    size: number
    data: Uint8Array
    alt_en: string
    alt_cy: string
    created_at: string
  }
}

declare module '../../../platform/db/database.js' {
  interface Database extends PublishingTables {}
}
