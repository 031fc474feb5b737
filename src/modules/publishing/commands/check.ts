/**
 * `townsquare publishing check`: one post on stdin → the findings of the installed policy.
 * Findings are the output, not an error: the command exits 0 whatever it finds.
 */
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import { isIsoDay, listElectionPeriods } from '../../../platform/elections/index.js'
import { type Channel, checkPost, type Finding, loadPolicy } from '../../../platform/policy/index.js'

const USAGE = `Usage: townsquare publishing check [--channel mastodon|bluesky|email|web] [--date YYYY-MM-DD]
                                  [--locale en|cy] [--json]

Reads one post on standard input and prints what the installed social media policy finds in it:
personal data, the four Ps (political, partisan, Parliament-first, polemical), the pre-election
period of the elections calendar, accessibility and the channel's length and link limits.

Options:
  --channel <name>   check the channel's limits too (mastodon: 500 characters, bluesky: 300)
  --date YYYY-MM-DD  the day the post would go out (default: today); inside a pre-election
                     period political content blocks
  --locale en|cy     the language of the explanations (default en)
  --json             print {"findings":[{"code","severity","start","end","message"}]};
                     start and end are character offsets (Unicode code points), end exclusive
  --help             show this help

Exit status 0 whatever is found; 1 on bad options.`

interface Flags {
  channel: Channel | undefined
  date: string | undefined
  locale: 'en' | 'cy'
  json: boolean
}

const CHANNELS: readonly Channel[] = ['mastodon', 'bluesky', 'email', 'web']

function parseFlags(args: readonly string[]): Flags {
  const flags: Flags = { channel: undefined, date: undefined, locale: 'en', json: false }
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!
    let value: string | undefined
    const eq = arg.indexOf('=')
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1)
      arg = arg.slice(0, eq)
    }
    if (arg === '--json') {
      flags.json = true
      continue
    }
    if (arg !== '--channel' && arg !== '--date' && arg !== '--locale') {
      throw new CliError(
        arg.startsWith('-')
          ? `publishing check: unknown option ${arg} (see --help)`
          : `publishing check: unexpected argument "${arg}" (the post is read from stdin)`,
      )
    }
    if (value === undefined) {
      value = args[i + 1]
      if (value === undefined || value.startsWith('--'))
        throw new CliError(`publishing check: ${arg} needs a value`)
      i++
    }
    if (arg === '--channel') {
      if (!(CHANNELS as readonly string[]).includes(value)) {
        throw new CliError(
          `publishing check: --channel must be mastodon, bluesky, email or web, not "${value}"`,
        )
      }
      flags.channel = value as Channel
    } else if (arg === '--date') {
      if (!isIsoDay(value))
        throw new CliError(`publishing check: --date must be a date YYYY-MM-DD, not "${value}"`)
      flags.date = value
    } else {
      if (value !== 'en' && value !== 'cy')
        throw new CliError(`publishing check: --locale must be en or cy, not "${value}"`)
      flags.locale = value
    }
  }
  return flags
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

/** A string index (UTF-16) as a character offset (code points): what other tools count. */
function codePointOffset(text: string, index: number): number {
  return [...text.slice(0, index)].length
}

export const checkCommand: CliCommand = {
  path: ['publishing', 'check'],
  summary: 'Check one post (stdin) against the installed social media policy',
  usage: USAGE,
  async run(args, io) {
    const flags = parseFlags(args)
    // A trailing newline from `echo` or a file is not part of the post.
    const text = (await readAll(io.stdin)).replace(/\r?\n$/, '')
    const services = await io.services()
    const [policy, elections] = await Promise.all([loadPolicy(services.db), listElectionPeriods(services.db)])
    // Noon UTC is the same calendar day in Europe/London all year round.
    const date = flags.date ? new Date(`${flags.date}T12:00:00Z`) : new Date()
    const findings: Finding[] = checkPost(
      policy,
      { text, date, elections, ...(flags.channel ? { channel: flags.channel } : {}) },
      flags.locale,
    ).map((f) => ({ ...f, start: codePointOffset(text, f.start), end: codePointOffset(text, f.end) }))
    if (flags.json) {
      const out = findings.map(({ code, severity, start, end, message }) => ({
        code,
        severity,
        start,
        end,
        message,
      }))
      io.stdout.write(`${JSON.stringify({ findings: out })}\n`)
      return 0
    }
    if (findings.length === 0) {
      io.stdout.write('No findings.\n')
      return 0
    }
    const chars = [...text]
    for (const f of findings) {
      const excerpt = chars.slice(f.start, f.end).join('').replace(/\s+/g, ' ')
      const shown = excerpt.length > 40 ? `${excerpt.slice(0, 39)}…` : excerpt
      io.stdout.write(`${f.severity.padEnd(5)}  ${f.start}-${f.end}  ${f.code}  "${shown}"  ${f.message}\n`)
    }
    const blocking = findings.filter((f) => f.severity === 'block').length
    io.stdout.write(`${findings.length} finding(s), ${blocking} blocking.\n`)
    return 0
  },
}
