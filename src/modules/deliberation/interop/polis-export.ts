import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import type { AnalysisResult, Conversation, Moderation, VoteValue } from '../domain/math/types.js'

/**
 * The Pol.is export set, the de facto exchange format of deliberation tools (Pol.is
 * server `handle_GET_reportExport`, math/darwin/export.clj; reused by Sensemaker, red-dwarf and
 * Agora): summary.csv, comments.csv, votes.csv and participants-votes.csv. Votes are coded
 * 1 agree, −1 disagree, 0 pass, as in the export (not as in Pol.is's database).
 *
 * Reading validates every line and fails with a `PolisExportError` whose message is one line
 * naming the file and line, e.g. `votes.csv line 12: vote must be -1, 0 or 1 (got 7)`.
 */

export const POLIS_FILES = ['summary.csv', 'comments.csv', 'votes.csv', 'participants-votes.csv'] as const
export type PolisFileName = (typeof POLIS_FILES)[number]

export class PolisExportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(line === undefined ? `${file}: ${detail}` : `${file} line ${line}: ${detail}`)
    this.name = 'PolisExportError'
  }
}

/** summary.csv: `key,value` lines, kept in file order (topic, url, views, voters, …). */
export type PolisSummary = ReadonlyArray<readonly [key: string, value: string]>

export interface PolisComment {
  readonly timestamp: number | null
  readonly datetime: string
  readonly id: number
  readonly authorId: number | null
  readonly agrees: number
  readonly disagrees: number
  readonly moderated: Moderation
  readonly body: string
  readonly isMeta: boolean
  readonly isSeed: boolean
}

export interface PolisVote {
  readonly timestamp: number | null
  readonly datetime: string
  readonly commentId: number
  readonly voterId: number
  readonly vote: VoteValue
}

export interface PolisParticipant {
  readonly id: number
  readonly xid: string | null
  /** Pol.is's opinion group, or null when Pol.is put the participant in none. */
  readonly groupId: number | null
  readonly nComments: number
  readonly nVotes: number
  readonly nAgree: number
  readonly nDisagree: number
  /** Final vote per comment id. */
  readonly votes: ReadonlyMap<number, VoteValue>
}

export interface PolisExport {
  readonly summary: PolisSummary | null
  readonly comments: readonly PolisComment[]
  /** votes.csv, the raw log (a participant may vote on a comment more than once), if present. */
  readonly votes: readonly PolisVote[] | null
  /** participants-votes.csv, if present; its comment columns in file order. */
  readonly participants: readonly PolisParticipant[] | null
  readonly participantCommentIds: readonly number[] | null
}

/** Reads an export directory. comments.csv is required, and votes.csv or participants-votes.csv. */
export function readPolisExport(dir: string): PolisExport {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new PolisExportError(dir, undefined, 'not a directory')
  const files: Partial<Record<PolisFileName, string>> = {}
  for (const name of POLIS_FILES) {
    const path = join(dir, name)
    if (existsSync(path)) files[name] = readFileSync(path, 'utf8')
  }
  return parsePolisExport(files)
}

/** Parses the texts of an export's files (by file name). */
export function parsePolisExport(files: Partial<Record<PolisFileName, string>>): PolisExport {
  const commentsText = files['comments.csv']
  if (commentsText === undefined) throw new PolisExportError('comments.csv', undefined, 'file is missing')
  if (files['votes.csv'] === undefined && files['participants-votes.csv'] === undefined) {
    throw new PolisExportError(
      'votes.csv',
      undefined,
      'file is missing (and there is no participants-votes.csv)',
    )
  }
  const summary = files['summary.csv'] === undefined ? null : parseSummary(files['summary.csv'])
  const comments = parseComments(commentsText)
  const known = new Set(comments.map((c) => c.id))
  const votes = files['votes.csv'] === undefined ? null : parseVotes(files['votes.csv'], known)
  const matrix =
    files['participants-votes.csv'] === undefined
      ? null
      : parseParticipants(files['participants-votes.csv'], known)
  return {
    summary,
    comments,
    votes,
    participants: matrix?.participants ?? null,
    participantCommentIds: matrix?.commentIds ?? null,
  }
}

