/** The shapes of the social media policy: rules a body edits, and the findings they give. */

export type Severity = 'block' | 'warn'
export const SEVERITIES = ['block', 'warn'] as const satisfies readonly Severity[]

export type Channel = 'mastodon' | 'bluesky' | 'email' | 'web'
export const CHANNELS = ['mastodon', 'bluesky', 'email', 'web'] as const satisfies readonly Channel[]

export type PolicyLocale = 'en' | 'cy'

/** A pre-election period, dates YYYY-MM-DD, both inclusive (read in Europe/London). */
export interface ElectionPeriod {
  readonly id: number
  readonly name: string
  readonly startsOn: string
  readonly pollsOn: string
}

export interface PolicyInput {
  readonly text: string
  readonly channel?: Channel
  /** When the text will be published (or sent): decides whether a pre-election period applies. */
  readonly date: Date
  readonly images?: readonly { readonly altText: string | null }[]
  /** The text's language; when absent, the checker guesses it with the text engine. */
  readonly language?: 'en' | 'cy'
  readonly elections?: readonly ElectionPeriod[]
}

/**
 * One problem at one place. `start`/`end` are JavaScript string indices (UTF-16 code units) into
 * the text, `end` exclusive, so `text.slice(start, end)` is the span; rules about the whole post
 * that have no place in the text (an image without alt text) use 0..0.
 */
export interface Finding {
  readonly code: string
  readonly severity: Severity
  readonly start: number
  readonly end: number
  readonly message: string
}

/**
 * What a rule looks for.
 * - `terms`: whole-word term lists and regular expressions (the four Ps, link text, custom rules);
 * - `personal-data`: one built-in detector (email, UK phone, NINO, address with postcode);
 * - `pre-election`: during a period of the elections calendar, the matches of `appliesTo` rules
 *   are reported under this rule's code and severity instead;
 * - `alt-text`, `hashtag-case`, `reading-ease`, `emoji-bullets`: accessibility checks;
 * - `length`, `links`: per-channel limits.
 */
export type RuleKind =
  | 'terms'
  | 'personal-data'
  | 'pre-election'
  | 'alt-text'
  | 'hashtag-case'
  | 'reading-ease'
  | 'emoji-bullets'
  | 'length'
  | 'links'
export const RULE_KINDS = [
  'terms',
  'personal-data',
  'pre-election',
  'alt-text',
  'hashtag-case',
  'reading-ease',
  'emoji-bullets',
  'length',
  'links',
] as const satisfies readonly RuleKind[]

export type PersonalDataDetector = 'email' | 'phone' | 'nino' | 'address'
export const PERSONAL_DATA_DETECTORS = [
  'email',
  'phone',
  'nino',
  'address',
] as const satisfies readonly PersonalDataDetector[]

/**
 * One rule. Messages are templates filled at check time: `{{match}}` (the text found),
 * `{{suggestion}}`, `{{limit}}`, `{{count}}`, `{{score}}`, `{{threshold}}`, `{{period}}`,
 * `{{image}}`, `{{channel}}`.
 */
export interface PolicyRule {
  /** Stable, e.g. `political`, `personal-data.email`, `custom.road-names`. */
  readonly code: string
  readonly kind: RuleKind
  readonly severity: Severity
  readonly enabled: boolean
  readonly message: { readonly en: string; readonly cy: string }
  /** Shipped with Townsquare: can be switched off and edited, not deleted. */
  readonly builtin?: boolean
  /**
   * `terms`: matched as whole words, case-insensitively, Unicode-aware; spaces match any run of
   * white space and ' matches ’. A term starting with `=` matches its capitals exactly
   * (`=Labour` does not match "labour market").
   */
  readonly terms?: readonly string[]
  /** `terms`: regular expressions, case-insensitive and Unicode; `\b` is a Unicode word boundary. */
  readonly patterns?: readonly string[]
  /** `personal-data`: which detector. */
  readonly detector?: PersonalDataDetector
  /** `personal-data`: exceptions, e.g. the body's own `@cardiff.gov.uk` or its office postcode. */
  readonly allow?: readonly string[]
  /** `length` (characters) and `links` (count): the most a channel takes; absent = no limit. */
  readonly limits?: Partial<Readonly<Record<Channel, number>>>
  /** `reading-ease`: lowest Flesch score; `hashtag-case`: fewest letters; `emoji-bullets`: fewest lines. */
  readonly threshold?: number
  /** `reading-ease`: texts with fewer words are not scored (the formula is noise on a few words). */
  readonly minWords?: number
  /** `pre-election`: the codes of the rules whose matches become pre-election findings. */
  readonly appliesTo?: readonly string[]
}

export interface Policy {
  readonly rules: readonly PolicyRule[]
}

/** A problem with a policy an admin wants to save: which rule, which field, what is wrong. */
export interface PolicyProblem {
  readonly rule: string
  readonly field: string
  readonly problem: string
  /** The offending value, when there is one (a pattern that does not compile). */
  readonly value?: string
}
