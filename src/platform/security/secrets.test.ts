import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadConfig } from '../../config.js'
import { decryptSecret, deriveKey, encryptSecret, parseKey, SecretError } from './secrets.js'

const key = Buffer.alloc(32, 7)

test('encrypts to an opaque value that decrypts back, with a fresh IV each time', () => {
  const a = encryptSecret(key, 'token-abc')
  const b = encryptSecret(key, 'token-abc')
  assert.notEqual(a, b)
  assert.ok(!a.includes('token-abc'))
  assert.match(a, /^v1\./)
  assert.equal(decryptSecret(key, a), 'token-abc')
})

test('a wrong key or an altered value is refused, not decrypted to garbage', () => {
  const stored = encryptSecret(key, 'token-abc')
  assert.throws(() => decryptSecret(Buffer.alloc(32, 8), stored), SecretError)
  const parts = stored.split('.')
  const flipped = Buffer.from(parts[3]!, 'base64url')
  flipped[0] = flipped[0]! ^ 1
  parts[3] = flipped.toString('base64url')
  assert.throws(() => decryptSecret(key, parts.join('.')), /cannot be decrypted/)
  assert.throws(() => decryptSecret(key, 'plain'), SecretError)
})

test('keys are 64 hex characters or base64 of 32 bytes', () => {
  assert.deepEqual(parseKey('ab'.repeat(32)), Buffer.alloc(32, 0xab))
  assert.deepEqual(parseKey(Buffer.alloc(32, 3).toString('base64')), Buffer.alloc(32, 3))
  assert.equal(parseKey('short'), null)
  assert.equal(parseKey('zz'.repeat(32)), null)
  assert.equal(deriveKey(Buffer.alloc(32, 1), 'credentials').length, 32)
})

test('CREDENTIALS_KEY is optional; a bad value is a ConfigError naming it', () => {
  assert.equal(loadConfig({}).credentialsKey, null)
  assert.equal(loadConfig({ CREDENTIALS_KEY: 'ab'.repeat(32) }).credentialsKey, 'ab'.repeat(32))
  assert.throws(() => loadConfig({ CREDENTIALS_KEY: 'nope' }), /CREDENTIALS_KEY/)
})
