import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import pino from 'pino'
import { buildApp } from '../../src/app.js'
import { type Config, loadConfig } from '../../src/config.js'
import type { StaffRole } from '../../src/platform/auth/actor.js'
import { hashPassword } from '../../src/platform/auth/passwords.js'
import { insertStaff } from '../../src/platform/auth/staff-store.js'
import { createServices, type Services } from '../../src/platform/services.js'
import { DEFAULT_ORGANISATION } from '../../src/platform/settings/organisation.js'
import { writeSetting } from '../../src/platform/settings/settings.js'
import { openTestDb, type TestDialect } from './db.js'

export interface TestApp {
  readonly app: FastifyInstance
  readonly services: Services
  close(): Promise<void>
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://localhost:3000',
    LOGIN_ATTEMPTS_PER_MINUTE: '1000',
    CREDENTIALS_KEY: '5e'.repeat(32),
    ...overrides,
  })
}

/** The whole app on a fresh test database, driven through `inject` (fastify/demo's test helper). */
export async function buildTestApp(
  dialect: TestDialect = 'sqlite',
  env: Record<string, string> = {},
  beforeReady?: (app: FastifyInstance) => void,
): Promise<TestApp> {
  const handle = await openTestDb(dialect)
  const services = await createServices(testConfig(env), {
    handle,
    logger: pino({ level: 'silent' }),
    migrate: false,
    localJobs: true,
  })
  const app = await buildApp(services)
  beforeReady?.(app)
  await app.ready()
  return {
    app,
    services,
    async close() {
      await app.close()
      await services.close()
    },
  }
}

/** Cheap scrypt parameters for test users: login tests stay fast, the hash format stays real. */
export const TEST_PASSWORD = 'correct horse battery staple'
export async function addStaff(
  services: Services,
  email: string,
  roles: readonly StaffRole[],
): Promise<number> {
  return insertStaff(
    services.db,
    {
      email,
      name: email.split('@')[0]!,
      passwordHash: await hashPassword(TEST_PASSWORD, { N: 1024, r: 8, p: 1 }),
      roles,
    },
    new Date(),
  )
}

/**
 * A tiny browser over `inject`: keeps cookies, and fills in the CSRF token of the last page it
 * fetched when it posts a form — as a person's browser would.
 */
export class TestBrowser {
  cookies = new Map<string, string>()
  lastCsrf: string | null = null
  /** The client's IP address, as a real browser elsewhere on the network would have. */
  constructor(
    readonly app: FastifyInstance,
    readonly ip = '127.0.0.1',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private remember(res: LightMyRequestResponse): void {
    // Raw Set-Cookie values: light-my-request's parsed cookies are URL-decoded, which would
    // corrupt an encrypted session cookie containing %3B when sent back.
    const raw = res.headers['set-cookie']
    for (const line of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
      const [pair = '', ...attrs] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attrs.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a))
      if (value === '' || expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (match) this.lastCsrf = match[1]!
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'GET',
      url,
      headers: { cookie: this.cookieHeader(), ...headers },
    })
    this.remember(res)
    return res
  }

  async post(
    url: string,
    form: Record<string, string | string[]>,
    options: { csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form))
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item)
    if (options.csrf !== false && this.lastCsrf && !('_csrf' in form)) body.append('_csrf', this.lastCsrf)
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    })
    this.remember(res)
    return res
  }

  async login(email: string, password = TEST_PASSWORD): Promise<LightMyRequestResponse> {
    await this.get('/admin/login')
    return this.post('/admin/login', { email, password })
  }
}

/** Switches modules on for the public, as an admin would at /admin/settings. */
export async function enableModules(services: Services, keys: readonly string[]): Promise<void> {
  await writeSetting(services.db, 'organisation', { ...DEFAULT_ORGANISATION, enabledModules: keys })
  services.invalidateSettings()
}
