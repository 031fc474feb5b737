import type { Locale } from '../../../platform/i18n/i18n.js'
import {
  type ConversationRecord,
  type ConversationStatus,
  conversationStatus,
  conversationTitle,
  pickLanguage,
  type StatementRecord,
  statementText,
} from './conversation.js'
import type { Snapshot } from './snapshot.js'

/**
 * The report of a conversation (the JSON of `GET /api/v1/conversations/:id/report`, the page
 * and the CSV): opinion groups with sizes and representative statements, consensus, bridging
 * (group-informed consensus) and divisive statements, the map's points and participation over
 * time. Built from the last stored snapshot and the statements as they are now, so a statement a
 * moderator rejects leaves the report at once, before the math runs again.
 */

export const GROUP_LABELS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const

export function groupLabel(id: number): string {
  return GROUP_LABELS[id] ?? String(id + 1)
}

export type ModerationLabel = 'accepted' | 'pending' | 'rejected'

export function moderationLabel(moderation: number): ModerationLabel {
  return moderation === 1 ? 'accepted' : moderation === -1 ? 'rejected' : 'pending'
}

export interface ReportStatementRef {
  readonly statementId: number
  readonly text: string
  readonly lang: Locale
}

export interface Report {
  readonly conversation: {
    readonly id: number
    readonly title: string
    readonly description: string
    readonly lang: Locale
    readonly status: ConversationStatus
    readonly opensAt: string
    readonly closesAt: string | null
    readonly openData: boolean
  }
  /** When the math last ran; null before anyone voted. */
  readonly computedAt: string | null
  readonly totals: {
    readonly participants: number
    readonly inAnalysis: number
    readonly votes: number
    readonly statements: number
    readonly statementsRejected: number
    readonly groups: number
  }
  readonly groups: ReadonlyArray<{
    readonly id: number
    readonly label: string
    readonly size: number
    readonly center: { readonly x: number; readonly y: number }
    readonly representative: ReadonlyArray<
      ReportStatementRef & {
        readonly repfulFor: 'agree' | 'disagree'
        /** Share of the group's voters on it who agreed (or disagreed). */
        readonly share: number
        readonly voters: number
        /** How many times more likely than the other groups. */
        readonly repness: number
      }
    >
  }>
  readonly consensus: {
    readonly agree: ReadonlyArray<ReportStatementRef & { readonly share: number; readonly voters: number }>
    readonly disagree: ReadonlyArray<ReportStatementRef & { readonly share: number; readonly voters: number }>
  }
  /** Agreed across every group (Pol.is group-informed consensus), best first. */
  readonly bridging: ReadonlyArray<
    ReportStatementRef & {
      readonly value: number
      readonly groups: ReadonlyArray<{
        readonly group: number
        readonly agreeShare: number
        readonly voters: number
      }>
    }
  >
  readonly divisive: ReadonlyArray<
    ReportStatementRef & {
      readonly agreeingGroup: number
      readonly disagreeingGroup: number
      readonly divisiveness: number
    }
  >
  readonly map: {
    readonly baseClusters: ReadonlyArray<{
      readonly x: number
      readonly y: number
      readonly size: number
      readonly group: number
    }>
  }
  readonly participation: ReadonlyArray<ParticipationPeriod>
  readonly statements: ReadonlyArray<
    ReportStatementRef & {
      readonly seed: boolean
      readonly meta: boolean
      readonly moderation: ModerationLabel
      readonly agree: number
      readonly disagree: number
      readonly pass: number
      readonly groups: ReadonlyArray<{
        readonly group: number
        readonly agree: number
        readonly disagree: number
        readonly seen: number
      }>
    }
  >
}

export interface ParticipationPeriod {
  /** First day of the period, YYYY-MM-DD (UTC). */
  readonly period: string
  readonly unit: 'day' | 'week' | 'month'
  readonly votes: number
  readonly newParticipants: number
  /** Participants so far, at the end of the period. */
  readonly participants: number
}

export interface DailyActivity {
  /** YYYY-MM-DD */
  readonly day: string
  readonly votes: number
  readonly newParticipants: number
}

