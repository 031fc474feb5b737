/**
 * The weekly summary: for each query, the week's posts against the week before, sentiment
 * share, top terms and spikes. Sent every Monday to the recipients in the module settings (a
 * plain-text email, template views/emails/listening-weekly.njk, linking to the same summary as
 * CSV at /admin/listening/report.csv), and printed by `townsquare listening report`.
 */

import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import type { Db } from '../../../platform/db/database.js'
import { toCsv } from '../../../platform/http/csv.js'
import type { Mailer } from '../../../platform/mail/mail.js'
import { insightsFor } from '../domain/insights.js'
import { listeningSettings } from '../settings.js'
import { matchedPosts } from '../store/post-store.js'
import { listQueries } from '../store/query-store.js'
import { listSpikes } from '../store/spike-store.js'

const DAY_MS = 86_400_000

export interface WeeklyQuerySummary {
  readonly id: number
  readonly name: string
  readonly total: number
  readonly previous: number
  /** Percentage change on the week before, null when it had none. */
  readonly change: number | null
  readonly negative: number
  readonly neutral: number
  readonly positive: number
  readonly topTerms: readonly string[]
  readonly spikes: number
}

export interface WeeklySummary {
  readonly from: string
  readonly to: string
  readonly queries: readonly WeeklyQuerySummary[]
}

/** The Monday 00:00 UTC on or before a date. */
export function weekStart(date: Date): Date {
  const day = Math.floor(date.getTime() / DAY_MS) * DAY_MS
  const weekday = (new Date(day).getUTCDay() + 6) % 7
  return new Date(day - weekday * DAY_MS)
}

/** The summary of the week starting `from` (a Monday). */
export async function weeklySummary(db: Db, from: Date): Promise<WeeklySummary> {
  const to = new Date(from.getTime() + 7 * DAY_MS)
  const before = new Date(from.getTime() - 7 * DAY_MS)
  const out: WeeklyQuerySummary[] = []
  for (const q of await listQueries(db, { enabledOnly: true })) {
    const posts = await matchedPosts(db, q.id, { from: from.toISOString(), to: to.toISOString() })
    const previous = (await matchedPosts(db, q.id, { from: before.toISOString(), to: from.toISOString() }))
      .length
    const insight = insightsFor(posts, { from, to }, { topics: false, limit: 5 })
    const spikes = (await listSpikes(db, { queryId: q.id, limit: 500 })).filter(
      (s) => s.hourStart >= from.toISOString() && s.hourStart < to.toISOString(),
    ).length
    out.push({
      id: q.id,
      name: q.name,
      total: posts.length,
      previous,
      change: previous === 0 ? null : Math.round(((posts.length - previous) / previous) * 100),
      ...insight.sentiment,
      topTerms: insight.terms.map((t) => t.value),
      spikes,
    })
  }
  return { from: from.toISOString(), to: to.toISOString(), queries: out }
}

export function summaryCsv(summary: WeeklySummary): string {
  return toCsv(
    [
      'week_from',
      'week_to',
      'query',
      'posts',
      'previous_week',
      'change_percent',
      'negative',
      'neutral',
      'positive',
      'spikes',
      'top_terms',
    ],
    summary.queries.map((q) => [
      summary.from.slice(0, 10),
      summary.to.slice(0, 10),
      q.name,
      q.total,
      q.previous,
      q.change,
      q.negative,
      q.neutral,
      q.positive,
      q.spikes,
      q.topTerms.join('; '),
    ]),
  )
}

/**
 * The daily job: on Mondays, mails last week's summary to each recipient (once per week: the
 * recurring job runs a period once across processes).
 */
export async function sendWeeklyReport(
  db: Db,
  mailer: Mailer,
  periodStart: Date,
  options: { publicUrl: string; force?: boolean },
): Promise<number> {
  if (!options.force && periodStart.getUTCDay() !== 1) return 0
  const recipients = (await listeningSettings(db)).weeklyReportRecipients
  if (recipients.length === 0) return 0
  const from = new Date(weekStart(periodStart).getTime() - 7 * DAY_MS)
  const summary = await weeklySummary(db, from)
  await db.transaction().execute(async (trx) => {
    for (const to of recipients) {
      await mailer.send(
        trx,
        {
          to,
          template: 'listening-weekly',
          language: 'en',
          data: {
            from: summary.from.slice(0, 10),
            to: new Date(Date.parse(summary.to) - DAY_MS).toISOString().slice(0, 10),
            queries: summary.queries,
            csvLink: `${options.publicUrl}/admin/listening/report.csv?week=${summary.from.slice(0, 10)}`,
          },
        },
        periodStart,
      )
    }
    await recordAudit(trx, {
      actor: systemActor('listening.weekly'),
      action: 'listening.report.send',
      subject: { type: 'listening_report', id: summary.from.slice(0, 10) },
      details: { recipients: recipients.length, queries: summary.queries.length },
      at: periodStart,
    })
  })
  return recipients.length
}
