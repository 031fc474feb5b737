import type { Logger } from 'pino'
import type { Db, DbOrTrx } from '../../platform/db/database.js'
import type { Services } from '../../platform/services.js'
import { readSetting } from '../../platform/settings/settings.js'
import { abnormalFindings, DEFAULT_THRESHOLDS } from './domain/abnormal.js'
import { LiveAnalysis } from './domain/math/live.js'
import type { StatementInfo } from './domain/math/types.js'
import { emptySnapshot, snapshotFromAnalysis } from './domain/snapshot.js'
import { raiseAlert } from './store/alert-store.js'
import {
  clearRecompute,
  conversationsBehind,
  findConversation,
  listStatements,
  markRecompute,
} from './store/conversation-store.js'
import { bannedNumbers } from './store/participant-store.js'
import { resultInfo, saveResult } from './store/result-store.js'
import {
  currentVotes,
  dailyActivity,
  loggedVotesAfter,
  maxVoteLogId,
  participantsVotingAfter,
  voteCounts,
  voteLogsOf,
} from './store/vote-store.js'

/**
 * The math, off the request path. A vote marks its conversation (once: `markRecompute` only
 * succeeds for the first vote since the last run) and that first vote queues one job to run
 * a few seconds later, so a burst of votes costs one computation. A recurring job catches
 * conversations whose job was lost. Each process keeps a `LiveAnalysis` per conversation and
 * feeds it only the votes logged since its last run, as Pol.is's math worker does; a ban (whose
 * votes must leave the math) or a change of strict moderation rebuilds it from the current votes.
 */

export const RECOMPUTE_JOB = 'deliberation.recompute'
export const SWEEP_JOB = 'deliberation.recompute.sweep'
export const SWEEP_PERIOD_MS = 60_000

export interface DeliberationSettings {
  /** Seconds between the first vote after a computation and the next computation. */
  readonly recomputeDelaySeconds: number
  /** Similarity from which a new statement is refused as a near-duplicate. */
  readonly duplicateThreshold: number
  /** Votes before a same-answer alert; share of one answer that raises it. */
  readonly abnormalMinVotes: number
  readonly abnormalSameShare: number
  /** Median seconds between votes below which a voter is flagged as machine-speed. */
  readonly abnormalMedianSeconds: number
}

export const DEFAULT_DELIBERATION_SETTINGS: DeliberationSettings = {
  recomputeDelaySeconds: 5,
  duplicateThreshold: 0.75,
  abnormalMinVotes: DEFAULT_THRESHOLDS.sameAnswerMinVotes,
  abnormalSameShare: DEFAULT_THRESHOLDS.sameAnswerShare,
  abnormalMedianSeconds: DEFAULT_THRESHOLDS.speedMedianSeconds,
}

export async function deliberationSettings(db: DbOrTrx): Promise<DeliberationSettings> {
  const stored = await readSetting<Partial<DeliberationSettings>>(db, 'module.deliberation')
  return { ...DEFAULT_DELIBERATION_SETTINGS, ...stored }
}

export interface RecomputeOutcome {
  readonly conversationId: number
  readonly mode: 'full' | 'incremental'
  readonly computedAt: string
  readonly durationMs: number
  readonly participants: number
  readonly inConversation: number
  readonly groups: number
  readonly lastVoteId: number
  readonly newAlerts: number
}

interface CacheEntry {
  readonly live: LiveAnalysis
  lastLogId: number
  readonly banned: string
  readonly strict: boolean
  readonly statements: Map<number, string>
}

// Per database (tests open several in one process), per conversation.
const enginesByDb = new WeakMap<Db, Map<number, CacheEntry>>()
const runningByDb = new WeakMap<Db, Map<number, Promise<unknown>>>()
const ENGINE_LIMIT = 20

function perDb<T>(map: WeakMap<Db, Map<number, T>>, db: Db): Map<number, T> {
  let m = map.get(db)
  if (!m) {
    m = new Map()
    map.set(db, m)
  }
  return m
}

/** Forgets the live analyses kept for a database (a conversation's will rebuild from its votes). */
export function resetEngines(db: Db): void {
  enginesByDb.delete(db)
}

function infoKey(s: StatementInfo): string {
  return `${s.moderation}:${s.meta ? 1 : 0}`
}

/**
 * Runs the math for one conversation now and stores the result. Runs for the same conversation
 * in this process queue behind each other (they share its live analysis).
 */
export function recomputeConversation(
  db: Db,
  conversationId: number,
  now: Date = new Date(),
  logger?: Logger,
): Promise<RecomputeOutcome | null> {
  const running = perDb(runningByDb, db)
  const previous = running.get(conversationId) ?? Promise.resolve()
  const next = previous.catch(() => undefined).then(() => runOnce(db, conversationId, now, logger))
  running.set(conversationId, next)
  void next
    .finally(() => {
      if (running.get(conversationId) === next) running.delete(conversationId)
    })
    .catch(() => undefined)
  return next
}

