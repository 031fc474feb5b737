/**
 * Block and allow lists (anchors §1c): IPv4/IPv6 addresses and CIDR ranges, email domains with
 * globs (`*.example.com` matches one label, `**.example.com` any depth), and single emails.
 * Blocked signatures are silently marked fraudulent; allowed ones skip the rate limits.
 */
export type FraudRuleKind = 'ip' | 'domain' | 'email'
export type FraudList = 'block' | 'allow'

export interface FraudRule {
  readonly list: FraudList
  readonly kind: FraudRuleKind
  readonly pattern: string
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.')
  if (parts.length !== 4) return null
  let n = 0
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null
    n = n * 256 + Number(p)
  }
  return n
}

/** True when `ip` is the address or inside the CIDR range of `pattern` (IPv4; IPv6 by exact match). */
export function ipMatches(pattern: string, ip: string): boolean {
  const [base, bitsText] = pattern.split('/')
  const ipInt = ipv4ToInt(ip.replace(/^::ffff:/, ''))
  const baseInt = ipv4ToInt(base ?? '')
  if (ipInt === null || baseInt === null) return pattern.toLowerCase() === ip.toLowerCase()
  const bits = bitsText === undefined ? 32 : Number(bitsText)
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false
  if (bits === 0) return true
  const mask = bits === 32 ? 0xffffffff : ~((1 << (32 - bits)) - 1) >>> 0
  return (ipInt & mask) >>> 0 === (baseInt & mask) >>> 0
}

/** `example.com`, `*.example.com` (one label) or `**.example.com` (any depth, and the domain itself). */
export function domainMatches(pattern: string, domain: string): boolean {
  const p = pattern.toLowerCase()
  const d = domain.toLowerCase()
  if (p.startsWith('**.')) return d === p.slice(3) || d.endsWith(`.${p.slice(3)}`)
  if (p.startsWith('*.')) {
    const rest = p.slice(2)
    return d.endsWith(`.${rest}`) && !d.slice(0, -rest.length - 1).includes('.')
  }
  return d === p
}

export function validFraudPattern(kind: FraudRuleKind, pattern: string): boolean {
  if (kind === 'ip') {
    const [base, bits] = pattern.split('/')
    const v4 =
      ipv4ToInt(base ?? '') !== null && (bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32))
    return v4 || /^[0-9a-f:]+$/i.test(pattern)
  }
  if (kind === 'domain') return /^(\*\*?\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(pattern)
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(pattern)
}

function matches(rule: FraudRule, ip: string | null, canonicalEmail: string): boolean {
  const domain = canonicalEmail.slice(canonicalEmail.lastIndexOf('@') + 1)
  switch (rule.kind) {
    case 'ip':
      return ip !== null && ipMatches(rule.pattern, ip)
    case 'domain':
      return domainMatches(rule.pattern, domain)
    case 'email':
      return rule.pattern.toLowerCase() === canonicalEmail
  }
}

export type FraudVerdict = 'blocked' | 'allowed' | 'normal'

/** The allow list wins over the block list, as an explicit exception should. */
export function fraudVerdict(
  rules: readonly FraudRule[],
  ip: string | null,
  canonicalEmail: string,
): FraudVerdict {
  if (rules.some((r) => r.list === 'allow' && matches(r, ip, canonicalEmail))) return 'allowed'
  if (rules.some((r) => r.list === 'block' && matches(r, ip, canonicalEmail))) return 'blocked'
  return 'normal'
}

/** Trending thresholds per petition per clock hour: log at 100, alert staff at 200. */
export const TRENDING = { log: 100, alert: 200 } as const

export interface InvalidationConditions {
  readonly petitionId?: number
  readonly ip?: string
  readonly domain?: string
  readonly email?: string
  readonly name?: string
  readonly postcode?: string
  readonly createdAfter?: string
  readonly createdBefore?: string
}

/** An invalidation with no condition would invalidate everything: refused (e-petitions). */
export function hasCondition(c: InvalidationConditions): boolean {
  return Object.values(c).some((v) => v !== undefined && v !== '')
}
