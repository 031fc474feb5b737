/**
 * Pabulib `.pb` files (https://pabulib.org/format): three `;`-separated sections.
 *
 *   META      key;value rows: budget, vote_type, rule, num_projects, num_votes, min_length, …
 *   PROJECTS  project_id;cost;… one row per project (`selected` = the official outcome)
 *   VOTES     voter_id;vote;… one row per voter; `vote` is a comma-separated list of project
 *             ids (best first for `ordinal`), `points` a matching list for cumulative/scoring.
 *
 * The parser is strict about structure and reports the first problem as a `PabulibError`
 * whose one-line message names the line ("line 23: …"). Money is read from decimal text into
 * integer cents exactly (no floating point); more than two decimals is an error.
 */
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import type { Completion } from '../domain/rules/equal-shares.js'
import type { CountableBallots, RuleSpec } from '../domain/rules/tally.js'
import type { Instance } from '../domain/rules/types.js'

export class PabulibError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`)
    this.name = 'PabulibError'
  }
}

export const VOTE_TYPES = ['approval', 'ordinal', 'cumulative', 'scoring'] as const
export type PabulibVoteType = (typeof VOTE_TYPES)[number]

export interface PabulibProject {
  readonly id: string
  /** Integer minor units (cents). */
  readonly cost: number
  /** Every column of the row as text, by header name (project_id and cost included). */
  readonly fields: Readonly<Record<string, string>>
  /** Line in the source file (0 for documents built in code). */
  readonly line: number
}

export interface PabulibVote {
  readonly voterId: string
  readonly vote: readonly string[]
  /** For cumulative and scoring ballots (`points` column), else null. */
  readonly points: readonly number[] | null
  readonly fields: Readonly<Record<string, string>>
  readonly line: number
}

export interface PabulibDocument {
  /** META rows in file order. */
  readonly meta: Readonly<Record<string, string>>
  /** Integer minor units (cents). */
  readonly budget: number
  readonly voteType: PabulibVoteType
  readonly projectColumns: readonly string[]
  readonly projects: readonly PabulibProject[]
  readonly voteColumns: readonly string[]
  readonly votes: readonly PabulibVote[]
  /** Non-fatal findings, e.g. num_votes not matching the VOTES rows ("line 9: …"). */
  readonly warnings: readonly string[]
}

const MONEY = /^(\d+)(?:\.(\d+))?$/

/** "1437562.51" → 143756251. Returns null if the text is not a non-negative amount with at most 2 decimals. */
export function parseMoney(text: string): number | null {
  const m = MONEY.exec(text.trim())
  if (!m) return null
  const decimals = (m[2] ?? '').replace(/0+$/, '')
  if (decimals.length > 2) return null
  const cents = Number(m[1]) * 100 + Number(decimals.padEnd(2, '0'))
  return Number.isSafeInteger(cents) ? cents : null
}

/** 143756251 → "1437562.51", 10000000 → "100000". */
export function formatMoney(cents: number): string {
  const whole = Math.floor(cents / 100)
  const rest = cents % 100
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0')}`
}

interface Row {
  readonly cells: string[]
  readonly line: number
}

const SECTION_LINE = /^\s*"?(meta|projects|votes)"?\s*(;\s*)*$/i
const CSV_OPTIONS = {
  delimiter: ';',
  record_delimiter: '\n',
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
} as const

/**
 * Splits the file at its section lines and parses each section with csv-parse. (Parsing the
 * whole file at once would make csv-parse build an error object for every row whose width
 * differs from the first row's, which is most of them: ten times slower.)
 */
function readRows(text: string): Row[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
  const rows: Row[] = []
  let bodyStart = 0
  const flush = (from: number, to: number) => {
    if (from < to) for (const row of parseChunk(lines.slice(from, to).join('\n'), from)) rows.push(row)
  }
  for (let i = 0; i < lines.length; i++) {
    const m = SECTION_LINE.exec(lines[i])
    if (!m) continue
    flush(bodyStart, i)
    rows.push({ cells: [m[1]], line: i + 1 })
    bodyStart = i + 1
  }
  flush(bodyStart, lines.length)
  return rows
}

