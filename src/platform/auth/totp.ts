import { Secret, TOTP } from 'otpauth'

/** RFC 6238 time-based one-time passwords for staff (30 s steps, 6 digits, SHA-1 as authenticator apps expect). */
function totpFor(secretBase32: string, label: string, issuer: string): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  })
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

export function totpUri(secretBase32: string, label: string, issuer: string): string {
  return totpFor(secretBase32, label, issuer).toString()
}

/** Accepts the code of the current step or the one either side (clock drift). */
export function verifyTotp(secretBase32: string, code: string, now: Date = new Date()): boolean {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return false
  return totpFor(secretBase32, 'x', 'x').validate({ token, timestamp: now.getTime(), window: 1 }) !== null
}

export function totpCode(secretBase32: string, now: Date = new Date()): string {
  return totpFor(secretBase32, 'x', 'x').generate({ timestamp: now.getTime() })
}
