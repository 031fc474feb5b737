import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import pino from 'pino'
import { loadConfig } from '../../../config.js'
import type { DomainError } from '../../../platform/errors/errors.js'
import { credentialsKey, decryptCredentials, encryptCredentials } from '../services/credentials.js'

function services(env: Record<string, string>) {
  let logged = ''
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _enc, done) {
        logged += chunk.toString()
        done()
      },
    }),
  )
  return { s: { config: loadConfig(env), sessionKey: Buffer.alloc(32, 9), logger }, logs: () => logged }
}

test('CREDENTIALS_KEY encrypts credentials; the same key decrypts them', () => {
  const { s } = services({ CREDENTIALS_KEY: 'ab'.repeat(32) })
  const stored = encryptCredentials(s, 'token-123')
  assert.ok(!stored.includes('token-123'))
  assert.equal(decryptCredentials(s, stored), 'token-123')
})

test('without a key, storing credentials is refused with a code naming CREDENTIALS_KEY', () => {
  const { s } = services({})
  assert.equal(credentialsKey(s), null)
  assert.throws(
    () => encryptCredentials(s, 'x'),
    (e: DomainError) => e.code === 'publishing.no-credentials-key',
  )
})

test('the demo derives a key from the session key, once, with a warning', () => {
  const { s, logs } = services({ TOWNSQUARE_DEMO: '1' })
  const a = credentialsKey(s)
  const b = credentialsKey(s)
  assert.ok(a && b && a.equals(b) && a.length === 32)
  assert.ok(!a.equals(s.sessionKey), 'not the session key itself')
  assert.equal((logs().match(/CREDENTIALS_KEY is not set/g) ?? []).length, 1)
})
