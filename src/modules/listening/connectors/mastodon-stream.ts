/**
 * Mastodon's streaming API over WebSocket with a bot token
 * (https://docs.joinmastodon.org/methods/streaming/): `update` events carry a Status as a JSON
 * string in `payload`. The stream has no replay, so on every (re)connect the REST timeline is
 * read forward from the cursor (`min_id`) first: a restart loses nothing.
 */
import { compareIds, mastodonConfig, pageToPosts, pollMastodon } from './mastodon.js'
import type { StreamConnector, StreamMessage } from './stream.js'

export function mastodonStreamMessage(data: string, instanceHost: string): StreamMessage | null {
  let msg: unknown
  try {
    msg = JSON.parse(data)
  } catch {
    return null
  }
  if (!msg || typeof msg !== 'object') return null
  const m = msg as { event?: unknown; payload?: unknown }
  if (m.event === 'delete') return {}
  if (m.event !== 'update' && m.event !== 'status.update') return {}
  if (typeof m.payload !== 'string') return null
  let status: unknown
  try {
    status = JSON.parse(m.payload)
  } catch {
    return null
  }
  const page = pageToPosts([status], instanceHost)
  if (page.skipped > 0) return null
  return { posts: page.posts, ...(page.maxId ? { cursor: page.maxId } : {}) }
}

export const mastodonStreamConnector: StreamConnector = {
  url(source) {
    const config = mastodonConfig(source.config)
    const url = new URL(`${config.instance.replace(/^http/, 'ws')}/api/v1/streaming`)
    if (config.timeline === 'hashtag') {
      url.searchParams.set('stream', config.local ? 'hashtag:local' : 'hashtag')
      url.searchParams.set('tag', config.hashtag!)
    } else {
      url.searchParams.set('stream', config.local ? 'public:local' : 'public')
    }
    return url.toString()
  },
  headers(source) {
    const token = source.secrets['accessToken']
    return token ? { authorization: `Bearer ${token}` } : {}
  },
  parser(source) {
    const host = new URL(mastodonConfig(source.config).instance).host
    return (data) => mastodonStreamMessage(data, host)
  },
  stateFor(state, message) {
    const current = typeof state['minId'] === 'string' ? (state['minId'] as string) : null
    if (typeof message.cursor !== 'string') return state
    return !current || compareIds(message.cursor, current) > 0 ? { ...state, minId: message.cursor } : state
  },
  catchUp: pollMastodon,
}
