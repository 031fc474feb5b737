/**
 * The rules of an official post, as pure functions over plain data with the time passed in.
 *
 * Lifecycle (Hootsuite/Sprout approval queues; civil-service propriety guidance: nothing goes out
 * in the body's name without sign-off): draft → in_review (one workflow step at a time) →
 * scheduled → publishing → published | failed. A rejection returns the post to draft with a note;
 * any edit happens in draft, so an approval always covers exactly the text that is published.
 */
import { DomainError } from '../../../platform/errors/errors.js'
import { graphemeLength, SOCIAL_LIMITS, type SocialNetwork } from '../../../platform/social/index.js'
import { londonDay } from '../../../platform/time/london.js'

export const POST_STATES = ['draft', 'in_review', 'scheduled', 'publishing', 'published', 'failed'] as const
export type PostState = (typeof POST_STATES)[number]

export const NETWORKS = ['mastodon', 'bluesky'] as const satisfies readonly SocialNetwork[]
export const ACCOUNT_KINDS = ['official', 'personal'] as const
export type AccountKind = (typeof ACCOUNT_KINDS)[number]
export const ACCOUNT_LANGUAGES = ['bilingual', 'en', 'cy'] as const
export type AccountLanguage = (typeof ACCOUNT_LANGUAGES)[number]
export const STEP_MODES = ['any', 'all'] as const
export type StepMode = (typeof STEP_MODES)[number]

/** After this many failed attempts a post is shown as failed (with the last reason). */
export const MAX_ATTEMPTS = 4

export interface WorkflowStep {
  readonly name: string
  readonly mode: StepMode
  /** Everyone with this staff role may sign off… */
  readonly role: string | null
  /** …or these named staff. */
  readonly staffIds: readonly number[]
}

/** A step as frozen at submission: the people who can sign it off (the author taken out). */
export interface ReviewStep {
  readonly name: string
  readonly mode: StepMode
  readonly approverIds: readonly number[]
}

export interface Approval {
  readonly stepIndex: number
  readonly staffId: number
  readonly decision: 'approve' | 'reject'
}

/**
 * Freezes the workflow's steps for one submission. An author never approves their own post
 * (four-eyes principle), so they are left out; a step with nobody left cannot be completed and
 * the submission is refused with `publishing.no-approvers`.
 */
export function resolveSteps(
  steps: readonly WorkflowStep[],
  staff: readonly { id: number; roles: readonly string[]; disabled: boolean }[],
  authorId: number,
): ReviewStep[] {
  if (steps.length === 0) throw new DomainError('publishing.no-steps', 400)
  return steps.map((s) => {
    const ids = new Set<number>(s.staffIds)
    if (s.role) for (const p of staff) if (p.roles.includes(s.role)) ids.add(p.id)
    const active = new Set(staff.filter((p) => !p.disabled).map((p) => p.id))
    const approverIds = [...ids].filter((id) => id !== authorId && active.has(id)).sort((a, b) => a - b)
    if (approverIds.length === 0) throw new DomainError('publishing.no-approvers', 400, { step: s.name })
    return { name: s.name, mode: s.mode, approverIds }
  })
}

/** Whether a step is complete: one approval for `any`, every approver for `all`. */
export function stepComplete(step: ReviewStep, approvals: readonly Approval[], stepIndex: number): boolean {
  const approved = new Set(
    approvals.filter((a) => a.stepIndex === stepIndex && a.decision === 'approve').map((a) => a.staffId),
  )
  return step.mode === 'any'
    ? step.approverIds.some((id) => approved.has(id))
    : step.approverIds.every((id) => approved.has(id))
}

/** True when every step is signed off: the only way a post may be scheduled or published. */
export function workflowComplete(steps: readonly ReviewStep[], approvals: readonly Approval[]): boolean {
  return steps.length > 0 && steps.every((s, i) => stepComplete(s, approvals, i))
}

/** Who may decide now: an approver of the current step who has not decided it yet. */
export function canDecide(
  post: { state: string; stepIndex: number; createdBy: number },
  steps: readonly ReviewStep[],
  approvals: readonly Approval[],
  staffId: number,
): boolean {
  if (post.state !== 'in_review' || staffId === post.createdBy) return false
  const step = steps[post.stepIndex]
  if (!step?.approverIds.includes(staffId)) return false
  return !approvals.some((a) => a.stepIndex === post.stepIndex && a.staffId === staffId)
}

/** A guarded transition: the state a post moves to, or `publishing.bad-state` (409). */
export function transition(
  from: string,
  action: 'submit' | 'approve-final' | 'reject' | 'withdraw' | 'edit',
): PostState {
  const allowed: Record<typeof action, readonly string[]> = {
    submit: ['draft'],
    'approve-final': ['in_review'],
    reject: ['in_review'],
    withdraw: ['in_review', 'scheduled', 'failed'],
    edit: ['draft'],
  }
  if (!allowed[action].includes(from)) throw new DomainError('publishing.bad-state', 409, { from, action })
  return action === 'submit'
    ? 'in_review'
    : action === 'approve-final'
      ? 'scheduled'
      : action === 'edit'
        ? 'draft'
        : 'draft'
}

/**
 * The languages an account publishes in. Welsh Language Standards: Welsh is not treated less
 * favourably, so a bilingual account posts the Welsh version first.
 */
export function languagesOf(language: AccountLanguage): ('en' | 'cy')[] {
  return language === 'bilingual' ? ['cy', 'en'] : [language]
}

