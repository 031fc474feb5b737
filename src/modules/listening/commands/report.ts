import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import { summaryCsv, weeklySummary, weekStart } from '../services/report.js'

const USAGE = `Usage: townsquare listening report [--week YYYY-MM-DD] [--csv <file>]

Prints the weekly summary of every followed query: posts this week and the week before,
sentiment, top terms and spikes. The week is the Monday–Sunday (UTC) containing --week
(default: last week). --csv also writes it as CSV (the same file as the weekly email's link).`

export const listeningReportCommand: CliCommand = {
  path: ['listening', 'report'],
  summary: 'print the weekly listening summary (and write it as CSV)',
  usage: USAGE,
  async run(args, io) {
    let values: { week?: string | undefined; csv?: string | undefined }
    try {
      values = parseArgs({
        args: [...args],
        options: { week: { type: 'string' }, csv: { type: 'string' } },
        strict: true,
      }).values
    } catch (err) {
      throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments')
    }
    let from: Date
    if (values.week) {
      const d = new Date(`${values.week}T00:00:00Z`)
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.week) || Number.isNaN(d.getTime()))
        throw new CliError('--week must be a date, YYYY-MM-DD')
      from = weekStart(d)
    } else {
      from = new Date(weekStart(new Date()).getTime() - 7 * 86_400_000)
    }
    const { db } = await io.services()
    const summary = await weeklySummary(db, from)
    const lines = [
      `Week ${summary.from.slice(0, 10)} to ${new Date(Date.parse(summary.to) - 86_400_000).toISOString().slice(0, 10)}`,
    ]
    for (const q of summary.queries) {
      lines.push(
        `${q.name}: ${q.total} posts (week before ${q.previous}${q.change === null ? '' : `, ${q.change >= 0 ? '+' : ''}${q.change}%`}); negative ${q.negative}, neutral ${q.neutral}, positive ${q.positive}; spikes ${q.spikes}${q.topTerms.length ? `; top terms: ${q.topTerms.join(', ')}` : ''}`,
      )
    }
    if (summary.queries.length === 0) lines.push('No queries are followed yet.')
    io.stdout.write(`${lines.join('\n')}\n`)
    if (values.csv) {
      writeFileSync(values.csv, summaryCsv(summary))
      io.stdout.write(`Wrote ${values.csv}\n`)
    }
    return 0
  },
}
