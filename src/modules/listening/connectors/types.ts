import type { FetchLike } from '../../../platform/http/outbound.js'
import type { RawPost } from '../domain/post.js'

/** One step of a polling connector: posts, and the cursor that covers them (saved with them). */
export interface PollBatch {
  readonly posts: readonly RawPost[]
  readonly state: Readonly<Record<string, unknown>>
  /** Malformed items skipped in this step. */
  readonly skipped: number
}

export interface PollContext {
  readonly fetch: FetchLike
  readonly now: Date
}

export interface PollSource {
  readonly config: Readonly<Record<string, unknown>>
  readonly secrets: Readonly<Record<string, string>>
  readonly state: Readonly<Record<string, unknown>>
}

/** A connector that runs now and then (Mastodon REST, RSS/Atom). */
export type PollConnector = (source: PollSource, ctx: PollContext) => AsyncGenerator<PollBatch>
