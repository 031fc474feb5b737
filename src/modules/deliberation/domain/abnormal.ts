/**
 * Abnormal voters (compdemocracy/polis#2025 "exclude agree-to-all voters"): someone who gives
 * the same answer to nearly everything, or votes faster than anyone can read a statement, is
 * probably a script or not taking part in good faith. We only raise an alert for a moderator,
 * who can look and ban (which takes the votes out of the math); nothing is removed automatically.
 */

export const ABNORMAL_KINDS = ['same-answer', 'machine-speed'] as const
export type AbnormalKind = (typeof ABNORMAL_KINDS)[number]

export interface AbnormalThresholds {
  /** Votes before "the same answer to everything" is judged. */
  readonly sameAnswerMinVotes: number
  /** Share of the most common answer that counts as "everything". */
  readonly sameAnswerShare: number
  /** Votes before speed is judged. */
  readonly speedMinVotes: number
  /**
   * Median seconds between consecutive votes below which nobody could have read the statements
   * (140 characters take a fast reader about 3 seconds).
   */
  readonly speedMedianSeconds: number
}

export const DEFAULT_THRESHOLDS: AbnormalThresholds = {
  sameAnswerMinVotes: 20,
  sameAnswerShare: 0.95,
  speedMinVotes: 10,
  speedMedianSeconds: 1,
}

export interface LoggedVote {
  readonly vote: number
  /** Milliseconds since the epoch. */
  readonly at: number
}

export interface AbnormalFinding {
  readonly kind: AbnormalKind
  readonly votes: number
  /** For same-answer: the answer and its share; for machine-speed: the median gap in seconds. */
  readonly answer?: 'agree' | 'disagree' | 'pass'
  readonly share?: number
  readonly medianSeconds?: number
}

/** What is abnormal about one participant's votes (in the order cast), if anything. */
export function abnormalFindings(
  votes: readonly LoggedVote[],
  thresholds: AbnormalThresholds = DEFAULT_THRESHOLDS,
): AbnormalFinding[] {
  const findings: AbnormalFinding[] = []
  if (votes.length >= thresholds.sameAnswerMinVotes) {
    const counts = new Map<number, number>()
    for (const v of votes) counts.set(v.vote, (counts.get(v.vote) ?? 0) + 1)
    const [answer, count] = [...counts].sort((a, b) => b[1] - a[1])[0]
    const share = count / votes.length
    if (share >= thresholds.sameAnswerShare) {
      findings.push({
        kind: 'same-answer',
        votes: votes.length,
        answer: answer === 1 ? 'agree' : answer === -1 ? 'disagree' : 'pass',
        share: Math.round(share * 1000) / 1000,
      })
    }
  }
  if (votes.length >= thresholds.speedMinVotes) {
    const sorted = votes.map((v) => v.at).sort((a, b) => a - b)
    const gaps: number[] = []
    for (let i = 1; i < sorted.length; i++) gaps.push((sorted[i] - sorted[i - 1]) / 1000)
    gaps.sort((a, b) => a - b)
    const mid = gaps.length >> 1
    const median = gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2
    if (median < thresholds.speedMedianSeconds) {
      findings.push({
        kind: 'machine-speed',
        votes: votes.length,
        medianSeconds: Math.round(median * 100) / 100,
      })
    }
  }
  return findings
}
