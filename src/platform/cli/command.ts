import type { Services } from '../services.js'

export interface CliIO {
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
  readonly stdin: NodeJS.ReadableStream
  /** Opens the database and services on first use; commands that only read files never call it. */
  services(): Promise<Services>
}

/** A `townsquare` subcommand. `path` is the words that name it, e.g. ['user', 'add']. */
export interface CliCommand {
  readonly path: readonly string[]
  readonly summary: string
  /** Full help text, shown by `--help`. */
  readonly usage: string
  /** Returns the exit code. Throw `CliError` for a one-line error and exit 1. */
  run(args: readonly string[], io: CliIO): Promise<number>
}

export class CliError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CliError'
  }
}
