/**
 * Intake: every channel's incoming message goes through `receiveMessage` — thread it onto its
 * case, or analyse (text engine: language, sentiment, topic), route (rules, round-robin with
 * per-person limits and availability) and open a new case with its first message and assignment
 * in one transaction. Duplicates (same channel + external id) are refused by a unique index, so
 * a mention pulled twice, or an email delivered twice, is one message.
 */

import { sql } from 'kysely'
import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import type { Db, DbOrTrx } from '../../../platform/db/database.js'
import { detectLanguage, extractKeywords, sentiment } from '../../../platform/text/index.js'
import type { Channel } from '../domain/case.js'
import { type CompiledRule, compileRules, pickAssignee, routeMessage } from '../domain/routing.js'
import { deadlines } from '../domain/sla.js'
import {
  type Case,
  caseOfExternalIds,
  caseOfThread,
  findCase,
  insertMessage,
  updateCase,
} from '../store/case-store.js'
import {
  adjustOpenCount,
  listPolicies,
  listRules,
  listSensitiveTopics,
  listTeams,
  type StoredPolicy,
  teamLoads,
} from '../store/config-store.js'

export interface IncomingMessage {
  readonly channel: Channel
  readonly text: string
  readonly receivedAt: Date
  readonly subject?: string | null
  readonly citizenHandle?: string | null
  readonly citizenName?: string | null
  readonly citizenEmail?: string | null
  /** The network's or mail system's id of this message (Mastodon status id, at:// uri, Message-ID). */
  readonly externalId?: string | null
  readonly externalCid?: string | null
  readonly externalUrl?: string | null
  /** The conversation's root (Bluesky root uri, first Message-ID). */
  readonly threadId?: string | null
  readonly threadCid?: string | null
  /** Ids this message answers (Mastodon in_reply_to_id, email In-Reply-To and References). */
  readonly inReplyTo?: readonly string[]
  /** A case named explicitly, e.g. by a `[TS-123]` subject token. */
  readonly caseId?: number | null
  readonly accountKey?: string | null
  readonly context?: string | null
  /** The language the network reports; the text engine decides when absent. */
  readonly language?: string | null
}

export interface IntakeResult {
  readonly caseId: number
  readonly messageId: number | null
  readonly created: boolean
  readonly duplicate: boolean
}

export interface RoutingContext {
  readonly rules: readonly CompiledRule[]
  readonly policies: ReadonlyMap<number, StoredPolicy>
  readonly defaultPolicy: StoredPolicy
  readonly teamPolicy: ReadonlyMap<number, number | null>
  readonly sensitiveTopics: ReadonlySet<string>
  /** Sensitive topics as whole-word patterns, tried on the text as well as on its topic terms. */
  readonly sensitivePatterns: readonly RegExp[]
}

const CONTEXT_TTL_MS = 2000
const contexts = new WeakMap<object, { at: number; value: RoutingContext }>()

/**
 * Rules, policies and sensitive topics, compiled once and kept two seconds (as the platform keeps
 * settings): routing is the hot path; an admin's edit calls `invalidateRoutingContext`.
 */
export async function routingContext(db: DbOrTrx, now = Date.now()): Promise<RoutingContext> {
  const cached = contexts.get(db)
  if (cached && now - cached.at < CONTEXT_TTL_MS) return cached.value
  const [rules, policies, teams, sensitive] = await Promise.all([
    listRules(db),
    listPolicies(db),
    listTeams(db),
    listSensitiveTopics(db),
  ])
  const def = policies.find((p) => p.isDefault) ?? policies[0]
  if (!def) throw new Error('no SLA policy: the inbox migration creates one')
  const value: RoutingContext = {
    rules: compileRules(rules),
    policies: new Map(policies.map((p) => [p.id, p])),
    defaultPolicy: def,
    teamPolicy: new Map(teams.map((t) => [t.id, t.slaPolicyId])),
    sensitiveTopics: new Set(sensitive),
    sensitivePatterns: compileRules([
      {
        id: 0,
        position: 0,
        name: 'sensitive',
        enabled: true,
        conditions: { keywords: sensitive },
        actions: {},
      },
    ])[0]!.patterns,
  }
  contexts.set(db, { at: now, value })
  return value
}

export function invalidateRoutingContext(db: DbOrTrx): void {
  contexts.delete(db)
}

export function policyFor(
  ctx: RoutingContext,
  teamId: number | null,
  policyId?: number | null,
): StoredPolicy {
  if (policyId != null) {
    const p = ctx.policies.get(policyId)
    if (p) return p
  }
  const teamPolicyId = teamId === null ? null : (ctx.teamPolicy.get(teamId) ?? null)
  return (teamPolicyId !== null ? ctx.policies.get(teamPolicyId) : undefined) ?? ctx.defaultPolicy
}

/** Language, sentiment and topic terms of a message, from the text engine. */
export function analyse(text: string, language?: string | null) {
  // Language, sentiment and keywords only (places are not used for routing).
  const detected = language === 'en' || language === 'cy' ? language : detectLanguage(text).language
  const lang = detected === 'und' ? null : detected
  const topics = extractKeywords(text, { limit: 5, language: detected }).map((k) => k.term.toLowerCase())
  return {
    language: lang,
    sentiment: sentiment(text, { language: detected }).label,
    topics,
    topic: topics[0] ?? null,
  }
}

