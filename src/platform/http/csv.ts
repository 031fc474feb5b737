import { stringify } from 'csv-stringify/sync'

export type CsvCell = string | number | boolean | null | undefined

/**
 * Neutralises spreadsheet formula injection (OWASP "CSV injection"; alphagov/e-petitions refuses
 * `/\A[-=+@]/` in free text): a text cell starting with = + - @ or a tab / carriage return gets a
 * leading apostrophe so spreadsheets show it as text. Numbers are left alone.
 */
export function guardCell(cell: CsvCell): string | number {
  if (cell === null || cell === undefined) return ''
  if (typeof cell === 'number') return cell
  if (typeof cell === 'boolean') return cell ? 'true' : 'false'
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell
}

/** A CSV document (RFC 4180, CRLF line ends) with a header row, every text cell guarded. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header.map(guardCell), ...rows.map((r) => r.map(guardCell))], {
    record_delimiter: 'windows',
  })
}
