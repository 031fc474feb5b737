/**
 * File import: NDJSON (one JSON object per line) or CSV with a header row, mapped to posts by a
 * column mapping (`text=body`, `author=user`, …). A row that cannot be read is skipped and
 * counted. Rows without an id get one from a hash of their content, so importing the same file
 * twice stores each post once.
 */
import { createHash } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { type RawPost, validateRawPost } from './post.js'

export const IMPORT_FIELDS = [
  'id',
  'text',
  'html',
  'author',
  'authorName',
  'url',
  'lang',
  'publishedAt',
  'hashtags',
  'mentions',
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]

/** Columns tried for each field when no mapping names one. */
const DEFAULT_COLUMNS: Record<ImportField, readonly string[]> = {
  id: ['id', 'external_id', 'externalId', 'guid', 'uri'],
  text: ['text', 'body', 'content', 'message'],
  html: ['html'],
  author: ['author', 'user', 'username', 'handle', 'screen_name'],
  authorName: ['authorName', 'author_name', 'name', 'display_name'],
  url: ['url', 'link', 'permalink'],
  lang: ['lang', 'language'],
  publishedAt: ['publishedAt', 'published_at', 'created_at', 'createdAt', 'date', 'timestamp'],
  hashtags: ['hashtags', 'tags'],
  mentions: ['mentions'],
}

export type ColumnMapping = Partial<Record<ImportField, string>>

/** Reads `field=column` pairs; throws on an unknown field. */
export function parseMapping(pairs: readonly string[]): ColumnMapping {
  const out: ColumnMapping = {}
  for (const pair of pairs) {
    for (const part of pair.split(',')) {
      const [field, column] = part.split('=').map((x) => x.trim())
      if (!field || !column) throw new Error(`mapping "${part}" must be field=column`)
      if (!(IMPORT_FIELDS as readonly string[]).includes(field))
        throw new Error(`unknown field "${field}" (fields: ${IMPORT_FIELDS.join(', ')})`)
      out[field as ImportField] = column
    }
  }
  return out
}

function pick(row: Record<string, unknown>, field: ImportField, mapping: ColumnMapping): unknown {
  const mapped = mapping[field]
  if (mapped !== undefined) return row[mapped]
  for (const c of DEFAULT_COLUMNS[field]) if (row[c] !== undefined && row[c] !== '') return row[c]
  return undefined
}

/** A row (from either format) as a post, or null when it is malformed. */
export function rowToPost(row: unknown, mapping: ColumnMapping = {}): RawPost | null {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return null
  const r = row as Record<string, unknown>
  let date = pick(r, 'publishedAt', mapping)
  if (typeof date === 'number') date = new Date(date > 1e12 ? date : date * 1000).toISOString()
  const text = pick(r, 'text', mapping)
  const html = pick(r, 'html', mapping)
  const author = pick(r, 'author', mapping)
  let id = pick(r, 'id', mapping)
  if (id === undefined || id === '')
    id = createHash('sha256')
      .update(JSON.stringify([text ?? html, author ?? null, date ?? null]))
      .digest('hex')
      .slice(0, 32)
  return validateRawPost({
    id,
    text,
    html,
    author,
    authorName: pick(r, 'authorName', mapping),
    url: pick(r, 'url', mapping),
    lang: pick(r, 'lang', mapping),
    publishedAt: date,
    hashtags: pick(r, 'hashtags', mapping),
    mentions: pick(r, 'mentions', mapping),
  })
}

export type ImportFormat = 'ndjson' | 'csv'

export function formatOf(file: string): ImportFormat {
  return /\.csv$/i.test(file) ? 'csv' : 'ndjson'
}

/** Every row of a file's text as a post or null (malformed). */
export function readImport(
  text: string,
  format: ImportFormat,
  mapping: ColumnMapping = {},
): (RawPost | null)[] {
  if (format === 'csv') {
    const rows = parse(text, {
      columns: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
      trim: false,
    }) as Record<string, string>[]
    return rows.map((row) => rowToPost(row, mapping))
  }
  const out: (RawPost | null)[] = []
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      out.push(null)
      continue
    }
    out.push(rowToPost(value, mapping))
  }
  return out
}
