import type { DbOrTrx } from '../../../platform/db/database.js'
import type { SourceType } from '../domain/post.js'
import './tables.js'

export interface ListeningSource {
  readonly id: number
  readonly name: string
  readonly type: SourceType
  readonly config: Readonly<Record<string, unknown>>
  /** Credentials: for connectors only, never rendered. */
  readonly secrets: Readonly<Record<string, string>>
  readonly hasSecrets: boolean
  readonly tokenHash: string | null
  readonly enabled: boolean
  readonly retentionDays: number
  readonly state: Readonly<Record<string, unknown>>
  readonly storedCount: number
  readonly skippedCount: number
  readonly errorCount: number
  readonly lastError: string | null
  readonly lastRunAt: string | null
  readonly nextRunAt: string | null
  readonly leaseOwner: string | null
  readonly leaseUntil: string | null
  readonly createdAt: string
}

type Row = {
  id: number
  name: string
  type: string
  config: string
  secrets: string
  token_hash: string | null
  enabled: number
  retention_days: number
  state: string
  stored_count: number
  skipped_count: number
  error_count: number
  last_error: string | null
  last_run_at: string | null
  next_run_at: string | null
  lease_owner: string | null
  lease_until: string | null
  created_at: string
}

function toSource(r: Row): ListeningSource {
  const secrets = JSON.parse(r.secrets) as Record<string, string>
  return {
    id: Number(r.id),
    name: r.name,
    type: r.type as SourceType,
    config: JSON.parse(r.config) as Record<string, unknown>,
    secrets,
    hasSecrets: Object.values(secrets).some((v) => typeof v === 'string' && v !== ''),
    tokenHash: r.token_hash,
    enabled: Number(r.enabled) === 1,
    retentionDays: Number(r.retention_days),
    state: JSON.parse(r.state) as Record<string, unknown>,
    storedCount: Number(r.stored_count),
    skippedCount: Number(r.skipped_count),
    errorCount: Number(r.error_count),
    lastError: r.last_error,
    lastRunAt: r.last_run_at,
    nextRunAt: r.next_run_at,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    createdAt: r.created_at,
  }
}

export async function listSources(db: DbOrTrx): Promise<ListeningSource[]> {
  const rows = await db.selectFrom('listening_sources').selectAll().orderBy('name').execute()
  return rows.map((r) => toSource(r as Row))
}

export async function findSource(db: DbOrTrx, id: number): Promise<ListeningSource | undefined> {
  if (!Number.isSafeInteger(id)) return undefined
  const r = await db.selectFrom('listening_sources').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toSource(r as Row) : undefined
}

export async function findSourceByName(db: DbOrTrx, name: string): Promise<ListeningSource | undefined> {
  const r = await db.selectFrom('listening_sources').selectAll().where('name', '=', name).executeTakeFirst()
  return r ? toSource(r as Row) : undefined
}

export async function insertSource(
  db: DbOrTrx,
  input: {
    name: string
    type: SourceType
    config: Record<string, unknown>
    secrets?: Record<string, string>
    tokenHash?: string | null
    retentionDays: number
    enabled?: boolean
  },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('listening_sources')
    .values({
      name: input.name,
      type: input.type,
      config: JSON.stringify(input.config),
      secrets: JSON.stringify(input.secrets ?? {}),
      token_hash: input.tokenHash ?? null,
      retention_days: input.retentionDays,
      enabled: input.enabled === false ? 0 : 1,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateSource(
  db: DbOrTrx,
  id: number,
  patch: Partial<{
    name: string
    config: Record<string, unknown>
    secrets: Record<string, string>
    tokenHash: string | null
    retentionDays: number
    enabled: boolean
  }>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('listening_sources')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.config !== undefined ? { config: JSON.stringify(patch.config) } : {}),
      ...(patch.secrets !== undefined ? { secrets: JSON.stringify(patch.secrets) } : {}),
      ...(patch.tokenHash !== undefined ? { token_hash: patch.tokenHash } : {}),
      ...(patch.retentionDays !== undefined ? { retention_days: patch.retentionDays } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

/** Saves a connector's cursor (after the posts it covers are stored) and clears its error state. */
export async function saveSourceState(
  db: DbOrTrx,
  id: number,
  state: Readonly<Record<string, unknown>>,
  counts: { stored: number; skipped: number },
  now: Date,
): Promise<void> {
  await db
    .updateTable('listening_sources')
    .set((eb) => ({
      state: JSON.stringify(state),
      stored_count: eb('stored_count', '+', counts.stored),
      skipped_count: eb('skipped_count', '+', counts.skipped),
      last_run_at: now.toISOString(),
      updated_at: now.toISOString(),
    }))
    .where('id', '=', id)
    .execute()
}

export async function recordSourceSuccess(db: DbOrTrx, id: number, now: Date): Promise<void> {
  await db
    .updateTable('listening_sources')
    .set({ error_count: 0, last_error: null, next_run_at: null, last_run_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

/** Records a failure and when the connector may try again (back-off). */
export async function recordSourceFailure(
  db: DbOrTrx,
  id: number,
  error: string,
  nextRunAt: Date,
  now: Date,
): Promise<void> {
  await db
    .updateTable('listening_sources')
    .set((eb) => ({
      error_count: eb('error_count', '+', 1),
      last_error: error.slice(0, 1000),
      next_run_at: nextRunAt.toISOString(),
      last_run_at: now.toISOString(),
    }))
    .where('id', '=', id)
    .execute()
}

export async function addSkipped(db: DbOrTrx, id: number, skipped: number): Promise<void> {
  if (skipped === 0) return
  await db
    .updateTable('listening_sources')
    .set((eb) => ({ skipped_count: eb('skipped_count', '+', skipped) }))
    .where('id', '=', id)
    .execute()
}

/**
 * Claims (or renews) the lease on a streaming source: only one process runs a given stream.
 * True when `owner` holds it until `until`.
 */
export async function claimLease(
  db: DbOrTrx,
  id: number,
  owner: string,
  now: Date,
  until: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('listening_sources')
    .set({ lease_owner: owner, lease_until: until.toISOString() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('lease_owner', 'is', null),
        eb('lease_owner', '=', owner),
        eb('lease_until', '<', now.toISOString()),
      ]),
    )
    .executeTakeFirst()
  return Number(res.numUpdatedRows ?? 0) === 1
}

export async function releaseLease(db: DbOrTrx, id: number, owner: string): Promise<void> {
  await db
    .updateTable('listening_sources')
    .set({ lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute()
}

export async function deleteSource(db: DbOrTrx, id: number): Promise<void> {
  await db
    .deleteFrom('listening_matches')
    .where('post_id', 'in', (eb) => eb.selectFrom('listening_posts').select('id').where('source_id', '=', id))
    .execute()
  await db.deleteFrom('listening_posts').where('source_id', '=', id).execute()
  await db.deleteFrom('listening_sources').where('id', '=', id).execute()
}
