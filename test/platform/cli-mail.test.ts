import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SMTPServer } from 'smtp-server'
import { findStaffByEmail } from '../../src/platform/auth/staff-store.js'
import { totpCode } from '../../src/platform/auth/totp.js'
import { connect } from '../../src/platform/db/connect.js'
import { listOutbox } from '../../src/platform/mail/mail.js'
import { addStaff, buildTestApp, TestBrowser } from '../support/app.js'
import { run } from '../support/process.js'

const CLI = ['--import', 'tsx', 'src/cli.ts']

describe('townsquare CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'townsquare-cli-'))
  const env = { DATABASE_URL: `sqlite:${join(dir, 'cli.sqlite')}`, LOG_LEVEL: 'silent' }
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('prints help and exits 0 with --help, everywhere', async () => {
    const top = await run([...CLI, '--help'], { env })
    assert.equal(top.code, 0)
    assert.match(top.stdout, /user add/)
    assert.match(top.stdout, /outbox list/)
    for (const cmd of [['migrate'], ['user', 'add'], ['outbox', 'list'], ['demo']]) {
      const res = await run([...CLI, ...cmd, '--help'], { env })
      assert.equal(res.code, 0, cmd.join(' '))
      assert.match(res.stdout, /^Usage: townsquare/)
    }
  })

  it('refuses bad arguments with one line and a non-zero exit', async () => {
    for (const [args, pattern] of [
      [['nope'], /unknown command "nope"/],
      [['user', 'add', '--role', 'admin'], /--email is required/],
      [['user', 'add', '--email', 'a@example.org', '--role', 'king'], /--role "king" is not a role/],
      [['outbox', 'list', '--limit', 'x'], /--limit must be a positive whole number/],
      [['outbox', 'list', '--bogus'], /Unknown option '--bogus'/],
    ] as const) {
      const res = await run([...CLI, ...args], { env, input: 'short\n' })
      assert.equal(res.code, 1, args.join(' '))
      assert.match(res.stderr, pattern)
      assert.equal(res.stderr.trim().split('\n').length, 1, `one line: ${res.stderr}`)
    }
  })

  it('migrates, adds a user with the password from stdin, fills the demo and lists the outbox as JSON', async () => {
    assert.equal((await run([...CLI, 'migrate'], { env })).code, 0)
    const weak = await run([...CLI, 'user', 'add', '--email', 'ops@example.org', '--role', 'admin'], {
      env,
      input: 'short\n',
    })
    assert.equal(weak.code, 1)
    assert.match(weak.stderr, /at least 12 characters/)
    const ok = await run(
      [...CLI, 'user', 'add', '--email', 'ops@example.org', '--role', 'admin', '--role', 'analyst'],
      { env, input: 'a very long password\n' },
    )
    assert.equal(ok.code, 0, ok.stderr)
    const h = connect(env.DATABASE_URL)
    assert.deepEqual((await findStaffByEmail(h.db, 'ops@example.org'))?.roles, ['admin', 'analyst'])
    await h.close()
    const demo = await run([...CLI, 'demo'], { env })
    assert.equal(demo.code, 1, 'demo refuses a database that has staff')
    const list = await run([...CLI, 'outbox', 'list', '--json'], { env })
    assert.equal(list.code, 0)
    assert.deepEqual(JSON.parse(list.stdout), [])
  })
})

