import { basename, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import type { Db } from '../../../platform/db/database.js'
import { detectLanguage } from '../../../platform/text/index.js'
import type { VoteValue } from '../domain/math/types.js'
import {
  buildPolisExport,
  type PolisExport,
  PolisExportError,
  readPolisExport,
  summaryValue,
  writePolisExport,
} from '../interop/polis-export.js'
import { recomputeConversation } from '../recompute.js'
import {
  bumpNumbers,
  findConversation,
  insertConversation,
  insertStatement,
  listStatements,
} from '../store/conversation-store.js'
import { insertImportedParticipant } from '../store/participant-store.js'
import { loadPositions, loadSummary, resultInfo } from '../store/result-store.js'
import { exportVoteLog, importVotes, maxVoteLogId } from '../store/vote-store.js'

function args<T>(parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments')
  }
}

function readExport(dir: string): PolisExport {
  try {
    return readPolisExport(dir)
  } catch (err) {
    if (err instanceof PolisExportError) throw new CliError(err.message)
    throw err
  }
}

export interface ImportOutcome {
  readonly conversationId: number
  readonly title: string
  readonly statements: number
  readonly participants: number
  readonly votes: number
}

/**
 * Creates a conversation from a Pol.is export: its statements keep their comment ids (and
 * moderation, meta and seed flags), its participants their ids, and every vote of votes.csv is
 * logged at its own time (or, without votes.csv, the final votes of participants-votes.csv).
 * The conversation is closed at its last vote: it is a record of what happened.
 */
export async function importPolisExport(
  db: Db,
  exported: PolisExport,
  options: { title?: string; openData?: boolean; fallbackTitle: string; now: Date },
): Promise<ImportOutcome> {
  const now = options.now
  const at = (ms: number | null): Date => (ms === null || !Number.isFinite(ms) ? now : new Date(ms))
  type Vote = { participant: number; statement: number; vote: VoteValue; at: Date }
  const votes: Vote[] = exported.votes
    ? exported.votes
        .map((v, i) => ({ v, i }))
        .sort((a, b) => (a.v.timestamp ?? 0) - (b.v.timestamp ?? 0) || a.i - b.i)
        .map(({ v }) => ({
          participant: v.voterId,
          statement: v.commentId,
          vote: v.vote,
          at: at(v.timestamp),
        }))
    : (exported.participants ?? []).flatMap((p) =>
        [...p.votes].map(([statement, vote]) => ({ participant: p.id, statement, vote, at: now })),
      )
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  const consider = (t: number) => {
    if (t < min) min = t
    if (t > max) max = t
  }
  for (const c of exported.comments) if (c.timestamp !== null) consider(c.timestamp)
  for (const v of votes) consider(v.at.getTime())
  const first = Number.isFinite(min) ? new Date(min) : now
  const last = Number.isFinite(max) ? new Date(max) : now
  const firstSeen = new Map<number, Date>()
  const seen = (p: number, when: Date) => {
    const f = firstSeen.get(p)
    if (!f || when < f) firstSeen.set(p, when)
  }
  for (const v of votes) seen(v.participant, v.at)
  for (const c of exported.comments) if (c.authorId !== null) seen(c.authorId, at(c.timestamp))
  for (const p of exported.participants ?? []) if (!firstSeen.has(p.id)) firstSeen.set(p.id, first)

  const title = (options.title ?? summaryValue(exported.summary, 'topic') ?? options.fallbackTitle)
    .trim()
    .slice(0, 200)
  const description = (summaryValue(exported.summary, 'conversation-description') ?? '').trim().slice(0, 5000)
  const url = summaryValue(exported.summary, 'url')?.trim() || null

  return db.transaction().execute(async (trx) => {
    const conversationId = await insertConversation(
      trx,
      {
        titleEn: title || options.fallbackTitle,
        titleCy: null,
        descriptionEn: description,
        descriptionCy: null,
        opensAt: first.toISOString(),
        closesAt: new Date(last.getTime() + 1000).toISOString(),
        voteAssurance: 'none',
        statementPolicy: 'anyone',
        strictModeration: false,
        showMap: true,
        openData: options.openData ?? false,
        maxLength: Math.max(140, ...exported.comments.map((c) => [...c.body].length)),
        source: 'polis-import',
        sourceUrl: url,
      },
      'cli',
      now,
    )
    const participantIds = new Map<number, number>()
    for (const [number, when] of [...firstSeen].sort((a, b) => a[0] - b[0])) {
      participantIds.set(number, await insertImportedParticipant(trx, conversationId, number, when))
    }
    const statementIds = new Map<number, number>()
    for (const c of exported.comments) {
      const welsh = detectLanguage(c.body).language === 'cy'
      const s = await insertStatement(
        trx,
        {
          conversationId,
          number: c.id,
          textEn: welsh ? null : c.body,
          textCy: welsh ? c.body : null,
          authorParticipantId: c.authorId === null ? null : (participantIds.get(c.authorId) ?? null),
          seed: c.isSeed,
          meta: c.isMeta,
          moderation: c.moderated,
          moderatedBy: 'polis-import',
        },
        at(c.timestamp),
      )
      statementIds.set(c.id, s.id)
    }
    await importVotes(
      trx,
      conversationId,
      votes.map((v) => ({
        participantId: participantIds.get(v.participant)!,
        statementId: statementIds.get(v.statement)!,
        vote: v.vote,
        at: v.at,
      })),
    )
    await bumpNumbers(trx, conversationId, {
      statement: Math.max(-1, ...exported.comments.map((c) => c.id)) + 1,
      participant: Math.max(-1, ...firstSeen.keys()) + 1,
    })
    await recordAudit(trx, {
      actor: systemActor('cli'),
      action: 'deliberation.conversation.import',
      subject: { type: 'deliberation_conversation', id: conversationId },
      details: { format: 'polis', title, statements: exported.comments.length, votes: votes.length },
      at: now,
    })
    return {
      conversationId,
      title,
      statements: exported.comments.length,
      participants: firstSeen.size,
      votes: votes.length,
    }
  })
}

