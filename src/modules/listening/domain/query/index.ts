/**
 * The listening query language: Brandwatch-style boolean queries (AND, OR, NOT, brackets,
 * "phrases", wildcards, NEAR/n, #hashtags, @mentions and fields), parsed to a typed tree and
 * evaluated over posts in memory. The language is described for staff in ../../README.md.
 *
 * ```ts
 * const { ast, query, warnings } = parseQueryWithWarnings('(council OR councillor*) AND "bin day" NOT site:example.com')
 * const matches = compileQuery(ast)
 * matches(post)              // boolean
 * matchPost(matches, post)   // { matched, terms, highlights }
 * ```
 */
export type {
  AndNode,
  FieldNode,
  HashtagNode,
  MentionNode,
  NearNode,
  NotNode,
  OrNode,
  PhraseNode,
  QueryField,
  QueryNode,
  TermNode,
  TextLeaf,
} from './ast.js'
export { FIELD_NAMES, isPositional, QUERY_FIELDS } from './ast.js'
export { describeQuery, formatQueryTree } from './describe.js'
export { type FormatQueryErrorOptions, formatQueryError, QueryParseError } from './errors.js'
export { MAX_NEAR_DISTANCE, MAX_QUERY_LENGTH, type QueryToken, tokenizeQuery } from './lexer.js'
export {
  type CompiledQuery,
  compileQuery,
  type Highlight,
  hostOf,
  type MatchablePost,
  type MatchPreview,
  type MatchResult,
  matchPost,
  matchPrepared,
  type PreparedPost,
  preparePost,
  previewMatches,
  testPrepared,
} from './matcher.js'
export {
  MAX_NESTING,
  type ParsedQuery,
  parseQuery,
  parseQueryWithWarnings,
  type QueryWarning,
  type QueryWarningCode,
} from './parser.js'
