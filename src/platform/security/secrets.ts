/**
 * Credentials at rest: AES-256-GCM with a random 96-bit IV per value (NIST SP 800-38D), the
 * authentication tag checked on the way back, so a tampered or wrong-key value is refused rather
 * than decrypted to garbage. The stored form is `v1.<iv>.<tag>.<ciphertext>` (base64url), so a
 * future key rotation can tell versions apart.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

export class SecretError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SecretError'
  }
}

/** 32 bytes from 64 hex characters or base64 (44 characters); null when it is neither. */
export function parseKey(raw: string): Buffer | null {
  const trimmed = raw.trim()
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex')
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const buf = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    if (buf.length === 32) return buf
  }
  return null
}

/** A key for credentials derived from another secret (HKDF-SHA256), for demo installations only. */
export function deriveKey(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `townsquare:${purpose}`, 32))
}

export function encryptSecret(key: Buffer, plaintext: string): string {
  if (key.length !== 32) throw new SecretError('the key must be 32 bytes')
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return ['v1', iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(
    '.',
  )
}

export function decryptSecret(key: Buffer, stored: string): string {
  const parts = stored.split('.')
  if (parts.length !== 4 || parts[0] !== 'v1') throw new SecretError('not an encrypted value')
  const [, iv, tag, ciphertext] = parts as [string, string, string, string]
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    )
  } catch {
    // Wrong key or tampered value: say so without any detail of the value.
    throw new SecretError('the value cannot be decrypted with this key (wrong CREDENTIALS_KEY, or altered)')
  }
}
