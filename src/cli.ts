import { loadConfig } from './config.js'
import { modules } from './modules/index.js'
import { type CliCommand, CliError, type CliIO } from './platform/cli/command.js'
import { platformCommands } from './platform/cli/platform-commands.js'
import { createServices, type Services } from './platform/services.js'

/** Every `townsquare` command: the platform's, then each module's. */
export function allCommands(): CliCommand[] {
  return [...platformCommands, ...modules.flatMap((m) => m.commands ?? [])]
}

function help(commands: readonly CliCommand[], prefix: readonly string[] = []): string {
  const shown = commands.filter((c) => prefix.every((w, i) => c.path[i] === w))
  const width = Math.max(...shown.map((c) => c.path.join(' ').length))
  return [
    `Usage: townsquare ${prefix.length ? prefix.join(' ') + ' ' : ''}<command> [options]`,
    '',
    'Commands:',
    ...shown.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help. Configuration comes from the environment (see the README).',
  ].join('\n')
}

/** Runs the CLI; returns the exit code. Errors are one line on stderr, never a stack trace. */
export async function runCli(
  argv: readonly string[],
  streams: Pick<CliIO, 'stdout' | 'stderr' | 'stdin'> & { services?: CliIO['services'] },
): Promise<number> {
  const commands = allCommands()
  let services: Services | null = null
  const io: CliIO = {
    ...streams,
    // Tests hand in services they own (and close); otherwise open them from the environment.
    services:
      streams.services ??
      async function open() {
        services ??= await createServices(loadConfig(), {
          logger: (await import('pino')).default({ level: 'warn' }, process.stderr),
        })
        return services
      },
  }
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      streams.stdout.write(`${help(commands)}\n`)
      return argv.length === 0 ? 1 : 0
    }
    // Longest matching path wins: `user add` before `user`.
    const command = [...commands]
      .sort((a, b) => b.path.length - a.path.length)
      .find((c) => c.path.every((w, i) => argv[i] === w))
    if (!command) {
      const group = commands.filter((c) => c.path[0] === argv[0])
      if (group.length > 0 && (argv.length === 1 || argv[1] === '--help')) {
        streams.stdout.write(`${help(commands, [argv[0]!])}\n`)
        return argv[1] === '--help' ? 0 : 1
      }
      throw new CliError(
        `unknown command "${argv
          .filter((a) => !a.startsWith('-'))
          .slice(0, 2)
          .join(' ')}" (try townsquare --help)`,
      )
    }
    const rest = argv.slice(command.path.length)
    if (rest.includes('--help') || rest.includes('-h')) {
      streams.stdout.write(`${command.usage}\n`)
      return 0
    }
    return await command.run(rest, io)
  } catch (err) {
    const message =
      err instanceof CliError || (err as Error).name === 'ConfigError'
        ? (err as Error).message
        : `failed: ${(err as Error).message}`
    streams.stderr.write(`townsquare: ${message.split('\n')[0]}\n`)
    return 1
  } finally {
    if (services) await (services as Services).close()
  }
}

const isMain = process.argv[1] !== undefined && /[\\/]cli\.(ts|js)$/.test(process.argv[1])
if (isMain) {
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  }).then((code) => {
    process.exitCode = code
  })
}
