import { isPetitionState, type PetitionState, VISIBLE_STATES } from '../domain/petition.js'
import type {
  AreaCount,
  CountKind,
  GovernmentResponse,
  NewPetition,
  Petition,
} from '../store/petition-store.js'

/**
 * The petition.parliament.uk JSON shape (`petitions/N.json`, anchors §1c), read and written so a
 * council's petitions are open data any UK-petitions tool already understands.
 */

export class UkPetitionFormatError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    problem: string,
  ) {
    super(`${file}: ${path} ${problem}`)
    this.name = 'UkPetitionFormatError'
  }
}

type Json = Record<string, unknown>

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export interface ImportedPetition {
  readonly originalId: number
  readonly petition: NewPetition
  readonly counts: Readonly<Record<Exclude<CountKind, 'assurance'>, readonly AreaCount[]>>
}

/** Reads one petition file; every problem names the file and the JSON path. */
export function parseUkPetition(json: unknown, file: string): ImportedPetition {
  const fail = (path: string, problem: string): never => {
    throw new UkPetitionFormatError(file, path, problem)
  }
  if (!isObject(json) || !isObject(json['data']))
    return fail('data', 'is missing: not a petition.parliament.uk petition file')
  const data = json['data']
  const id = data['id']
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return fail('data.id', 'must be a whole number')
  if (data['type'] !== 'petition') return fail('data.type', 'must be "petition"')
  const a = data['attributes']
  if (!isObject(a)) return fail('data.attributes', 'is missing')
  const str = (key: string, required = false): string | null => {
    const v = a[key]
    if (v === null || v === undefined) return required ? fail(`data.attributes.${key}`, 'is missing') : null
    if (typeof v !== 'string') return fail(`data.attributes.${key}`, 'must be text')
    return v
  }
  const time = (key: string): string | null => {
    const v = str(key)
    if (v !== null && Number.isNaN(Date.parse(v)))
      return fail(`data.attributes.${key}`, `is not a date ("${v}")`)
    return v
  }
  const state = str('state', true)!
  if (!isPetitionState(state)) return fail('data.attributes.state', `"${state}" is not a petition state`)
  const count = a['signature_count']
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    return fail('data.attributes.signature_count', 'must be a whole number of at least 0')
  }
  const areaList = (key: string, codeKey: string, extraKeys: readonly string[]): AreaCount[] => {
    const list = a[key]
    if (list === undefined || list === null) return []
    if (!Array.isArray(list)) return fail(`data.attributes.${key}`, 'must be a list')
    return list.map((item: unknown, i) => {
      const at = `data.attributes.${key}[${i}]`
      if (!isObject(item)) return fail(at, 'must be an object')
      const name = item['name']
      const code = item[codeKey]
      const n = item['signature_count']
      if (typeof name !== 'string') return fail(`${at}.name`, 'must be text')
      if (typeof code !== 'string' || code === '') return fail(`${at}.${codeKey}`, 'must be text')
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
        return fail(`${at}.signature_count`, 'must be a whole number')
      const extra: Json = {}
      for (const k of extraKeys) if (k in item) extra[k] = item[k]
      return { code, name, count: n, extra }
    })
  }
  const responseJson = a['government_response']
  let response: GovernmentResponse | null = null
  if (isObject(responseJson)) {
    response = {
      respondedOn: String(responseJson['responded_on'] ?? ''),
      summary: String(responseJson['summary'] ?? ''),
      details: String(responseJson['details'] ?? ''),
      createdAt: String(responseJson['created_at'] ?? ''),
      updatedAt: String(responseJson['updated_at'] ?? ''),
    }
  }
  const rejectionJson = a['rejection']
  const createdAt = time('created_at') ?? new Date(0).toISOString()
  const extra: Json = { originalId: id }
  for (const k of ['departments', 'topics', 'other_parliamentary_business']) if (k in a) extra[k] = a[k]
  return {
    originalId: id,
    petition: {
      action: str('action', true)!,
      background: str('background') ?? '',
      additionalDetails: str('additional_details') ?? '',
      committeeNote: str('committee_note') ?? '',
      state: state as PetitionState,
      language: 'en',
      creatorName: str('creator_name'),
      creatorEmail: null,
      signatureCount: count,
      createdAt,
      updatedAt: time('updated_at') ?? createdAt,
      // Older files (2016) call it open_at.
      openedAt: time('opened_at') ?? time('open_at'),
      closedAt: time('closed_at'),
      deadlineAt: time('closing_date'),
      rejectedAt: time('rejected_at'),
      moderationThresholdReachedAt: time('moderation_threshold_reached_at'),
      responseThresholdReachedAt: time('response_threshold_reached_at'),
      debateThresholdReachedAt: time('debate_threshold_reached_at'),
      governmentResponseAt: time('government_response_at'),
      scheduledDebateDate: str('scheduled_debate_date'),
      debateOutcomeAt: time('debate_outcome_at'),
      rejection: isObject(rejectionJson)
        ? {
            code: String(rejectionJson['code'] ?? ''),
            details: (rejectionJson['details'] as string | null) ?? null,
          }
        : null,
      response,
      debate: isObject(a['debate']) ? (a['debate'] as Json) : null,
      extra,
      source: 'uk-import',
      sourceUrl:
        isObject(json['links']) && typeof json['links']['self'] === 'string' ? json['links']['self'] : null,
    },
    counts: {
      country: areaList('signatures_by_country', 'code', []),
      area: areaList('signatures_by_constituency', 'ons_code', ['mp']),
      region: areaList('signatures_by_region', 'ons_code', []),
    },
  }
}