async function findThreadCase(db: DbOrTrx, m: IncomingMessage): Promise<number | null> {
  if (m.caseId != null && (await findCase(db, m.caseId))) return m.caseId
  const replyIds = (m.inReplyTo ?? []).filter((x) => x !== '')
  const byReply = await caseOfExternalIds(db, [m.channel], replyIds)
  if (byReply !== null) return byReply
  if (m.threadId) return caseOfThread(db, m.channel, m.threadId)
  return null
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(String(e?.message ?? ''))
}

/** Takes one incoming message from any channel. Idempotent on (channel, externalId). */
export async function receiveMessage(
  db: Db,
  m: IncomingMessage,
  now: Date = m.receivedAt,
): Promise<IntakeResult> {
  const ctx = await routingContext(db, now.getTime())
  try {
    return await db.transaction().execute(async (trx) => {
      // No look-up first: the unique (channel, external_id) index refuses a duplicate, and the
      // whole transaction (case, assignment, audit) rolls back with it — one query less per case.
      const threadCase = await findThreadCase(trx, m)
      if (threadCase !== null) return appendInbound(trx, ctx, threadCase, m, now)
      return openCase(trx, ctx, m, now)
    })
  } catch (err) {
    // The message is already stored (pulled twice, relayed twice, or by another process).
    if (m.externalId && isUniqueViolation(err)) {
      const existing = await caseOfExternalIds(db, [m.channel], [m.externalId])
      return { caseId: existing ?? 0, messageId: null, created: false, duplicate: true }
    }
    throw err
  }
}

/**
 * Many messages at once (a page of mentions, a batch from a webhook): the known duplicates are
 * dropped with one look-up, then every message is threaded or opened in ONE transaction — each
 * case still gets its message, assignment and audit entry atomically, and the batch pays for one
 * commit (SQLite group commit). If another process stores one of them meanwhile, the batch rolls
 * back and each message goes through `receiveMessage` alone. Results are in input order.
 */
export async function receiveMessages(
  db: Db,
  messages: readonly IncomingMessage[],
  now: Date,
): Promise<IntakeResult[]> {
  if (messages.length === 0) return []
  const ctx = await routingContext(db, now.getTime())
  const known = new Map<string, number>()
  const byChannel = new Map<string, string[]>()
  for (const m of messages)
    if (m.externalId) byChannel.set(m.channel, [...(byChannel.get(m.channel) ?? []), m.externalId])
  for (const [channel, ids] of byChannel) {
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('inbox_messages')
        .select(['external_id', 'case_id'])
        .where('channel', '=', channel)
        .where('external_id', 'in', ids.slice(i, i + 500))
        .execute()
      for (const r of rows) known.set(`${channel}\u0000${r.external_id}`, Number(r.case_id))
    }
  }
  const keyOf = (m: IncomingMessage) => (m.externalId ? `${m.channel}\u0000${m.externalId}` : null)
  try {
    return await db.transaction().execute(async (trx) => {
      const out: IntakeResult[] = []
      for (const m of messages) {
        const key = keyOf(m)
        const existing = key === null ? undefined : known.get(key)
        if (existing !== undefined) {
          out.push({ caseId: existing, messageId: null, created: false, duplicate: true })
          continue
        }
        const threadCase = await findThreadCase(trx, m)
        const r =
          threadCase !== null
            ? await appendInbound(trx, ctx, threadCase, m, now)
            : await openCase(trx, ctx, m, now)
        if (key !== null) known.set(key, r.caseId)
        out.push(r)
      }
      return out
    })
  } catch (err) {
    if (!isUniqueViolation(err)) throw err
    const out: IntakeResult[] = []
    for (const m of messages) out.push(await receiveMessage(db, m, now))
    return out
  }
}

/**
 * Round-robin with per-person limits and availability, in one guarded statement: the available
 * member under their limit who was assigned longest ago (never first, then lowest id — exactly
 * `pickAssignee`) gets the case and their kept counter goes up. The guard in the outer WHERE
 * keeps the limit when two processes race; the loser falls back to `pickAssignee` over the
 * current loads.
 */
async function assignRoundRobin(trx: DbOrTrx, teamId: number, now: Date): Promise<number | null> {
  const iso = now.toISOString()
  const row = await trx
    .updateTable('inbox_agents')
    .set((eb) => ({ open_count: eb('open_count', '+', 1), last_assigned_at: iso }))
    .where('staff_id', '=', (eb) =>
      eb
        .selectFrom('inbox_team_members as m')
        .innerJoin('inbox_agents as a', 'a.staff_id', 'm.staff_id')
        .select('a.staff_id')
        .where('m.team_id', '=', teamId)
        .where('a.available', '=', 1)
        .where((e) => e('a.open_count', '<', e.ref('a.max_open')))
        .orderBy(sql`coalesce(a.last_assigned_at, '')`)
        .orderBy('a.staff_id')
        .limit(1),
    )
    .where('available', '=', 1)
    .where((eb) => eb('open_count', '<', eb.ref('max_open')))
    .returning('staff_id')
    .executeTakeFirst()
  if (row) return Number(row.staff_id)
  const loads = [...(await teamLoads(trx, teamId))]
  for (;;) {
    const pick = pickAssignee(loads)
    if (pick === null) return null
    const claimed = await trx
      .updateTable('inbox_agents')
      .set((eb) => ({ open_count: eb('open_count', '+', 1), last_assigned_at: iso }))
      .where('staff_id', '=', pick)
      .where('available', '=', 1)
      .where((eb) => eb('open_count', '<', eb.ref('max_open')))
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) > 0) return pick
    loads.splice(
      loads.findIndex((l) => l.staffId === pick),
      1,
    )
  }
}

