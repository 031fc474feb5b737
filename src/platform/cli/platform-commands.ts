import { parseArgs } from 'node:util'
import { recordAudit } from '../audit/audit.js'
import { isStaffRole, STAFF_ROLES, systemActor } from '../auth/actor.js'
import { isPlausibleEmail } from '../auth/citizens.js'
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../auth/passwords.js'
import { findStaffByEmail, insertStaff } from '../auth/staff-store.js'
import { seedDemo } from '../demo/demo.js'
import { listOutbox } from '../mail/mail.js'
import { textEvaluateCommand, textSentimentCommand } from '../text/commands.js'
import { type CliCommand, CliError } from './command.js'

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString('utf8')
}

/** Runs parseArgs, turning its exceptions into our one-line CLI errors. */
export function cliArgs<T>(parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments')
  }
}

export const migrateCommand: CliCommand = {
  path: ['migrate'],
  summary: 'bring the database schema up to date',
  usage:
    'Usage: townsquare migrate\n\nRuns every pending migration of the platform and the modules on DATABASE_URL.',
  async run(args, io) {
    cliArgs(() => parseArgs({ args: [...args], options: {}, strict: true }))
    // Opening the services runs the migrations.
    await io.services()
    io.stdout.write('Database is up to date.\n')
    return 0
  },
}

export const userAddCommand: CliCommand = {
  path: ['user', 'add'],
  summary: 'add a staff user (password read from stdin)',
  usage: `Usage: townsquare user add --email EMAIL --role ROLE [--role ROLE…] [--name NAME] < password

Roles: ${STAFF_ROLES.join(', ')}. The password (at least ${MIN_PASSWORD_LENGTH} characters) is the first line of standard input.`,
  async run(args, io) {
    const { values } = cliArgs(() =>
      parseArgs({
        args: [...args],
        strict: true,
        options: {
          email: { type: 'string' },
          role: { type: 'string', multiple: true },
          name: { type: 'string' },
        },
      }),
    )
    const email = values.email?.trim() ?? ''
    if (!isPlausibleEmail(email))
      throw new CliError(email ? `--email "${email}" is not an email address` : '--email is required')
    const roles = values.role ?? []
    if (roles.length === 0) throw new CliError(`--role is required (one of ${STAFF_ROLES.join(', ')})`)
    const bad = roles.find((r) => !isStaffRole(r))
    if (bad) throw new CliError(`--role "${bad}" is not a role (one of ${STAFF_ROLES.join(', ')})`)
    const password = (await readStdin(io.stdin)).split(/\r?\n/)[0] ?? ''
    const problem = passwordProblem(password)
    if (problem === 'too-short')
      throw new CliError(`the password on stdin must be at least ${MIN_PASSWORD_LENGTH} characters`)
    if (problem === 'too-long') throw new CliError('the password on stdin is too long')
    const services = await io.services()
    if (await findStaffByEmail(services.db, email))
      throw new CliError(`a staff user with email ${email} already exists`)
    const name = values.name?.trim() || email.split('@')[0] || email
    const id = await services.db.transaction().execute(async (trx) => {
      const newId = await insertStaff(
        trx,
        { email, name, passwordHash: await hashPassword(password), roles: roles.filter(isStaffRole) },
        new Date(),
      )
      await recordAudit(trx, {
        actor: systemActor('cli'),
        action: 'platform.user.add',
        subject: { type: 'staff_user', id: newId },
        details: { email, roles },
      })
      return newId
    })
    io.stdout.write(`Added staff user ${id}: ${email} (${roles.join(', ')})\n`)
    return 0
  },
}

export const outboxListCommand: CliCommand = {
  path: ['outbox', 'list'],
  summary: 'list the mail outbox',
  usage:
    'Usage: townsquare outbox list [--json] [--status held|queued|retry|sending|sent|failed] [--to TEXT] [--limit N]',
  async run(args, io) {
    const { values } = cliArgs(() =>
      parseArgs({
        args: [...args],
        strict: true,
        options: {
          json: { type: 'boolean' },
          status: { type: 'string' },
          to: { type: 'string' },
          limit: { type: 'string' },
        },
      }),
    )
    const limit = values.limit === undefined ? 200 : Number(values.limit)
    if (!Number.isInteger(limit) || limit < 1)
      throw new CliError(`--limit must be a positive whole number (got "${values.limit}")`)
    const statuses = ['held', 'queued', 'retry', 'sending', 'sent', 'failed']
    if (values.status && !statuses.includes(values.status))
      throw new CliError(`--status must be one of ${statuses.join(', ')}`)
    const services = await io.services()
    const messages = await listOutbox(services.db, {
      limit,
      ...(values.status ? { status: values.status } : {}),
      ...(values.to ? { to: values.to } : {}),
    })
    if (values.json) {
      io.stdout.write(`${JSON.stringify(messages, null, 2)}\n`)
    } else if (messages.length === 0) {
      io.stdout.write('The outbox is empty.\n')
    } else {
      for (const m of messages)
        io.stdout.write(`${m.id}\t${m.createdAt}\t${m.status}\t${m.to}\t${m.subject}\n`)
    }
    return 0
  },
}

export const demoCommand: CliCommand = {
  path: ['demo'],
  summary: 'fill an empty database with generated demo data',
  usage:
    'Usage: townsquare demo\n\nFills an empty database with a generated demo organisation and prints the staff logins.',
  async run(args, io) {
    cliArgs(() => parseArgs({ args: [...args], options: {}, strict: true }))
    const services = await io.services()
    const logins = await seedDemo(services, new Date())
    if (!logins)
      throw new CliError('the database already has staff users; demo data only goes into an empty database')
    io.stdout.write('Demo data loaded. Staff logins:\n')
    for (const l of logins) io.stdout.write(`  ${l.role.padEnd(15)} ${l.email}  ${l.password}\n`)
    return 0
  },
}

export const platformCommands: readonly CliCommand[] = [
  migrateCommand,
  userAddCommand,
  outboxListCommand,
  demoCommand,
  textSentimentCommand,
  textEvaluateCommand,
]
