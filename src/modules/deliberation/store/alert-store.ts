import type { DbOrTrx } from '../../../platform/db/database.js'
import type { AbnormalFinding, AbnormalKind } from '../domain/abnormal.js'
import './tables.js'

export interface AlertRecord {
  readonly id: number
  readonly conversationId: number
  readonly participantId: number
  readonly participantNumber: number
  readonly participantBanned: boolean
  readonly kind: AbnormalKind
  readonly details: AbnormalFinding
  readonly createdAt: string
  readonly resolvedAt: string | null
  readonly resolution: string | null
}

/** Raises an alert once per participant and kind; true when it is new. */
export async function raiseAlert(
  db: DbOrTrx,
  a: { conversationId: number; participantId: number; finding: AbnormalFinding },
  now: Date,
): Promise<boolean> {
  const result = await db
    .insertInto('deliberation_alerts')
    .values({
      conversation_id: a.conversationId,
      participant_id: a.participantId,
      kind: a.finding.kind,
      details: JSON.stringify(a.finding),
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['participant_id', 'kind']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function listAlerts(
  db: DbOrTrx,
  conversationId: number,
  options: { open?: boolean } = {},
): Promise<AlertRecord[]> {
  let q = db
    .selectFrom('deliberation_alerts as a')
    .innerJoin('deliberation_participants as p', 'p.id', 'a.participant_id')
    .select([
      'a.id',
      'a.conversation_id',
      'a.participant_id',
      'p.number',
      'p.banned_at',
      'a.kind',
      'a.details',
      'a.created_at',
      'a.resolved_at',
      'a.resolution',
    ])
    .where('a.conversation_id', '=', conversationId)
  if (options.open) q = q.where('a.resolved_at', 'is', null)
  const rows = await q.orderBy('a.id', 'desc').limit(500).execute()
  return rows.map((r) => ({
    id: Number(r.id),
    conversationId: Number(r.conversation_id),
    participantId: Number(r.participant_id),
    participantNumber: Number(r.number),
    participantBanned: r.banned_at !== null,
    kind: r.kind as AbnormalKind,
    details: JSON.parse(r.details) as AbnormalFinding,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
  }))
}

export async function findAlert(
  db: DbOrTrx,
  conversationId: number,
  id: number,
): Promise<AlertRecord | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined
  return (await listAlerts(db, conversationId)).find((a) => a.id === id)
}

/** Closes a participant's open alerts (dismissed, or dealt with by a ban). */
export async function resolveAlerts(
  db: DbOrTrx,
  where: { alertId: number } | { participantId: number },
  resolution: 'dismissed' | 'banned',
  by: string,
  now: Date,
): Promise<void> {
  let q = db
    .updateTable('deliberation_alerts')
    .set({ resolved_at: now.toISOString(), resolved_by: by, resolution })
    .where('resolved_at', 'is', null)
  q =
    'alertId' in where
      ? q.where('id', '=', where.alertId)
      : q.where('participant_id', '=', where.participantId)
  await q.execute()
}
