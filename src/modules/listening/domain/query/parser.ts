/**
 * A recursive-descent parser for Brandwatch-style boolean queries.
 *
 * Grammar, loosest binding first (so precedence is NOT > NEAR > AND > OR):
 *
 * ```
 * query   := or EOF
 * or      := and ("OR" and)*
 * and     := near (("AND" | <"NOT" starting the next operand>) near)*     a NOT b  ≡  a AND NOT b
 * near    := unary (("NEAR/n" | "NEAR/nf") unary)*                        left to right
 * unary   := "NOT" unary | primary
 * primary := word | "phrase" | #hashtag | @mention | field ":" value | field ":(" value ("OR" value)* ")" | "(" or ")"
 * ```
 *
 * Two words side by side are an error rather than an implicit AND: `council tax` is far more often
 * a phrase missing its quotes than two separate words, and the error says how to write either.
 * The operands of NEAR must be words (terms, phrases, hashtags, mentions, or ORs and NEARs of them);
 * NOT, AND and fields inside NEAR are errors, since "not this word, near that word" has no meaning.
 * Mixing operators without brackets is allowed (precedence decides) but produces a warning, and the
 * normalised text puts the brackets in.
 */
import {
  and as allOf,
  field,
  hashtag,
  isPositional,
  mention,
  near,
  not,
  or,
  phrase,
  type QueryNode,
  term,
} from './ast.js'
import { describeQuery } from './describe.js'
import { QueryParseError } from './errors.js'
import { describeToken, QueryLexer, type QueryToken } from './lexer.js'
import {
  normaliseFieldValue,
  normaliseText,
  normaliseWord,
  type PatternToken,
  tokenizePattern,
} from './text.js'

/** Deepest nesting of brackets accepted. */
export const MAX_NESTING = 100
/** Wildcards with fewer letters before them than this match too many words; they get a warning. */
export const SHORT_WILDCARD = 3

export type QueryWarningCode = 'mixed-operators' | 'only-excludes' | 'short-wildcard'

/** Something legal but probably not meant; shown next to the query, never blocking it. */
export interface QueryWarning {
  readonly code: QueryWarningCode
  readonly position: number
  readonly message: string
}

export interface ParsedQuery {
  readonly ast: QueryNode
  /** The normalised query text (`describeQuery(ast)`). */
  readonly query: string
  readonly warnings: readonly QueryWarning[]
}

/** A parsed operand, its start offset, and the first operator written at its level without brackets. */
interface Parsed {
  readonly node: QueryNode
  readonly start: number
  readonly op: { readonly position: number; readonly text: string } | null
}

const OPERATOR_WORD = /^(and|or|not|near(\/\d+f?)?)$/i

class Parser {
  private readonly lexer: QueryLexer
  private depth = 0
  private previous: QueryToken | null = null
  readonly warnings: QueryWarning[] = []

  constructor(readonly text: string) {
    this.lexer = new QueryLexer(text)
  }

  private peek(): QueryToken {
    return this.lexer.peek()
  }

  private next(): QueryToken {
    this.previous = this.lexer.next()
    return this.previous
  }

  private warn(code: QueryWarningCode, position: number, message: string): void {
    this.warnings.push({ code, position, message })
  }

  parse(): QueryNode {
    const first = this.peek()
    if (first.type === 'eof')
      throw new QueryParseError(first.start, 'a term or "("', null, 'the query is empty')
    const result = this.parseOr()
    const t = this.peek()
    if (t.type === 'rparen') {
      throw new QueryParseError(
        t.start,
        'AND, OR, NOT, NEAR/n or the end of the query',
        '")"',
        'there is no "(" for it to close',
      )
    }
    if (t.type !== 'eof') {
      throw new QueryParseError(
        t.start,
        'AND, OR, NOT or NEAR/n between terms',
        describeToken(t),
        this.adjacentHint(t),
      )
    }
    if (onlyExcludes(result.node)) {
      this.warn(
        'only-excludes',
        0,
        'the query only says what to leave out, so it matches almost every post; add words to look for',
      )
    }
    return result.node
  }

