import { readFile } from 'node:fs/promises'
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import { RULE_NAMES, type RuleSpec, tally } from '../domain/rules/tally.js'
import { type Outcome, RuleInputError } from '../domain/rules/types.js'
import {
  formatMoney,
  PabulibError,
  pabulibBallots,
  pabulibInstance,
  pabulibRule,
  parsePabulib,
} from '../interop/pabulib.js'

const RULE_CHOICES = ['auto', ...RULE_NAMES] as const
type RuleChoice = (typeof RULE_CHOICES)[number]

const USAGE = `Usage: townsquare budgets tally <file.pb> [--rule auto|greedy|greedy-points|equal-shares] [--json]

Counts the ballots of a Pabulib .pb file and prints the selected projects and their total cost.

Options:
  --rule <rule>  auto (default): the rule named by the file's META "rule"
                   (greedy, equalshares, equalshares/add1, equalshares/add1u);
                 greedy: fund projects by number of votes while they fit;
                 greedy-points: the same by points (ranked ballots: k, k-1, … 1 points by
                   position, k = META max_length, i.e. 3/2/1 in Kraków; cumulative: their points);
                 equal-shares: the Method of Equal Shares with the Add1 completion.
  --json         print {"rule":…,"selected":[ids in file order],"cost":…} (cost in currency units)
  --help         show this help

Exit status: 0 when counted; 1 with a one-line error (naming the line for a bad file).`

interface Parsed {
  readonly file: string
  readonly rule: RuleChoice
  readonly json: boolean
  readonly help: boolean
}

function parseArgs(args: readonly string[]): Parsed {
  let file: string | undefined
  let rule: string = 'auto'
  let json = false
  let help = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--help' || arg === '-h') help = true
    else if (arg === '--json') json = true
    else if (arg === '--rule') {
      const value = args[++i]
      if (value === undefined) throw new CliError('--rule needs a value: ' + RULE_CHOICES.join('|'))
      rule = value
    } else if (arg.startsWith('--rule=')) rule = arg.slice('--rule='.length)
    else if (arg.startsWith('-') && arg !== '-') throw new CliError(`unknown option ${arg} (see --help)`)
    else if (file === undefined) file = arg
    else throw new CliError(`one file expected, got also ${arg}`)
  }
  if (!(RULE_CHOICES as readonly string[]).includes(rule)) {
    throw new CliError(`unknown rule "${rule}"; use one of ${RULE_CHOICES.join(', ')}`)
  }
  if (!help && file === undefined) throw new CliError('missing <file.pb> (see --help)')
  return { file: file ?? '', rule: rule as RuleChoice, json, help }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'read error')
    throw new CliError(`cannot read ${file}: ${why}`)
  }
}

/** Amount in currency units as a JSON number: 143302300 cents → 1433023. */
const units = (cents: number) => Number(formatMoney(cents))

export const tallyCommand: CliCommand = {
  path: ['budgets', 'tally'],
  summary: 'Count a Pabulib .pb file (greedy, greedy by points, or Equal Shares)',
  usage: USAGE,
  async run(args, io) {
    const options = parseArgs(args)
    if (options.help) {
      io.stdout.write(USAGE + '\n')
      return 0
    }
    const text = await readText(options.file)
    let outcome: Outcome
    let metaRule = ''
    let currency = ''
    let warnings: readonly string[] = []
    try {
      const doc = parsePabulib(text)
      warnings = doc.warnings
      metaRule = doc.meta.rule ?? ''
      currency = doc.meta.currency ?? ''
      let spec: RuleSpec
      if (options.rule === 'auto') {
        const fromMeta = pabulibRule(doc)
        if (!fromMeta) {
          throw new CliError(
            `${options.file}: META rule "${metaRule}" is not one we count; pass --rule greedy|greedy-points|equal-shares`,
          )
        }
        spec = fromMeta
      } else {
        spec = { rule: options.rule }
      }
      outcome = tally(pabulibInstance(doc), pabulibBallots(doc), spec)
    } catch (error) {
      if (error instanceof PabulibError || error instanceof RuleInputError) {
        throw new CliError(`${options.file}: ${error.message}`)
      }
      throw error
    }
    for (const w of warnings) io.stderr.write(`warning: ${options.file}: ${w}\n`)

    if (options.json) {
      io.stdout.write(
        JSON.stringify({ rule: outcome.rule, selected: outcome.selected, cost: units(outcome.cost) }) + '\n',
      )
      return 0
    }
    const source = options.rule === 'auto' ? ` (META rule "${metaRule}")` : ''
    const money = (c: number) => formatMoney(c) + (currency ? ` ${currency}` : '')
    const lines = [
      `Rule: ${outcome.rule}${source}`,
      `Selected ${outcome.selected.length} of ${outcome.explanations.size} projects:`,
      ...outcome.selected.map((id) => `  ${id}`),
      `Total cost: ${money(outcome.cost)} of a budget of ${money(outcome.budget)}`,
    ]
    io.stdout.write(lines.join('\n') + '\n')
    return 0
  },
}
