/**
 * Staff commands on cases: replies (with approval when the policy checker flags them or the topic
 * is sensitive — Sprout reply approvals), notes, status, assignment, moderation with a house-rule
 * code. Each runs in one transaction with its audit entry.
 */
import { recordAudit } from '../../../platform/audit/audit.js'
import type { Actor } from '../../../platform/auth/actor.js'
import type { Db, DbOrTrx } from '../../../platform/db/database.js'
import { DomainError, notFound } from '../../../platform/errors/errors.js'
import { assertTransition, type CaseState, needsApproval, type Priority } from '../domain/case.js'
import { deadlines } from '../domain/sla.js'
import {
  type Case,
  findCase,
  findMessage,
  insertMessage,
  updateCase,
  updateMessage,
} from '../store/case-store.js'
import { adjustOpenCount, listHouseRules } from '../store/config-store.js'
import { policyFor, routingContext } from './intake.js'

export interface PolicyFinding {
  readonly code: string
  readonly severity: 'block' | 'warn'
  readonly start: number
  readonly end: number
  readonly message: string
}

function staffId(actor: Actor): number | null {
  return actor.kind === 'staff' ? actor.id : null
}

async function loadCase(db: DbOrTrx, caseId: number): Promise<Case> {
  const c = await findCase(db, caseId)
  if (!c) throw notFound()
  return c
}

/** Stops the first-response and next-response timers: we have answered. */
async function markResponded(trx: DbOrTrx, c: Case, at: Date): Promise<void> {
  const ctx = await routingContext(trx)
  const iso = at.toISOString()
  const firstAt = c.firstResponseAt ?? iso
  const due = deadlines(policyFor(ctx, c.teamId, c.slaPolicyId), {
    createdAt: c.createdAt,
    firstResponseAt: firstAt,
    awaitingSince: null,
    resolvedAt: c.resolvedAt,
  })
  await updateCase(trx, c.id, {
    first_response_at: firstAt,
    first_response_within:
      c.firstResponseAt === null
        ? c.firstResponseDue === null || iso <= c.firstResponseDue
          ? 1
          : 0
        : c.firstResponseWithin === null
          ? null
          : c.firstResponseWithin
            ? 1
            : 0,
    first_response_due: null,
    next_response_due: due.nextResponseDue,
    awaiting_since: null,
    status: c.status === 'open' ? 'pending' : c.status,
    updated_at: iso,
  })
}

export interface ReplyInput {
  readonly caseId: number
  readonly text: string
  readonly findings: readonly PolicyFinding[]
  readonly answerId?: number | null
  readonly answerVersion?: number | null
}

/**
 * Submits a reply. Flagged or sensitive: it waits for a second person's approval; otherwise it is
 * queued for sending at once and the response timers stop.
 */
export async function submitReply(
  db: Db,
  actor: Actor,
  input: ReplyInput,
  now: Date,
): Promise<{ messageId: number; state: 'awaiting-approval' | 'queued' }> {
  return db.transaction().execute(async (trx) => {
    const c = await loadCase(trx, input.caseId)
    if (c.status === 'closed') throw new DomainError('inbox-case-closed', 409)
    const state = needsApproval(input.findings, c.sensitive) ? 'awaiting-approval' : 'queued'
    const messageId = await insertMessage(trx, {
      caseId: c.id,
      direction: 'outbound',
      channel: c.channel,
      text: input.text,
      state,
      createdAt: now,
      authorStaffId: staffId(actor),
      language: c.language,
      findings: input.findings,
      answerId: input.answerId ?? null,
      answerVersion: input.answerVersion ?? null,
    })
    if (state === 'queued') await markResponded(trx, c, now)
    await recordAudit(trx, {
      actor,
      action: state === 'queued' ? 'inbox.reply.queue' : 'inbox.reply.submit',
      subject: { type: 'inbox_case', id: c.id },
      details: { messageId, findings: input.findings.map((f) => f.code), sensitive: c.sensitive },
      at: now,
    })
    return { messageId, state }
  })
}

/** A second person approves or rejects a waiting reply; nobody approves their own. */
export async function reviewReply(
  db: Db,
  actor: Actor,
  messageId: number,
  decision: 'approve' | 'reject',
  note: string,
  now: Date,
): Promise<Case> {
  return db.transaction().execute(async (trx) => {
    const m = await findMessage(trx, messageId)
    if (m?.direction !== 'outbound') throw notFound()
    if (m.state !== 'awaiting-approval') throw new DomainError('inbox-not-awaiting-approval', 409)
    if (m.authorStaffId !== null && m.authorStaffId === staffId(actor))
      throw new DomainError('inbox-own-reply', 403)
    const c = await loadCase(trx, m.caseId)
    await updateMessage(trx, m.id, {
      state: decision === 'approve' ? 'queued' : 'rejected',
      approved_by: staffId(actor),
      review_note: note || null,
    })
    if (decision === 'approve') await markResponded(trx, c, now)
    await recordAudit(trx, {
      actor,
      action: decision === 'approve' ? 'inbox.reply.approve' : 'inbox.reply.reject',
      subject: { type: 'inbox_case', id: c.id },
      details: { messageId, note: note || undefined },
      at: now,
    })
    return c
  })
}

