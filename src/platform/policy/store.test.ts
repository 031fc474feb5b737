import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { dialectLabel, openTestDb, TEST_DIALECTS } from '../../../test/support/db.js'
import type { DbHandle } from '../db/connect.js'
import { DomainError } from '../errors/errors.js'
import { writeSetting } from '../settings/settings.js'
import { checkPost, defaultPolicy, loadPolicy, type PolicyRule, policyProblems, savePolicy } from './index.js'

const date = new Date('2026-11-29T12:00:00Z')

describe('policy validation', () => {
  it('accepts the default policy', () => {
    assert.deepEqual(policyProblems(defaultPolicy()), [])
  })
  it('names the rule and field of a pattern that does not compile, a duplicate code, a bad limit', () => {
    const rules = defaultPolicy().rules
    const custom: PolicyRule = {
      code: 'custom.roads',
      kind: 'terms',
      severity: 'warn',
      enabled: true,
      message: { en: 'Road name {{match}}', cy: 'Enw ffordd {{match}}' },
      terms: [],
      patterns: ['(unclosed'],
    }
    assert.deepEqual(policyProblems({ rules: [...rules, custom] }), [
      { rule: 'custom.roads', field: 'patterns', problem: 'does-not-compile', value: '(unclosed' },
    ])
    assert.deepEqual(policyProblems({ rules: [...rules, { ...custom, patterns: ['x*'] }] }), [
      { rule: 'custom.roads', field: 'patterns', problem: 'matches-empty', value: 'x*' },
    ])
    assert.deepEqual(policyProblems({ rules: [...rules, { ...rules[0]! }] }), [
      { rule: 'personal-data.email', field: 'code', problem: 'duplicate' },
    ])
    const length = rules.find((r) => r.code === 'length')!
    assert.deepEqual(
      policyProblems({
        rules: rules.map((r) => (r === length ? { ...length, limits: { bluesky: -3 } } : r)),
      }),
      [{ rule: 'length', field: 'limits.bluesky', problem: 'invalid' }],
    )
    assert.deepEqual(
      policyProblems({ rules: [{ ...custom, patterns: [], message: { en: 'x', cy: ' ' } }] }),
      [
        { rule: 'custom.roads', field: 'message.cy', problem: 'required' },
        { rule: 'custom.roads', field: 'terms', problem: 'required' },
      ],
    )
  })
})

for (const dialect of TEST_DIALECTS) {
  describe(`policy store (${dialectLabel(dialect)})`, () => {
    let handle: DbHandle
    before(async () => {
      handle = await openTestDb(dialect)
    })
    after(async () => {
      await handle.close()
    })

    it('a fresh install has the default policy', async () => {
      assert.deepEqual(await loadPolicy(handle.db), defaultPolicy())
    })

    it('saves edits and custom rules, and they change what the checker finds', async () => {
      const { db } = handle
      const policy = await loadPolicy(db)
      const rules = policy.rules.map((r) =>
        r.code === 'polemical' ? { ...r, severity: 'block' as const } : r,
      )
      const custom: PolicyRule = {
        code: 'custom.tram',
        kind: 'terms',
        severity: 'warn',
        enabled: true,
        message: {
          en: 'Say “{{match}}” only after the board decides.',
          cy: 'Dywedwch “{{match}}” dim ond ar ôl i’r bwrdd benderfynu.',
        },
        terms: ['tram extension'],
        patterns: ['\\bphase \\d+\\b'],
      }
      await savePolicy(db, { rules: [...rules, custom] })
      const loaded = await loadPolicy(db)
      assert.equal(loaded.rules.find((r) => r.code === 'polemical')?.severity, 'block')
      const text = 'The tram extension phase 2 is a scandal.'
      const findings = checkPost(loaded, { text, date }, 'cy')
      assert.deepEqual(
        findings.map((f) => [f.code, f.severity, text.slice(f.start, f.end)]),
        [
          ['custom.tram', 'warn', 'tram extension'],
          ['custom.tram', 'warn', 'phase 2'],
          ['polemical', 'block', 'scandal'],
        ],
      )
      assert.equal(findings[0]!.message, 'Dywedwch “tram extension” dim ond ar ôl i’r bwrdd benderfynu.')
    })

    it('refuses a bad policy with an error naming the rule and field, and keeps the saved one', async () => {
      const { db } = handle
      const before = await loadPolicy(db)
      const bad: PolicyRule = {
        code: 'custom.bad',
        kind: 'terms',
        severity: 'block',
        enabled: true,
        message: { en: 'x', cy: 'x' },
        patterns: ['[a-'],
      }
      await assert.rejects(
        savePolicy(db, { rules: [...before.rules, bad] }),
        (e: unknown) =>
          e instanceof DomainError &&
          e.code === 'validation-failed' &&
          e.details?.['rule'] === 'custom.bad' &&
          e.details?.['field'] === 'patterns',
      )
      assert.deepEqual(await loadPolicy(db), before)
    })

    it('adds built-in rules a saved policy does not have yet (an upgrade)', async () => {
      const { db } = handle
      const defaults = defaultPolicy()
      await writeSetting(db, 'policy', { rules: defaults.rules.filter((r) => r.code !== 'links') })
      const loaded = await loadPolicy(db)
      assert.ok(loaded.rules.some((r) => r.code === 'links'))
      assert.equal(loaded.rules.length, defaults.rules.length)
    })
  })
}
