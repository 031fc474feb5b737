/**
 * A query that cannot be parsed. `position` is the 0-based offset (a JavaScript string index) where
 * something else was expected; `expected` says what, in words staff can act on.
 */
export class QueryParseError extends Error {
  readonly position: number
  readonly expected: string
  /** What is at the position instead, e.g. `"tax"` or `")"`; null at the end of the query. */
  readonly found: string | null
  /** A short explanation or fix, e.g. `the "(" at position 0 is not closed`. */
  readonly hint: string | null

  constructor(position: number, expected: string, found: string | null = null, hint: string | null = null) {
    super(
      `Expected ${expected} at position ${position}${found ? `, found ${found}` : ''}${hint ? ` (${hint})` : ''}`,
    )
    this.name = 'QueryParseError'
    this.position = position
    this.expected = expected
    this.found = found
    this.hint = hint
  }

  toJSON(): {
    position: number
    expected: string
    found: string | null
    hint: string | null
    message: string
  } {
    return {
      position: this.position,
      expected: this.expected,
      found: this.found,
      hint: this.hint,
      message: this.message,
    }
  }
}

export interface FormatQueryErrorOptions {
  /** Print the error message under the caret (default true). */
  readonly message?: boolean
}

/**
 * The query with a caret under the error position, then the message:
 *
 * ```
 * council AND (tax OR rates
 *                          ^
 * Expected a closing ")" at position 25 (the "(" at position 12 is not closed)
 * ```
 *
 * Only the line holding the position is shown for a query over several lines, headed by its number.
 */
export function formatQueryError(
  query: string,
  err: QueryParseError,
  options: FormatQueryErrorOptions = {},
): string {
  const position = Math.max(0, Math.min(err.position, query.length))
  const lineStart = query.lastIndexOf('\n', position - 1) + 1
  const lineEndAt = query.indexOf('\n', position)
  const line = query.slice(lineStart, lineEndAt < 0 ? query.length : lineEndAt).replace(/\r$/, '')
  // One space per character (code point) before the caret; tabs stay tabs so the caret lines up.
  const pad = Array.from(query.slice(lineStart, position), (ch) => (ch === '\t' ? '\t' : ' ')).join('')
  const lines: string[] = []
  if (query.includes('\n')) {
    const lineNo = query.slice(0, lineStart).split('\n').length
    lines.push(`line ${lineNo}, column ${Array.from(query.slice(lineStart, position)).length + 1}:`)
  }
  lines.push(line, `${pad}^`)
  if (options.message !== false) lines.push(err.message)
  return lines.join('\n')
}
