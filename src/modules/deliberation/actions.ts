import { recordAudit } from '../../platform/audit/audit.js'
import type { Actor, AssuranceLevel } from '../../platform/auth/actor.js'
import type { Services } from '../../platform/services.js'
import {
  type ConversationInput,
  type ConversationRecord,
  cleanStatement,
  isVisible,
  type ParticipantRecord,
  type Problem,
  type RefusalReason,
  type StatementRecord,
  statementProblem,
  statementRefusal,
  voteRefusal,
} from './domain/conversation.js'
import { findNearDuplicate } from './domain/duplicates.js'
import type { VoteValue } from './domain/math/types.js'
import { chooseStatement, META_PRIORITY, NEW_STATEMENT_PRIORITY } from './domain/routing.js'
import type { Snapshot } from './domain/snapshot.js'
import { deliberationSettings, requestRecompute } from './recompute.js'
import { resolveAlerts } from './store/alert-store.js'
import {
  findConversation,
  findStatement,
  insertConversation,
  insertStatement,
  listStatements,
  updateConversation,
  updateStatementModeration,
} from './store/conversation-store.js'
import {
  ensureParticipant,
  findParticipantFor,
  type ParticipantIdentity,
  setBanned,
} from './store/participant-store.js'
import { recordVote } from './store/vote-store.js'

/**
 * The module's commands: each checks the rules (domain/), writes in one transaction with its
 * audit entry where a person's or the public's record changes, then asks for the math to run.
 * Routes and the CLI call these; they never write tables themselves.
 */

type Deps = Pick<Services, 'db' | 'jobs' | 'logger'>

/** Who is acting, as the deliberation rules see them. */
export interface Participation {
  readonly identity: ParticipantIdentity
  readonly assurance: AssuranceLevel
}

export type VoteOutcome =
  | { readonly ok: true; readonly participant: ParticipantRecord }
  | { readonly ok: false; readonly reason: RefusalReason | 'not-found' }

export async function castVote(
  deps: Deps,
  input: { conversationId: number; who: Participation; statementId: number; vote: VoteValue },
  now: Date,
): Promise<VoteOutcome> {
  const conversation = await findConversation(deps.db, input.conversationId)
  if (!conversation) return { ok: false, reason: 'not-found' }
  const existing = await findParticipantFor(deps.db, conversation.id, input.who.identity)
  const refusal = voteRefusal(
    conversation,
    { assurance: input.who.assurance, banned: existing?.bannedAt != null },
    now,
  )
  if (refusal) return { ok: false, reason: refusal }
  const statement = await findStatement(deps.db, conversation.id, input.statementId)
  if (!statement || !isVisible(statement, conversation.strictModeration))
    return { ok: false, reason: 'not-found' }
  const participant = await deps.db.transaction().execute(async (trx) => {
    const p = await ensureParticipant(trx, conversation.id, input.who.identity, now)
    await recordVote(
      trx,
      { conversationId: conversation.id, participantId: p.id, statementId: statement.id, vote: input.vote },
      now,
    )
    return p
  })
  await requestRecompute(deps, conversation.id, { now })
  return { ok: true, participant }
}

export type StatementOutcome =
  | { readonly ok: true; readonly statement: StatementRecord }
  | { readonly ok: false; readonly reason: RefusalReason | 'not-found' }
  | { readonly ok: false; readonly problem: Problem; readonly duplicateOf?: StatementRecord }

/**
 * A participant's statement: checked for length and near-duplicates, stored unmoderated, and
 * agreed with by its author (as Pol.is does). With strict moderation others see it once accepted.
 */
