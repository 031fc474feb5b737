/**
 * Outgoing and read-back social connectors shared by `publishing` (official posts) and `inbox`
 * (mentions and replies). Open networks only: Mastodon's REST API and Bluesky's AT Protocol.
 */

export type SocialNetwork = 'mastodon' | 'bluesky'

export interface SocialCredentials {
  readonly network: SocialNetwork
  /** Mastodon: instance base URL; Bluesky: PDS base URL (e.g. https://bsky.social). */
  readonly serviceUrl: string
  /** Mastodon: acct (name@instance); Bluesky: handle or DID. */
  readonly identifier: string
  /** Mastodon: access token; Bluesky: app password. Never logged, never rendered. */
  readonly secret: string
}

/** What to reply to. Mastodon: id = status id. Bluesky: id = at:// uri, cid required, root = thread root (defaults to the parent). */
export interface ReplyTarget {
  readonly id: string
  readonly cid?: string
  readonly rootId?: string
  readonly rootCid?: string
}

export interface OutgoingMedia {
  readonly data: Uint8Array
  readonly mimeType: string
  readonly altText: string
}

export interface OutgoingPost {
  readonly text: string
  readonly language?: 'en' | 'cy'
  readonly inReplyTo?: ReplyTarget
  readonly media?: readonly OutgoingMedia[]
  /** Mastodon only: let the server schedule it (`scheduled_at`). */
  readonly scheduledAt?: Date
  /** Sent as Mastodon's Idempotency-Key header so a retried request never posts twice. */
  readonly idempotencyKey?: string
}

export interface PublishedPost {
  readonly id: string
  readonly cid?: string
  readonly url: string | null
}

export interface Engagement {
  readonly replies: number
  readonly boosts: number
  readonly favourites: number
}

export interface IncomingMention {
  readonly network: SocialNetwork
  /** Mastodon status id / Bluesky post uri. */
  readonly id: string
  readonly cid?: string
  /** Bluesky thread root. */
  readonly rootId?: string
  readonly rootCid?: string
  readonly inReplyToId: string | null
  readonly authorHandle: string
  readonly authorName: string | null
  /** Plain text (HTML stripped). */
  readonly text: string
  readonly language: string | null
  readonly url: string | null
  /** ISO. */
  readonly createdAt: string
}

/** The `fetch` connectors take (tests hand in one that reaches local fake servers). */
export type { FetchLike } from '../http/outbound.js'

/** Per-network limits, from the networks' own documentation. */
export const SOCIAL_LIMITS = {
  /** Mastodon's default `max_characters` (instance configuration). */
  mastodon: { maxLength: 500, maxImages: 4 },
  /** app.bsky.feed.post lexicon: text maxGraphemes 300; app.bsky.embed.images: at most 4. */
  bluesky: { maxLength: 300, maxImages: 4 },
} as const
