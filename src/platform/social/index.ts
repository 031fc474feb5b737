/**
 * Outgoing and read-back social connectors (Mastodon, Bluesky), shared by `publishing` and
 * `inbox`. Every function takes a `fetch` so tests point it at the local fakes in
 * test/support/fake-social.ts; credentials are never logged and never part of an error message.
 */
import { blueskyEngagement, blueskyMentions, blueskyPublish } from './bluesky.js'
import { PublishError } from './errors.js'
import { mastodonEngagement, mastodonMentions, mastodonPublish } from './mastodon.js'
import {
  type Engagement,
  type FetchLike,
  type IncomingMention,
  type OutgoingPost,
  type PublishedPost,
  SOCIAL_LIMITS,
  type SocialCredentials,
} from './types.js'

export { clearBlueskySessions, linkFacets } from './bluesky.js'
export { PublishError, scrub } from './errors.js'
export * from './types.js'

/** Length in user-perceived characters (graphemes), as Bluesky counts; Mastodon counts code points, close enough for a warning. */
export function graphemeLength(text: string): number {
  let n = 0
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) n++
  return n
}

export async function publishPost(
  creds: SocialCredentials,
  post: OutgoingPost,
  options: { fetch?: FetchLike; now: Date },
): Promise<PublishedPost> {
  const fetchImpl = options.fetch ?? fetch
  const limits = SOCIAL_LIMITS[creds.network]
  if (graphemeLength(post.text) > limits.maxLength) {
    throw new PublishError('social.too_long', `The text is longer than ${limits.maxLength} characters`, {
      retryable: false,
    })
  }
  if ((post.media?.length ?? 0) > limits.maxImages) {
    throw new PublishError('social.too_many_images', `At most ${limits.maxImages} images`, {
      retryable: false,
    })
  }
  if (post.media?.some((m) => m.altText.trim() === '')) {
    throw new PublishError('social.alt_text_missing', 'Every image needs alt text', { retryable: false })
  }
  return creds.network === 'mastodon'
    ? mastodonPublish(creds, post, fetchImpl, options.now)
    : blueskyPublish(creds, post, fetchImpl, options.now)
}

export async function fetchEngagement(
  creds: SocialCredentials,
  post: PublishedPost,
  options: { fetch?: FetchLike },
): Promise<Engagement> {
  const fetchImpl = options.fetch ?? fetch
  return creds.network === 'mastodon'
    ? mastodonEngagement(creds, post, fetchImpl)
    : blueskyEngagement(creds, post, fetchImpl)
}

/** Mentions/replies addressed to the account, newer than `cursor` (null = from now on / last 40); returns the new cursor. */
export async function fetchMentions(
  creds: SocialCredentials,
  cursor: string | null,
  options: { fetch?: FetchLike; now: Date },
): Promise<{ mentions: IncomingMention[]; cursor: string | null }> {
  const fetchImpl = options.fetch ?? fetch
  return creds.network === 'mastodon'
    ? mastodonMentions(creds, cursor, fetchImpl, options.now)
    : blueskyMentions(creds, cursor, fetchImpl, options.now)
}