async function openCase(
  trx: DbOrTrx,
  ctx: RoutingContext,
  m: IncomingMessage,
  now: Date,
): Promise<IntakeResult> {
  const facts = analyse(m.text, m.language)
  const decision = routeMessage(ctx.rules, { text: m.text, channel: m.channel, ...facts })
  const assigneeId = decision.teamId === null ? null : await assignRoundRobin(trx, decision.teamId, now)
  const policy = policyFor(ctx, decision.teamId)
  const createdAt = m.receivedAt.toISOString()
  const due = deadlines(policy, {
    createdAt,
    firstResponseAt: null,
    awaitingSince: createdAt,
    resolvedAt: null,
  })
  const sensitive =
    facts.topics.some((t) => ctx.sensitiveTopics.has(t)) || ctx.sensitivePatterns.some((p) => p.test(m.text))
  const row = await trx
    .insertInto('inbox_cases')
    .values({
      channel: m.channel,
      account_key: m.accountKey ?? null,
      thread_id: m.threadId ?? m.externalId ?? null,
      thread_cid: m.threadCid ?? m.externalCid ?? null,
      subject: m.subject ? m.subject.slice(0, 500) : null,
      context: m.context ?? null,
      citizen_handle: m.citizenHandle ?? null,
      citizen_name: m.citizenName ?? null,
      citizen_email: m.citizenEmail ?? null,
      language: facts.language,
      sentiment: facts.sentiment,
      topic: facts.topic,
      tags: JSON.stringify(decision.tags),
      sensitive: sensitive ? 1 : 0,
      team_id: decision.teamId,
      assignee_id: assigneeId,
      priority: decision.priority,
      status: 'open',
      sla_policy_id: policy.id,
      first_response_due: due.firstResponseDue,
      next_response_due: null,
      resolution_due: due.resolutionDue,
      awaiting_since: createdAt,
      created_at: createdAt,
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const caseId = Number(row.id)
  const messageId = await insertMessage(trx, {
    caseId,
    direction: 'inbound',
    channel: m.channel,
    text: m.text,
    state: 'received',
    createdAt: m.receivedAt,
    externalId: m.externalId ?? null,
    externalCid: m.externalCid ?? null,
    externalUrl: m.externalUrl ?? null,
    authorHandle: m.citizenHandle ?? m.citizenEmail ?? null,
    language: facts.language,
  })
  await recordAudit(trx, {
    actor: systemActor('inbox.intake'),
    action: 'inbox.case.open',
    subject: { type: 'inbox_case', id: caseId },
    details: { channel: m.channel, teamId: decision.teamId, assigneeId, rules: decision.matchedRuleIds },
    at: now,
  })
  return { caseId, messageId, created: true, duplicate: false }
}

async function appendInbound(
  trx: DbOrTrx,
  ctx: RoutingContext,
  caseId: number,
  m: IncomingMessage,
  now: Date,
): Promise<IntakeResult> {
  const c = (await findCase(trx, caseId)) as Case
  const messageId = await insertMessage(trx, {
    caseId,
    direction: 'inbound',
    channel: m.channel,
    text: m.text,
    state: 'received',
    createdAt: m.receivedAt,
    externalId: m.externalId ?? null,
    externalCid: m.externalCid ?? null,
    externalUrl: m.externalUrl ?? null,
    authorHandle: m.citizenHandle ?? m.citizenEmail ?? null,
    language: m.language ?? null,
  })
  // The citizen wrote again: the next-response timer starts (if we had answered), a closed case reopens.
  const awaitingSince = c.awaitingSince ?? m.receivedAt.toISOString()
  const reopened = c.status === 'closed'
  const policy = policyFor(ctx, c.teamId, c.slaPolicyId)
  const due = deadlines(policy, {
    createdAt: c.createdAt,
    firstResponseAt: c.firstResponseAt,
    awaitingSince,
    resolvedAt: null,
  })
  await updateCase(trx, caseId, {
    status: 'open',
    awaiting_since: awaitingSince,
    resolved_at: null,
    first_response_due: due.firstResponseDue,
    next_response_due: due.nextResponseDue,
    resolution_due: due.resolutionDue,
    updated_at: now.toISOString(),
  })
  if (reopened && c.assigneeId !== null) await adjustOpenCount(trx, c.assigneeId, 1)
  return { caseId, messageId, created: false, duplicate: false }
}
