import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import { cliArgs } from '../../../platform/cli/platform-commands.js'
import type { DbOrTrx } from '../../../platform/db/database.js'
import { normalisePostcode } from '../domain/signature.js'

export interface AreaRow {
  readonly postcode: string
  readonly areaCode: string
  readonly areaName: string
  readonly regionCode: string | null
  readonly regionName: string | null
}

/**
 * Reads a postcode lookup: a header row with `postcode`, `area_code`, `area_name` and optionally
 * `region_code`, `region_name` (e.g. a council's wards, or ONS constituencies). Each problem names
 * the line.
 */
export function parseAreasCsv(text: string, file: string): AreaRow[] {
  let records: string[][]
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][]
  } catch (err) {
    throw new CliError(`${file}: ${(err as Error).message.split('\n')[0]}`)
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase())
  const col = (name: string, required: boolean): number => {
    const i = header.indexOf(name)
    if (i < 0 && required)
      throw new CliError(`${file} line 1: missing column "${name}" (need postcode, area_code, area_name)`)
    return i
  }
  const [pc, ac, an, rc, rn] = [
    col('postcode', true),
    col('area_code', true),
    col('area_name', true),
    col('region_code', false),
    col('region_name', false),
  ]
  return records.slice(1).map((r, i) => {
    const line = i + 2
    const postcode = normalisePostcode(r[pc] ?? '')
    if (!postcode) throw new CliError(`${file} line ${line}: "${r[pc]}" is not a UK postcode`)
    if (!r[ac]) throw new CliError(`${file} line ${line}: area_code is empty`)
    if (!r[an]) throw new CliError(`${file} line ${line}: area_name is empty`)
    return {
      postcode: postcode.replace(' ', ''),
      areaCode: r[ac]!,
      areaName: r[an]!,
      regionCode: rc >= 0 ? r[rc] || null : null,
      regionName: rn >= 0 ? r[rn] || null : null,
    }
  })
}

export async function importAreas(db: DbOrTrx, rows: readonly AreaRow[]): Promise<number> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({
      postcode: r.postcode,
      area_code: r.areaCode,
      area_name: r.areaName,
      region_code: r.regionCode,
      region_name: r.regionName,
    }))
    await db
      .insertInto('petition_areas')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('postcode').doUpdateSet((eb) => ({
          area_code: eb.ref('excluded.area_code'),
          area_name: eb.ref('excluded.area_name'),
          region_code: eb.ref('excluded.region_code'),
          region_name: eb.ref('excluded.region_name'),
        })),
      )
      .execute()
  }
  return rows.length
}

export const areasImportCommand: CliCommand = {
  path: ['areas', 'import'],
  summary: 'load a postcode → area (ward or constituency) lookup from CSV',
  usage: `Usage: townsquare areas import <file.csv>

The CSV has a header row with postcode, area_code, area_name and optionally region_code,
region_name. Signatures are counted by area from it. Existing postcodes are updated.`,
  async run(args, io) {
    const { positionals } = cliArgs(() =>
      parseArgs({ args: [...args], strict: true, allowPositionals: true, options: {} }),
    )
    const file = positionals[0]
    if (!file || positionals.length > 1)
      throw new CliError('give one CSV file (townsquare areas import <file.csv>)')
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      throw new CliError(`${file}: cannot be read`)
    }
    const rows = parseAreasCsv(text, file)
    const { db } = await io.services()
    await db.transaction().execute(async (trx) => {
      await importAreas(trx, rows)
      await recordAudit(trx, {
        actor: systemActor('cli'),
        action: 'petitions.areas.import',
        details: { file, rows: rows.length },
      })
    })
    io.stdout.write(`Imported ${rows.length} postcodes.\n`)
    return 0
  },
}
