/**
 * "What works": engagement of published posts by post type, topic, hour of day (Europe/London)
 * and account, with the inbox's response time beside it (Sprout's post performance report).
 * Engagement = replies + boosts + favourites as last read back from the network.
 */

import type { DbOrTrx } from '../../../platform/db/database.js'
import type { Translate } from '../../../platform/i18n/i18n.js'
import { londonHour } from '../../../platform/time/london.js'
import { barChartSvg } from '../../../platform/views/charts.js'
import { inboxResponseStats } from '../../inbox/stats.js'
import { listAccounts } from '../store/account-store.js'
import { findPost, publishedTargetsSince } from '../store/post-store.js'

export interface ReportRow {
  readonly label: string
  readonly posts: number
  readonly replies: number
  readonly boosts: number
  readonly favourites: number
  /** Mean engagement per post, one decimal. */
  readonly average: number
}

export interface ReportItem {
  readonly kind: string
  readonly topic: string
  readonly hour: number
  readonly account: string
  readonly replies: number
  readonly boosts: number
  readonly favourites: number
}

/** Groups published copies by a key, pure (the tests use it directly). */
export function groupReport(items: readonly ReportItem[], key: (i: ReportItem) => string): ReportRow[] {
  const groups = new Map<string, ReportItem[]>()
  for (const i of items) groups.set(key(i), [...(groups.get(key(i)) ?? []), i])
  return [...groups]
    .map(([label, list]) => {
      const replies = list.reduce((a, i) => a + i.replies, 0)
      const boosts = list.reduce((a, i) => a + i.boosts, 0)
      const favourites = list.reduce((a, i) => a + i.favourites, 0)
      return {
        label,
        posts: list.length,
        replies,
        boosts,
        favourites,
        average: Math.round(((replies + boosts + favourites) / list.length) * 10) / 10,
      }
    })
    .sort((a, b) => b.average - a.average || a.label.localeCompare(b.label))
}

export async function reportItems(db: DbOrTrx, since: Date): Promise<ReportItem[]> {
  const accounts = new Map((await listAccounts(db)).map((a) => [a.id, a.name]))
  const items: ReportItem[] = []
  const posts = new Map<number, Awaited<ReturnType<typeof findPost>>>()
  for (const t of await publishedTargetsSince(db, since.toISOString())) {
    if (!posts.has(t.postId)) posts.set(t.postId, await findPost(db, t.postId))
    const post = posts.get(t.postId)
    if (!post || !t.publishedAt) continue
    items.push({
      kind: post.kind,
      topic: post.topic,
      hour: londonHour(t.publishedAt),
      account: accounts.get(t.accountId) ?? String(t.accountId),
      replies: t.replies,
      boosts: t.boosts,
      favourites: t.favourites,
    })
  }
  return items
}

export async function buildReport(db: DbOrTrx, now: Date, days: number, t: Translate) {
  const from = new Date(now.getTime() - days * 86_400_000)
  const items = await reportItems(db, from)
  const section = (id: string, rows: ReportRow[]) => ({
    id,
    rows,
    chart:
      rows.length > 0
        ? barChartSvg({
            title: t(`publishing.report.${id}.chartTitle`),
            description: t('publishing.report.chartDesc'),
            bars: rows.map((r) => ({ label: r.label, value: r.average })),
          })
        : null,
  })
  const byHour = groupReport(items, (i) => `${String(i.hour).padStart(2, '0')}:00`).sort((a, b) =>
    a.label.localeCompare(b.label),
  )
  let inbox: Awaited<ReturnType<typeof inboxResponseStats>> | null = null
  try {
    inbox = await inboxResponseStats(db, from, now)
  } catch {
    // The inbox module's tables are absent when it is not installed: the report shows "not available".
    inbox = null
  }
  return {
    total: items.length,
    sections: [
      section(
        'kind',
        groupReport(items, (i) => t(`publishing.kinds.${i.kind}`)),
      ),
      section(
        'topic',
        groupReport(items, (i) => i.topic),
      ),
      section('hour', byHour),
      section(
        'account',
        groupReport(items, (i) => i.account),
      ),
    ],
    inbox,
  }
}
