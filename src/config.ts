/**
 * Configuration from the environment, validated at boot. A bad value stops the start with a
 * message naming the variable (fastify/demo: config fails fast; NODE_ENV never changes behaviour).
 */
import { parseKey } from './platform/security/secrets.js'

export interface Config {
  readonly port: number
  readonly host: string
  readonly databaseUrl: string
  readonly redisUrl: string | null
  readonly smtpUrl: string | null
  readonly mailFrom: string
  readonly publicUrl: string
  readonly sessionSecret: string | null
  readonly cookieSecure: boolean
  readonly trustProxy: boolean
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  readonly demo: boolean
  readonly jobs: boolean
  readonly sqliteSynchronous: 'NORMAL' | 'FULL'
  readonly loginAttemptsPerMinute: number
  /** Key for credentials stored in the database (social accounts), as 64 hex characters; null when unset. */
  readonly credentialsKey: string | null
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`)
    this.name = 'ConfigError'
  }
}

type Env = Readonly<Record<string, string | undefined>>

/** Every variable Townsquare reads, with its default and meaning (the README's table is made from this). */
export const CONFIG_VARIABLES = [
  ['PORT', '3000', 'HTTP port'],
  ['HOST', '0.0.0.0', 'interface to listen on'],
  [
    'DATABASE_URL',
    'sqlite:./data/townsquare.sqlite',
    '`sqlite:<path>` or `postgres://user:pass@host:port/db`',
  ],
  ['REDIS_URL', '(none)', 'redis://host:port — shares rate limits between processes'],
  ['SMTP_URL', '(none)', 'smtp(s)://user:pass@host:port — without it mail stays in the outbox table'],
  ['MAIL_FROM', 'Townsquare <no-reply@townsquare.invalid>', 'sender of every email'],
  ['PUBLIC_URL', 'http://localhost:$PORT', 'the address citizens use; links in emails start with it'],
  [
    'SESSION_SECRET',
    '(generated once, kept in the database)',
    'at least 32 characters; all processes must share it',
  ],
  ['COOKIE_SECURE', 'true when PUBLIC_URL is https', '`true` or `false`'],
  ['TRUST_PROXY', 'false', '`true` behind a reverse proxy, so client IPs come from X-Forwarded-For'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['TOWNSQUARE_DEMO', '0', '`1` fills an empty database with demo data and prints the demo logins'],
  ['JOBS', 'true', '`false` for a web-only process that runs no background jobs'],
  [
    'SQLITE_SYNCHRONOUS',
    'NORMAL',
    '`NORMAL` (safe against process crashes) or `FULL` (also against power loss)',
  ],
  [
    'LOGIN_ATTEMPTS_PER_MINUTE',
    '10',
    'staff sign-in attempts allowed per IP address and email address per minute',
  ],
  [
    'CREDENTIALS_KEY',
    '(none)',
    '32 bytes as 64 hex characters or base64; encrypts stored social account credentials (AES-256-GCM)',
  ],
] as const

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false
  throw new ConfigError(name, `must be true or false (got "${raw}")`)
}

function url(env: Env, name: string, protocols: readonly string[]): string | null {
  const raw = env[name]
  if (raw === undefined || raw === '') return null
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw new ConfigError(name, `is not a valid URL (got "${raw}")`)
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(
      name,
      `must start with ${protocols.map((p) => p + '//').join(' or ')} (got "${parsed.protocol}")`,
    )
  }
  return raw
}

export function loadConfig(env: Env = process.env): Config {
  const portRaw = env['PORT'] ?? '3000'
  const port = Number(portRaw)
  if (!/^\d+$/.test(portRaw) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535 (got "${portRaw}")`)
  }
  const databaseUrl = env['DATABASE_URL'] || 'sqlite:./data/townsquare.sqlite'
  if (!/^sqlite:.+/.test(databaseUrl) && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be sqlite:<path> or postgres://… (got "' + databaseUrl + '")')
  }
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`
  const sessionSecret = env['SESSION_SECRET'] || null
  if (sessionSecret !== null && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long')
  }
  const logLevel = (env['LOG_LEVEL'] || 'info') as Config['logLevel']
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      'LOG_LEVEL',
      `must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`,
    )
  }
  const sync = (env['SQLITE_SYNCHRONOUS'] || 'NORMAL').toUpperCase()
  if (sync !== 'NORMAL' && sync !== 'FULL') {
    throw new ConfigError('SQLITE_SYNCHRONOUS', `must be NORMAL or FULL (got "${sync}")`)
  }
  const attemptsRaw = env['LOGIN_ATTEMPTS_PER_MINUTE'] || '10'
  if (!/^\d+$/.test(attemptsRaw) || Number(attemptsRaw) < 1) {
    throw new ConfigError(
      'LOGIN_ATTEMPTS_PER_MINUTE',
      `must be a whole number of at least 1 (got "${attemptsRaw}")`,
    )
  }
  const mailFrom = env['MAIL_FROM'] || 'Townsquare <no-reply@townsquare.invalid>'
  if (!/@/.test(mailFrom)) throw new ConfigError('MAIL_FROM', 'must contain an email address')
  const credentialsRaw = env['CREDENTIALS_KEY'] || null
  const credentialsKey = credentialsRaw === null ? null : parseKey(credentialsRaw)
  if (credentialsRaw !== null && credentialsKey === null) {
    throw new ConfigError('CREDENTIALS_KEY', 'must be 32 bytes written as 64 hex characters or base64')
  }
  return {
    port,
    host: env['HOST'] || '0.0.0.0',
    databaseUrl,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom,
    publicUrl: publicUrl.replace(/\/$/, ''),
    sessionSecret,
    cookieSecure: bool(env, 'COOKIE_SECURE', publicUrl.startsWith('https:')),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    logLevel,
    demo: bool(env, 'TOWNSQUARE_DEMO', false),
    jobs: bool(env, 'JOBS', true),
    sqliteSynchronous: sync,
    loginAttemptsPerMinute: Number(attemptsRaw),
    credentialsKey: credentialsKey?.toString('hex') ?? null,
  }
}