export async function addStatement(
  deps: Deps,
  input: {
    conversationId: number
    who: Participation
    actor: Actor
    text: string
    language: 'en' | 'cy'
    requestId?: string
  },
  now: Date,
): Promise<StatementOutcome> {
  const conversation = await findConversation(deps.db, input.conversationId)
  if (!conversation) return { ok: false, reason: 'not-found' }
  const existing = await findParticipantFor(deps.db, conversation.id, input.who.identity)
  const refusal = statementRefusal(
    conversation,
    { assurance: input.who.assurance, banned: existing?.bannedAt != null },
    now,
  )
  if (refusal) return { ok: false, reason: refusal }
  const problem = statementProblem(input.text, conversation.maxLength)
  if (problem) return { ok: false, problem }
  const text = cleanStatement(input.text)
  const statements = await listStatements(deps.db, conversation.id)
  const settings = await deliberationSettings(deps.db)
  const duplicate = findNearDuplicate(
    text,
    statements
      .filter((s) => s.moderation !== -1)
      .map((s) => ({ id: s.id, texts: [s.textEn ?? '', s.textCy ?? ''] })),
    settings.duplicateThreshold,
  )
  if (duplicate) {
    return {
      ok: false,
      problem: { field: 'statement', code: 'duplicate' },
      duplicateOf: statements.find((s) => s.id === duplicate.id)!,
    }
  }
  const statement = await deps.db.transaction().execute(async (trx) => {
    const author = await ensureParticipant(trx, conversation.id, input.who.identity, now)
    const s = await insertStatement(
      trx,
      {
        conversationId: conversation.id,
        textEn: input.language === 'en' ? text : null,
        textCy: input.language === 'cy' ? text : null,
        authorParticipantId: author.id,
        seed: false,
        moderation: 0,
      },
      now,
    )
    await recordVote(
      trx,
      { conversationId: conversation.id, participantId: author.id, statementId: s.id, vote: 1 },
      now,
    )
    await recordAudit(trx, {
      actor: input.actor,
      action: 'deliberation.statement.add',
      subject: { type: 'deliberation_statement', id: s.id },
      details: { conversation: conversation.id, participant: author.number, number: s.number },
      requestId: input.requestId ?? null,
      at: now,
    })
    return s
  })
  await requestRecompute(deps, conversation.id, { now })
  return { ok: true, statement }
}

/** The next statement for a participant: priority-weighted random among those they have not voted on. */
export function nextStatement(
  conversation: ConversationRecord,
  statements: readonly StatementRecord[],
  voted: ReadonlySet<number>,
  participant: ParticipantRecord | undefined,
  snapshot: Snapshot | null,
  random: () => number = Math.random,
): StatementRecord | null {
  const candidates = statements
    .filter(
      (s) =>
        isVisible(s, conversation.strictModeration) &&
        !voted.has(s.id) &&
        (participant === undefined || s.authorParticipantId !== participant.id),
    )
    .map((s) => ({
      id: s.id,
      priority: s.meta
        ? META_PRIORITY
        : (snapshot?.statements[String(s.number)]?.priority ?? NEW_STATEMENT_PRIORITY),
    }))
  const id = chooseStatement(candidates, random)
  return id === null ? null : (statements.find((s) => s.id === id) ?? null)
}

// ── Staff ───────────────────────────────────────────────────────────────────────────────

function staffLabel(actor: Actor): string {
  return actor.kind === 'staff' ? actor.email : actor.kind === 'system' ? actor.name : actor.kind
}

/** Seed statements from the form, English and Welsh paired by line. */
async function addSeeds(
  trx: Parameters<typeof insertStatement>[0],
  conversationId: number,
  input: Pick<ConversationInput, 'seedsEn' | 'seedsCy'>,
  by: string,
  now: Date,
): Promise<number> {
  for (const [i, en] of input.seedsEn.entries()) {
    await insertStatement(
      trx,
      {
        conversationId,
        textEn: en,
        textCy: input.seedsCy[i] ?? null,
        authorParticipantId: null,
        seed: true,
        moderation: 1,
        moderatedBy: by,
      },
      now,
    )
  }
  return input.seedsEn.length
}

export async function createConversation(
  deps: Deps,
  actor: Actor,
  input: ConversationInput & { opensAt: string },
  now: Date,
  requestId?: string,
): Promise<number> {
  const by = staffLabel(actor)
  return deps.db.transaction().execute(async (trx) => {
    const id = await insertConversation(trx, conversationFields(input), by, now)
    const seeds = await addSeeds(trx, id, input, by, now)
    await recordAudit(trx, {
      actor,
      action: 'deliberation.conversation.create',
      subject: { type: 'deliberation_conversation', id },
      details: { title: input.titleEn, seeds },
      requestId: requestId ?? null,
      at: now,
    })
    return id
  })
}

