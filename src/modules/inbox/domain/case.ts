/** Cases and messages: named state sets, channels and the case reference token. */
import { DomainError } from '../../../platform/errors/errors.js'

export const CHANNELS = [
  'email',
  'mastodon',
  'bluesky',
  'contact',
  'petitions',
  'consultations',
  'listening',
  'other',
] as const
export type Channel = (typeof CHANNELS)[number]
export function isChannel(v: unknown): v is Channel {
  return typeof v === 'string' && (CHANNELS as readonly string[]).includes(v)
}
/** Channels a reply goes back through by email (the citizen gave an address). */
export const EMAIL_REPLY_CHANNELS: readonly Channel[] = ['email', 'contact', 'petitions', 'consultations']

export const CASE_STATES = ['open', 'pending', 'closed'] as const
export type CaseState = (typeof CASE_STATES)[number]
export function isCaseState(v: unknown): v is CaseState {
  return typeof v === 'string' && (CASE_STATES as readonly string[]).includes(v)
}

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]
export function isPriority(v: unknown): v is Priority {
  return typeof v === 'string' && (PRIORITIES as readonly string[]).includes(v)
}
export function higherPriority(a: Priority, b: Priority): Priority {
  return PRIORITIES.indexOf(a) >= PRIORITIES.indexOf(b) ? a : b
}

export const DIRECTIONS = ['inbound', 'outbound', 'note'] as const
export type Direction = (typeof DIRECTIONS)[number]

/** Outbound message states: Sprout reply approvals — submitted replies wait, then go or are rejected. */
export const OUTBOUND_STATES = ['awaiting-approval', 'queued', 'sent', 'failed', 'rejected'] as const
export type OutboundState = (typeof OUTBOUND_STATES)[number]

/** Allowed status changes; closing twice or reopening an open case is refused. */
const TRANSITIONS: Readonly<Record<CaseState, readonly CaseState[]>> = {
  open: ['pending', 'closed'],
  pending: ['open', 'closed'],
  closed: ['open'],
}
export function assertTransition(from: CaseState, to: CaseState): void {
  if (!TRANSITIONS[from].includes(to)) throw new DomainError('inbox-bad-transition', 409, { from, to })
}

/** Approval is needed when the policy checker found anything, or the case's topic is sensitive. */
export function needsApproval(findings: readonly unknown[], sensitive: boolean): boolean {
  return sensitive || findings.length > 0
}

/** `TS-123`: the case reference shown to citizens and put in email subjects. */
export function caseReference(id: number): string {
  return `TS-${id}`
}

/** The case id of a `[TS-123]` token in an email subject, if any. */
export function referenceInSubject(subject: string): number | null {
  const m = /\[TS-(\d{1,12})\]/i.exec(subject)
  return m ? Number(m[1]) : null
}

/** `petitions:123` context links: the channel a contact form message belongs to. */
export function channelOfContext(about: string): Channel {
  const kind = about.split(':')[0] ?? ''
  return kind === 'petitions' || kind === 'consultations' ? kind : 'contact'
}

/**
 * The text actually posted. Mastodon notifies only the accounts a status mentions, so a reply
 * starts with the citizen's @handle (as Mastodon's own reply box does) unless it is already
 * there; Bluesky notifies the parent's author without one.
 */
export function postedReplyText(channel: Channel, citizenHandle: string | null, text: string): string {
  if (channel !== 'mastodon' || !citizenHandle) return text
  const mention = `@${citizenHandle.replace(/^@/, '')}`
  return text.toLowerCase().includes(mention.toLowerCase()) ? text : `${mention} ${text}`
}