interface CsvRow {
  readonly line: number
  readonly fields: readonly string[]
}

/** All records of a CSV text with the line each starts on; csv-parse's own errors are rethrown as ours. */
function readCsv(file: string, text: string, sameLength: boolean): CsvRow[] {
  let records: Array<{ record: string[]; info: { lines: number; empty_lines: number } }>
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: !sameLength,
    }) as unknown as typeof records
  } catch (err) {
    const e = err as { lines?: number; code?: string; message: string }
    const detail =
      e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
        ? 'wrong number of fields for the header'
        : e.message.split('\n')[0]!.replace(/^Invalid .*?: /, '')
    throw new PolisExportError(file, e.lines, detail)
  }
  const rows: CsvRow[] = []
  let previousEnd = 0
  let previousEmpty = 0
  for (const { record, info } of records) {
    rows.push({ line: previousEnd + 1 + (info.empty_lines - previousEmpty), fields: record })
    previousEnd = info.lines
    previousEmpty = info.empty_lines
  }
  return rows
}

/** The header row of a tabular file, with the indexes of the named columns; fails on a missing one. */
function header(file: string, rows: readonly CsvRow[], required: readonly string[]): Map<string, number> {
  const first = rows[0]
  if (!first) throw new PolisExportError(file, 1, 'file is empty (no header)')
  const index = new Map<string, number>()
  first.fields.forEach((name, i) => {
    if (!index.has(name.trim())) index.set(name.trim(), i)
  })
  for (const name of required) {
    if (!index.has(name)) throw new PolisExportError(file, first.line, `missing column "${name}"`)
  }
  return index
}

const INTEGER = /^-?\d+$/

class RowReader {
  constructor(
    private readonly file: string,
    private readonly columns: Map<string, number>,
    readonly row: CsvRow,
  ) {}

  fail(detail: string): never {
    throw new PolisExportError(this.file, this.row.line, detail)
  }

  text(name: string): string {
    const i = this.columns.get(name)
    return i === undefined ? '' : (this.row.fields[i] ?? '')
  }

  integer(name: string): number {
    const raw = this.text(name).trim()
    if (!INTEGER.test(raw)) this.fail(`${name} must be a whole number (got "${raw}")`)
    return Number(raw)
  }

  optionalInteger(name: string): number | null {
    return this.text(name).trim() === '' ? null : this.integer(name)
  }

  vote(name: string): VoteValue {
    return parseVote(this.text(name).trim(), (detail) => this.fail(detail))
  }

  flag(name: string): boolean {
    const raw = this.text(name).trim().toLowerCase()
    if (raw === '' || raw === '0' || raw === 'false') return false
    if (raw === '1' || raw === 'true') return true
    return this.fail(`${name} must be true or false (got "${raw}")`)
  }
}

function parseVote(raw: string, fail: (detail: string) => never): VoteValue {
  if (raw === '1') return 1
  if (raw === '-1') return -1
  if (raw === '0') return 0
  return fail(`vote must be -1, 0 or 1 (got ${raw === '' ? 'nothing' : raw})`)
}

function parseSummary(text: string): PolisSummary {
  const out: Array<readonly [string, string]> = []
  for (const row of readCsv('summary.csv', text, false)) {
    if (row.fields.length < 2) throw new PolisExportError('summary.csv', row.line, 'expected "key,value"')
    out.push([row.fields[0]!.trim(), row.fields.slice(1).join(',')])
  }
  return out
}

