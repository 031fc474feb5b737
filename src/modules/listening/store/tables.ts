import type { Generated } from 'kysely'

/** The listening module's tables (joined to `Database` by declaration merging below). */
export interface ListeningTables {
  listening_sources: {
    id: Generated<number>
    name: string
    /** mastodon | mastodon-stream | bluesky | rss | import | webhook */
    type: string
    /** JSON: what the connector reads (instance, hashtag, feed URL, filter query…); shown to staff. */
    config: string
    /** JSON: credentials (bot tokens); never shown again after saving. */
    secrets: Generated<string>
    /** scrypt-free SHA-256 of the webhook token (high-entropy random token), or null. */
    token_hash: string | null
    enabled: Generated<number>
    retention_days: Generated<number>
    /** JSON: the connector's cursor (Mastodon min_id, Jetstream time_us, feed ETag and seen ids). */
    state: Generated<string>
    /** Posts stored, malformed items skipped, errors in a row. */
    stored_count: Generated<number>
    skipped_count: Generated<number>
    error_count: Generated<number>
    last_error: string | null
    last_run_at: string | null
    /** Back-off: the connector does not run before this. */
    next_run_at: string | null
    /** Streaming connectors: the process holding the stream, and until when. */
    lease_owner: string | null
    lease_until: string | null
    created_at: string
    updated_at: string
  }
  listening_posts: {
    id: Generated<number>
    source_id: number
    /** Connector type at collection (mastodon, bluesky, rss, import, webhook): `source:` in queries. */
    network: string
    /** The network's own id (Mastodon status URI, at:// URI, feed guid…): unique per source. */
    external_id: string
    url: string | null
    site: string | null
    author: string | null
    author_name: string | null
    text: string
    lang: string | null
    published_at: string
    collected_at: string
    sentiment: string
    sentiment_score: number
    /** JSON arrays. */
    keywords: string
    places: string
    hashtags: string
    mentions: string
    /** The post's main term (its first keyword), or null. */
    topic: string | null
    /** When retention removes the post. */
    expires_at: string
  }
  listening_queries: {
    id: Generated<number>
    name: string
    query: string
    /** The query as understood (normalised). */
    normalised: string
    enabled: Generated<number>
    alerts_enabled: Generated<number>
    /** Comma-separated addresses for spike alerts. */
    alert_emails: Generated<string>
    /** Significance level for spikes, e.g. 0.001. */
    alert_p_value: Generated<number>
    /** Smallest hourly count that can be a spike. */
    alert_min_count: Generated<number>
    created_by: number | null
    created_at: string
    updated_at: string
  }
  listening_matches: {
    query_id: number
    post_id: number
    /** JSON: the query's terms that matched. */
    terms: string
    published_at: string
    sentiment: string
  }
  listening_spikes: {
    id: Generated<number>
    query_id: number
    hour_start: string
    observed: number
    expected: number
    p_value: number
    /** JSON: [{ term, count, baseline }] */
    new_terms: string
    /** JSON: post ids */
    sample_post_ids: string
    created_at: string
    notified_at: string | null
  }
  listening_sentiment_corrections: {
    post_id: number
    text: string
    lang: string | null
    /** What the model said. */
    model_label: string
    /** What staff say it is. */
    label: string
    corrected_by: number | null
    corrected_at: string
  }
}

declare module '../../../platform/db/database.js' {
  interface Database extends ListeningTables {}
}
