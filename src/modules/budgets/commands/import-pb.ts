import { readFile, writeFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import { DomainError } from '../../../platform/errors/errors.js'
import { parseRuleKey } from '../domain/counting.js'
import { RuleInputError } from '../domain/rules/types.js'
import { exportPabulib, importPabulib } from '../interop/import-pb.js'
import { formatMoney, PabulibError, pabulibRule, parsePabulib } from '../interop/pabulib.js'

const IMPORT_USAGE = `Usage: townsquare budgets import-pb <file.pb> [--rule greedy|greedy-points|equal-shares/add1|equal-shares/add1-greedy] [--json]

Creates a finished participatory budget from a Pabulib .pb file: a process in the results
phase with one budget, its projects, every vote as a ballot (marked as imported), and the
count made with the file's META rule (or --rule). Prints where the results are published.

Options:
  --rule <rule>  count with this rule instead of the file's META rule
  --json         print {"processId","budgetId","projects","ballots","rule","selected":[file ids],"cost","currency","matchesFile"}
  --help         show this help

Exit status: 0 when imported; 1 with a one-line error (naming the line for a bad file).`

const EXPORT_USAGE = `Usage: townsquare budgets export-pb <budget id> [--out <file.pb>]

Writes a budget as a Pabulib .pb file: its feasible projects (with votes and the official
selection), every ballot (online, paper and imported) and the META facts. Prints to standard
output unless --out is given.`

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'read error')}`)
  }
}

export const importPbCommand: CliCommand = {
  path: ['budgets', 'import-pb'],
  summary: 'Create a finished budget with its ballots from a Pabulib .pb file',
  usage: IMPORT_USAGE,
  async run(args, io) {
    let file: string | undefined
    let ruleText: string | undefined
    let json = false
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]
      if (arg === '--json') json = true
      else if (arg === '--rule') {
        ruleText = args[++i]
        if (ruleText === undefined) throw new CliError('--rule needs a value')
      } else if (arg.startsWith('--rule=')) ruleText = arg.slice('--rule='.length)
      else if (arg.startsWith('-')) throw new CliError(`unknown option ${arg} (see --help)`)
      else if (file === undefined) file = arg
      else throw new CliError(`one file expected, got also ${arg}`)
    }
    if (file === undefined) throw new CliError('missing <file.pb> (see --help)')
    const rule = ruleText === undefined ? undefined : parseRuleKey(ruleText)
    if (rule === null) throw new CliError(`unknown rule "${ruleText}" (see --help)`)
    const text = await readText(file)
    let doc: ReturnType<typeof parsePabulib>
    try {
      doc = parsePabulib(text)
    } catch (error) {
      if (error instanceof PabulibError) throw new CliError(`${file}: ${error.message}`)
      throw error
    }
    if (!rule && !pabulibRule(doc)) {
      throw new CliError(`${file}: META rule "${doc.meta['rule'] ?? ''}" is not one we count; pass --rule`)
    }
    for (const w of doc.warnings) io.stderr.write(`warning: ${file}: ${w}\n`)
    const services = await io.services()
    let result: Awaited<ReturnType<typeof importPabulib>>
    try {
      result = await importPabulib(services.db, doc, { ...(rule ? { rule } : {}), file: basename(file) })
    } catch (error) {
      if (error instanceof RuleInputError) throw new CliError(`${file}: ${error.message}`)
      throw error
    }
    if (json) {
      io.stdout.write(`${JSON.stringify({ ...result, cost: Number(formatMoney(result.cost)) })}\n`)
      return 0
    }
    const agrees =
      result.matchesFile === null
        ? 'the file has no official selection to compare with'
        : result.matchesFile
          ? "the file's official selection agrees"
          : "the file's official selection DIFFERS"
    io.stdout.write(
      [
        `Imported ${result.projects} projects and ${result.ballots} ballots: process ${result.processId}, budget ${result.budgetId}.`,
        `Rule ${result.rule} selected ${result.selected.length} projects (${result.selected.join(', ')}) costing ${formatMoney(result.cost)} ${result.currency}; ${agrees}.`,
        `Results: ${services.config.publicUrl}/budgets/${result.processId}/results`,
      ].join('\n') + '\n',
    )
    return 0
  },
}

export const exportPbCommand: CliCommand = {
  path: ['budgets', 'export-pb'],
  summary: 'Write a budget and its ballots as a Pabulib .pb file',
  usage: EXPORT_USAGE,
  async run(args, io) {
    let id: number | undefined
    let out: string | undefined
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]
      if (arg === '--out') {
        out = args[++i]
        if (out === undefined) throw new CliError('--out needs a file name')
      } else if (arg.startsWith('-')) throw new CliError(`unknown option ${arg} (see --help)`)
      else if (id === undefined) {
        id = Number(arg)
        if (!Number.isSafeInteger(id) || id <= 0) throw new CliError(`"${arg}" is not a budget id`)
      } else throw new CliError(`one budget id expected, got also ${arg}`)
    }
    if (id === undefined) throw new CliError('missing <budget id> (see --help)')
    const services = await io.services()
    let text: string
    try {
      text = await exportPabulib(services.db, id)
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not-found')
        throw new CliError(`no budget with id ${id}`)
      throw error
    }
    if (out) {
      await writeFile(out, text)
      io.stdout.write(`Wrote ${out}.\n`)
    } else io.stdout.write(text)
    return 0
  },
}
