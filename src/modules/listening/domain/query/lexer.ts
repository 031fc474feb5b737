import { FIELD_NAMES, type QueryField } from './ast.js'
import { QueryParseError } from './errors.js'

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 10_000
/** Largest n in NEAR/n. */
export const MAX_NEAR_DISTANCE = 1000

interface Span {
  /** Offset of the first character. */
  readonly start: number
  /** Offset just after the last character. */
  readonly end: number
  /** The source text of the token. */
  readonly text: string
}

export type QueryToken =
  | (Span & { readonly type: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'eof' })
  | (Span & { readonly type: 'near'; readonly distance: number; readonly ordered: boolean })
  /** `value` is the text between the quotes, as written. */
  | (Span & { readonly type: 'phrase'; readonly value: string })
  | (Span & { readonly type: 'word' })
  /** `site:`: the field's value is the next token, which must follow the colon without a space. */
  | (Span & { readonly type: 'field'; readonly field: QueryField })

/** Straight and typographic double quotes (staff paste queries from word processors). */
const QUOTES = new Set(['"', '“', '”', '„'])
const FIELD_LIST = 'author:, lang:, place:, site: or source:'

/** How a token is named in error messages. */
export function describeToken(t: QueryToken): string | null {
  switch (t.type) {
    case 'eof':
      return null
    case 'phrase':
      return `the phrase ${t.text.replace(/\s+/gu, ' ')}`
    case 'and':
    case 'or':
    case 'not':
    case 'near':
      return t.text
    default:
      return `"${t.text}"`
  }
}

/**
 * Turns query text into tokens on demand, so errors come out in the order of the text.
 * Operators are recognised only in capitals, as in Brandwatch: `and` is a search word.
 */
export class QueryLexer {
  private pos = 0
  private lookahead: QueryToken | null = null

  constructor(readonly text: string) {
    if (text.length > MAX_QUERY_LENGTH) {
      throw new QueryParseError(
        MAX_QUERY_LENGTH,
        `the end of the query (at most ${MAX_QUERY_LENGTH} characters)`,
      )
    }
  }

  peek(): QueryToken {
    this.lookahead ??= this.read()
    return this.lookahead
  }

  next(): QueryToken {
    const t = this.peek()
    this.lookahead = null
    return t
  }

  private read(): QueryToken {
    const s = this.text
    this.skipSpaceAndComments()
    const start = this.pos
    if (start >= s.length) return { type: 'eof', start, end: start, text: '' }
    const ch = s[start]!
    if (ch === '(' || ch === ')') {
      this.pos++
      return { type: ch === '(' ? 'lparen' : 'rparen', start, end: start + 1, text: ch }
    }
    if (QUOTES.has(ch)) return this.readPhrase(start)

    let end = start
    while (end < s.length && !/[\s()]/u.test(s[end]!) && !QUOTES.has(s[end]!)) end++
    const word = s.slice(start, end)

    if (word === 'AND' || word === 'OR' || word === 'NOT') {
      this.pos = end
      return { type: word === 'AND' ? 'and' : word === 'OR' ? 'or' : 'not', start, end, text: word }
    }
    if (word === 'NEAR' || word.startsWith('NEAR/')) {
      this.pos = end
      return this.readNear(word, start, end)
    }
    const fieldMatch = /^([A-Za-z]+):/.exec(word)
    if (fieldMatch) {
      const name = fieldMatch[1]!
      const known = FIELD_NAMES[name.toLowerCase()]
      if (!known) {
        throw new QueryParseError(
          start,
          `a field name (${FIELD_LIST})`,
          `"${name}:"`,
          'to search for text with a colon in it, put it in quotes',
        )
      }
      this.pos = start + name.length + 1
      return { type: 'field', field: known, start, end: this.pos, text: s.slice(start, this.pos) }
    }
    const bad = /[~{}]/.exec(word)
    if (bad) {
      const at = start + bad.index
      if (bad[0] === '~') {
        throw new QueryParseError(
          at,
          'NEAR/n for words near each other',
          '"~"',
          'the ~ proximity operator is not supported',
        )
      }
      throw new QueryParseError(
        at,
        'a term',
        `"${bad[0]}"`,
        'case-sensitive {…} matching is not supported; matching ignores case',
      )
    }
    this.pos = end
    return { type: 'word', start, end, text: word }
  }

  private skipSpaceAndComments(): void {
    const s = this.text
    for (;;) {
      while (this.pos < s.length && /\s/u.test(s[this.pos]!)) this.pos++
      if (!s.startsWith('<<<', this.pos)) return
      const close = s.indexOf('>>>', this.pos + 3)
      if (close < 0) {
        throw new QueryParseError(
          s.length,
          'a closing ">>>"',
          null,
          `the comment at position ${this.pos} is not closed`,
        )
      }
      this.pos = close + 3
    }
  }

  private readPhrase(start: number): QueryToken {
    const s = this.text
    let end = start + 1
    while (end < s.length && !QUOTES.has(s[end]!)) end++
    if (end >= s.length) {
      throw new QueryParseError(
        s.length,
        'a closing quote (")',
        null,
        `the phrase that starts at position ${start} is not closed`,
      )
    }
    this.pos = end + 1
    return {
      type: 'phrase',
      value: s.slice(start + 1, end),
      start,
      end: end + 1,
      text: s.slice(start, end + 1),
    }
  }

  private readNear(word: string, start: number, end: number): QueryToken {
    if (word === 'NEAR') {
      throw new QueryParseError(
        start + 4,
        'a distance after NEAR, e.g. NEAR/3',
        null,
        'NEAR needs the largest number of words between the two sides',
      )
    }
    const m = /^NEAR\/(\d*)(.*)$/su.exec(word)!
    const digits = m[1]!
    const rest = m[2]!
    if (digits === '') {
      throw new QueryParseError(
        start + 5,
        'a number of words after "NEAR/", e.g. NEAR/3',
        rest ? `"${rest}"` : null,
      )
    }
    if (rest !== '' && rest !== 'f') {
      throw new QueryParseError(start + 5 + digits.length, '"f" or a space after the distance', `"${rest}"`)
    }
    const distance = Number(digits)
    if (distance > MAX_NEAR_DISTANCE) {
      throw new QueryParseError(start + 5, `a distance of at most ${MAX_NEAR_DISTANCE} words`, `"${digits}"`)
    }
    return { type: 'near', distance, ordered: rest === 'f', start, end, text: word }
  }
}

/** All tokens of a query, the final `eof` included. Throws `QueryParseError`. */
export function tokenizeQuery(text: string): QueryToken[] {
  const lexer = new QueryLexer(text)
  const out: QueryToken[] = []
  for (;;) {
    const t = lexer.next()
    out.push(t)
    if (t.type === 'eof') return out
  }
}
