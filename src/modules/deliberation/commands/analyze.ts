import { parseArgs } from 'node:util'
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import { analyze } from '../domain/math/analyze.js'
import { adjustedRandIndex } from '../domain/math/ari.js'
import { DEFAULT_SEED } from '../domain/math/random.js'
import type { AnalysisResult } from '../domain/math/types.js'
import {
  conversationFromPolisExport,
  type PolisExport,
  PolisExportError,
  polisGroupIds,
  readPolisExport,
  summaryValue,
} from '../interop/polis-export.js'

/** The `--json` output: the shape other tools rely on. */
export interface AnalyzeJson {
  readonly participants: number
  readonly inConversation: number
  readonly groups: ReadonlyArray<{ readonly id: number; readonly members: readonly number[] }>
  /** Consensus statements: those most agreed with, then those most disagreed with. */
  readonly consensus: readonly number[]
  /** Representative statement ids per group id. */
  readonly representative: Readonly<Record<string, readonly number[]>>
}

export function analysisJson(result: AnalysisResult): AnalyzeJson {
  return {
    participants: result.participants,
    inConversation: result.inConversation,
    groups: result.groups.map((g) => ({ id: g.id, members: [...g.members].sort((a, b) => a - b) })),
    consensus: [...result.consensus.agree, ...result.consensus.disagree].map((c) => c.statementId),
    representative: Object.fromEntries(
      result.groups.map((g) => [String(g.id), g.representative.map((r) => r.statementId)]),
    ),
  }
}

export const analyzeCommand: CliCommand = {
  path: ['deliberation', 'analyze'],
  summary: 'find the opinion groups of a Pol.is export (no database needed)',
  usage: `Usage: townsquare deliberation analyze <dir> [--json] [--seed N]

Runs the deliberation opinion math on a Pol.is export directory, as Pol.is does: PCA of the
votes, base clusters, 2 to 5 opinion groups chosen by silhouette, representative statements per
group, consensus statements. Reads comments.csv, votes.csv (or participants-votes.csv) and, if
present, summary.csv. The database is not touched.

Options:
  --json     print {"participants", "inConversation", "groups": [{"id", "members"}],
             "consensus": [statement ids], "representative": {group id: [statement ids]}}
  --seed N   seed of the random choices (default ${DEFAULT_SEED}); the same seed, same groups

A malformed export stops with one line naming the file and line, and exit code 1.`,
  async run(args, io) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(`${this.usage}\n`)
      return 0
    }
    let parsed: ReturnType<typeof parseOptions>
    try {
      parsed = parseOptions(args)
    } catch (err) {
      throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments')
    }
    const { values, positionals } = parsed
    if (positionals.length !== 1) {
      throw new CliError(
        positionals.length === 0 ? 'missing the export directory (try --help)' : 'give one export directory',
      )
    }
    const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed)
    if (!Number.isSafeInteger(seed))
      throw new CliError(`--seed must be a whole number (got "${values.seed}")`)
    let exported: PolisExport
    try {
      exported = readPolisExport(positionals[0]!)
    } catch (err) {
      if (err instanceof PolisExportError) throw new CliError(err.message)
      throw err
    }
    const result = analyze(conversationFromPolisExport(exported), { seed })
    io.stdout.write(values.json ? `${JSON.stringify(analysisJson(result))}\n` : summaryText(exported, result))
    return 0
  },
}

function parseOptions(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, seed: { type: 'string' } },
  })
}

const percent = (x: number): string => `${Math.round(100 * x)} %`

/** The readable report: groups with their representative statements, consensus, divisive statements. */
function summaryText(exported: PolisExport, result: AnalysisResult): string {
  const text = new Map(exported.comments.map((c) => [c.id, c.body.replace(/\s+/g, ' ').trim()]))
  const quote = (id: number): string => {
    const body = text.get(id) ?? ''
    return `#${id} "${body.length > 90 ? `${body.slice(0, 89)}…` : body}"`
  }
  const lines: string[] = []
  const topic = summaryValue(exported.summary, 'topic')
  if (topic) lines.push(`Conversation: ${topic}`)
  const excluded = result.excluded.reduce((s, x) => s + x, 0)
  lines.push(
    `Participants: ${result.participants} with votes, ${result.inConversation} in the analysis (voted on at least ` +
      `min(7, statements)); ${result.statementIds.length} statements with votes, ${excluded} left out (moderated out or meta)`,
  )
  const silhouettes = result.silhouettes.map((s) => `k=${s.k} ${s.silhouette.toFixed(2)}`).join(', ')
  lines.push(`Opinion groups: ${result.groups.length}${silhouettes ? ` (silhouette: ${silhouettes})` : ''}`)
  const reference = polisGroupIds(exported)
  if (reference.size > 0) {
    const ours = new Map<number, number>()
    for (const g of result.groups) for (const member of g.members) ours.set(member, g.id)
    const both = [...reference.keys()].filter((p) => ours.has(p))
    const polisGroups = new Set(reference.values()).size
    const ari =
      both.length > 1
        ? adjustedRandIndex(
            both.map((p) => reference.get(p)),
            both.map((p) => ours.get(p)),
          )
        : Number.NaN
    lines.push(
      `Pol.is's own groups in the export: ${polisGroups}; agreement with ours (adjusted Rand index) ${ari.toFixed(3)} ` +
        `over ${both.length} participants grouped by both`,
    )
  }
  for (const g of result.groups) {
    lines.push('', `Group ${g.id}: ${g.members.length} participants`)
    for (const r of g.representative) {
      lines.push(
        `  ${r.repfulFor === 'agree' ? 'agree   ' : 'disagree'} ${percent(r.nSuccess / Math.max(r.nTrials, 1))} of ${r.nTrials} ` +
          `(${r.repness.toFixed(1)}× the others) ${quote(r.statementId)}`,
      )
    }
  }
  const consensus = [
    ...result.consensus.agree.map((c) => ({ ...c, kind: 'agree   ' })),
    ...result.consensus.disagree.map((c) => ({ ...c, kind: 'disagree' })),
  ]
  lines.push('', consensus.length === 0 ? 'Consensus: none' : 'Consensus:')
  for (const c of consensus) {
    lines.push(
      `  ${c.kind} ${percent(c.nSuccess / Math.max(c.nTrials, 1))} of ${c.nTrials} ${quote(c.statementId)}`,
    )
  }
  const bridging = result.groupInformedConsensus.slice(0, 3)
  if (result.groups.length > 1 && bridging.length > 0) {
    lines.push('', 'Group-informed consensus (agreed across every group):')
    for (const b of bridging) lines.push(`  ${b.value.toFixed(3)} ${quote(b.statementId)}`)
  }
  if (result.divisive.length > 0) {
    lines.push('', 'Divisive statements:')
    for (const d of result.divisive) {
      lines.push(
        `  group ${d.agreeingGroup} agrees, group ${d.disagreeingGroup} disagrees: ${quote(d.statementId)}`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}