function parseComments(text: string): PolisComment[] {
  const rows = readCsv('comments.csv', text, true)
  const columns = header('comments.csv', rows, ['comment-id', 'moderated'])
  const seen = new Set<number>()
  return rows.slice(1).map((row) => {
    const r = new RowReader('comments.csv', columns, row)
    const id = r.integer('comment-id')
    if (seen.has(id)) r.fail(`duplicate comment-id ${id}`)
    seen.add(id)
    const moderated = r.integer('moderated')
    const moderation: Moderation =
      moderated === -1 || moderated === 0 || moderated === 1
        ? moderated
        : r.fail(`moderated must be -1, 0 or 1 (got ${moderated})`)
    return {
      timestamp: r.optionalInteger('timestamp'),
      datetime: r.text('datetime'),
      id,
      authorId: r.optionalInteger('author-id'),
      agrees: r.optionalInteger('agrees') ?? 0,
      disagrees: r.optionalInteger('disagrees') ?? 0,
      moderated: moderation,
      body: r.text('comment-body'),
      isMeta: r.flag('is-meta'),
      isSeed: r.flag('is-seed'),
    }
  })
}

function parseVotes(text: string, known: ReadonlySet<number>): PolisVote[] {
  const rows = readCsv('votes.csv', text, true)
  const columns = header('votes.csv', rows, ['comment-id', 'voter-id', 'vote'])
  return rows.slice(1).map((row) => {
    const r = new RowReader('votes.csv', columns, row)
    const commentId = r.integer('comment-id')
    if (!known.has(commentId)) r.fail(`unknown statement id ${commentId} (not in comments.csv)`)
    return {
      timestamp: r.optionalInteger('timestamp'),
      datetime: r.text('datetime'),
      commentId,
      voterId: r.integer('voter-id'),
      vote: r.vote('vote'),
    }
  })
}

/** Columns of participants-votes.csv before the comment columns. */
const PARTICIPANT_COLUMNS = [
  'participant',
  'xid',
  'group-id',
  'n-comments',
  'n-votes',
  'n-agree',
  'n-disagree',
]

function parseParticipants(
  text: string,
  known: ReadonlySet<number>,
): { participants: PolisParticipant[]; commentIds: number[] } {
  const file = 'participants-votes.csv'
  const rows = readCsv(file, text, true)
  const columns = header(file, rows, ['participant'])
  const commentColumns: Array<{ index: number; id: number }> = []
  rows[0]!.fields.forEach((name, index) => {
    const trimmed = name.trim()
    if (PARTICIPANT_COLUMNS.includes(trimmed)) return
    if (!INTEGER.test(trimmed))
      throw new PolisExportError(file, rows[0]!.line, `unexpected column "${trimmed}"`)
    const id = Number(trimmed)
    if (!known.has(id))
      throw new PolisExportError(file, rows[0]!.line, `unknown statement id ${id} (not in comments.csv)`)
    commentColumns.push({ index, id })
  })
  const seen = new Set<number>()
  const participants = rows.slice(1).map((row) => {
    const r = new RowReader(file, columns, row)
    const id = r.integer('participant')
    if (seen.has(id)) r.fail(`duplicate participant ${id}`)
    seen.add(id)
    const votes = new Map<number, VoteValue>()
    for (const { index, id: commentId } of commentColumns) {
      const raw = (row.fields[index] ?? '').trim()
      if (raw === '') continue
      votes.set(
        commentId,
        parseVote(raw, (detail) => r.fail(`${detail} in column "${commentId}"`)),
      )
    }
    const xid = r.text('xid').trim()
    return {
      id,
      xid: xid === '' ? null : xid,
      groupId: r.optionalInteger('group-id'),
      nComments: r.optionalInteger('n-comments') ?? 0,
      nVotes: r.optionalInteger('n-votes') ?? votes.size,
      nAgree: r.optionalInteger('n-agree') ?? 0,
      nDisagree: r.optionalInteger('n-disagree') ?? 0,
      votes,
    }
  })
  return { participants, commentIds: commentColumns.map((c) => c.id) }
}

/**
 * The conversation for the math: statements from comments.csv (moderation and meta flags),
 * votes from votes.csv in time order (the latest vote on a comment wins), or from the final
 * votes of participants-votes.csv when there is no vote log.
 */