export async function addNote(
  db: Db,
  actor: Actor,
  caseId: number,
  text: string,
  now: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const c = await loadCase(trx, caseId)
    const id = await insertMessage(trx, {
      caseId: c.id,
      direction: 'note',
      channel: 'note',
      text,
      state: 'note',
      createdAt: now,
      authorStaffId: staffId(actor),
    })
    await recordAudit(trx, {
      actor,
      action: 'inbox.note',
      subject: { type: 'inbox_case', id: c.id },
      at: now,
    })
    return id
  })
}

/** Open ↔ pending ↔ closed; closing stops the timers and frees the assignee's slot. */
export async function changeStatus(
  db: Db,
  actor: Actor,
  caseId: number,
  to: CaseState,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const c = await loadCase(trx, caseId)
    if (c.status === to) return
    assertTransition(c.status, to)
    const iso = now.toISOString()
    if (to === 'closed') {
      await updateCase(trx, c.id, {
        status: 'closed',
        resolved_at: iso,
        first_response_due: null,
        next_response_due: null,
        resolution_due: null,
        updated_at: iso,
      })
      if (c.assigneeId !== null) await adjustOpenCount(trx, c.assigneeId, -1)
    } else {
      const ctx = await routingContext(trx)
      const due = deadlines(policyFor(ctx, c.teamId, c.slaPolicyId), {
        createdAt: c.createdAt,
        firstResponseAt: c.firstResponseAt,
        awaitingSince: c.awaitingSince,
        resolvedAt: null,
      })
      await updateCase(trx, c.id, {
        status: to,
        resolved_at: null,
        first_response_due: due.firstResponseDue,
        next_response_due: due.nextResponseDue,
        resolution_due: due.resolutionDue,
        updated_at: iso,
      })
      if (c.status === 'closed' && c.assigneeId !== null) await adjustOpenCount(trx, c.assigneeId, 1)
    }
    await recordAudit(trx, {
      actor,
      action: 'inbox.case.status',
      subject: { type: 'inbox_case', id: c.id },
      details: { from: c.status, to },
      at: now,
    })
  })
}

export async function assignCase(
  db: Db,
  actor: Actor,
  caseId: number,
  patch: { assigneeId: number | null; teamId: number | null; priority: Priority },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const c = await loadCase(trx, caseId)
    const counts = c.status !== 'closed'
    if (c.assigneeId !== patch.assigneeId) {
      if (counts && c.assigneeId !== null) await adjustOpenCount(trx, c.assigneeId, -1)
      if (counts && patch.assigneeId !== null) await adjustOpenCount(trx, patch.assigneeId, 1, now)
    }
    await updateCase(trx, c.id, {
      assignee_id: patch.assigneeId,
      team_id: patch.teamId,
      priority: patch.priority,
      updated_at: now.toISOString(),
    })
    await recordAudit(trx, {
      actor,
      action: 'inbox.case.assign',
      subject: { type: 'inbox_case', id: c.id },
      details: { from: { assigneeId: c.assigneeId, teamId: c.teamId, priority: c.priority }, to: patch },
      at: now,
    })
  })
}

export const MODERATION_ACTIONS = ['hide', 'report'] as const
export type ModerationAction = (typeof MODERATION_ACTIONS)[number]

/** Hides or reports a citizen's message under a house-rule code (Welsh Government house rules). */
export async function moderateMessage(
  db: Db,
  actor: Actor,
  messageId: number,
  action: ModerationAction,
  ruleCode: string,
  note: string,
  now: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const m = await findMessage(trx, messageId)
    if (m?.direction !== 'inbound') throw notFound()
    if (!(await listHouseRules(trx)).some((r) => r.code === ruleCode))
      throw new DomainError('inbox-unknown-house-rule', 400)
    const row = await trx
      .insertInto('inbox_moderation')
      .values({
        message_id: m.id,
        case_id: m.caseId,
        action,
        rule_code: ruleCode,
        note: note || null,
        staff_id: staffId(actor),
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (action === 'hide') await updateMessage(trx, m.id, { hidden: 1 })
    await recordAudit(trx, {
      actor,
      action: `inbox.message.${action}`,
      subject: { type: 'inbox_case', id: m.caseId },
      details: { messageId: m.id, rule: ruleCode },
      at: now,
    })
    return Number(row.id)
  })
}

/** Moderation counts per month, action and house-rule code (the monthly statistics page). */
export async function moderationStats(db: DbOrTrx, from: Date, to: Date) {
  const rows = await db
    .selectFrom('inbox_moderation')
    .select(['created_at', 'action', 'rule_code'])
    .where('created_at', '>=', from.toISOString())
    .where('created_at', '<', to.toISOString())
    .execute()
  const byKey = new Map<string, { month: string; action: string; code: string; count: number }>()
  for (const r of rows) {
    const month = r.created_at.slice(0, 7)
    const key = `${month}|${r.action}|${r.rule_code}`
    const e = byKey.get(key) ?? { month, action: r.action, code: r.rule_code, count: 0 }
    e.count++
    byKey.set(key, e)
  }
  return [...byKey.values()].sort(
    (a, b) =>
      b.month.localeCompare(a.month) || a.action.localeCompare(b.action) || a.code.localeCompare(b.code),
  )
}
