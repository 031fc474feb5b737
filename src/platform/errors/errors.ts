/**
 * Stable error codes: the API's contract and the key of the message shown to people
 * (`errors.<code>.title` / `.body` in the catalogues). Modules add their own codes.
 */
export const PLATFORM_ERROR_CODES = {
  'not-found': 404,
  forbidden: 403,
  'not-signed-in': 401,
  'csrf-invalid': 403,
  'rate-limited': 429,
  'bad-request': 400,
  'validation-failed': 400,
  conflict: 409,
  internal: 500,
  unavailable: 503,
} as const

export type PlatformErrorCode = keyof typeof PLATFORM_ERROR_CODES

/** An expected failure with a stable code; the error handler turns it into a page or a JSON error. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number = (PLATFORM_ERROR_CODES as Record<string, number>)[code] ?? 400,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(code)
    this.name = 'DomainError'
  }
}

export function notFound(): DomainError {
  return new DomainError('not-found', 404)
}

export function forbidden(reason = 'forbidden'): DomainError {
  return new DomainError('forbidden', 403, { reason })
}
