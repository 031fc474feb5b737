import type { Generated } from 'kysely'

/** Row types of the deliberation tables (migrations/2026_11_29_1650_deliberation_core.ts). */
export interface DeliberationTables {
  deliberation_conversations: {
    id: Generated<number>
    title_en: string
    title_cy: string | null
    description_en: string
    description_cy: string | null
    opens_at: string
    closes_at: string | null
    vote_assurance: Generated<string>
    statement_policy: Generated<string>
    strict_moderation: Generated<number>
    show_map: Generated<number>
    open_data: Generated<number>
    max_length: Generated<number>
    source: string | null
    source_url: string | null
    next_statement_number: Generated<number>
    next_participant_number: Generated<number>
    recompute_requested_at: string | null
    created_by: string | null
    created_at: string
    updated_at: string
  }
  deliberation_participants: {
    id: Generated<number>
    conversation_id: number
    number: number
    session_key: string | null
    citizen_id: number | null
    assurance: string
    created_at: string
    banned_at: string | null
    banned_by: string | null
    ban_reason: string | null
  }
  deliberation_statements: {
    id: Generated<number>
    conversation_id: number
    number: number
    text_en: string | null
    text_cy: string | null
    author_participant_id: number | null
    is_seed: Generated<number>
    is_meta: Generated<number>
    moderation: Generated<number>
    created_at: string
    moderated_at: string | null
    moderated_by: string | null
  }
  deliberation_votes: {
    participant_id: number
    statement_id: number
    conversation_id: number
    vote: number
    voted_at: string
  }
  deliberation_vote_log: {
    id: Generated<number>
    conversation_id: number
    participant_id: number
    statement_id: number
    vote: number
    at: string
  }
  deliberation_results: {
    conversation_id: number
    computed_at: string
    last_vote_id: number
    duration_ms: number
    summary: string
    positions: string
  }
  deliberation_alerts: {
    id: Generated<number>
    conversation_id: number
    participant_id: number
    kind: string
    details: string
    created_at: string
    resolved_at: string | null
    resolved_by: string | null
    resolution: string | null
  }
}

declare module '../../../platform/db/database.js' {
  interface Database extends DeliberationTables {}
}
