import type { AssuranceLevel } from '../../../platform/auth/actor.js'
import { meetsAssurance } from '../../../platform/auth/actor.js'
import type { Locale } from '../../../platform/i18n/i18n.js'
import type { Moderation, VoteValue } from './math/types.js'

/**
 * Conversations, statements and who may take part: pure rules over plain records, the time
 * passed in. Pol.is's conversation settings (compdemocracy/polis 000000_initial.sql
 * `conversations`): auth_needed_to_vote, auth_needed_to_write, strict_moderation, vis_type,
 * is_data_open; the 140-character limit of its participation client.
 */

/** Who can vote: anyone (an anonymous participant cookie) or only people who verified an email address. */
export const VOTE_ASSURANCES = ['none', 'email-verified'] as const
export type VoteAssurance = (typeof VOTE_ASSURANCES)[number]

/** Who can add statements: anyone taking part, only email-verified participants, or staff only (seed statements). */
export const STATEMENT_POLICIES = ['anyone', 'email-verified', 'staff'] as const
export type StatementPolicy = (typeof STATEMENT_POLICIES)[number]

export const CONVERSATION_STATUSES = ['upcoming', 'open', 'closed'] as const
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]

/** Pol.is's participation client keeps statements to 140 characters ("we can import tweets"). */
export const DEFAULT_MAX_LENGTH = 140
export const MIN_MAX_LENGTH = 20
export const MAX_MAX_LENGTH = 1000
export const TITLE_MAX = 200
export const DESCRIPTION_MAX = 5000

export interface ConversationSettings {
  readonly voteAssurance: VoteAssurance
  readonly statementPolicy: StatementPolicy
  /** Participants' statements are shown only once a moderator accepts them. */
  readonly strictModeration: boolean
  /** Participants see the opinion map and where they sit on it. */
  readonly showMap: boolean
  /** The report, its CSV and JSON, and the Pol.is export are public. */
  readonly openData: boolean
  readonly maxLength: number
}

export const DEFAULT_SETTINGS: ConversationSettings = {
  voteAssurance: 'none',
  statementPolicy: 'anyone',
  strictModeration: false,
  showMap: true,
  openData: true,
  maxLength: DEFAULT_MAX_LENGTH,
}

