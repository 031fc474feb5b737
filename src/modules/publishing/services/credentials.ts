/**
 * The key that encrypts account credentials: CREDENTIALS_KEY, or — in demo mode only — one
 * derived from the session key (HKDF), with a warning, so the demo runs without setup. Without
 * either, adding credentials is refused with a message naming CREDENTIALS_KEY.
 */
import { DomainError } from '../../../platform/errors/errors.js'
import { decryptSecret, deriveKey, encryptSecret } from '../../../platform/security/secrets.js'
import type { Services } from '../../../platform/services.js'

const warned = new WeakSet<object>()

export function credentialsKey(services: Pick<Services, 'config' | 'sessionKey' | 'logger'>): Buffer | null {
  if (services.config.credentialsKey) return Buffer.from(services.config.credentialsKey, 'hex')
  if (!services.config.demo) return null
  if (!warned.has(services.config)) {
    warned.add(services.config)
    services.logger.warn(
      'CREDENTIALS_KEY is not set: demo mode derives a credentials key from the session key',
    )
  }
  return deriveKey(services.sessionKey, 'credentials')
}

export function encryptCredentials(
  services: Pick<Services, 'config' | 'sessionKey' | 'logger'>,
  secret: string,
): string {
  const key = credentialsKey(services)
  if (!key) throw new DomainError('publishing.no-credentials-key', 400)
  return encryptSecret(key, secret)
}

export function decryptCredentials(
  services: Pick<Services, 'config' | 'sessionKey' | 'logger'>,
  stored: string,
): string {
  const key = credentialsKey(services)
  if (!key) throw new DomainError('publishing.no-credentials-key', 400)
  return decryptSecret(key, stored)
}