export async function editConversation(
  deps: Deps,
  actor: Actor,
  id: number,
  input: ConversationInput & { opensAt: string },
  now: Date,
  requestId?: string,
): Promise<void> {
  const by = staffLabel(actor)
  await deps.db.transaction().execute(async (trx) => {
    await updateConversation(trx, id, conversationFields(input), now)
    const seeds = await addSeeds(trx, id, input, by, now)
    await recordAudit(trx, {
      actor,
      action: 'deliberation.conversation.update',
      subject: { type: 'deliberation_conversation', id },
      details: { title: input.titleEn, seedsAdded: seeds },
      requestId: requestId ?? null,
      at: now,
    })
  })
  await requestRecompute(deps, id, { now, delayMs: 0 })
}

function conversationFields(input: ConversationInput & { opensAt: string }) {
  return {
    titleEn: input.titleEn.trim(),
    titleCy: input.titleCy.trim() || null,
    descriptionEn: input.descriptionEn.trim(),
    descriptionCy: input.descriptionCy.trim() || null,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    voteAssurance: input.voteAssurance,
    statementPolicy: input.statementPolicy,
    strictModeration: input.strictModeration,
    showMap: input.showMap,
    openData: input.openData,
    maxLength: input.maxLength,
  }
}

export const MODERATION_ACTIONS = ['accept', 'reject', 'meta', 'unmeta'] as const
export type ModerationAction = (typeof MODERATION_ACTIONS)[number]

export function isModerationAction(value: string): value is ModerationAction {
  return (MODERATION_ACTIONS as readonly string[]).includes(value)
}

/** Accept, reject or mark as meta; the math runs again at once, and the report changes with it. */
export async function moderateStatement(
  deps: Deps,
  actor: Actor,
  statement: StatementRecord,
  action: ModerationAction,
  now: Date,
  requestId?: string,
): Promise<void> {
  const change =
    action === 'accept'
      ? { moderation: 1 as const }
      : action === 'reject'
        ? { moderation: -1 as const }
        : action === 'meta'
          ? { meta: true, moderation: 1 as const }
          : { meta: false }
  await deps.db.transaction().execute(async (trx) => {
    await updateStatementModeration(trx, statement.id, change, staffLabel(actor), now)
    await recordAudit(trx, {
      actor,
      action: `deliberation.statement.${action}`,
      subject: { type: 'deliberation_statement', id: statement.id },
      details: {
        conversation: statement.conversationId,
        number: statement.number,
        from: statement.moderation,
      },
      requestId: requestId ?? null,
      at: now,
    })
  })
  await requestRecompute(deps, statement.conversationId, { now, delayMs: 0 })
}

/** Bans or lets back a participant. A ban takes their votes out of the math and closes their alerts. */
export async function setParticipantBan(
  deps: Deps,
  actor: Actor,
  participant: ParticipantRecord,
  ban: { banned: true; reason: string } | { banned: false },
  now: Date,
  requestId?: string,
): Promise<void> {
  const by = staffLabel(actor)
  await deps.db.transaction().execute(async (trx) => {
    await setBanned(
      trx,
      participant.id,
      ban.banned ? { banned: true, by, reason: ban.reason } : { banned: false },
      now,
    )
    if (ban.banned) await resolveAlerts(trx, { participantId: participant.id }, 'banned', by, now)
    await recordAudit(trx, {
      actor,
      action: ban.banned ? 'deliberation.participant.ban' : 'deliberation.participant.unban',
      subject: { type: 'deliberation_participant', id: participant.id },
      details: {
        conversation: participant.conversationId,
        number: participant.number,
        ...(ban.banned ? { reason: ban.reason } : {}),
      },
      requestId: requestId ?? null,
      at: now,
    })
  })
  await requestRecompute(deps, participant.conversationId, { now, delayMs: 0 })
}

export async function dismissAlert(
  deps: Deps,
  actor: Actor,
  alert: { id: number; conversationId: number; participantId: number },
  now: Date,
  requestId?: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await resolveAlerts(trx, { alertId: alert.id }, 'dismissed', staffLabel(actor), now)
    await recordAudit(trx, {
      actor,
      action: 'deliberation.alert.dismiss',
      subject: { type: 'deliberation_alert', id: alert.id },
      details: { conversation: alert.conversationId, participant: alert.participantId },
      requestId: requestId ?? null,
      at: now,
    })
  })
}