export interface ConversationRecord extends ConversationSettings {
  readonly id: number
  readonly titleEn: string
  readonly titleCy: string | null
  readonly descriptionEn: string
  readonly descriptionCy: string | null
  readonly opensAt: string
  readonly closesAt: string | null
  readonly source: string | null
  readonly sourceUrl: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

export interface StatementRecord {
  readonly id: number
  readonly conversationId: number
  /** Per conversation, from 0: the Pol.is comment-id. */
  readonly number: number
  readonly textEn: string | null
  readonly textCy: string | null
  readonly authorParticipantId: number | null
  readonly seed: boolean
  readonly meta: boolean
  readonly moderation: Moderation
  readonly createdAt: string
  readonly moderatedAt: string | null
}

export interface ParticipantRecord {
  readonly id: number
  readonly conversationId: number
  /** Per conversation, from 0: the Pol.is participant id. */
  readonly number: number
  readonly citizenId: number | null
  readonly assurance: AssuranceLevel
  readonly createdAt: string
  readonly bannedAt: string | null
  readonly banReason: string | null
}

export function conversationStatus(
  c: Pick<ConversationRecord, 'opensAt' | 'closesAt'>,
  now: Date,
): ConversationStatus {
  const t = now.toISOString()
  if (t < c.opensAt) return 'upcoming'
  if (c.closesAt !== null && t >= c.closesAt) return 'closed'
  return 'open'
}

/** A text in the page's language when there is one, else the other, with the language it is in (for `lang`). */
export interface LocalText {
  readonly text: string
  readonly lang: Locale
}

export function pickLanguage(en: string | null, cy: string | null, locale: Locale): LocalText {
  const wanted = locale === 'cy' ? cy : en
  if (wanted !== null && wanted.trim() !== '') return { text: wanted, lang: locale }
  if (locale === 'cy') return { text: en ?? '', lang: 'en' }
  return { text: cy ?? '', lang: 'cy' }
}

export function conversationTitle(
  c: Pick<ConversationRecord, 'titleEn' | 'titleCy'>,
  locale: Locale,
): LocalText {
  return pickLanguage(c.titleEn, c.titleCy, locale)
}

export function statementText(s: Pick<StatementRecord, 'textEn' | 'textCy'>, locale: Locale): LocalText {
  return pickLanguage(s.textEn, s.textCy, locale)
}

/** Whether participants are shown the statement: accepted, or not yet moderated without strict moderation. */
export function isVisible(s: Pick<StatementRecord, 'moderation'>, strictModeration: boolean): boolean {
  return s.moderation === 1 || (s.moderation === 0 && !strictModeration)
}

// ── Votes ───────────────────────────────────────────────────────────────────────────────

export const VOTE_CHOICES = ['agree', 'disagree', 'pass'] as const
export type VoteChoice = (typeof VOTE_CHOICES)[number]

/** The export's coding: 1 agree, −1 disagree, 0 pass. */
export function voteValue(choice: string): VoteValue | null {
  if (choice === 'agree') return 1
  if (choice === 'disagree') return -1
  if (choice === 'pass') return 0
  return null
}

export function voteChoice(value: number): VoteChoice {
  return value === 1 ? 'agree' : value === -1 ? 'disagree' : 'pass'
}

// ── Who may take part ───────────────────────────────────────────────────────────────────

/** Why someone may not vote or write. */
export type RefusalReason = 'upcoming' | 'closed' | 'needs-verification' | 'banned' | 'staff-only'

export interface TakingPart {
  /** The assurance level of whoever is acting: 'none' for an anonymous participant. */
  readonly assurance: AssuranceLevel
  readonly banned: boolean
}

export function voteRefusal(
  c: Pick<ConversationRecord, 'opensAt' | 'closesAt' | 'voteAssurance'>,
  who: TakingPart,
  now: Date,
): RefusalReason | null {
  const status = conversationStatus(c, now)
  if (status !== 'open') return status
  if (who.banned) return 'banned'
  if (!meetsAssurance(who.assurance, c.voteAssurance)) return 'needs-verification'
  return null
}

export function statementRefusal(
  c: Pick<ConversationRecord, 'opensAt' | 'closesAt' | 'voteAssurance' | 'statementPolicy'>,
  who: TakingPart,
  now: Date,
): RefusalReason | null {
  const refusal = voteRefusal(c, who, now)
  if (refusal) return refusal
  if (c.statementPolicy === 'staff') return 'staff-only'
  if (c.statementPolicy === 'email-verified' && !meetsAssurance(who.assurance, 'email-verified'))
    return 'needs-verification'
  return null
}

// ── Validation ──────────────────────────────────────────────────────────────────────────

export interface Problem {
  readonly field: string
  readonly code: string
  readonly vars?: Readonly<Record<string, string | number>>
}

/** Trims and collapses whitespace: statements are one line. */
export function cleanStatement(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

export function statementProblem(text: string, maxLength: number): Problem | null {
  const clean = cleanStatement(text)
  if (clean === '') return { field: 'statement', code: 'required' }
  if ([...clean].length > maxLength) return { field: 'statement', code: 'too-long', vars: { max: maxLength } }
  return null
}

export interface ConversationInput extends ConversationSettings {
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
  readonly opensAt: string | null
  readonly closesAt: string | null
  /** Seed statements in English and Welsh, paired by position. */
  readonly seedsEn: readonly string[]
  readonly seedsCy: readonly string[]
}

/**
 * Checks a conversation form. `welsh` (the organisation works in Welsh) makes the Welsh title
 * and a Welsh version of every seed statement required: Welsh is not treated less favourably.
 */
export function validateConversation(input: ConversationInput, options: { welsh: boolean }): Problem[] {
  const problems: Problem[] = []
  if (input.titleEn.trim() === '') problems.push({ field: 'titleEn', code: 'required' })
  else if (input.titleEn.length > TITLE_MAX)
    problems.push({ field: 'titleEn', code: 'too-long', vars: { max: TITLE_MAX } })
  if (options.welsh && input.titleCy.trim() === '') problems.push({ field: 'titleCy', code: 'required' })
  else if (input.titleCy.length > TITLE_MAX)
    problems.push({ field: 'titleCy', code: 'too-long', vars: { max: TITLE_MAX } })
  if (input.descriptionEn.length > DESCRIPTION_MAX)
    problems.push({ field: 'descriptionEn', code: 'too-long', vars: { max: DESCRIPTION_MAX } })
  if (input.descriptionCy.length > DESCRIPTION_MAX)
    problems.push({ field: 'descriptionCy', code: 'too-long', vars: { max: DESCRIPTION_MAX } })
  if (input.opensAt === null) problems.push({ field: 'opensAt', code: 'invalid' })
  if (input.closesAt === 'invalid') problems.push({ field: 'closesAt', code: 'invalid' })
  else if (input.opensAt !== null && input.closesAt !== null && input.closesAt <= input.opensAt)
    problems.push({ field: 'closesAt', code: 'before-opening' })
  const lengthOk =
    Number.isInteger(input.maxLength) &&
    input.maxLength >= MIN_MAX_LENGTH &&
    input.maxLength <= MAX_MAX_LENGTH
  if (!lengthOk)
    problems.push({ field: 'maxLength', code: 'range', vars: { min: MIN_MAX_LENGTH, max: MAX_MAX_LENGTH } })
  const max = lengthOk ? input.maxLength : DEFAULT_MAX_LENGTH
  const tooLong = (lines: readonly string[]) => lines.findIndex((l) => [...l].length > max)
  const longEn = tooLong(input.seedsEn)
  if (longEn >= 0) problems.push({ field: 'seedsEn', code: 'too-long', vars: { line: longEn + 1, max } })
  const longCy = tooLong(input.seedsCy)
  if (longCy >= 0) problems.push({ field: 'seedsCy', code: 'too-long', vars: { line: longCy + 1, max } })
  if (input.seedsCy.length > input.seedsEn.length)
    problems.push({ field: 'seedsCy', code: 'more-than-english' })
  else if (options.welsh && input.seedsCy.length < input.seedsEn.length)
    problems.push({ field: 'seedsCy', code: 'missing', vars: { line: input.seedsCy.length + 1 } })
  return problems
}

/** Lines of a textarea: one statement per line, blank lines dropped. */
export function seedLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(cleanStatement)
    .filter((l) => l !== '')
}

export function isVoteAssurance(value: unknown): value is VoteAssurance {
  return typeof value === 'string' && (VOTE_ASSURANCES as readonly string[]).includes(value)
}

export function isStatementPolicy(value: unknown): value is StatementPolicy {
  return typeof value === 'string' && (STATEMENT_POLICIES as readonly string[]).includes(value)
}