/** The text one account publishes in one language: its variant when there is one, else the post's. */
export function textFor(
  post: { textEn: string; textCy: string },
  target: { language: string; text: string | null },
): string {
  if (target.text?.trim()) return target.text
  return target.language === 'cy' ? post.textCy : post.textEn
}

/** Length as the network counts it, and its limit (Mastodon 500 characters, Bluesky 300 graphemes). */
export function lengthOf(
  network: SocialNetwork,
  text: string,
): { length: number; limit: number; over: boolean } {
  const limit = SOCIAL_LIMITS[network].maxLength
  const length = graphemeLength(text)
  return { length, limit, over: length > limit }
}

export interface CalendarPost {
  readonly id: number
  readonly title: string
  readonly topic: string
  readonly team: string
  readonly plannedAt: string
  readonly state: string
}

export interface Clash {
  readonly day: string
  readonly topic: string
  readonly teams: readonly string[]
  readonly postIds: readonly number[]
}

export function normaliseTopic(topic: string): string {
  return topic.trim().toLowerCase().replace(/\s+/g, ' ')
}

/**
 * Clash warnings for a shared calendar: two or more different teams posting on the same topic on
 * the same day compete for attention and may contradict each other (Sprout's shared calendar).
 */
export function findClashes(posts: readonly CalendarPost[]): Clash[] {
  const groups = new Map<string, CalendarPost[]>()
  for (const p of posts) {
    if (p.state === 'failed') continue
    const key = `${londonDay(p.plannedAt)}|${normaliseTopic(p.topic)}`
    groups.set(key, [...(groups.get(key) ?? []), p])
  }
  const clashes: Clash[] = []
  for (const [key, list] of groups) {
    const teams = [...new Set(list.map((p) => p.team.trim()))].sort()
    if (teams.length < 2) continue
    const [day, _topic] = key.split('|') as [string, string]
    clashes.push({ day, topic: list[0]!.topic, teams, postIds: list.map((p) => p.id).sort((a, b) => a - b) })
  }
  return clashes.sort((a, b) => a.day.localeCompare(b.day) || a.topic.localeCompare(b.topic))
}

/** Wait before the next attempt: 1, 2, 4… minutes, or longer when the server asked. */
export function retryDelayMs(attempt: number, serverMs: number | null): number {
  return Math.max(60_000 * 2 ** Math.max(0, attempt - 1), serverMs ?? 0)
}

/** The Mastodon Idempotency-Key for one account's copy of one approved version of a post. */
export function idempotencyKey(postId: number, targetId: number, round: number, language: string): string {
  return `townsquare-post-${postId}-target-${targetId}-round-${round}-${language}`
}

/** Text split into plain and highlighted parts around findings (overlaps merged), for `<mark>` in templates. */
export function highlightParts(
  text: string,
  spans: readonly { start: number; end: number }[],
): { text: string; mark: boolean }[] {
  const merged: { start: number; end: number }[] = []
  for (const s of [...spans].filter((x) => x.end > x.start).sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1)
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end)
    else merged.push({ start: s.start, end: s.end })
  }
  const out: { text: string; mark: boolean }[] = []
  let at = 0
  for (const s of merged) {
    if (s.start > at) out.push({ text: text.slice(at, s.start), mark: false })
    out.push({ text: text.slice(s.start, s.end), mark: true })
    at = s.end
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false })
  return out
}

/** Image formats both networks accept. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const
/** Bluesky's image blob limit (app.bsky.embed.images: maxSize 1,000,000 bytes); Mastodon allows more. */
export const MAX_IMAGE_BYTES = 1_000_000
/** Both networks take at most four images a post. */
export const MAX_IMAGES = 4
/** Mastodon's limit for a media description. */
export const MAX_ALT_LENGTH = 1500

export interface ImageProblem {
  readonly field: 'image' | 'altEn' | 'altCy'
  readonly code: string
}

/**
 * An image must be a format both networks take, small enough for Bluesky, and described in both
 * languages: alt text is what screen-reader users get (WCAG 2.2 1.1.1; GOV.UK social media
 * accessibility guidance), so it is required, never optional.
 */
export function imageProblems(
  image: { mimeType: string; size: number } | null,
  altEn: string,
  altCy: string,
  existing: number,
): ImageProblem[] {
  const problems: ImageProblem[] = []
  if (!image || image.size === 0) problems.push({ field: 'image', code: 'missing' })
  else if (!(IMAGE_TYPES as readonly string[]).includes(image.mimeType))
    problems.push({ field: 'image', code: 'type' })
  else if (image.size > MAX_IMAGE_BYTES) problems.push({ field: 'image', code: 'tooBig' })
  else if (existing >= MAX_IMAGES) problems.push({ field: 'image', code: 'tooMany' })
  if (altEn.trim() === '') problems.push({ field: 'altEn', code: 'missing' })
  else if (altEn.length > MAX_ALT_LENGTH) problems.push({ field: 'altEn', code: 'tooLong' })
  if (altCy.trim() === '') problems.push({ field: 'altCy', code: 'missing' })
  else if (altCy.length > MAX_ALT_LENGTH) problems.push({ field: 'altCy', code: 'tooLong' })
  return problems
}

/** The real type of an image from its first bytes: the browser's declared type is not trusted. */
export function sniffImageType(data: Uint8Array): string | null {
  const b = data
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'image/gif'
  if (
    b.length >= 12 &&
    b[0] === 0x52 &&
    b[1] === 0x49 &&
    b[2] === 0x46 &&
    b[3] === 0x46 &&
    b[8] === 0x57 &&
    b[9] === 0x45 &&
    b[10] === 0x42 &&
    b[11] === 0x50
  )
    return 'image/webp'
  return null
}