export function conversationFromPolisExport(exported: PolisExport): Conversation {
  const statements = exported.comments.map((c) => ({
    id: c.id,
    moderation: c.moderated,
    ...(c.isMeta ? { meta: true } : {}),
  }))
  if (exported.votes) {
    // Stable sort by timestamp; rows without one keep their place relative to each other.
    const order = exported.votes.map((v, i) => ({ v, i }))
    if (exported.votes.every((v) => v.timestamp !== null)) {
      order.sort((a, b) => a.v.timestamp! - b.v.timestamp! || a.i - b.i)
    }
    return {
      statements,
      votes: order.map(({ v }) => ({ participant: v.voterId, statement: v.commentId, vote: v.vote })),
    }
  }
  const votes: Array<{ participant: number; statement: number; vote: VoteValue }> = []
  for (const p of exported.participants ?? []) {
    for (const [statement, vote] of p.votes) votes.push({ participant: p.id, statement, vote })
  }
  return { statements, votes }
}

/** Pol.is's own group assignment (the group-id column), for comparing with ours. */
export function polisGroupIds(exported: PolisExport): Map<number, number> {
  const out = new Map<number, number>()
  for (const p of exported.participants ?? []) if (p.groupId !== null) out.set(p.id, p.groupId)
  return out
}

