import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { adminPermissions } from '../../src/platform/admin/permissions.js'
import { type Actor, ANONYMOUS, meetsAssurance, type StaffRole } from '../../src/platform/auth/actor.js'
import { isLocked, lockUntilAfter } from '../../src/platform/auth/lockout.js'
import { hashPassword, passwordProblem, verifyPassword } from '../../src/platform/auth/passwords.js'
import { decide } from '../../src/platform/auth/permissions.js'
import { newTotpSecret, totpCode, verifyTotp } from '../../src/platform/auth/totp.js'
import { toCsv } from '../../src/platform/http/csv.js'
import { safeNext } from '../../src/platform/http/forms.js'
import { createTranslate, loadCatalogues, localePath, splitLocale } from '../../src/platform/i18n/i18n.js'
import { SRC } from '../../src/platform/paths.js'
import { catalogueDirs } from '../../src/platform/services.js'
import { contrastWithWhite, validateOrganisation } from '../../src/platform/settings/organisation.js'

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({})
    assert.equal(c.port, 3000)
    assert.equal(c.databaseUrl, 'sqlite:./data/townsquare.sqlite')
    assert.equal(c.redisUrl, null)
    assert.equal(c.cookieSecure, false)
  })
  for (const [name, value] of [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://x'],
    ['SMTP_URL', 'not a url'],
    ['SESSION_SECRET', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['COOKIE_SECURE', 'maybe'],
    ['TOWNSQUARE_DEMO', '2'],
    ['SQLITE_SYNCHRONOUS', 'OFF'],
  ] as const) {
    it(`refuses ${name}=${value} with a message naming ${name}`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (err: unknown) => err instanceof ConfigError && err.variable === name && err.message.includes(name),
      )
    })
  }
  it('makes cookies secure when the public URL is https', () => {
    assert.equal(loadConfig({ PUBLIC_URL: 'https://have-your-say.example.gov.uk' }).cookieSecure, true)
  })
})

describe('i18n', () => {
  const catalogues = loadCatalogues(catalogueDirs())

  it('English and Welsh catalogues have exactly the same keys', () => {
    const en = new Set(Object.keys(catalogues.en))
    const cy = new Set(Object.keys(catalogues.cy))
    assert.deepEqual(
      [...en].filter((k) => !cy.has(k)),
      [],
      'keys missing in cy',
    )
    assert.deepEqual(
      [...cy].filter((k) => !en.has(k)),
      [],
      'keys missing in en',
    )
  })

  it('no catalogue value is empty', () => {
    for (const locale of ['en', 'cy'] as const) {
      for (const [k, v] of Object.entries(catalogues[locale]))
        assert.ok(v.trim() !== '', `${locale} ${k} is empty`)
    }
  })

  it('every literal t() key in templates and code exists', () => {
    const files: string[] = []
    const walk = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.(njk|ts)$/.test(n) && !n.endsWith('.test.ts')) files.push(p)
      }
    }
    walk(SRC)
    const missing: string[] = []
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\bt\('([a-zA-Z][\w.-]*)'/g)) {
        const key = m[1]!
        if (key.endsWith('.')) continue
        const known = key in catalogues.en || `${key}_other` in catalogues.en
        if (!known) missing.push(`${f.replace(SRC, 'src')}: ${key}`)
      }
    }
    assert.deepEqual(missing, [])
  })

  it('uses CLDR plural forms: Welsh has six', () => {
    const cat = {
      x_zero: 'z {{count}}',
      x_one: 'o {{count}}',
      x_two: 't {{count}}',
      x_few: 'f {{count}}',
      x_many: 'm {{count}}',
      x_other: 'r {{count}}',
    }
    const t = createTranslate(cat, 'cy')
    assert.deepEqual(
      [0, 1, 2, 3, 6, 7].map((n) => t('x', { count: n })),
      ['z 0', 'o 1', 't 2', 'f 3', 'm 6', 'r 7'],
    )
    const en = createTranslate(cat, 'en')
    assert.deepEqual(
      [0, 1, 2, 1234].map((n) => en('x', { count: n })),
      ['r 0', 'o 1', 'r 2', 'r 1,234'],
    )
  })

  it('maps paths to and from the Welsh prefix', () => {
    assert.equal(localePath('cy', '/'), '/cy')
    assert.equal(localePath('cy', '/admin?x=1'), '/cy/admin?x=1')
    assert.equal(localePath('en', '/admin'), '/admin')
    assert.deepEqual(splitLocale('/cy'), { locale: 'cy', path: '/' })
    assert.deepEqual(splitLocale('/cy/admin/users?x=1'), { locale: 'cy', path: '/admin/users?x=1' })
    assert.deepEqual(splitLocale('/cycle-lanes'), { locale: 'en', path: '/cycle-lanes' })
    assert.deepEqual(splitLocale('/cy?x=1'), { locale: 'cy', path: '/?x=1' })
  })
})

