import type { Generated } from 'kysely'

/** The inbox module's tables (joined to `Database` by declaration merging below). */
export interface InboxTables {
  inbox_sla_policies: {
    id: Generated<number>
    name: string
    first_response_minutes: number
    next_response_minutes: number
    resolution_minutes: number
    warn_minutes: Generated<number>
    /** JSON: { timeZone, days: [[open, close] | null ×7] } in minutes after local midnight. */
    hours: string
    /** JSON: local dates YYYY-MM-DD. */
    holidays: string
    is_default: Generated<number>
    created_at: string
    updated_at: string
  }
  inbox_teams: {
    id: Generated<number>
    name: string
    email: string | null
    sla_policy_id: number | null
    created_at: string
  }
  inbox_agents: {
    staff_id: number
    available: Generated<number>
    max_open: Generated<number>
    /** Open and pending cases assigned to this person, kept in step with every assignment. */
    open_count: Generated<number>
    last_assigned_at: string | null
  }
  inbox_team_members: { team_id: number; staff_id: number }
  inbox_rules: {
    id: Generated<number>
    position: number
    name: string
    enabled: Generated<number>
    /** JSON RuleConditions. */
    conditions: string
    team_id: number | null
    tag: string | null
    priority: string | null
    created_at: string
  }
  inbox_cases: {
    id: Generated<number>
    channel: string
    /** The connected social account the thread lives on (`publishing:3`), for replies. */
    account_key: string | null
    /** Social: the root post id; email: the first Message-ID. */
    thread_id: string | null
    thread_cid: string | null
    subject: string | null
    /** Where a contact-form message came from, e.g. `petitions:123`. */
    context: string | null
    citizen_handle: string | null
    citizen_name: string | null
    citizen_email: string | null
    language: string | null
    sentiment: string | null
    topic: string | null
    tags: Generated<string>
    sensitive: Generated<number>
    team_id: number | null
    assignee_id: number | null
    priority: Generated<string>
    status: Generated<string>
    sla_policy_id: number | null
    first_response_due: string | null
    next_response_due: string | null
    resolution_due: string | null
    first_response_at: string | null
    /** 1 when the first response met its deadline, 0 when late; null until answered. */
    first_response_within: number | null
    awaiting_since: string | null
    resolved_at: string | null
    /** JSON: timers already warned about (once per case per timer). */
    warned: Generated<string>
    created_at: string
    updated_at: string
  }
  inbox_messages: {
    id: Generated<number>
    case_id: number
    direction: string
    channel: string
    external_id: string | null
    external_cid: string | null
    external_url: string | null
    author_staff_id: number | null
    author_handle: string | null
    text: string
    language: string | null
    /** inbound: received; note: note; outbound: awaiting-approval | queued | sent | failed | rejected. */
    state: string
    /** JSON policy findings. */
    findings: Generated<string>
    answer_id: number | null
    answer_version: number | null
    approved_by: number | null
    review_note: string | null
    hidden: Generated<number>
    attempts: Generated<number>
    last_error: string | null
    created_at: string
    sent_at: string | null
  }
  inbox_cursors: { account_key: string; cursor: string | null; updated_at: string }
  inbox_answers: {
    id: Generated<number>
    title: string
    team_id: number | null
    review_on: string
    archived: Generated<number>
    created_at: string
  }
  inbox_answer_versions: {
    answer_id: number
    version: number
    text_en: string
    text_cy: string
    approved: Generated<number>
    approved_by: number | null
    created_by: number | null
    created_at: string
  }
  inbox_house_rules: { code: string; name_en: string; name_cy: string; created_at: string }
  inbox_moderation: {
    id: Generated<number>
    message_id: number
    case_id: number
    action: string
    rule_code: string
    note: string | null
    staff_id: number | null
    created_at: string
  }
  inbox_sensitive_topics: { topic: string; created_at: string }
}

declare module '../../../platform/db/database.js' {
  interface Database extends InboxTables {}
}
