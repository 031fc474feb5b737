import type { Generated } from 'kysely'

export interface PetitionsTables {
  petitions: {
    id: Generated<number>
    action: string
    background: string
    additional_details: string
    committee_note: Generated<string>
    state: string
    language: Generated<string>
    creator_name: string | null
    creator_email: string | null
    signature_count: Generated<number>
    created_at: string
    updated_at: string
    opened_at: string | null
    closed_at: string | null
    deadline_at: string | null
    rejected_at: string | null
    moderation_threshold_reached_at: string | null
    response_threshold_reached_at: string | null
    debate_threshold_reached_at: string | null
    government_response_at: string | null
    scheduled_debate_date: string | null
    debate_outcome_at: string | null
    rejection_code: string | null
    rejection_details: string | null
    /** JSON: { summary, details, respondedOn, createdAt, updatedAt } */
    response: string | null
    /** JSON: the debate outcome and its links */
    debate: string | null
    /** JSON: imported fields we keep but do not model (departments, topics, other business…) */
    extra: Generated<string>
    source: Generated<string>
    source_url: string | null
    locked_by: number | null
    locked_at: string | null
    sponsor_token_hash: string | null
    duplicate_of: number | null
  }
  petition_rejection_reasons: {
    code: string
    title_en: string
    title_cy: string
    description_en: Generated<string>
    description_cy: Generated<string>
    hidden: Generated<number>
    updated_at: string
  }
  petition_counts: {
    petition_id: number
    kind: string
    code: string
    name: string
    count: Generated<number>
    extra: Generated<string>
  }
  petition_signatures: {
    id: Generated<number>
    petition_id: number
    name: string
    name_key: string
    email: string
    canonical_email: string
    country: string
    postcode: string
    area_code: string | null
    state: string
    assurance_level: string
    notify: Generated<number>
    creator: Generated<number>
    ip: string | null
    referrer: string | null
    campaign: string | null
    language: string
    token_hash: string | null
    email_count: Generated<number>
    created_at: string
    validated_at: string | null
    invalidated_at: string | null
  }
  petition_areas: {
    postcode: string
    area_code: string
    area_name: string
    region_code: string | null
    region_name: string | null
  }
  petition_notifications: {
    signature_id: number
    update_key: string
    sent_at: string
  }
  petition_fraud_rules: {
    id: Generated<number>
    list: string
    kind: string
    pattern: string
    note: Generated<string>
    created_at: string
  }
  petition_trending: {
    petition_id: number
    kind: string
    value: string
    hour_start: string
    count: number
    alerted: Generated<number>
  }
  petition_invalidations: {
    id: Generated<number>
    summary: string
    conditions: string
    state: string
    matching: Generated<number>
    invalidated: Generated<number>
    created_by: number | null
    created_at: string
    started_at: string | null
    finished_at: string | null
  }
  petition_events: {
    id: Generated<number>
    petition_id: number
    at: string
    kind: string
    details: Generated<string>
  }
}

declare module '../../../platform/db/database.js' {
  interface Database extends PetitionsTables {}
}