/** Rows of one section; `offset` is the 0-based index of the chunk's first line in the file. */
function parseChunk(chunk: string, offset: number): Row[] {
  let records: { record: string[]; raw: string }[]
  try {
    records = parse(chunk, { ...CSV_OPTIONS, raw: true }) as unknown as typeof records
  } catch (error) {
    const e = error as { lines?: number; code?: string; message: string }
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      // csv-parse reports where the input ended; name the line where the broken row starts.
      let lastGood = 0
      try {
        parse(chunk, {
          ...CSV_OPTIONS,
          info: true,
          on_record: (record, context) => {
            lastGood = context.lines
            return record
          },
        })
      } catch {}
      const lines = chunk.split('\n')
      let start = lastGood
      while (start < lines.length - 1 && lines[start].trim() === '') start++
      throw new PabulibError(offset + start + 1, 'a quoted field ("…) is never closed')
    }
    throw new PabulibError(offset + (e.lines ?? 1), `unreadable CSV: ${e.message}`)
  }
  const rows: Row[] = []
  let consumed = 0
  for (const { record, raw } of records) {
    let leading = 0
    while (raw.charCodeAt(leading) === 10) leading++
    rows.push({ cells: record.map((c) => c.trim()), line: offset + consumed + leading + 1 })
    for (let j = 0; j < raw.length; j++) if (raw.charCodeAt(j) === 10) consumed++
  }
  return rows
}

const sectionName = (row: Row): string | null => {
  if (row.cells.length !== 1 && !(row.cells.length > 1 && row.cells.slice(1).every((c) => c === '')))
    return null
  const name = row.cells[0].toLowerCase()
  return name === 'meta' || name === 'projects' || name === 'votes' ? name : null
}