  /** Why two operands side by side are wrong, and how to write what was probably meant. */
  private adjacentHint(t: QueryToken): string {
    if (t.type === 'word' && OPERATOR_WORD.test(t.text))
      return `operators are written in capitals: ${t.text.toUpperCase()}`
    const prev = this.previous
    if (t.type === 'word' && prev?.type === 'word' && prev.end < t.start) {
      return `write "${prev.text} ${t.text}" for the phrase, or ${prev.text} AND ${t.text} for both words anywhere`
    }
    return 'join terms with AND, OR or NOT'
  }

  private parseOr(): Parsed {
    const parts = [this.parseAnd()]
    let firstOr: QueryToken | null = null
    while (this.peek().type === 'or') {
      const t = this.next()
      firstOr ??= t
      parts.push(this.parseAnd())
    }
    if (parts.length === 1) return parts[0]!
    const node = or(parts.map((p) => p.node))
    const mixed = parts.find((p) => p.op)
    if (mixed?.op) {
      this.warn(
        'mixed-operators',
        mixed.op.position,
        `${mixed.op.text} is applied before OR, so this reads as ${describeQuery(node)}; add brackets to be sure`,
      )
    }
    return { node, start: parts[0]!.start, op: { position: firstOr!.start, text: 'OR' } }
  }

  private parseAnd(): Parsed {
    const parts = [this.parseNear()]
    let firstOp: { position: number; text: string } | null = null
    for (;;) {
      const t = this.peek()
      if (t.type === 'and') {
        this.next()
      } else if (t.type !== 'not') {
        break
      }
      // `a NOT b` is `a AND NOT b`: the NOT is left for parseUnary.
      firstOp ??= { position: t.start, text: t.text }
      parts.push(this.parseNear())
    }
    if (parts.length === 1) return parts[0]!
    const node = allOf(parts.map((p) => p.node))
    const mixed = parts.find((p) => p.op)
    if (mixed?.op) {
      this.warn(
        'mixed-operators',
        mixed.op.position,
        `${mixed.op.text} is applied before AND, so this reads as ${describeQuery(node)}; add brackets to be sure`,
      )
    }
    return { node, start: parts[0]!.start, op: firstOp }
  }

  private parseNear(): Parsed {
    const first = this.parseUnary()
    let left = first
    let firstNear: QueryToken | null = null
    while (this.peek().type === 'near') {
      const t = this.next()
      if (t.type !== 'near') break
      firstNear ??= t
      checkNearOperand(left, t, 'before')
      const right = this.parseUnary()
      checkNearOperand(right, t, 'after')
      left = { node: near(left.node, right.node, t.distance, t.ordered), start: first.start, op: null }
    }
    return firstNear ? { ...left, op: { position: firstNear.start, text: firstNear.text } } : first
  }

  private parseUnary(): Parsed {
    const t = this.peek()
    if (t.type !== 'not') return this.parsePrimary()
    this.next()
    const operand = this.parseUnary()
    return { node: not(operand.node), start: t.start, op: null }
  }

  private parsePrimary(): Parsed {
    const before = this.previous
    const t = this.next()
    switch (t.type) {
      case 'lparen': {
        if (this.depth >= MAX_NESTING)
          throw new QueryParseError(t.start, `at most ${MAX_NESTING} levels of brackets`, '"("')
        this.depth++
        const inner = this.parseOr()
        const close = this.peek()
        if (close.type !== 'rparen') {
          if (close.type === 'eof') {
            throw new QueryParseError(
              close.start,
              'a closing ")"',
              null,
              `the "(" at position ${t.start} is not closed`,
            )
          }
          throw new QueryParseError(
            close.start,
            'AND, OR, NOT, NEAR/n or a closing ")"',
            describeToken(close),
            this.adjacentHint(close),
          )
        }
        this.next()
        this.depth--
        return { node: inner.node, start: t.start, op: null }
      }
      case 'phrase':
        return { node: this.phrase(t.value, t.start), start: t.start, op: null }
      case 'word':
        return { node: this.word(t.text, t.start), start: t.start, op: null }
      case 'field':
        return { node: this.field(t), start: t.start, op: null }
      default: {
        const isOperator = (x: QueryToken | null): boolean =>
          x?.type === 'and' || x?.type === 'or' || x?.type === 'near' || x?.type === 'not'
        const hint = isOperator(t)
          ? `${t.text} needs a term on each side`
          : t.type === 'eof' && before && isOperator(before)
            ? `${before.text} needs a term after it`
            : t.type === 'rparen'
              ? 'brackets need something inside'
              : null
        throw new QueryParseError(t.start, 'a term or "("', describeToken(t), hint)
      }
    }
  }

