import type { Generated } from 'kysely'

/** Row types of the platform's own tables (see migrations/2026_11_29_1400_platform_core.ts). */
export interface PlatformTables {
  settings: { key: string; value: string; updated_at: string }
  staff_users: {
    id: Generated<number>
    email: string
    name: string
    password_hash: string
    roles: string
    language: string
    totp_secret: string | null
    failed_logins: Generated<number>
    locked_until: string | null
    disabled: Generated<number>
    last_login_at: string | null
    created_at: string
  }
  citizens: {
    id: Generated<number>
    email: string
    name: string | null
    language: string
    assurance_level: string
    email_verified_at: string | null
    has_account: Generated<number>
    created_at: string
    last_seen_at: string | null
  }
  email_tokens: {
    token_hash: string
    purpose: string
    email: string
    payload: string
    created_at: string
    expires_at: string
    used_at: string | null
  }
  audit_log: {
    id: Generated<number>
    at: string
    actor_kind: string
    actor_id: string | null
    actor_label: string | null
    action: string
    subject_type: string | null
    subject_id: string | null
    details: string
    request_id: string | null
  }
  outbox: {
    id: Generated<number>
    created_at: string
    to_address: string
    from_address: string
    subject: string
    text_body: string
    template: string
    language: string
    status: string
    attempts: Generated<number>
    last_error: string | null
    sent_at: string | null
    message_id: string | null
    /** JSON object of extra headers (In-Reply-To, References), or null. */
    headers: string | null
  }
  job_queue: {
    id: Generated<number>
    name: string
    payload: string
    run_at: string
    status: string
    attempts: Generated<number>
    locked_by: string | null
    locked_at: string | null
    last_error: string | null
    created_at: string
  }
  recurring_job_runs: {
    name: string
    period_start: string
    claimed_by: string
    claimed_at: string
    finished_at: string | null
    error: string | null
  }
}

declare module './database.js' {
  interface Database extends PlatformTables {}
}