export const importPolisCommand: CliCommand = {
  path: ['deliberation', 'import-polis'],
  summary: 'create a conversation from a Pol.is export directory',
  usage: `Usage: townsquare deliberation import-polis <dir> [--title TITLE] [--open-data]

Creates a conversation from a Pol.is export: comments.csv (required), votes.csv or
participants-votes.csv, and summary.csv if present (topic, url and description). Statements and
participants keep their Pol.is ids; every vote of votes.csv is kept with its time. The new
conversation is closed at its last vote; its opinion groups are computed at once.

Options:
  --title TITLE  the conversation's title (default: the topic in summary.csv, else the folder name)
  --open-data    publish the report and its data

A malformed export stops with one line naming the file and line, and exit code 1; nothing is
written.`,
  async run(argv, io) {
    const { values, positionals } = args(() =>
      parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: true,
        options: { title: { type: 'string' }, 'open-data': { type: 'boolean' } },
      }),
    )
    if (positionals.length !== 1)
      throw new CliError(
        positionals.length === 0 ? 'missing the export directory (try --help)' : 'give one export directory',
      )
    const dir = positionals[0]!
    // Read and check every line before touching the database.
    const exported = readExport(dir)
    const services = await io.services()
    const outcome = await importPolisExport(services.db, exported, {
      ...(values.title !== undefined ? { title: values.title } : {}),
      openData: values['open-data'] === true,
      fallbackTitle: basename(resolve(dir)),
      now: new Date(),
    })
    const math = await recomputeConversation(services.db, outcome.conversationId)
    io.stdout.write(
      `Imported "${outcome.title}" as conversation ${outcome.conversationId}: ${outcome.statements} statements, ` +
        `${outcome.participants} participants, ${outcome.votes} votes; ${math?.groups ?? 0} opinion groups.\n`,
    )
    return 0
  },
}

