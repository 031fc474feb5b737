import { parseArgs } from 'node:util'
import { type CliCommand, CliError, type CliIO } from '../../../platform/cli/command.js'
import {
  type CompiledQuery,
  compileQuery,
  formatQueryError,
  formatQueryTree,
  parseQueryWithWarnings,
  QueryParseError,
} from '../domain/query/index.js'

export interface ListeningQueryCommandOptions {
  /**
   * Counts the stored posts the query matches, for the preview before a query is saved. When given,
   * the command prints the count (`"matches"` in the JSON). The compiled query is a function testing
   * one post and carries the tree (`.ast`) for a database version.
   */
  readonly countMatches?: (match: CompiledQuery, io: CliIO) => Promise<number>
}

const USAGE = `Usage: townsquare listening query "<query>" [--json]

Checks a social listening query and shows how it is read: the normalised query (brackets added
where operators meet) and its tree. A mistake is shown with a caret under its position.

  --json   print {"query": <normalised>, "ast": <tree>, "valid": true, "warnings": [...]}

The language (see src/modules/listening/README.md):
  council AND tax        both words         council OR councillor   either word
  rates NOT water        leave out          ( … )                   group
  "bin day"              exact phrase       council*                council, councils, councillor…
  bins NEAR/3 missed     within 3 words     bins NEAR/3f missed     …and in this order
  #bins  @leedscc        hashtag, mention   author: lang: source: site: place:   fields

Example:
  townsquare listening query '((bins OR #binday) NEAR/5 (missed OR late)) AND lang:en NOT site:example.com'`

/** `townsquare listening query`, with an optional database count wired in by the caller. */
export function createListeningQueryCommand(options: ListeningQueryCommandOptions = {}): CliCommand {
  return {
    path: ['listening', 'query'],
    summary: 'check a social listening query and show how it is read',
    usage: USAGE,
    async run(args, io) {
      let parsedArgs: { values: { json?: boolean | undefined }; positionals: string[] }
      try {
        parsedArgs = parseArgs({
          args: [...args],
          options: { json: { type: 'boolean' } },
          allowPositionals: true,
          strict: true,
        })
      } catch (err) {
        throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments')
      }
      const json = parsedArgs.values.json === true
      if (parsedArgs.positionals.length === 0) {
        throw new CliError(
          'give the query to check, in quotes, e.g. townsquare listening query "council AND tax"',
        )
      }
      // Words the shell split (a query typed without quotes) are joined back with spaces.
      const text = parsedArgs.positionals.join(' ')

      let parsed: ReturnType<typeof parseQueryWithWarnings>
      try {
        parsed = parseQueryWithWarnings(text)
      } catch (err) {
        if (!(err instanceof QueryParseError)) throw err
        if (json)
          io.stdout.write(`${JSON.stringify({ query: text, valid: false, error: err.toJSON() }, null, 2)}\n`)
        io.stderr.write(`${formatQueryError(text, err, { message: false })}\n`)
        throw new CliError(`invalid query: ${err.message}`)
      }

      const compiled = compileQuery(parsed.ast)
      const matches = options.countMatches ? await options.countMatches(compiled, io) : undefined

      if (json) {
        const out = {
          query: parsed.query,
          ast: parsed.ast,
          valid: true,
          warnings: parsed.warnings,
          ...(matches === undefined ? {} : { matches }),
        }
        io.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
        return 0
      }
      const lines = [`Query: ${parsed.query}`]
      for (const w of parsed.warnings) lines.push(`Warning (position ${w.position}): ${w.message}`)
      if (matches !== undefined) lines.push(`Matching posts: ${matches}`)
      lines.push('', formatQueryTree(parsed.ast))
      io.stdout.write(`${lines.join('\n')}\n`)
      return 0
    },
  }
}

export const listeningQueryCommand: CliCommand = createListeningQueryCommand()
