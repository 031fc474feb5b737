import { isCountryCode } from './countries.js'

/** Signature states (e-petitions `signature.rb`). Only `validated` signatures count. */
export const SIGNATURE_STATES = ['pending', 'validated', 'fraudulent', 'invalidated'] as const
export type SignatureState = (typeof SIGNATURE_STATES)[number]

/**
 * Domains whose mailboxes ignore dots and `+tags`, and aliases of one mailbox provider
 * (e-petitions `Domain`: per-domain canonicalisation rules).
 */
const DOT_INSENSITIVE = new Set(['gmail.com'])
const ALIASES: Readonly<Record<string, string>> = { 'googlemail.com': 'gmail.com' }

/**
 * The address a mailbox really is, so one person cannot sign twice as `j.smith+1@gmail.com`
 * and `jsmith@gmail.com`. `+tags` are stripped for every domain (the UK default rule).
 */
export function canonicalEmail(email: string): string {
  const trimmed = email.trim().toLowerCase()
  const at = trimmed.lastIndexOf('@')
  if (at < 1) return trimmed
  let local = trimmed.slice(0, at)
  let domain = trimmed.slice(at + 1)
  domain = ALIASES[domain] ?? domain
  local = local.split('+')[0] ?? local
  if (DOT_INSENSITIVE.has(domain)) local = local.replaceAll('.', '')
  return `${local}@${domain}`
}

export function hasPlusAddress(email: string): boolean {
  const at = email.lastIndexOf('@')
  return at > 0 && email.slice(0, at).includes('+')
}

/**
 * UK postcodes (the format, not whether it exists): outward code, space optional, inward code.
 * GIR 0AA is the one historic exception.
 */
const UK_POSTCODE =
  /^(GIR ?0AA|[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2})$/

/** `sw1a1aa` → `SW1A 1AA`, or null when it is not a UK postcode. */
export function normalisePostcode(raw: string): string | null {
  const compact = raw.toUpperCase().replace(/\s+/g, '')
  if (!UK_POSTCODE.test(compact)) return null
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`
}

export interface SignatureInput {
  readonly name: string
  readonly email: string
  readonly country: string
  readonly postcode: string
  readonly declaration: boolean
  readonly notify: boolean
}

export type SignatureField = 'name' | 'email' | 'country' | 'postcode' | 'declaration'
export interface SignatureProblem {
  readonly field: SignatureField
  readonly code: 'required' | 'too-long' | 'url' | 'formula' | 'invalid' | 'plus-address'
  readonly vars?: Readonly<Record<string, number>>
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** The signing form's rules (e-petitions `signature_creator.rb` and `signature.rb`). */
export function validateSignature(
  input: SignatureInput,
  options: { allowPlusAddresses: boolean },
): SignatureProblem[] {
  const problems: SignatureProblem[] = []
  const name = input.name.trim()
  if (name === '') problems.push({ field: 'name', code: 'required' })
  else if (name.length > 255) problems.push({ field: 'name', code: 'too-long', vars: { max: 255 } })
  else if (/https?:\/\/|www\.|\.(com|org|net|uk)\b/i.test(name)) problems.push({ field: 'name', code: 'url' })
  else if (/^[-=+@]/.test(name)) problems.push({ field: 'name', code: 'formula' })
  const email = input.email.trim()
  if (email === '') problems.push({ field: 'email', code: 'required' })
  else if (email.length > 254 || !EMAIL.test(email)) problems.push({ field: 'email', code: 'invalid' })
  else if (!options.allowPlusAddresses && hasPlusAddress(email))
    problems.push({ field: 'email', code: 'plus-address' })
  if (!isCountryCode(input.country)) problems.push({ field: 'country', code: 'invalid' })
  if (input.country === 'GB') {
    if (input.postcode.trim() === '') problems.push({ field: 'postcode', code: 'required' })
    else if (normalisePostcode(input.postcode) === null) problems.push({ field: 'postcode', code: 'invalid' })
  } else if (input.postcode.length > 255) {
    problems.push({ field: 'postcode', code: 'too-long', vars: { max: 255 } })
  }
  if (!input.declaration) problems.push({ field: 'declaration', code: 'required' })
  return problems
}

export interface ExistingSignature {
  readonly id: number
  readonly name: string
  readonly postcode: string
}

export type DuplicateDecision =
  | { readonly kind: 'new' }
  | { readonly kind: 'already-signed'; readonly existingId: number }

/**
 * The duplicate rule (anchors §1b): at most two signatures per canonical email per petition, and
 * the second only with a different name and the same postcode (a household sharing an address).
 * Anything else is answered with a silent "you have already signed" email — never an error, so
 * the form cannot be used to find out who signed.
 */
export function decideDuplicate(
  input: { name: string; postcode: string },
  existing: readonly ExistingSignature[],
): DuplicateDecision {
  if (existing.length === 0) return { kind: 'new' }
  const sameName = existing.find((s) => s.name.trim().toLowerCase() === input.name.trim().toLowerCase())
  if (sameName) return { kind: 'already-signed', existingId: sameName.id }
  if (existing.length >= 2) return { kind: 'already-signed', existingId: existing[0]!.id }
  const first = existing[0]!
  if (first.postcode.replace(/\s/g, '').toUpperCase() !== input.postcode.replace(/\s/g, '').toUpperCase()) {
    return { kind: 'already-signed', existingId: first.id }
  }
  return { kind: 'new' }
}

/** No more than five emails to one address about one petition (e-petitions `email_threshold_reached?`). */
export const MAX_EMAILS_PER_ADDRESS = 5