export function parsePabulib(text: string): PabulibDocument {
  const rows = readRows(text)
  const lastLine = rows.length > 0 ? rows[rows.length - 1].line : 1
  let i = 0
  const expectSection = (name: 'meta' | 'projects' | 'votes'): { header: string[]; headerLine: number } => {
    const row = rows[i]
    if (!row) throw new PabulibError(lastLine, `the file ends before the ${name.toUpperCase()} section`)
    if (sectionName(row) !== name) {
      throw new PabulibError(
        row.line,
        `expected the ${name.toUpperCase()} section, found "${row.cells.join(';')}"`,
      )
    }
    const header = rows[i + 1]
    if (!header || sectionName(header)) {
      throw new PabulibError(row.line, `the ${name.toUpperCase()} section has no header row`)
    }
    i += 2
    return { header: header.cells, headerLine: header.line }
  }
  const sectionRows = (): Row[] => {
    const out: Row[] = []
    while (i < rows.length && !sectionName(rows[i])) out.push(rows[i++])
    return out
  }

  // META
  const metaHead = expectSection('meta')
  if (metaHead.header.length < 2)
    throw new PabulibError(metaHead.headerLine, 'the META header must be "key;value"')
  // Null prototype: keys come from the file ("__proto__", "constructor" are plain keys here).
  const meta: Record<string, string> = Object.create(null)
  const metaLine: Record<string, number> = Object.create(null)
  for (const row of sectionRows()) {
    const key = row.cells[0]
    if (key === '') throw new PabulibError(row.line, 'META row without a key')
    if (Object.hasOwn(meta, key)) throw new PabulibError(row.line, `META key "${key}" appears twice`)
    meta[key] = row.cells.slice(1).join(';').trim()
    metaLine[key] = row.line
  }
  if (!Object.hasOwn(meta, 'budget')) throw new PabulibError(metaHead.headerLine, 'META has no budget')
  const budget = parseMoney(meta.budget)
  if (budget === null) {
    throw new PabulibError(
      metaLine.budget,
      `budget "${meta.budget}" is not an amount (digits, optional 2 decimals)`,
    )
  }
  if (!Object.hasOwn(meta, 'vote_type')) throw new PabulibError(metaHead.headerLine, 'META has no vote_type')
  const rawType = meta.vote_type.toLowerCase()
  if (!(VOTE_TYPES as readonly string[]).includes(rawType)) {
    throw new PabulibError(
      metaLine.vote_type,
      `vote_type "${meta.vote_type}" is not one of ${VOTE_TYPES.join(', ')}`,
    )
  }
  const voteType = rawType as PabulibVoteType

  // PROJECTS
  const projHead = expectSection('projects')
  const projectColumns = projHead.header
  const idCol = projectColumns.indexOf('project_id')
  const costCol = projectColumns.indexOf('cost')
  if (idCol < 0 || costCol < 0) {
    throw new PabulibError(projHead.headerLine, 'the PROJECTS header needs "project_id" and "cost" columns')
  }
  const projects: PabulibProject[] = []
  const projectIds = new Set<string>()
  for (const row of sectionRows()) {
    checkWidth(row, projectColumns, 'PROJECTS')
    const id = row.cells[idCol]
    if (id === '') throw new PabulibError(row.line, 'project without a project_id')
    if (id.includes(',')) throw new PabulibError(row.line, `project_id "${id}" contains a comma`)
    if (projectIds.has(id)) throw new PabulibError(row.line, `project_id "${id}" appears twice`)
    const cost = parseMoney(row.cells[costCol])
    if (cost === null)
      throw new PabulibError(row.line, `cost "${row.cells[costCol]}" of project ${id} is not an amount`)
    projectIds.add(id)
    projects.push({ id, cost, fields: fieldsOf(row, projectColumns), line: row.line })
  }

  // VOTES
  const voteHead = expectSection('votes')
  const voteColumns = voteHead.header
  const voterCol = voteColumns.indexOf('voter_id')
  const voteCol = voteColumns.indexOf('vote')
  const pointsCol = voteColumns.indexOf('points')
  if (voterCol < 0 || voteCol < 0) {
    throw new PabulibError(voteHead.headerLine, 'the VOTES header needs "voter_id" and "vote" columns')
  }
  const needsPoints = voteType === 'cumulative' || voteType === 'scoring'
  if (needsPoints && pointsCol < 0) {
    throw new PabulibError(voteHead.headerLine, `${voteType} ballots need a "points" column in VOTES`)
  }
  const votes: PabulibVote[] = []
  const voterIds = new Set<string>()
  for (const row of sectionRows()) {
    checkWidth(row, voteColumns, 'VOTES')
    const voterId = row.cells[voterCol]
    if (voterId === '') throw new PabulibError(row.line, 'vote without a voter_id')
    if (voterIds.has(voterId)) throw new PabulibError(row.line, `voter_id "${voterId}" appears twice`)
    voterIds.add(voterId)
    const vote = splitList(row.cells[voteCol])
    const seen = new Set<string>()
    for (const id of vote) {
      if (!projectIds.has(id))
        throw new PabulibError(row.line, `vote names project "${id}", which is not in PROJECTS`)
      if (seen.has(id)) throw new PabulibError(row.line, `vote names project "${id}" twice`)
      seen.add(id)
    }
    let points: number[] | null = null
    if (needsPoints) {
      const texts = splitList(row.cells[pointsCol])
      if (texts.length !== vote.length) {
        throw new PabulibError(
          row.line,
          `${vote.length} projects in "vote" but ${texts.length} values in "points"`,
        )
      }
      points = texts.map((t) => {
        const value = Number(t)
        if (!/^\d+(\.\d+)?$/.test(t) || !Number.isFinite(value)) {
          throw new PabulibError(row.line, `points value "${t}" is not a non-negative number`)
        }
        return value
      })
    }
    votes.push({ voterId, vote, points, fields: fieldsOf(row, voteColumns), line: row.line })
  }
  if (i < rows.length) {
    throw new PabulibError(rows[i].line, `unexpected section "${rows[i].cells[0]}" after VOTES`)
  }

  const warnings: string[] = []
  const counted = (key: string, actual: number, what: string) => {
    if (Object.hasOwn(meta, key) && Number(meta[key]) !== actual) {
      warnings.push(`line ${metaLine[key]}: ${key} says ${meta[key]} but the file has ${actual} ${what}`)
    }
  }
  counted('num_projects', projects.length, 'projects')
  counted('num_votes', votes.length, 'votes')
  return { meta, budget, voteType, projectColumns, projects, voteColumns, votes, warnings }
}

function checkWidth(row: Row, header: readonly string[], section: string): void {
  if (row.cells.length !== header.length) {
    throw new PabulibError(
      row.line,
      `${section} row has ${row.cells.length} fields but the header has ${header.length} (unquoted ";" in a field?)`,
    )
  }
}

function fieldsOf(row: Row, header: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  header.forEach((name, j) => {
    out[name] = row.cells[j] ?? ''
  })
  return out
}

function splitList(text: string): string[] {
  const trimmed = text.trim()
  return trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim())
}

/** What `writePabulib` needs; `fields` and the column lists are optional extras. */
export interface PabulibWritable {
  readonly meta: Readonly<Record<string, string>>
  readonly budget: number
  readonly voteType: PabulibVoteType
  readonly projectColumns?: readonly string[]
  readonly projects: readonly {
    readonly id: string
    readonly cost: number
    readonly fields?: Readonly<Record<string, string>>
  }[]
  readonly voteColumns?: readonly string[]
  readonly votes: readonly {
    readonly voterId: string
    readonly vote: readonly string[]
    readonly points?: readonly number[] | null
    readonly fields?: Readonly<Record<string, string>>
  }[]
}

