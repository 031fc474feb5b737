import type { Actor } from '../auth/actor.js'
import type { DbOrTrx } from '../db/database.js'
import '../db/tables.js'

/** One entry of the append-only audit log: who did what to which record, when. */
export interface AuditEntry {
  readonly id: number
  readonly at: string
  readonly actorKind: string
  readonly actorId: string | null
  readonly actorLabel: string | null
  readonly action: string
  readonly subjectType: string | null
  readonly subjectId: string | null
  readonly details: Readonly<Record<string, unknown>>
  readonly requestId: string | null
}

export interface AuditRecord {
  readonly actor: Actor
  /** `<module>.<verb>`, e.g. `petitions.approve`, `platform.user.add`. */
  readonly action: string
  readonly subject?: { readonly type: string; readonly id: string | number }
  readonly details?: Readonly<Record<string, unknown>>
  readonly requestId?: string | null
  readonly at?: Date
}

function actorColumns(actor: Actor): {
  actor_kind: string
  actor_id: string | null
  actor_label: string | null
} {
  switch (actor.kind) {
    case 'staff':
      return { actor_kind: 'staff', actor_id: String(actor.id), actor_label: actor.email }
    // Citizens are named by id only: the audit log is kept for ever, personal data is not.
    case 'citizen':
      return { actor_kind: 'citizen', actor_id: String(actor.id), actor_label: null }
    case 'system':
      return { actor_kind: 'system', actor_id: null, actor_label: actor.name }
    default:
      return { actor_kind: 'anonymous', actor_id: null, actor_label: null }
  }
}

/** Appends to the audit log. Pass the open transaction so the entry commits with the change it records. */
export async function recordAudit(db: DbOrTrx, record: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: (record.at ?? new Date()).toISOString(),
      ...actorColumns(record.actor),
      action: record.action,
      subject_type: record.subject?.type ?? null,
      subject_id: record.subject ? String(record.subject.id) : null,
      details: JSON.stringify(record.details ?? {}),
      request_id: record.requestId ?? null,
    })
    .execute()
}

export interface AuditFilter {
  readonly actor?: string
  readonly action?: string
  readonly subjectType?: string
  readonly subjectId?: string
  readonly from?: string
  readonly to?: string
  readonly limit?: number
  readonly beforeId?: number
}

export async function findAuditEntries(db: DbOrTrx, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll()
  if (filter.actor)
    q = q.where((eb) =>
      eb.or([eb('actor_label', 'like', `%${filter.actor}%`), eb('actor_id', '=', filter.actor!)]),
    )
  if (filter.action) q = q.where('action', 'like', `${filter.action}%`)
  if (filter.subjectType) q = q.where('subject_type', '=', filter.subjectType)
  if (filter.subjectId) q = q.where('subject_id', '=', filter.subjectId)
  if (filter.from) q = q.where('at', '>=', filter.from)
  if (filter.to) q = q.where('at', '<', filter.to)
  if (filter.beforeId) q = q.where('id', '<', filter.beforeId)
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
    requestId: r.request_id,
  }))
}