const DAY = 86_400_000

/**
 * Daily activity folded into periods: days up to two months, weeks (from Monday) up to two
 * years, months beyond; empty periods in between are filled in so the chart keeps its scale.
 */
export function participationOverTime(days: readonly DailyActivity[]): ParticipationPeriod[] {
  const sorted = [...days]
    .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.day))
    .sort((a, b) => (a.day < b.day ? -1 : 1))
  if (sorted.length === 0) return []
  const first = Date.parse(`${sorted[0].day}T00:00:00Z`)
  const last = Date.parse(`${sorted[sorted.length - 1].day}T00:00:00Z`)
  const span = (last - first) / DAY
  const unit: ParticipationPeriod['unit'] = span <= 62 ? 'day' : span <= 730 ? 'week' : 'month'
  const startOf = (t: number): number => {
    const d = new Date(t)
    if (unit === 'day') return t
    if (unit === 'week') return t - ((d.getUTCDay() + 6) % 7) * DAY
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  }
  const next = (t: number): number => {
    if (unit === 'day') return t + DAY
    if (unit === 'week') return t + 7 * DAY
    const d = new Date(t)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
  }
  const buckets = new Map<number, { votes: number; newParticipants: number }>()
  for (const d of sorted) {
    const key = startOf(Date.parse(`${d.day}T00:00:00Z`))
    const b = buckets.get(key) ?? { votes: 0, newParticipants: 0 }
    b.votes += d.votes
    b.newParticipants += d.newParticipants
    buckets.set(key, b)
  }
  const out: ParticipationPeriod[] = []
  let total = 0
  for (let t = startOf(first); t <= last; t = next(t)) {
    const b = buckets.get(t) ?? { votes: 0, newParticipants: 0 }
    total += b.newParticipants
    out.push({ period: new Date(t).toISOString().slice(0, 10), unit, ...b, participants: total })
  }
  return out
}

const share = (success: number, trials: number): number =>
  trials > 0 ? Math.round((success / trials) * 1000) / 1000 : 0

export interface ReportInput {
  readonly conversation: ConversationRecord
  readonly statements: readonly StatementRecord[]
  readonly snapshot: Snapshot | null
  readonly participation: readonly DailyActivity[]
  readonly locale: Locale
  readonly now: Date
}

