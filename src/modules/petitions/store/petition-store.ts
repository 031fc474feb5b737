import { createHash } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { PetitionLifecycle, PetitionState } from '../domain/petition.js'
import type { PetitionsTables } from './tables.js'

export interface GovernmentResponse {
  readonly respondedOn: string
  readonly summary: string
  readonly details: string
  readonly createdAt: string
  readonly updatedAt: string
}

export interface Petition extends PetitionLifecycle {
  readonly id: number
  readonly action: string
  readonly background: string
  readonly additionalDetails: string
  readonly committeeNote: string
  readonly language: string
  readonly creatorName: string | null
  readonly creatorEmail: string | null
  readonly updatedAt: string
  readonly governmentResponseAt: string | null
  readonly scheduledDebateDate: string | null
  readonly debateOutcomeAt: string | null
  readonly rejection: { readonly code: string; readonly details: string | null } | null
  readonly response: GovernmentResponse | null
  readonly debate: Readonly<Record<string, unknown>> | null
  readonly extra: Readonly<Record<string, unknown>>
  readonly source: 'local' | 'uk-import'
  readonly sourceUrl: string | null
  readonly lockedBy: number | null
  readonly lockedAt: string | null
  readonly duplicateOf: number | null
}

export type PetitionRow = Selectable<PetitionsTables['petitions']>

export function toPetition(r: PetitionRow): Petition {
  return {
    id: Number(r.id),
    action: r.action,
    background: r.background,
    additionalDetails: r.additional_details,
    committeeNote: r.committee_note,
    state: r.state as PetitionState,
    language: r.language,
    creatorName: r.creator_name,
    creatorEmail: r.creator_email,
    signatureCount: Number(r.signature_count),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    deadlineAt: r.deadline_at,
    rejectedAt: r.rejected_at,
    moderationThresholdReachedAt: r.moderation_threshold_reached_at,
    responseThresholdReachedAt: r.response_threshold_reached_at,
    debateThresholdReachedAt: r.debate_threshold_reached_at,
    governmentResponseAt: r.government_response_at,
    scheduledDebateDate: r.scheduled_debate_date,
    debateOutcomeAt: r.debate_outcome_at,
    rejection: r.rejection_code ? { code: r.rejection_code, details: r.rejection_details } : null,
    response: r.response ? (JSON.parse(r.response) as GovernmentResponse) : null,
    debate: r.debate ? (JSON.parse(r.debate) as Record<string, unknown>) : null,
    extra: JSON.parse(r.extra) as Record<string, unknown>,
    source: r.source === 'uk-import' ? 'uk-import' : 'local',
    sourceUrl: r.source_url,
    lockedBy: r.locked_by === null ? null : Number(r.locked_by),
    lockedAt: r.locked_at,
    duplicateOf: r.duplicate_of === null ? null : Number(r.duplicate_of),
  }
}

export type NewPetition = Omit<Petition, 'id' | 'lockedBy' | 'lockedAt' | 'duplicateOf'>

/** A new local petition with nothing yet happened to it: the fields every creator shares. */
export function newPetition(
  now: Date,
  fields: Pick<NewPetition, 'action' | 'background' | 'state'> & Partial<NewPetition>,
): NewPetition {
  const at = now.toISOString()
  return {
    additionalDetails: '',
    committeeNote: '',
    language: 'en',
    creatorName: null,
    creatorEmail: null,
    signatureCount: 0,
    createdAt: at,
    updatedAt: at,
    openedAt: null,
    closedAt: null,
    deadlineAt: null,
    rejectedAt: null,
    moderationThresholdReachedAt: null,
    responseThresholdReachedAt: null,
    debateThresholdReachedAt: null,
    governmentResponseAt: null,
    scheduledDebateDate: null,
    debateOutcomeAt: null,
    rejection: null,
    response: null,
    debate: null,
    extra: {},
    source: 'local',
    sourceUrl: null,
    ...fields,
  }
}