export interface UkCounts {
  readonly country: readonly AreaCount[]
  readonly area: readonly AreaCount[]
  readonly region: readonly AreaCount[]
}

/** Our petition in the petition.parliament.uk single-petition shape. */
export function toUkPetitionJson(p: Petition, counts: UkCounts, baseUrl: string): Json {
  const published = (VISIBLE_STATES as readonly string[]).includes(p.state)
  const hidden = p.state === 'hidden'
  const attributes: Json = {
    action: hidden ? null : p.action,
    background: hidden ? null : p.background,
    additional_details: hidden ? null : p.additionalDetails,
    committee_note: p.committeeNote || null,
    state: p.state,
    signature_count: p.signatureCount,
    ...(p.state === 'open' ? { closing_date: p.deadlineAt } : {}),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    rejected_at: p.rejectedAt,
    opened_at: p.openedAt,
    closed_at: p.closedAt,
    moderation_threshold_reached_at: p.moderationThresholdReachedAt,
    response_threshold_reached_at: p.responseThresholdReachedAt,
    government_response_at: p.governmentResponseAt,
    debate_threshold_reached_at: p.debateThresholdReachedAt,
    scheduled_debate_date: p.scheduledDebateDate,
    debate_outcome_at: p.debateOutcomeAt,
    // The UK site names the creator only while the petition is open.
    creator_name: p.state === 'open' ? p.creatorName : null,
    rejection: p.rejection ? { code: p.rejection.code, details: p.rejection.details } : null,
    government_response: p.response
      ? {
          responded_on: p.response.respondedOn,
          summary: p.response.summary,
          details: p.response.details,
          created_at: p.response.createdAt,
          updated_at: p.response.updatedAt,
        }
      : null,
    debate: p.debate,
    departments: p.extra['departments'] ?? [],
    topics: p.extra['topics'] ?? [],
  }
  if (published) {
    attributes['signatures_by_country'] = counts.country.map((c) => ({
      name: c.name,
      code: c.code,
      signature_count: c.count,
    }))
    attributes['signatures_by_constituency'] = counts.area.map((c) => ({
      name: c.name,
      ons_code: c.code,
      mp: c.extra['mp'] ?? null,
      signature_count: c.count,
    }))
    attributes['signatures_by_region'] = counts.region.map((c) => ({
      name: c.name,
      ons_code: c.code,
      signature_count: c.count,
    }))
  }
  attributes['other_parliamentary_business'] = p.extra['other_parliamentary_business'] ?? []
  return {
    links: { self: `${baseUrl}/petitions/${p.id}.json` },
    data: { type: 'petition', id: p.id, attributes },
  }
}