  /** Checks the wildcards of a term's or phrase's words; `offset` is where `tokens` were cut from. */
  private checkWildcards(tokens: readonly PatternToken[], offset: number): void {
    for (const tok of tokens) {
      if (/^[*?]/.test(tok.text)) {
        throw new QueryParseError(
          offset + tok.bodyStart,
          'a letter or digit before the wildcard',
          null,
          'a wildcard cannot start a word',
        )
      }
      const at = tok.text.search(/[*?]/)
      if (at >= 0 && at < SHORT_WILDCARD) {
        this.warn(
          'short-wildcard',
          offset + tok.bodyStart,
          `"${tok.text}" matches a great many words; use at least ${SHORT_WILDCARD} letters before a wildcard`,
        )
      }
    }
  }

  private phrase(raw: string, start: number): QueryNode {
    const tokens = tokenizePattern(raw)
    if (tokens.length === 0)
      throw new QueryParseError(start + 1, 'words inside the quotes', `the phrase "${raw}"`)
    this.checkWildcards(tokens, start + 1)
    return phrase(normaliseText(raw))
  }

  private word(w: string, start: number): QueryNode {
    if (w.startsWith('#')) {
      const body = w.slice(1)
      this.checkName(
        body,
        start + 1,
        /[^\p{L}\p{N}\p{M}_*?]/u,
        'a hashtag name after "#"',
        'letters, digits or _ in a hashtag',
      )
      return hashtag(normaliseWord(body))
    }
    if (w.startsWith('@')) {
      const body = w.slice(1)
      this.checkName(
        body,
        start + 1,
        /[^\p{L}\p{N}\p{M}_.\-@*?]/u,
        'a name after "@"',
        'letters, digits, _, ., - or @ in a mention',
      )
      const last = body.at(-1)!
      if (/[.\-@]/.test(last)) {
        throw new QueryParseError(
          start + w.length - 1,
          'a letter or digit at the end of the mention',
          `"${last}"`,
        )
      }
      return mention(normaliseWord(body))
    }
    if (/^-[\p{L}\p{N}]/u.test(w)) {
      throw new QueryParseError(
        start,
        'a term',
        `"${w}"`,
        `to leave out posts with a word, use NOT, e.g. council NOT ${w.slice(1)}`,
      )
    }
    const tokens = tokenizePattern(w)
    if (tokens.length === 0) throw new QueryParseError(start, 'a term with letters or digits', `"${w}"`)
    this.checkWildcards(tokens, start)
    return term(normaliseWord(w))
  }

  /** Checks a hashtag or mention name: not empty, no wildcard first, only allowed characters. */
  private checkName(
    body: string,
    offset: number,
    invalid: RegExp,
    expectedName: string,
    allowed: string,
  ): void {
    if (body === '' || /^[*?]/.test(body))
      throw new QueryParseError(offset, expectedName, body ? `"${body[0]}"` : null)
    const bad = invalid.exec(body)
    if (bad)
      throw new QueryParseError(
        offset + bad.index,
        allowed,
        `"${bad[0]}"`,
        'put it in quotes to search for the words',
      )
    this.checkWildcards([{ kind: 'any', text: normaliseWord(body), start: 0, bodyStart: 0 }], offset)
  }

