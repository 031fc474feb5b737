import { retryAfterMs } from '../http/outbound.js'

/**
 * A publish or read-back that did not work. `retryable` says whether trying again later can
 * help (network, 429, 5xx) or not (bad credentials, rejected content). The message is built
 * from the HTTP status and the server's own error text, and scrubbed of the secret, so it can be
 * logged and shown to staff.
 */
export class PublishError extends Error {
  readonly code: string
  readonly retryable: boolean
  readonly status: number | null
  readonly retryAfterMs: number | null
  constructor(
    code: string,
    message: string,
    options: { retryable: boolean; status?: number | null; retryAfterMs?: number | null },
  ) {
    super(message)
    this.name = 'PublishError'
    this.code = code
    this.retryable = options.retryable
    this.status = options.status ?? null
    this.retryAfterMs = options.retryAfterMs ?? null
  }
}

/** Removes every occurrence of the secrets from a text (server errors sometimes echo input). */
export function scrub(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('…')
  return out
}

/** Turns an HTTP answer that is not ok into a PublishError. */
export async function errorFromResponse(
  res: Response,
  what: string,
  secrets: readonly (string | null | undefined)[],
  now: Date,
): Promise<PublishError> {
  let detail = ''
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown }
    detail = [body.error, body.message].filter((x) => typeof x === 'string' && x !== '').join(': ')
  } catch {
    // Not JSON: the status says enough.
  }
  const text = scrub(`${what}: HTTP ${res.status}${detail ? ` (${detail.slice(0, 200)})` : ''}`, secrets)
  const status = res.status
  if (status === 401 || status === 403) {
    return new PublishError('social.auth', text, { retryable: false, status })
  }
  if (status === 429) {
    return new PublishError('social.rate_limited', text, {
      retryable: true,
      status,
      retryAfterMs: retryAfterMs(res.headers, now),
    })
  }
  if (status >= 500 || status === 408) {
    return new PublishError('social.server', text, { retryable: true, status })
  }
  return new PublishError('social.rejected', text, { retryable: false, status })
}

/** A network failure (refused, reset, timeout) — worth another try. */
export function networkError(what: string, err: unknown, secrets: readonly string[]): PublishError {
  const reason = err instanceof Error ? err.message : String(err)
  return new PublishError('social.network', scrub(`${what}: ${reason}`, secrets), { retryable: true })
}