export function summaryValue(summary: PolisSummary | null, key: string): string | undefined {
  return summary?.find(([k]) => k === key)?.[1]
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The files of an export, as text (rows end with \n, fields quoted only where needed). */
export function formatPolisExport(exported: PolisExport): Record<PolisFileName, string> {
  const csv = (rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
    stringify(rows as Array<Array<string | number>>, { record_delimiter: '\n' })
  // Newer Pol.is exports add is-meta and is-seed; written only when a comment needs them.
  const flags = exported.comments.some((c) => c.isMeta || c.isSeed)
  const comments = csv([
    [
      'timestamp',
      'datetime',
      'comment-id',
      'author-id',
      'agrees',
      'disagrees',
      'moderated',
      'comment-body',
      ...(flags ? ['is-meta', 'is-seed'] : []),
    ],
    ...exported.comments.map((c) => [
      c.timestamp ?? '',
      c.datetime,
      c.id,
      c.authorId ?? '',
      c.agrees,
      c.disagrees,
      c.moderated,
      c.body,
      ...(flags ? [c.isMeta ? 1 : 0, c.isSeed ? 1 : 0] : []),
    ]),
  ])
  const votes = csv([
    ['timestamp', 'datetime', 'comment-id', 'voter-id', 'vote'],
    ...(exported.votes ?? []).map((v) => [v.timestamp ?? '', v.datetime, v.commentId, v.voterId, v.vote]),
  ])
  const commentIds = exported.participantCommentIds ?? exported.comments.map((c) => c.id)
  const participants = exported.participants ?? []
  const withXid = participants.some((p) => p.xid !== null)
  const participantsVotes = csv([
    [
      'participant',
      ...(withXid ? ['xid'] : []),
      'group-id',
      'n-comments',
      'n-votes',
      'n-agree',
      'n-disagree',
      ...commentIds,
    ],
    ...participants.map((p) => [
      p.id,
      ...(withXid ? [p.xid ?? ''] : []),
      p.groupId ?? '',
      p.nComments,
      p.nVotes,
      p.nAgree,
      p.nDisagree,
      ...commentIds.map((id) => p.votes.get(id) ?? ''),
    ]),
  ])
  const summary = csv((exported.summary ?? []).map(([k, v]) => [k, v]))
  return {
    'summary.csv': summary,
    'comments.csv': comments,
    'votes.csv': votes,
    'participants-votes.csv': participantsVotes,
  }
}

/** Writes the four files into `dir` (created if needed). */
export function writePolisExport(dir: string, exported: PolisExport): void {
  mkdirSync(dir, { recursive: true })
  const files = formatPolisExport(exported)
  for (const name of POLIS_FILES) writeFileSync(join(dir, name), files[name])
}

export interface ExportStatement {
  readonly id: number
  readonly authorId: number | null
  readonly createdAt: Date
  readonly body: string
  readonly moderation: Moderation
  readonly meta?: boolean
  readonly seed?: boolean
}

export interface ExportVote {
  readonly participant: number
  readonly statement: number
  readonly vote: VoteValue
  readonly at: Date
}

export interface ExportConversation {
  readonly topic: string
  readonly url?: string
  readonly description?: string
  readonly views?: number
  readonly statements: readonly ExportStatement[]
  /** Every vote cast, changed votes included; the latest per statement counts. */
  readonly votes: readonly ExportVote[]
  /** The analysis of these votes, for the group-id column and the group count. */
  readonly analysis?: AnalysisResult
}

/** Builds the export set of an in-memory conversation (for `townsquare deliberation export-polis`). */
export function buildPolisExport(conversation: ExportConversation): PolisExport {
  const votes = [...conversation.votes].sort((a, b) => a.at.getTime() - b.at.getTime())
  const latest = new Map<number, Map<number, VoteValue>>()
  for (const v of votes) {
    const row = latest.get(v.participant) ?? new Map<number, VoteValue>()
    latest.set(v.participant, row)
    row.set(v.statement, v.vote)
  }
  const agrees = new Map<number, number>()
  const disagrees = new Map<number, number>()
  for (const row of latest.values()) {
    for (const [statement, vote] of row) {
      if (vote === 1) agrees.set(statement, (agrees.get(statement) ?? 0) + 1)
      if (vote === -1) disagrees.set(statement, (disagrees.get(statement) ?? 0) + 1)
    }
  }
  const authored = new Map<number, number>()
  for (const s of conversation.statements) {
    if (s.authorId !== null) authored.set(s.authorId, (authored.get(s.authorId) ?? 0) + 1)
  }
  const groupOf = new Map<number, number>()
  for (const g of conversation.analysis?.groups ?? [])
    for (const member of g.members) groupOf.set(member, g.id)
  const participantIds = [...new Set([...latest.keys(), ...authored.keys()])].sort((a, b) => a - b)
  const participants: PolisParticipant[] = participantIds.map((id) => {
    const row = latest.get(id) ?? new Map<number, VoteValue>()
    const values = [...row.values()]
    return {
      id,
      xid: null,
      groupId: groupOf.get(id) ?? null,
      nComments: authored.get(id) ?? 0,
      nVotes: row.size,
      nAgree: values.filter((v) => v === 1).length,
      nDisagree: values.filter((v) => v === -1).length,
      votes: row,
    }
  })
  const commenters = new Set(conversation.statements.map((s) => s.authorId).filter((a) => a !== null))
  const summary: Array<readonly [string, string]> = [
    ['topic', conversation.topic],
    ['url', conversation.url ?? ''],
    ['views', String(conversation.views ?? latest.size)],
    ['voters', String(latest.size)],
    ['voters-in-conv', String(conversation.analysis?.inConversation ?? latest.size)],
    ['commenters', String(commenters.size)],
    ['comments', String(conversation.statements.length)],
    ['groups', String(conversation.analysis?.groups.length ?? 0)],
    ['conversation-description', conversation.description ?? ''],
  ]
  return {
    summary,
    comments: [...conversation.statements]
      .sort((a, b) => a.id - b.id)
      .map((s) => ({
        timestamp: s.createdAt.getTime(),
        datetime: polisDatetime(s.createdAt),
        id: s.id,
        authorId: s.authorId,
        agrees: agrees.get(s.id) ?? 0,
        disagrees: disagrees.get(s.id) ?? 0,
        moderated: s.moderation,
        body: s.body,
        isMeta: s.meta === true,
        isSeed: s.seed === true,
      })),
    votes: votes.map((v) => ({
      timestamp: v.at.getTime(),
      datetime: polisDatetime(v.at),
      commentId: v.statement,
      voterId: v.participant,
      vote: v.vote,
    })),
    participants,
    participantCommentIds: [...conversation.statements].map((s) => s.id).sort((a, b) => a - b),
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** The datetime column as Pol.is writes it (Java's Date#toString), in UTC: `Sat Nov 17 05:09:36 UTC 2018`. */
export function polisDatetime(date: Date): string {
  const two = (x: number): string => String(x).padStart(2, '0')
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
}
