import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import { formatOf, type ImportFormat, parseMapping, readImport } from '../domain/import.js'
import type { RawPost } from '../domain/post.js'
import { ingestPosts } from '../services/ingest.js'
import { listeningSettings } from '../settings.js'
import { findSourceByName, insertSource } from '../store/source-store.js'

const USAGE = `Usage: townsquare listening import <file> --source <name> [--format ndjson|csv] [--map field=column …]

Imports posts from a file into a listening source (created as an "import" source if there is
none of that name), through the whole pipeline: analysis, matching against saved queries,
storage. The same post twice is stored once, so a file can be imported again safely.

  --format ndjson|csv   default: csv for *.csv, ndjson otherwise
  --map field=column    which column holds a field (repeat, or join with commas). Fields: id,
                        text, html, author, authorName, url, lang, publishedAt, hashtags, mentions.
                        Without a mapping the usual names are tried (text/body/content,
                        created_at/date, author/user…). Rows without an id get a content hash.
  --retention <days>    retention of a new source (default: the module setting)

Malformed rows (bad JSON, no text, no readable date) are skipped and counted.

Example:
  townsquare listening import posts.csv --source "Council survey export" --map text=comment,publishedAt=submitted`

export const listeningImportCommand: CliCommand = {
  path: ['listening', 'import'],
  summary: 'import posts from an NDJSON or CSV file',
  usage: USAGE,
  async run(args, io) {
    let parsed: ReturnType<
      typeof parseArgs<{
        options: {
          source: { type: 'string' }
          format: { type: 'string' }
          map: { type: 'string'; multiple: true }
          retention: { type: 'string' }
        }
        allowPositionals: true
        strict: true
      }>
    >
    try {
      parsed = parseArgs({
        args: [...args],
        options: {
          source: { type: 'string' },
          format: { type: 'string' },
          map: { type: 'string', multiple: true },
          retention: { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      })
    } catch (err) {
      throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments')
    }
    const file = parsed.positionals[0]
    if (!file || parsed.positionals.length > 1) throw new CliError('give one file to import (see --help)')
    const name = parsed.values.source?.trim()
    if (!name) throw new CliError('--source <name> is required')
    const format = (parsed.values.format ?? formatOf(file)) as ImportFormat
    if (format !== 'csv' && format !== 'ndjson') throw new CliError('--format must be ndjson or csv')
    let mapping: ReturnType<typeof parseMapping>
    try {
      mapping = parseMapping(parsed.values.map ?? [])
    } catch (err) {
      throw new CliError((err as Error).message)
    }
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new CliError(
        `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      )
    }
    let rows: (RawPost | null)[]
    try {
      rows = readImport(text, format, mapping)
    } catch (err) {
      throw new CliError(`${file}: ${(err as Error).message.split('\n')[0]}`)
    }
    const services = await io.services()
    const { db } = services
    const now = new Date()
    let source = await findSourceByName(db, name)
    if (!source) {
      const retention = parsed.values.retention
        ? Number(parsed.values.retention)
        : (await listeningSettings(db)).defaultRetentionDays
      if (!Number.isInteger(retention) || retention < 1)
        throw new CliError('--retention must be a whole number of days')
      await insertSource(db, { name, type: 'import', config: { file }, retentionDays: retention }, now)
      source = (await findSourceByName(db, name))!
    } else if (source.type !== 'import') {
      throw new CliError(`source "${name}" is a ${source.type} source, not an import source`)
    }
    const posts = rows.filter((r): r is RawPost => r !== null)
    const skipped = rows.length - posts.length
    let stored = 0
    let matches = 0
    for (let i = 0; i < posts.length || (i === 0 && skipped > 0); i += 1000) {
      const r = await ingestPosts(db, source, posts.slice(i, i + 1000), {
        now,
        skipped: i === 0 ? skipped : 0,
      })
      stored += r.stored
      matches += r.matches
    }
    await recordAudit(db, {
      actor: systemActor('cli'),
      action: 'listening.import',
      subject: { type: 'listening_source', id: source.id },
      details: { file, format, rows: rows.length, stored, skipped },
    })
    io.stdout.write(
      `Read ${rows.length} rows from ${file} (${format}): ${stored} stored, ${posts.length - stored} already there, ${skipped} malformed and skipped; ${matches} query matches.\n`,
    )
    return 0
  },
}
