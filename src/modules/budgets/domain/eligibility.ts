/**
 * Who may vote in a budget.
 *
 * - `residents` (the default): an email-verified citizen who states a postcode inside the
 *   budget's eligible area. The area is a list of UK postcode areas (`CF`), districts (`CF10`)
 *   or sectors (`CF10 1`); an empty list means the whole organisation's area.
 * - `census`: whoever presents one of the codes staff imported for the budget; each code
 *   casts one ballot (which the same code may change until voting closes).
 * - `residents-or-census`: either.
 *
 * Paper ballots are entered by staff and are not subject to these rules.
 */
import { type AssuranceLevel, meetsAssurance } from '../../../platform/auth/actor.js'

export const VOTER_RULES = ['residents', 'census', 'residents-or-census'] as const
export type VoterRule = (typeof VOTER_RULES)[number]

export function isVoterRule(value: unknown): value is VoterRule {
  return typeof value === 'string' && (VOTER_RULES as readonly string[]).includes(value)
}

const OUTWARD = /^([A-Z]{1,2})([0-9][A-Z0-9]?)$/
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/

/** "cf10 1aa", "CF101AA" → "CF10 1AA"; null if it is not shaped like a UK postcode. */
export function normalisePostcode(raw: string): string | null {
  const compact = raw.toUpperCase().replace(/[\s-]+/g, '')
  const m = POSTCODE.exec(compact)
  return m ? `${m[1]} ${m[2]}` : null
}

/** An area entry: "cf" → "CF", "cf10" → "CF10", "cf10 1" → "CF10 1"; null if none of these. */
export function normaliseAreaEntry(raw: string): string | null {
  const text = raw.toUpperCase().trim().replace(/\s+/g, ' ')
  if (/^[A-Z]{1,2}$/.test(text)) return text
  if (OUTWARD.test(text)) return text
  const sector = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])$/.exec(text)
  if (sector && text.includes(' ')) return `${sector[1]} ${sector[2]}`
  return null
}

/** Splits a staff-typed list (commas, semicolons, new lines) into normalised entries and the ones not understood. */
export function parseArea(text: string): { entries: string[]; invalid: string[] } {
  const entries: string[] = []
  const invalid: string[] = []
  for (const part of text.split(/[,;\n]+/)) {
    const trimmed = part.trim()
    if (trimmed === '') continue
    const entry = normaliseAreaEntry(trimmed)
    if (entry === null) invalid.push(trimmed)
    else if (!entries.includes(entry)) entries.push(entry)
  }
  return { entries, invalid }
}

/** True when a normalised postcode lies in the area (an empty area is everywhere). */
export function postcodeInArea(postcode: string, area: readonly string[]): boolean {
  if (area.length === 0) return true
  const [outward = '', inward = ''] = postcode.split(' ')
  const letters = /^[A-Z]+/.exec(outward)?.[0] ?? ''
  const sector = `${outward} ${inward.slice(0, 1)}`
  return area.some((entry) => entry === letters || entry === outward || entry === sector)
}

/** Census codes are compared without case, spaces or dashes ("ab-12 cd" = "AB12CD"). */
export function normaliseCensusCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]+/g, '')
}

export type Voter =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'citizen'; readonly assurance: AssuranceLevel; readonly postcode: string | null }
  | { readonly kind: 'census' }
  | { readonly kind: 'staff' }

export const ELIGIBILITY_REFUSALS = [
  'sign-in',
  'not-verified',
  'postcode-needed',
  'outside-area',
  'census-code-needed',
] as const
export type EligibilityRefusal = (typeof ELIGIBILITY_REFUSALS)[number]

export type Eligibility =
  | { readonly eligible: true; readonly via: 'residence' | 'census' }
  | { readonly eligible: false; readonly reason: EligibilityRefusal }

export interface EligibilityRules {
  readonly voterRule: VoterRule
  readonly area: readonly string[]
}

/**
 * May this voter cast a ballot in this budget? When not, `reason` says what would change it:
 * sign in, state a postcode, or present a census code.
 */
export function eligibility(budget: EligibilityRules, voter: Voter): Eligibility {
  const censusAllowed = budget.voterRule !== 'residents'
  const residentsAllowed = budget.voterRule !== 'census'
  if (voter.kind === 'census') {
    return censusAllowed ? { eligible: true, via: 'census' } : { eligible: false, reason: 'sign-in' }
  }
  if (!residentsAllowed) return { eligible: false, reason: 'census-code-needed' }
  if (voter.kind !== 'citizen') return { eligible: false, reason: 'sign-in' }
  if (!meetsAssurance(voter.assurance, 'email-verified')) return { eligible: false, reason: 'not-verified' }
  if (voter.postcode === null) return { eligible: false, reason: 'postcode-needed' }
  if (!postcodeInArea(voter.postcode, budget.area)) return { eligible: false, reason: 'outside-area' }
  return { eligible: true, via: 'residence' }
}

/** Parses a staff-imported census list: one code a line, or a CSV whose first column (or `code` column) holds it. */
export function parseCensusList(text: string): { codes: string[]; duplicates: number; invalid: number[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const codes: string[] = []
  const seen = new Set<string>()
  const invalid: number[] = []
  let duplicates = 0
  let column = 0
  lines.forEach((line, i) => {
    const cells = line.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, ''))
    if (i === 0) {
      const header = cells.findIndex((c) => c.toLowerCase() === 'code')
      if (header >= 0) {
        column = header
        return
      }
    }
    const raw = cells[column] ?? ''
    if (raw === '' && cells.every((c) => c === '')) return
    const code = normaliseCensusCode(raw)
    if (!/^[A-Z0-9]{4,64}$/.test(code)) {
      invalid.push(i + 1)
      return
    }
    if (seen.has(code)) {
      duplicates++
      return
    }
    seen.add(code)
    codes.push(code)
  })
  return { codes, duplicates, invalid }
}