  private field(t: QueryToken & { type: 'field' }): QueryNode {
    const v = this.peek()
    const attached = v.start === t.end
    if (!attached || (v.type !== 'word' && v.type !== 'phrase' && v.type !== 'lparen')) {
      const spaced = !attached && v.type !== 'eof'
      throw new QueryParseError(
        t.end,
        `a value right after "${t.text}"`,
        spaced ? null : describeToken(v),
        spaced ? 'no space after the colon' : null,
      )
    }
    this.next()
    if (v.type === 'word' || v.type === 'phrase') return field(t.field, [this.fieldValue(t, v)])
    const values: string[] = []
    for (;;) {
      const tok = this.next()
      if (tok.type !== 'word' && tok.type !== 'phrase') {
        throw new QueryParseError(tok.start, `a value for ${t.text}`, describeToken(tok))
      }
      values.push(this.fieldValue(t, tok))
      const sep = this.peek()
      if (sep.type === 'or') {
        this.next()
      } else if (sep.type === 'rparen') {
        this.next()
        return field(t.field, values)
      } else if (sep.type === 'eof') {
        throw new QueryParseError(
          sep.start,
          'a closing ")"',
          null,
          `the "(" at position ${v.start} is not closed`,
        )
      } else {
        throw new QueryParseError(
          sep.start,
          'OR or a closing ")"',
          describeToken(sep),
          'a list of field values takes OR only',
        )
      }
    }
  }

  private fieldValue(
    t: QueryToken & { type: 'field' },
    tok: QueryToken & { type: 'word' | 'phrase' },
  ): string {
    const raw = tok.type === 'phrase' ? tok.value : tok.text
    const offset = tok.type === 'phrase' ? tok.start + 1 : tok.start
    const value = normaliseFieldValue(t.field, normaliseText(raw))
    if (value === '') throw new QueryParseError(offset, `a value for ${t.text}`, `"${raw}"`)
    if (/^[*?]/.test(value)) {
      throw new QueryParseError(
        offset,
        'a letter or digit before the wildcard',
        null,
        'a wildcard cannot start a value',
      )
    }
    if (t.field === 'lang' && !/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(value)) {
      throw new QueryParseError(offset, 'a language code such as en, cy or pt-br', `"${raw}"`)
    }
    if (t.field === 'site' && !/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*$/u.test(value)) {
      throw new QueryParseError(
        offset,
        'a web site name such as bbc.co.uk',
        `"${raw}"`,
        'site: matches a host and its subdomains; paths and wildcards are not supported',
      )
    }
    return value
  }
}

function checkNearOperand(p: Parsed, t: QueryToken & { type: 'near' }, side: 'before' | 'after'): void {
  if (isPositional(p.node)) return
  const kind = p.node.kind
  const found =
    kind === 'not'
      ? 'NOT'
      : kind === 'field'
        ? `"${p.node.field}:"`
        : kind === 'and'
          ? 'an AND'
          : 'an OR with AND, NOT or a field in it'
  const hint =
    kind === 'not'
      ? `NOT cannot go inside ${t.text}; to leave out words near each other, write NOT (a ${t.text} b)`
      : kind === 'field'
        ? `fields cannot go inside ${t.text}; join them with AND, e.g. (a ${t.text} b) AND site:bbc.co.uk`
        : `${t.text} compares words, so AND and NOT cannot go inside it; write (a ${t.text} b) AND c`
  throw new QueryParseError(p.start, `a word, phrase, hashtag or mention ${side} ${t.text}`, found, hint)
}

function onlyExcludes(node: QueryNode): boolean {
  switch (node.kind) {
    case 'not':
      return true
    case 'and':
      return node.operands.every(onlyExcludes)
    case 'or':
      return node.operands.some(onlyExcludes)
    default:
      return false
  }
}

/** Parses a query, with warnings for things that are legal but probably not meant. Throws `QueryParseError`. */
export function parseQueryWithWarnings(text: string): ParsedQuery {
  const parser = new Parser(text)
  const ast = parser.parse()
  return Object.freeze({ ast, query: describeQuery(ast), warnings: Object.freeze([...parser.warnings]) })
}

/** Parses a query into its tree. Throws `QueryParseError`. */
export function parseQuery(text: string): QueryNode {
  return parseQueryWithWarnings(text).ast
}