describe('mail over real SMTP', () => {
  let server: SMTPServer
  let port = 0
  const received: { to: string; data: string }[] = []
  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = ''
        stream.on('data', (c: Buffer) => {
          data += c.toString()
        })
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data })
          callback()
        })
      },
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.server.address() as { port: number }).port
  })
  after(() => new Promise<void>((r) => server.close(() => r())))

  it('sends the citizen sign-in link in Welsh to a Welsh speaker, and keeps it in the outbox', async () => {
    const t = await buildTestApp('sqlite', { SMTP_URL: `smtp://127.0.0.1:${port}` })
    try {
      const b = new TestBrowser(t.app)
      await b.get('/cy/account/sign-in')
      const res = await b.post('/cy/account/sign-in', { email: 'dysgwr@example.org' })
      assert.equal(res.statusCode, 200)
      for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100))
      assert.equal(received.length, 1)
      assert.equal(received[0]!.to, 'dysgwr@example.org')
      assert.match(received[0]!.data, /Subject: Eich dolen mewngofnodi/)
      assert.match(received[0]!.data, /Content-Language: cy/)
      const [kept] = await listOutbox(t.services.db)
      assert.equal(kept?.status, 'sent')
      assert.equal(kept?.language, 'cy')
    } finally {
      await t.close()
    }
  })

  it('sends thread headers over SMTP, and refuses any other header or a line break in one', async () => {
    const t = await buildTestApp('sqlite', { SMTP_URL: `smtp://127.0.0.1:${port}` })
    try {
      received.length = 0
      const data = { link: 'https://example.org/x', minutes: 30 }
      await t.services.mailer.send(t.services.db, {
        to: 'gwen@example.org',
        template: 'citizen-sign-in',
        language: 'en',
        data,
        headers: { 'In-Reply-To': '<b@example.org>', References: '<a@example.org> <b@example.org>' },
      })
      await t.services.mailer.send(t.services.db, {
        to: 'mallory@example.org',
        template: 'citizen-sign-in',
        language: 'en',
        data,
        headers: {
          'In-Reply-To': '<x@example.org>\r\nBcc: victim@example.org',
          Bcc: 'victim@example.org',
        } as never,
      })
      for (let i = 0; i < 50 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 100))
      const gwen = received.find((m) => m.to === 'gwen@example.org')!
      assert.match(gwen.data, /^In-Reply-To: <b@example\.org>$/m)
      assert.match(gwen.data, /^References: <a@example\.org> <b@example\.org>$/m)
      const mallory = received.find((m) => m.to === 'mallory@example.org')!
      assert.doesNotMatch(mallory.data, /victim|In-Reply-To/)
    } finally {
      await t.close()
    }
  })

  it('holds mail in the outbox when no SMTP server is configured, never dropping it', async () => {
    const t = await buildTestApp('sqlite')
    try {
      const b = new TestBrowser(t.app)
      await b.get('/account/sign-in')
      await b.post('/account/sign-in', { email: 'resident@example.org' })
      const [held] = await listOutbox(t.services.db)
      assert.equal(held?.status, 'held')
      assert.match(held!.text, /http:\/\/localhost:3000\/account\/verify\?token=/)
    } finally {
      await t.close()
    }
  })

  it('brings a citizen back to where they were going after the emailed sign-in link', async () => {
    const t = await buildTestApp('sqlite')
    try {
      const b = new TestBrowser(t.app)
      const page = await b.get('/cy/account/sign-in?next=%2Fcy%2Fconversations%2F3')
      assert.match(page.body, /name="next" value="\/cy\/conversations\/3"/)
      await b.post('/cy/account/sign-in', { email: 'back@example.org', next: '/cy/conversations/3' })
      const [mail] = await listOutbox(t.services.db, { to: 'back@example.org' })
      const token = /token=([\w-]+)/.exec(mail!.text)![1]!
      await b.get(`/cy/account/verify?token=${token}`)
      const res = await b.post('/cy/account/verify', { token })
      assert.equal(res.headers.location, '/cy/conversations/3')
      await b.get('/account/sign-in')
      await b.post('/account/sign-in', { email: 'evil@example.org', next: 'https://evil.example/' })
      const [evil] = await listOutbox(t.services.db, { to: 'evil@example.org' })
      const token2 = /token=([\w-]+)/.exec(evil!.text)![1]!
      await b.get(`/account/verify?token=${token2}`)
      assert.equal(
        (await b.post('/account/verify', { token: token2 })).headers.location,
        '/account',
        'no open redirect',
      )
    } finally {
      await t.close()
    }
  })

  it('renders mail inside a transaction on SQLite without waiting for the only connection', async () => {
    const t = await buildTestApp('sqlite')
    try {
      t.services.invalidateSettings()
      const sent = t.services.db.transaction().execute((trx) =>
        t.services.mailer.send(trx, {
          to: 'inside@example.org',
          template: 'citizen-sign-in',
          language: 'en',
          data: { link: 'x', minutes: 60 },
        }),
      )
      const timeout = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('deadlock: mail waited for the connection')), 3000),
      )
      assert.ok(Number(await Promise.race([sent, timeout])) > 0)
    } finally {
      await t.close()
    }
  })

  it('asks staff with two-step verification for their code', async () => {
    const t = await buildTestApp('sqlite')
    try {
      await addStaff(t.services, 'two@example.org', ['analyst'])
      const b = new TestBrowser(t.app)
      await b.login('two@example.org')
      const account = await b.get('/admin/account')
      const secret = /data-qa="totp-secret">([A-Z2-7]+)</.exec(account.body)![1]!
      assert.equal((await b.post('/admin/account/totp', { code: '000000' })).statusCode, 400)
      assert.equal((await b.post('/admin/account/totp', { code: totpCode(secret) })).statusCode, 303)
      const fresh = new TestBrowser(t.app)
      const first = await fresh.login('two@example.org')
      assert.equal(first.headers.location, '/admin/login/code')
      assert.equal((await fresh.get('/admin')).statusCode, 303, 'not signed in before the code')
      await fresh.get('/admin/login/code')
      assert.equal((await fresh.post('/admin/login/code', { code: '123456' })).statusCode, 401)
      const done = await fresh.post('/admin/login/code', { code: totpCode(secret) })
      assert.equal(done.statusCode, 303)
      assert.equal((await fresh.get('/admin')).statusCode, 200)
    } finally {
      await t.close()
    }
  })
})