function toRow(p: NewPetition): Omit<PetitionRow, 'id'> {
  return {
    action: p.action,
    background: p.background,
    additional_details: p.additionalDetails,
    committee_note: p.committeeNote,
    state: p.state,
    language: p.language,
    creator_name: p.creatorName,
    creator_email: p.creatorEmail,
    signature_count: p.signatureCount,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    opened_at: p.openedAt,
    closed_at: p.closedAt,
    deadline_at: p.deadlineAt,
    rejected_at: p.rejectedAt,
    moderation_threshold_reached_at: p.moderationThresholdReachedAt,
    response_threshold_reached_at: p.responseThresholdReachedAt,
    debate_threshold_reached_at: p.debateThresholdReachedAt,
    government_response_at: p.governmentResponseAt,
    scheduled_debate_date: p.scheduledDebateDate,
    debate_outcome_at: p.debateOutcomeAt,
    rejection_code: p.rejection?.code ?? null,
    rejection_details: p.rejection?.details ?? null,
    response: p.response ? JSON.stringify(p.response) : null,
    debate: p.debate ? JSON.stringify(p.debate) : null,
    extra: JSON.stringify(p.extra),
    source: p.source,
    source_url: p.sourceUrl,
    locked_by: null,
    locked_at: null,
    sponsor_token_hash: null,
    duplicate_of: null,
  }
}

export async function insertPetition(db: DbOrTrx, petition: NewPetition): Promise<number> {
  const row = await db
    .insertInto('petitions')
    .values(toRow(petition))
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function findPetitionById(db: DbOrTrx, id: number): Promise<Petition | undefined> {
  if (!Number.isSafeInteger(id) || id < 1) return undefined
  const row = await db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toPetition(row) : undefined
}

export interface PetitionListQuery {
  readonly states: readonly PetitionState[]
  readonly q?: string
  readonly page: number
  readonly pageSize: number
}

/** A page of petitions, most signed first (the UK site's default order for open petitions). */
export async function listPetitions(
  db: DbOrTrx,
  query: PetitionListQuery,
): Promise<{ petitions: Petition[]; total: number }> {
  let base = db.selectFrom('petitions').where('state', 'in', [...query.states])
  if (query.q) {
    const like = `%${query.q.toLowerCase().replace(/[%_]/g, '')}%`
    base = base.where((eb) =>
      eb.or([eb(eb.fn('lower', ['action']), 'like', like), eb(eb.fn('lower', ['background']), 'like', like)]),
    )
  }
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const rows = await base
    .selectAll()
    .orderBy('signature_count', 'desc')
    .orderBy('id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute()
  return { petitions: rows.map(toPetition), total: Number(total.n) }
}

export const COUNT_KINDS = ['country', 'area', 'region', 'assurance'] as const
export type CountKind = (typeof COUNT_KINDS)[number]

export interface AreaCount {
  readonly code: string
  readonly name: string
  readonly count: number
  readonly extra: Readonly<Record<string, unknown>>
}

export async function findCounts(db: DbOrTrx, petitionId: number, kind: CountKind): Promise<AreaCount[]> {
  const rows = await db
    .selectFrom('petition_counts')
    .select(['code', 'name', 'count', 'extra'])
    .where('petition_id', '=', petitionId)
    .where('kind', '=', kind)
    .orderBy('name')
    .execute()
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    count: Number(r.count),
    extra: JSON.parse(r.extra) as Record<string, unknown>,
  }))
}

/** Replaces a petition's counts of one kind (imports and recounts). */
export async function replaceCounts(
  db: DbOrTrx,
  petitionId: number,
  kind: CountKind,
  counts: readonly AreaCount[],
): Promise<void> {
  await db
    .deleteFrom('petition_counts')
    .where('petition_id', '=', petitionId)
    .where('kind', '=', kind)
    .execute()
  for (let i = 0; i < counts.length; i += 200) {
    const chunk = counts.slice(i, i + 200)
    await db
      .insertInto('petition_counts')
      .values(
        chunk.map((c) => ({
          petition_id: petitionId,
          kind,
          code: c.code,
          name: c.name,
          count: c.count,
          extra: JSON.stringify(c.extra),
        })),
      )
      .execute()
  }
}