/**
 * Writes a `.pb` file. META keeps its order; budget, vote_type, num_projects and num_votes are
 * set from the data. project_id, cost, voter_id, vote and points come from the structured
 * fields, other columns from `fields`.
 */
export function writePabulib(doc: PabulibWritable): string {
  const meta: Record<string, string> = { ...doc.meta }
  meta.budget = formatMoney(doc.budget)
  meta.vote_type = doc.voteType
  meta.num_projects = String(doc.projects.length)
  meta.num_votes = String(doc.votes.length)
  const needsPoints = doc.voteType === 'cumulative' || doc.voteType === 'scoring'
  const projectColumns = withRequired(doc.projectColumns ?? [], ['project_id', 'cost'])
  const voteColumns = withRequired(
    doc.voteColumns ?? [],
    needsPoints ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
  )
  const rows: string[][] = [['META'], ['key', 'value'], ...Object.entries(meta)]
  rows.push(['PROJECTS'], [...projectColumns])
  for (const p of doc.projects) {
    rows.push(
      projectColumns.map((col) =>
        col === 'project_id' ? p.id : col === 'cost' ? formatMoney(p.cost) : (p.fields?.[col] ?? ''),
      ),
    )
  }
  rows.push(['VOTES'], [...voteColumns])
  for (const v of doc.votes) {
    rows.push(
      voteColumns.map((col) => {
        if (col === 'voter_id') return v.voterId
        if (col === 'vote') return v.vote.join(',')
        if (col === 'points' && v.points) return v.points.map(String).join(',')
        return v.fields?.[col] ?? ''
      }),
    )
  }
  return stringify(rows, { delimiter: ';', record_delimiter: '\n' })
}

function withRequired(columns: readonly string[], required: readonly string[]): string[] {
  return [...required, ...columns.filter((c) => !required.includes(c))]
}

/** The project list and budget of a document, for the rules. */
export function pabulibInstance(doc: PabulibDocument): Instance {
  return { budget: doc.budget, projects: doc.projects.map((p) => ({ id: p.id, cost: p.cost })) }
}

/** The ballots of a document, for the rules. Ordinal ballots score by position with k = META max_length if set. */
export function pabulibBallots(doc: PabulibDocument): CountableBallots {
  switch (doc.voteType) {
    case 'approval':
      return { kind: 'approval', ballots: doc.votes.map((v) => v.vote) }
    case 'ordinal': {
      const k = Object.hasOwn(doc.meta, 'max_length') ? Number(doc.meta.max_length) : Number.NaN
      const rankings = doc.votes.map((v) => v.vote)
      return Number.isInteger(k) && k > 0
        ? { kind: 'ranked', rankings, pointsScale: k }
        : { kind: 'ranked', rankings }
    }
    case 'cumulative':
    case 'scoring':
      return { kind: 'points', ballots: doc.votes.map((v) => ({ projects: v.vote, points: v.points ?? [] })) }
  }
}

const EQUAL_SHARES_COMPLETIONS: Readonly<Record<string, Completion>> = {
  equalshares: 'add1',
  'equalshares/add1': 'add1',
  'equalshares/add1u': 'add1-greedy',
  'equalshares/none': 'none',
}

/**
 * The rule a file's META names, or null if we do not implement it. `greedy` means greedy by
 * votes for approval ballots and greedy by points otherwise (Kraków's ordinal files carry the
 * 3/2/1 points as their `score` column). `equalshares/add1` is Equal Shares with Add1 and no
 * greedy fill; `add1u` adds the greedy fill; bare `equalshares` is read as `add1`.
 */
export function pabulibRule(doc: PabulibDocument): RuleSpec | null {
  const rule = (Object.hasOwn(doc.meta, 'rule') ? doc.meta.rule : '').trim().toLowerCase()
  if (rule === 'greedy') return doc.voteType === 'approval' ? { rule: 'greedy' } : { rule: 'greedy-points' }
  const completion = Object.hasOwn(EQUAL_SHARES_COMPLETIONS, rule)
    ? EQUAL_SHARES_COMPLETIONS[rule]
    : undefined
  return completion ? { rule: 'equal-shares', completion } : null
}