export function buildReport(input: ReportInput): Report {
  const { conversation: c, snapshot, locale } = input
  const byNumber = new Map(input.statements.map((s) => [s.number, s]))
  // Statements moderated out since the math last ran leave the lists at once.
  const shown = (n: number): boolean => {
    const s = byNumber.get(n)
    return s !== undefined && s.moderation !== -1 && !s.meta
  }
  const ref = (n: number): ReportStatementRef => {
    const s = byNumber.get(n)
    const text = s ? statementText(s, locale) : { text: '', lang: locale }
    return { statementId: n, text: text.text, lang: text.lang }
  }
  const stats = snapshot?.statements ?? {}
  const title = conversationTitle(c, locale)
  const description = pickLanguage(c.descriptionEn, c.descriptionCy, locale)
  const groups = snapshot?.groups ?? []
  return {
    conversation: {
      id: c.id,
      title: title.text,
      description: description.text,
      lang: title.lang,
      status: conversationStatus(c, input.now),
      opensAt: c.opensAt,
      closesAt: c.closesAt,
      openData: c.openData,
    },
    computedAt: snapshot?.computedAt ?? null,
    totals: {
      participants: snapshot?.participants ?? 0,
      inAnalysis: snapshot?.inConversation ?? 0,
      votes: snapshot?.votes ?? 0,
      statements: input.statements.length,
      statementsRejected: input.statements.filter((s) => s.moderation === -1).length,
      groups: groups.length,
    },
    groups: groups.map((g) => ({
      id: g.id,
      label: groupLabel(g.id),
      size: g.size,
      center: { x: g.center[0], y: g.center[1] },
      representative: g.representative
        .filter((r) => shown(r.statementId))
        .map((r) => ({
          ...ref(r.statementId),
          repfulFor: r.repfulFor,
          share: share(r.nSuccess, r.nTrials),
          voters: r.nTrials,
          repness: Math.round(r.repness * 100) / 100,
        })),
    })),
    consensus: {
      agree: (snapshot?.consensus.agree ?? [])
        .filter((x) => shown(x.statementId))
        .map((x) => ({ ...ref(x.statementId), share: share(x.nSuccess, x.nTrials), voters: x.nTrials })),
      disagree: (snapshot?.consensus.disagree ?? [])
        .filter((x) => shown(x.statementId))
        .map((x) => ({ ...ref(x.statementId), share: share(x.nSuccess, x.nTrials), voters: x.nTrials })),
    },
    bridging:
      groups.length < 2
        ? []
        : (snapshot?.groupInformedConsensus ?? [])
            .filter((b) => shown(b.statementId))
            .slice(0, 5)
            .map((b) => ({
              ...ref(b.statementId),
              value: Math.round(b.value * 1000) / 1000,
              groups: (stats[String(b.statementId)]?.groups ?? []).map(([agree, , seen], group) => ({
                group,
                agreeShare: share(agree, seen),
                voters: seen,
              })),
            })),
    divisive: (snapshot?.divisive ?? [])
      .filter((d) => shown(d.statementId))
      .map((d) => ({
        ...ref(d.statementId),
        agreeingGroup: d.agreeingGroup,
        disagreeingGroup: d.disagreeingGroup,
        divisiveness: Math.round(d.divisiveness * 1000) / 1000,
      })),
    map: { baseClusters: snapshot?.baseClusters ?? [] },
    participation: participationOverTime(input.participation),
    statements: [...input.statements]
      .sort((a, b) => a.number - b.number)
      .map((s) => {
        const st = stats[String(s.number)]
        return {
          ...ref(s.number),
          seed: s.seed,
          meta: s.meta,
          moderation: moderationLabel(s.moderation),
          agree: st?.agree ?? 0,
          disagree: st?.disagree ?? 0,
          pass: st?.pass ?? 0,
          groups: (st?.groups ?? []).map(([agree, disagree, seen], group) => ({
            group,
            agree,
            disagree,
            seen,
          })),
        }
      }),
  }
}

/** The statements table of the report as CSV rows (header first), one column set per group. */
export function reportCsvRows(report: Report): { header: string[]; rows: (string | number)[][] } {
  const groupIds = report.groups.map((g) => g.id)
  const header = [
    'statement-id',
    'text',
    'moderation',
    'meta',
    'seed',
    'agrees',
    'disagrees',
    'passes',
    ...groupIds.flatMap((g) => [
      `group-${groupLabel(g)}-agrees`,
      `group-${groupLabel(g)}-disagrees`,
      `group-${groupLabel(g)}-seen`,
    ]),
    'consensus',
    'bridging-rank',
    'representative-of',
  ]
  const consensus = new Map<number, string>()
  for (const c of report.consensus.agree) consensus.set(c.statementId, 'agree')
  for (const c of report.consensus.disagree) consensus.set(c.statementId, 'disagree')
  const bridging = new Map(report.bridging.map((b, i) => [b.statementId, i + 1]))
  const repOf = new Map<number, string[]>()
  for (const g of report.groups)
    for (const r of g.representative)
      repOf.set(r.statementId, [...(repOf.get(r.statementId) ?? []), `${g.label} (${r.repfulFor})`])
  const rows = report.statements.map((s) => [
    s.statementId,
    s.text,
    s.moderation,
    s.meta ? 1 : 0,
    s.seed ? 1 : 0,
    s.agree,
    s.disagree,
    s.pass,
    ...groupIds.flatMap((g) => {
      const gv = s.groups.find((x) => x.group === g)
      return [gv?.agree ?? 0, gv?.disagree ?? 0, gv?.seen ?? 0]
    }),
    consensus.get(s.statementId) ?? '',
    bridging.get(s.statementId) ?? '',
    (repOf.get(s.statementId) ?? []).join('; '),
  ])
  return { header, rows }
}
