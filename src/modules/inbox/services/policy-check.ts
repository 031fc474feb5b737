/**
 * Replies are checked against the body's social media policy (UK GCS propriety: political,
 * partisan, parliament, polemical; personal data; accessibility) before they go.
 */
import type { DbOrTrx } from '../../../platform/db/database.js'
import { listElectionPeriods } from '../../../platform/elections/index.js'
import { checkPost, loadPolicy, type Channel as PolicyChannel } from '../../../platform/policy/index.js'
import type { Channel } from '../domain/case.js'
import type { PolicyFinding } from './cases.js'

function policyChannel(channel: Channel): PolicyChannel {
  return channel === 'mastodon' || channel === 'bluesky' ? channel : 'email'
}

export async function checkReply(
  db: DbOrTrx,
  input: { text: string; channel: Channel; language: string | null },
  now: Date,
  locale: 'en' | 'cy',
): Promise<PolicyFinding[]> {
  // One query after the other: on SQLite a transaction has a single connection.
  const policy = await loadPolicy(db)
  // A reply sent in a pre-election period is held to the same rule as an official post.
  const elections = await listElectionPeriods(db)
  return checkPost(
    policy,
    {
      text: input.text,
      channel: policyChannel(input.channel),
      date: now,
      elections,
      ...(input.language === 'en' || input.language === 'cy' ? { language: input.language } : {}),
    },
    locale,
  ).map((f) => ({ code: f.code, severity: f.severity, start: f.start, end: f.end, message: f.message }))
}

/** Text split into plain and flagged parts for `<mark>` in the reply review (escaped in templates). */
export function highlightFindings(
  text: string,
  findings: readonly PolicyFinding[],
): { text: string; mark: boolean }[] {
  const spans = findings.filter((f) => f.end > f.start).sort((a, b) => a.start - b.start)
  const out: { text: string; mark: boolean }[] = []
  let at = 0
  for (const s of spans) {
    if (s.start < at) continue
    if (s.start > at) out.push({ text: text.slice(at, s.start), mark: false })
    out.push({ text: text.slice(s.start, s.end), mark: true })
    at = s.end
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false })
  return out
}
