/**
 * The typed syntax tree of a listening query. Every node is a frozen plain object with a `kind`
 * discriminant, so trees compare with `deepStrictEqual`, serialise with `JSON.stringify` and can be
 * handed to a later compiler (SQL, search index) without classes.
 *
 * Values are stored normalised: lower case, Unicode NFC, runs of white space collapsed. Matching is
 * case-insensitive, so the normalised tree is the canonical meaning of the query.
 */

/** The fields a query can filter on. `language:` is accepted as another name for `lang:`. */
export type QueryField = 'author' | 'lang' | 'place' | 'site' | 'source'

export const QUERY_FIELDS: readonly QueryField[] = Object.freeze([
  'author',
  'lang',
  'place',
  'site',
  'source',
])

/** Field names as written in a query (lower-cased) → the field. */
export const FIELD_NAMES: Readonly<Record<string, QueryField>> = Object.freeze({
  author: 'author',
  lang: 'lang',
  language: 'lang',
  place: 'place',
  site: 'site',
  source: 'source',
})

/** A bare word, e.g. `council` or `council*`. May contain `-`, `'` or `.`, which split it into consecutive words. */
export interface TermNode {
  readonly kind: 'term'
  readonly value: string
  /** True when the value holds `*` (any letters) or `?` (one letter). */
  readonly wildcard: boolean
}

/** An exact phrase in quotes: consecutive words in this order. */
export interface PhraseNode {
  readonly kind: 'phrase'
  readonly value: string
  readonly wildcard: boolean
}

/** `#binday`: the value is stored without the `#`. */
export interface HashtagNode {
  readonly kind: 'hashtag'
  readonly value: string
  readonly wildcard: boolean
}

/** `@leedscc` or `@leedscc@mastodon.social`: the value is stored without the leading `@`. */
export interface MentionNode {
  readonly kind: 'mention'
  readonly value: string
  readonly wildcard: boolean
}

/** `site:bbc.co.uk` or `site:(bbc.co.uk OR itv.com)`: matches when any of the values matches. */
export interface FieldNode {
  readonly kind: 'field'
  readonly field: QueryField
  readonly values: readonly string[]
}

export interface NotNode {
  readonly kind: 'not'
  readonly operand: QueryNode
}

/** Two or more operands; nested ANDs are flattened. */
export interface AndNode {
  readonly kind: 'and'
  readonly operands: readonly QueryNode[]
}

/** Two or more operands; nested ORs are flattened. */
export interface OrNode {
  readonly kind: 'or'
  readonly operands: readonly QueryNode[]
}

/**
 * `left NEAR/n right`: both sides within n words of each other (n words or fewer in between),
 * in either order; `NEAR/nf` (`ordered`) requires left before right.
 */
export interface NearNode {
  readonly kind: 'near'
  readonly left: QueryNode
  readonly right: QueryNode
  readonly distance: number
  readonly ordered: boolean
}

export type QueryNode =
  | TermNode
  | PhraseNode
  | HashtagNode
  | MentionNode
  | FieldNode
  | NotNode
  | AndNode
  | OrNode
  | NearNode

/** The nodes that stand for words in the text (as opposed to fields and operators). */
export type TextLeaf = TermNode | PhraseNode | HashtagNode | MentionNode

export const hasWildcard = (value: string): boolean => /[*?]/.test(value)

export function term(value: string): TermNode {
  return Object.freeze({ kind: 'term', value, wildcard: hasWildcard(value) })
}

export function phrase(value: string): PhraseNode {
  return Object.freeze({ kind: 'phrase', value, wildcard: hasWildcard(value) })
}

export function hashtag(value: string): HashtagNode {
  return Object.freeze({ kind: 'hashtag', value, wildcard: hasWildcard(value) })
}

export function mention(value: string): MentionNode {
  return Object.freeze({ kind: 'mention', value, wildcard: hasWildcard(value) })
}

export function field(name: QueryField, values: readonly string[]): FieldNode {
  if (values.length === 0) throw new RangeError('a field needs at least one value')
  return Object.freeze({ kind: 'field', field: name, values: Object.freeze([...values]) })
}

export function not(operand: QueryNode): NotNode {
  return Object.freeze({ kind: 'not', operand })
}

/** AND of the operands, flattening nested ANDs; one operand is returned as is. */
export function and(operands: readonly QueryNode[]): QueryNode {
  const flat = operands.flatMap((o) => (o.kind === 'and' ? o.operands : [o]))
  if (flat.length === 0) throw new RangeError('AND needs at least one operand')
  if (flat.length === 1) return flat[0]!
  return Object.freeze({ kind: 'and', operands: Object.freeze(flat) })
}

/** OR of the operands, flattening nested ORs; one operand is returned as is. */
export function or(operands: readonly QueryNode[]): QueryNode {
  const flat = operands.flatMap((o) => (o.kind === 'or' ? o.operands : [o]))
  if (flat.length === 0) throw new RangeError('OR needs at least one operand')
  if (flat.length === 1) return flat[0]!
  return Object.freeze({ kind: 'or', operands: Object.freeze(flat) })
}

export function near(left: QueryNode, right: QueryNode, distance: number, ordered = false): NearNode {
  if (!Number.isInteger(distance) || distance < 0)
    throw new RangeError('NEAR distance must be a whole number ≥ 0')
  return Object.freeze({ kind: 'near', left, right, distance, ordered })
}

/**
 * Whether a node stands for words at positions in the text, so it can be an operand of NEAR:
 * terms, phrases, hashtags, mentions, and ORs and NEARs of those.
 */
export function isPositional(node: QueryNode): boolean {
  switch (node.kind) {
    case 'term':
    case 'phrase':
    case 'hashtag':
    case 'mention':
      return true
    case 'near':
      return isPositional(node.left) && isPositional(node.right)
    case 'or':
      return node.operands.every(isPositional)
    default:
      return false
  }
}
