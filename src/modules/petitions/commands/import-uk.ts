import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import { cliArgs } from '../../../platform/cli/platform-commands.js'
import type { DbOrTrx } from '../../../platform/db/database.js'
import { type ImportedPetition, parseUkPetition, UkPetitionFormatError } from '../interop/uk-json.js'
import { insertPetition, recordPetitionEvent, replaceCounts } from '../store/petition-store.js'

/**
 * Stores a petition.parliament.uk petition with its counts, as it was: an archived copy that
 * never collects signatures here (`source = 'uk-import'`).
 */
export async function importUkPetition(db: DbOrTrx, imported: ImportedPetition, now: Date): Promise<number> {
  const id = await insertPetition(db, imported.petition)
  for (const kind of ['country', 'area', 'region'] as const)
    await replaceCounts(db, id, kind, imported.counts[kind])
  await recordPetitionEvent(db, id, 'imported', now, {
    originalId: imported.originalId,
    source: imported.petition.sourceUrl,
  })
  await recordAudit(db, {
    actor: systemActor('cli'),
    action: 'petitions.import-uk',
    subject: { type: 'petition', id },
    details: { originalId: imported.originalId },
    at: now,
  })
  return id
}

export const importUkCommand: CliCommand = {
  path: ['petitions', 'import-uk'],
  summary: 'load a petition.parliament.uk JSON file as an archived petition with its counts',
  usage: `Usage: townsquare petitions import-uk <file.json>… [--json]

Reads petition files in the petition.parliament.uk shape (petitions/N.json) and stores each,
with its counts by country, constituency and region. Prints the new petition ids.`,
  async run(args, io) {
    const { values, positionals } = cliArgs(() =>
      parseArgs({
        args: [...args],
        strict: true,
        allowPositionals: true,
        options: { json: { type: 'boolean' } },
      }),
    )
    if (positionals.length === 0)
      throw new CliError('give at least one petition file (townsquare petitions import-uk <file.json>)')
    const parsed: ImportedPetition[] = []
    for (const file of positionals) {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch {
        throw new CliError(`${file}: cannot be read`)
      }
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch (err) {
        throw new CliError(`${file}: not JSON (${(err as Error).message})`)
      }
      try {
        parsed.push(parseUkPetition(json, file))
      } catch (err) {
        if (err instanceof UkPetitionFormatError) throw new CliError(err.message)
        throw err
      }
    }
    const { db } = await io.services()
    const now = new Date()
    const results: { file: string; originalId: number; id: number; signatureCount: number }[] = []
    await db.transaction().execute(async (trx) => {
      for (const [i, imported] of parsed.entries()) {
        const id = await importUkPetition(trx, imported, now)
        results.push({
          file: positionals[i]!,
          originalId: imported.originalId,
          id,
          signatureCount: imported.petition.signatureCount,
        })
      }
    })
    if (values.json) io.stdout.write(`${JSON.stringify(results)}\n`)
    else
      for (const r of results)
        io.stdout.write(
          `Imported UK petition ${r.originalId} as petition ${r.id} (${r.signatureCount} signatures)\n`,
        )
    return 0
  },
}