describe('passwords, lockout and TOTP', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const hash = await hashPassword('a long enough password', { N: 1024, r: 8, p: 1 })
    assert.match(hash, /^scrypt\$1024\$8\$1\$/)
    assert.equal(await verifyPassword('a long enough password', hash), true)
    assert.equal(await verifyPassword('a long enough passworD', hash), false)
    assert.equal(await verifyPassword('x', 'garbage'), false)
  })
  it('asks for at least 12 characters', () => {
    assert.equal(passwordProblem('short'), 'too-short')
    assert.equal(passwordProblem('twelve chars'), null)
  })
  it('locks after the fifth consecutive failure, for 15 minutes', () => {
    const now = new Date('2026-11-29T10:00:00Z')
    assert.equal(lockUntilAfter(4, now), null)
    const until = lockUntilAfter(5, now)
    assert.equal(until?.toISOString(), '2026-11-29T10:15:00.000Z')
    assert.equal(isLocked(until!.toISOString(), new Date('2026-11-29T10:14:59Z')), true)
    assert.equal(isLocked(until!.toISOString(), new Date('2026-11-29T10:15:01Z')), false)
  })
  it('accepts the current TOTP code and its neighbours, not older ones', () => {
    const secret = newTotpSecret()
    const now = new Date('2026-11-29T10:00:00Z')
    assert.equal(verifyTotp(secret, totpCode(secret, now), now), true)
    assert.equal(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 30_000)), now), true)
    assert.equal(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 120_000)), now), false)
    assert.equal(verifyTotp(secret, 'abcdef', now), false)
  })
})

describe('admin permissions table', () => {
  const staff = (...roles: StaffRole[]): Actor => ({
    kind: 'staff',
    id: 1,
    email: 's@example.org',
    name: 'S',
    roles,
  })
  const citizen: Actor = { kind: 'citizen', id: 1, email: 'c@example.org', assurance: 'email-verified' }
  const cases: [keyof typeof adminPermissions, Actor, boolean, string?][] = [
    ['view:dashboard', ANONYMOUS, false, 'not-signed-in'],
    ['view:dashboard', citizen, false, 'not-staff'],
    ['view:dashboard', staff('responder'), true],
    ['manage:users', staff('moderator'), false, 'missing-role'],
    ['manage:users', staff('admin'), true],
    ['manage:settings', staff('communications'), false, 'missing-role'],
    ['view:audit', staff('analyst'), true],
    ['view:audit', staff('responder'), false, 'missing-role'],
    ['view:outbox', staff('moderator'), true],
    ['view:outbox', staff('analyst'), false, 'missing-role'],
  ]
  for (const [key, actor, allowed, reason] of cases) {
    it(`${allowed ? 'allows' : 'denies'} ${key} for ${actor.kind}${actor.kind === 'staff' ? ` (${actor.roles.join(',')})` : ''}`, () => {
      const d = decide(adminPermissions, key, actor)
      assert.equal(d.allowed, allowed)
      if (!d.allowed) assert.equal(d.reason, reason)
    })
  }
  it('refuses an action that is not in the table', () => {
    assert.deepEqual(decide(adminPermissions, 'delete:everything' as never, staff('admin')), {
      allowed: false,
      reason: 'unknown-permission',
    })
  })
  it('orders assurance levels', () => {
    assert.equal(meetsAssurance('email-verified', 'email-verified'), true)
    assert.equal(meetsAssurance('none', 'email-verified'), false)
    assert.equal(meetsAssurance('eid', 'census'), true)
  })
})

describe('organisation settings', () => {
  it('needs a brand colour white text can sit on (WCAG 4.5:1)', () => {
    assert.ok(contrastWithWhite('#1d5e84') >= 4.5)
    assert.ok(contrastWithWhite('#ffdd00') < 4.5)
    const problems = validateOrganisation({
      nameEn: '',
      nameCy: '',
      brandColour: '#ffdd00',
      contactEmail: 'nope',
    })
    assert.deepEqual(
      problems.map((p) => `${p.field}:${p.code}`),
      ['nameEn:required', 'brandColour:colour-contrast', 'contactEmail:email'],
    )
  })
  it('refuses open redirects', () => {
    assert.equal(safeNext('/admin/users', '/x'), '/admin/users')
    assert.equal(safeNext('//evil.example', '/x'), '/x')
    assert.equal(safeNext('https://evil.example', '/x'), '/x')
    assert.equal(safeNext('/\\evil', '/x'), '/x')
  })
})

describe('CSV exports', () => {
  it('guards every text cell against formula injection and quotes as RFC 4180 says', () => {
    const csv = toCsv(
      ['name', 'count'],
      [
        ['=cmd|/C calc', 3],
        ['+44 1234', -5],
        ['@SUM(A1)', 0],
        ['plain, "quoted"', 1],
      ],
    )
    const expected =
      "name,count\r\n'=cmd|/C calc,3\r\n'+44 1234,-5\r\n'@SUM(A1),0\r\n" + '"plain, ""quoted""",1\r\n'
    assert.equal(csv, expected)
  })
})
