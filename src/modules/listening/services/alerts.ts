/**
 * Spike detection for every query with alerts on: each hour, the hour just ended is tested
 * against its baseline (domain/spikes.ts); a spike is stored once, with what is new in it (top
 * new terms against the past week, sample posts), and mailed to the query's addresses in the
 * same transaction. A spike on a query with alerts on also opens an inbox case (after the spike is
 * stored, in the inbox's own transaction; idempotent on the spike id), routed like any message.
 */

import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import type { Db } from '../../../platform/db/database.js'
import type { Mailer } from '../../../platform/mail/mail.js'
import { openCaseFromModule } from '../../inbox/intake.js'
import { HOUR_MS, newTerms, postTerms, testHour } from '../domain/spikes.js'
import { hourlyCounts, matchedPosts } from '../store/post-store.js'
import { type ListeningQuery, listQueries } from '../store/query-store.js'
import { insertSpike, markSpikeNotified } from '../store/spike-store.js'

const WEEK_MS = 7 * 24 * HOUR_MS

export interface DetectedSpike {
  readonly queryId: number
  readonly spikeId: number
  readonly hourStart: string
  readonly observed: number
  readonly expected: number
  readonly topTerm: string | null
}

/** Tests the hour starting at `hour` for one query; stores and returns the spike, if any. */
export async function checkQueryHour(
  db: Db,
  query: ListeningQuery,
  hour: Date,
  options: { mailer?: Mailer; publicUrl?: string; now?: Date } = {},
): Promise<DetectedSpike | null> {
  const start = Math.floor(hour.getTime() / HOUR_MS) * HOUR_MS
  const historyFrom = new Date(start - 5 * WEEK_MS).toISOString()
  const counts = await hourlyCounts(db, query.id, historyFrom, new Date(start + HOUR_MS).toISOString())
  const test = testHour(counts, new Date(start), { pValue: query.alertPValue, minCount: query.alertMinCount })
  if (!test.isSpike) return null
  const spikePosts = await matchedPosts(db, query.id, {
    from: new Date(start).toISOString(),
    to: new Date(start + HOUR_MS).toISOString(),
    limit: 2000,
  })
  const baseline = await matchedPosts(db, query.id, {
    from: new Date(start - WEEK_MS).toISOString(),
    to: new Date(start).toISOString(),
    limit: 20_000,
  })
  const shifts = newTerms(
    spikePosts.map((p) => ({ terms: postTerms(p) })),
    baseline.map((p) => ({ terms: postTerms(p) })),
  )
  const topTerm = shifts[0]?.term ?? null
  const samples = (
    topTerm ? spikePosts.filter((p) => postTerms(p).some((t) => t.toLowerCase() === topTerm)) : spikePosts
  ).slice(0, 3)
  const now = options.now ?? new Date()
  const spike = await db.transaction().execute(async (trx) => {
    const spikeId = await insertSpike(
      trx,
      {
        queryId: query.id,
        hourStart: test.hourStart,
        observed: test.observed,
        expected: test.expected,
        pValue: test.pValue,
        newTerms: shifts,
        samplePostIds: samples.map((p) => p.id),
      },
      now,
    )
    if (spikeId === null) return null
    await recordAudit(trx, {
      actor: systemActor('listening.spikes'),
      action: 'listening.spike',
      subject: { type: 'listening_query', id: query.id },
      details: { hourStart: test.hourStart, observed: test.observed, expected: test.expected, topTerm },
      at: now,
    })
    if (options.mailer && query.alertsEnabled && query.alertEmails.length > 0) {
      for (const to of query.alertEmails) {
        await options.mailer.send(
          trx,
          {
            to,
            template: 'listening-alert',
            language: 'en',
            data: {
              query: query.name,
              observed: test.observed,
              expected: test.expected,
              hour: `${test.hourStart.slice(0, 16).replace('T', ' ')} UTC`,
              terms: shifts.map((s) => s.term).join(', '),
              samples: samples.map((p) => p.text.replace(/\s+/g, ' ').slice(0, 280)),
              link: `${options.publicUrl ?? ''}/admin/listening/queries/${query.id}`,
            },
          },
          now,
        )
      }
      await markSpikeNotified(trx, spikeId, now)
    }
    return {
      queryId: query.id,
      spikeId,
      hourStart: test.hourStart,
      observed: test.observed,
      expected: test.expected,
      topTerm,
    }
  })
  if (spike && query.alertsEnabled) {
    await openCaseFromModule(
      db,
      {
        channel: 'listening',
        reference: `listening-spike:${spike.spikeId}`,
        subject: query.name,
        context: `listening:${query.id}`,
        text: [
          `${query.name}: ${test.observed} posts in the hour from ${test.hourStart.slice(0, 16).replace('T', ' ')} UTC (about ${Math.round(test.expected)} usual).`,
          shifts.length > 0 ? `New: ${shifts.map((s) => s.term).join(', ')}.` : '',
          ...samples.map((p) => `- ${p.text.replace(/\s+/g, ' ').slice(0, 280)}`),
        ]
          .filter((l) => l !== '')
          .join('\n'),
      },
      now,
    )
  }
  return spike
}

/** The hourly job: the hour that just ended, for every enabled query. */
export async function detectSpikes(
  db: Db,
  periodStart: Date,
  options: { mailer?: Mailer; publicUrl?: string } = {},
): Promise<DetectedSpike[]> {
  const hour = new Date(Math.floor(periodStart.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS)
  const out: DetectedSpike[] = []
  for (const q of await listQueries(db, { enabledOnly: true })) {
    const spike = await checkQueryHour(db, q, hour, { ...options, now: periodStart })
    if (spike) out.push(spike)
  }
  return out
}
