/**
 * HTTP for connectors: timeouts, rate-limit and error back-off. Connectors take a `fetch`
 * (tests point it at local fake servers) and never retry in a tight loop: a failure sets the
 * source's next run time instead.
 */

/** The server asked us to wait (429, or 503 with Retry-After). */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMs: number | null,
    readonly status: number,
  ) {
    super(
      `rate limited (HTTP ${status})${retryAfterMs === null ? '' : `, retry after ${Math.ceil(retryAfterMs / 1000)} s`}`,
    )
    this.name = 'RateLimitedError'
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`HTTP ${status} from ${redact(url)}`)
    this.name = 'HttpError'
  }
}

/** A URL without its query string's secrets (access_token=…), for logs and error messages. */
export function redact(url: string): string {
  return url.replace(/([?&](?:access_token|token|key)=)[^&]*/gi, '$1…')
}

/**
 * How long the server asked us to wait: `Retry-After` (seconds or an HTTP date), or Mastodon's
 * `X-RateLimit-Reset` (an ISO date) when `X-RateLimit-Remaining` is 0 or the answer is 429.
 */
export function retryAfterMs(headers: Headers, now: Date): number | null {
  const retryAfter = headers.get('retry-after')
  if (retryAfter) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
    const at = Date.parse(retryAfter)
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime())
  }
  const reset = headers.get('x-ratelimit-reset')
  if (reset) {
    const asNumber = Number(reset)
    // An epoch in seconds (Bluesky and others) or an ISO date (Mastodon).
    const at = Number.isFinite(asNumber) ? (asNumber > 1e12 ? asNumber : asNumber * 1000) : Date.parse(reset)
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime())
  }
  return null
}

export interface BackoffOptions {
  readonly baseMs?: number
  readonly maxMs?: number
  readonly random?: () => number
}

/**
 * Exponential back-off with jitter ("equal jitter"): attempt 1 waits 0.5–1 × base, attempt n
 * 0.5–1 × base·2^(n−1), capped at max. A server's own wait time wins when it is longer.
 */
export function backoffMs(
  attempt: number,
  options: BackoffOptions = {},
  serverMs: number | null = null,
): number {
  const base = options.baseMs ?? 30_000
  const max = options.maxMs ?? 3_600_000
  const random = options.random ?? Math.random
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
  const jittered = ceiling / 2 + random() * (ceiling / 2)
  return Math.max(jittered, serverMs ?? 0)
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

/** GET with a timeout; 429 (and 503 with a wait) become `RateLimitedError`, other failures `HttpError`. */
export async function getOk(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit & { timeoutMs?: number; now?: Date; allow304?: boolean } = {},
): Promise<Response> {
  const { timeoutMs = 20_000, now = new Date(), allow304 = false, ...rest } = init
  const res = await fetchImpl(url, { ...rest, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' })
  if (res.status === 429 || (res.status === 503 && res.headers.has('retry-after'))) {
    await res.body?.cancel()
    throw new RateLimitedError(retryAfterMs(res.headers, now), res.status)
  }
  if (allow304 && res.status === 304) return res
  if (!res.ok) {
    await res.body?.cancel()
    throw new HttpError(res.status, url)
  }
  return res
}

/** The URL of a `Link` header relation (`<…>; rel="next"`), or null. */
export function linkRel(header: string | null, rel: string): string | null {
  if (!header) return null
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim())
    if (m && m[2]!.split(/\s+/).includes(rel)) return m[1]!
  }
  return null
}