async function runOnce(
  db: Db,
  conversationId: number,
  now: Date,
  logger?: Logger,
): Promise<RecomputeOutcome | null> {
  const started = performance.now()
  const conversation = await findConversation(db, conversationId)
  if (!conversation) return null
  const statements = await listStatements(db, conversationId)
  const infos: StatementInfo[] = statements.map((s) => ({
    id: s.number,
    moderation: s.moderation,
    ...(s.meta ? { meta: true } : {}),
  }))
  const banned = (await bannedNumbers(db, conversationId)).join(',')
  const previous = await resultInfo(db, conversationId)
  // Read the log's end before the votes: a vote landing in between is then applied twice, never missed.
  const lastLogId = await maxVoteLogId(db, conversationId)

  const engines = perDb(enginesByDb, db)
  let entry = engines.get(conversationId)
  let mode: RecomputeOutcome['mode'] = 'incremental'
  if (
    entry &&
    entry.banned === banned &&
    entry.strict === conversation.strictModeration &&
    entry.lastLogId <= lastLogId
  ) {
    for (const info of infos) {
      const key = infoKey(info)
      if (entry.statements.get(info.id) !== key) {
        entry.live.addStatement(info)
        entry.statements.set(info.id, key)
      }
    }
    entry.live.addVotes(await loggedVotesAfter(db, conversationId, entry.lastLogId, lastLogId))
  } else {
    mode = 'full'
    const votes = await currentVotes(db, conversationId)
    entry = {
      live: LiveAnalysis.fromConversation(
        { statements: infos, votes },
        { strictModeration: conversation.strictModeration },
      ),
      lastLogId,
      banned,
      strict: conversation.strictModeration,
      statements: new Map(infos.map((i) => [i.id, infoKey(i)])),
    }
  }
  entry.lastLogId = lastLogId
  engines.delete(conversationId)
  engines.set(conversationId, entry)
  if (engines.size > ENGINE_LIMIT) engines.delete(engines.keys().next().value as number)

  const computedAt = now.toISOString()
  const counts = await voteCounts(db, conversationId)
  const participation = await dailyActivity(db, conversationId)
  let snapshot = emptySnapshot(computedAt, lastLogId)
  let positions = {}
  if (entry.live.participants > 0) {
    const result = entry.live.update()
    ;({ snapshot, positions } = snapshotFromAnalysis(result, counts, { computedAt, lastVoteId: lastLogId }))
  }
  const durationMs = performance.now() - started
  await saveResult(db, conversationId, { snapshot, participation }, positions, durationMs)

  const newAlerts = await checkAbnormalVoters(db, conversationId, previous?.lastVoteId ?? 0, now)
  const outcome: RecomputeOutcome = {
    conversationId,
    mode,
    computedAt,
    durationMs: Math.round(durationMs),
    participants: snapshot.participants,
    inConversation: snapshot.inConversation,
    groups: snapshot.groups.length,
    lastVoteId: lastLogId,
    newAlerts,
  }
  logger?.info(outcome, 'deliberation math recomputed')
  return outcome
}

/** Alerts for participants who voted since the last run and look like scripts or straight-liners. */
async function checkAbnormalVoters(
  db: Db,
  conversationId: number,
  afterId: number,
  now: Date,
): Promise<number> {
  const settings = await deliberationSettings(db)
  const thresholds = {
    ...DEFAULT_THRESHOLDS,
    sameAnswerMinVotes: settings.abnormalMinVotes,
    sameAnswerShare: settings.abnormalSameShare,
    speedMedianSeconds: settings.abnormalMedianSeconds,
  }
  let raised = 0
  const minVotes = Math.min(thresholds.sameAnswerMinVotes, thresholds.speedMinVotes)
  const participants = await participantsVotingAfter(db, conversationId, afterId, minVotes)
  const logs = await voteLogsOf(db, participants)
  for (const [participantId, votes] of logs) {
    // The latest votes say how someone votes now; 500 are plenty.
    for (const finding of abnormalFindings(votes.slice(-500), thresholds)) {
      if (await raiseAlert(db, { conversationId, participantId, finding }, now)) raised++
    }
  }
  return raised
}

/**
 * Called after a vote or a moderation: marks the conversation and, if nobody had yet, queues the
 * computation `delayMs` later. Never throws: a vote must not fail because the queue did.
 */
export async function requestRecompute(
  services: Pick<Services, 'db' | 'jobs' | 'logger'>,
  conversationId: number,
  options: { now?: Date; delayMs?: number } = {},
): Promise<void> {
  const now = options.now ?? new Date()
  try {
    if (!(await markRecompute(services.db, conversationId, now))) return
    const delayMs = options.delayMs ?? (await deliberationSettings(services.db)).recomputeDelaySeconds * 1000
    await services.jobs.enqueue(
      RECOMPUTE_JOB,
      { conversationId },
      { runAt: new Date(now.getTime() + delayMs) },
    )
  } catch (err) {
    services.logger.error({ err, conversationId }, 'could not queue the deliberation math')
  }
}

/** Runs the queued computation: clears the mark first, so votes arriving meanwhile queue the next one. */
export async function runRecomputeJob(
  services: Pick<Services, 'db' | 'logger'>,
  conversationId: number,
): Promise<void> {
  await clearRecompute(services.db, conversationId)
  await recomputeConversation(services.db, conversationId, new Date(), services.logger)
}

export function registerDeliberationJobs(services: Services): void {
  services.jobs.define<{ conversationId: number }>(RECOMPUTE_JOB, async (payload) => {
    const id = Number(payload?.conversationId)
    if (!Number.isSafeInteger(id) || id <= 0) return
    await runRecomputeJob(services, id)
  })
  // The safety net: a job lost with a crashed process, or votes the math has not seen.
  services.jobs.every(SWEEP_JOB, SWEEP_PERIOD_MS, async (periodStart) => {
    await sweep(services, periodStart)
  })
}

export async function sweep(services: Pick<Services, 'db' | 'logger'>, now: Date): Promise<number[]> {
  const settings = await deliberationSettings(services.db)
  const staleBefore = new Date(now.getTime() - Math.max(120_000, settings.recomputeDelaySeconds * 4000))
  const ids = await conversationsBehind(services.db, staleBefore)
  for (const id of ids) await runRecomputeJob(services, id)
  return ids
}