export async function recordPetitionEvent(
  db: DbOrTrx,
  petitionId: number,
  kind: string,
  at: Date | string,
  details: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  await db
    .insertInto('petition_events')
    .values({
      petition_id: petitionId,
      kind,
      at: typeof at === 'string' ? at : at.toISOString(),
      details: JSON.stringify(details),
    })
    .execute()
}

export async function findPetitionEvents(
  db: DbOrTrx,
  petitionId: number,
): Promise<{ at: string; kind: string; details: Record<string, unknown> }[]> {
  const rows = await db
    .selectFrom('petition_events')
    .select(['at', 'kind', 'details'])
    .where('petition_id', '=', petitionId)
    .orderBy('at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    at: r.at,
    kind: r.kind,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }))
}

/** True when `raw` is the petition's sponsor-link secret (only its SHA-256 is stored). */
export async function sponsorTokenMatches(db: DbOrTrx, petitionId: number, raw: string): Promise<boolean> {
  if (!raw) return false
  const row = await db
    .selectFrom('petitions')
    .select('sponsor_token_hash')
    .where('id', '=', petitionId)
    .executeTakeFirst()
  return (
    !!row?.sponsor_token_hash && row.sponsor_token_hash === createHash('sha256').update(raw).digest('hex')
  )
}

export interface RejectionReason {
  readonly code: string
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
  readonly hidden: boolean
}

export async function listRejectionReasons(db: DbOrTrx): Promise<RejectionReason[]> {
  const rows = await db
    .selectFrom('petition_rejection_reasons')
    .selectAll()
    .orderBy('hidden')
    .orderBy('code')
    .execute()
  return rows.map((r) => ({
    code: r.code,
    titleEn: r.title_en,
    titleCy: r.title_cy,
    descriptionEn: r.description_en,
    descriptionCy: r.description_cy,
    hidden: Number(r.hidden) === 1,
  }))
}

export async function upsertRejectionReason(db: DbOrTrx, reason: RejectionReason, now: Date): Promise<void> {
  const values = {
    title_en: reason.titleEn,
    title_cy: reason.titleCy,
    description_en: reason.descriptionEn,
    description_cy: reason.descriptionCy,
    hidden: reason.hidden ? 1 : 0,
    updated_at: now.toISOString(),
  }
  await db
    .insertInto('petition_rejection_reasons')
    .values({ code: reason.code, ...values })
    .onConflict((oc) => oc.column('code').doUpdateSet(values))
    .execute()
}

/** Petitions waiting for moderation, oldest first. */
export async function moderationQueue(db: DbOrTrx): Promise<Petition[]> {
  const rows = await db
    .selectFrom('petitions')
    .selectAll()
    .where('state', '=', 'sponsored')
    .orderBy('moderation_threshold_reached_at')
    .orderBy('id')
    .execute()
  return rows.map(toPetition)
}

export async function countInModeration(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('petitions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'sponsored')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Takes the moderation lock (e-petitions `checkout!`) unless another moderator holds a fresh one.
 * Returns who holds it afterwards.
 */
export async function takeModerationLock(
  db: DbOrTrx,
  petitionId: number,
  staffId: number,
  now: Date,
  staleMinutes = 30,
): Promise<number | null> {
  const stale = new Date(now.getTime() - staleMinutes * 60_000).toISOString()
  await db
    .updateTable('petitions')
    .set({ locked_by: staffId, locked_at: now.toISOString() })
    .where('id', '=', petitionId)
    .where((eb) =>
      eb.or([eb('locked_by', 'is', null), eb('locked_by', '=', staffId), eb('locked_at', '<', stale)]),
    )
    .execute()
  const row = await db
    .selectFrom('petitions')
    .select('locked_by')
    .where('id', '=', petitionId)
    .executeTakeFirst()
  return row?.locked_by === null || row?.locked_by === undefined ? null : Number(row.locked_by)
}