/** Builds the Pol.is export set of a stored conversation, group ids from its last computation. */
export async function polisExportOf(
  db: Db,
  conversationId: number,
  publicUrl: string,
): Promise<PolisExport | null> {
  const conversation = await findConversation(db, conversationId)
  if (!conversation) return null
  const info = await resultInfo(db, conversationId)
  if (!info || info.lastVoteId < (await maxVoteLogId(db, conversationId)))
    await recomputeConversation(db, conversationId)
  const [statements, votes, positions, summary] = await Promise.all([
    listStatements(db, conversationId),
    exportVoteLog(db, conversationId),
    loadPositions(db, conversationId),
    loadSummary(db, conversationId),
  ])
  const authorNumbers = new Map<number, number>()
  if (statements.some((s) => s.authorParticipantId !== null)) {
    const rows = await db
      .selectFrom('deliberation_participants')
      .select(['id', 'number'])
      .where('conversation_id', '=', conversationId)
      .execute()
    for (const r of rows) authorNumbers.set(Number(r.id), Number(r.number))
  }
  const built = buildPolisExport({
    topic: conversation.titleEn,
    url: conversation.sourceUrl ?? `${publicUrl}/conversations/${conversation.id}`,
    description: conversation.descriptionEn,
    statements: statements.map((s) => ({
      id: s.number,
      authorId: s.authorParticipantId === null ? null : (authorNumbers.get(s.authorParticipantId) ?? null),
      createdAt: new Date(s.createdAt),
      body: s.textEn ?? s.textCy ?? '',
      moderation: s.moderation,
      meta: s.meta,
      seed: s.seed,
    })),
    votes,
  })
  const snapshot = summary?.snapshot
  return {
    ...built,
    summary: (built.summary ?? []).map(([k, v]) =>
      k === 'voters-in-conv' && snapshot
        ? [k, String(snapshot.inConversation)]
        : k === 'groups' && snapshot
          ? [k, String(snapshot.groups.length)]
          : [k, v],
    ),
    participants: (built.participants ?? []).map((p) => ({
      ...p,
      groupId: positions[String(p.id)]?.[2] ?? null,
    })),
  }
}

export const exportPolisCommand: CliCommand = {
  path: ['deliberation', 'export-polis'],
  summary: 'write a conversation as a Pol.is export directory',
  usage: `Usage: townsquare deliberation export-polis <id> <dir>

Writes conversation <id> as the Pol.is export set: summary.csv, comments.csv, votes.csv (every
vote cast, changed votes included) and participants-votes.csv (final votes and opinion group of
each participant). Statement and participant ids are their numbers in the conversation, so an
imported conversation exports with its original ids. The directory is created if needed.`,
  async run(argv, io) {
    const { positionals } = args(() =>
      parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: {} }),
    )
    if (positionals.length !== 2) throw new CliError('give a conversation id and a directory (try --help)')
    const [rawId, dir] = positionals as [string, string]
    if (!/^\d{1,15}$/.test(rawId))
      throw new CliError(`conversation id must be a whole number (got "${rawId}")`)
    const services = await io.services()
    const exported = await polisExportOf(services.db, Number(rawId), services.config.publicUrl)
    if (!exported) throw new CliError(`no conversation ${rawId}`)
    writePolisExport(dir, exported)
    await recordAudit(services.db, {
      actor: systemActor('cli'),
      action: 'deliberation.conversation.export',
      subject: { type: 'deliberation_conversation', id: Number(rawId) },
      details: { format: 'polis', comments: exported.comments.length, votes: exported.votes?.length ?? 0 },
    })
    io.stdout.write(
      `Wrote summary.csv, comments.csv, votes.csv and participants-votes.csv to ${dir} ` +
        `(${exported.comments.length} statements, ${exported.votes?.length ?? 0} votes, ${exported.participants?.length ?? 0} participants).\n`,
    )
    return 0
  },
}
