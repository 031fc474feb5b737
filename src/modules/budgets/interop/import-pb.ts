/**
 * A Pabulib `.pb` file as a finished budget and back: `importPabulib` creates a process in the
 * `results` phase with one budget, its projects (feasible, at the file's costs), every vote as
 * a ballot (`channel: 'import'`) and the count made with the file's META rule; `exportPabulib`
 * writes a stored budget as a `.pb` file.
 */

import { recordAudit } from '../../../platform/audit/audit.js'
import { type Actor, systemActor } from '../../../platform/auth/actor.js'
import type { Db, DbOrTrx } from '../../../platform/db/database.js'
import { notFound } from '../../../platform/errors/errors.js'
import {
  approvalStyle,
  type Ballot,
  type BallotStyle,
  ballotProjects,
  cumulativeStyle,
  defaultRule,
  rankedStyle,
} from '../domain/ballots.js'
import { ruleKey } from '../domain/counting.js'
import { SCHEDULED_PHASES, type Schedule } from '../domain/phases.js'
import type { RuleSpec } from '../domain/rules/tally.js'
import { storeCount } from '../operations.js'
import { insertBallots, listBallots } from '../store/ballot-store.js'
import { findCount } from '../store/outcome-store.js'
import { findBudget, findProcess, insertBudget, insertProcess } from '../store/process-store.js'
import { insertProjects, listProjects } from '../store/project-store.js'
import { type PabulibDocument, type PabulibVoteType, pabulibRule, writePabulib } from './pabulib.js'

const DAY = 86_400_000

/** "31.03.2024" or "2024-03-31" → a Date at 00:00 UTC, else null. */
export function pabulibDate(text: string | undefined): Date | null {
  if (!text) return null
  const dmy = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim())
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim())
  const [y, m, d] = dmy ? [dmy[3], dmy[2], dmy[1]] : ymd ? [ymd[1], ymd[2], ymd[3]] : []
  if (!y) return null
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  return Number.isNaN(date.getTime()) ? null : date
}

const meta = (doc: PabulibDocument, key: string): string | undefined =>
  Object.hasOwn(doc.meta, key) ? doc.meta[key] : undefined

function metaInt(doc: PabulibDocument, key: string): number | null {
  const value = Number(meta(doc, key))
  return Number.isSafeInteger(value) && value > 0 ? value : null
}

/** The ballot style that describes a file's votes (imported ballots are stored as they are). */
export function styleForFile(doc: PabulibDocument): BallotStyle {
  const longest = doc.votes.reduce((k, v) => Math.max(k, v.vote.length), 0)
  const type: PabulibVoteType = doc.voteType
  switch (type) {
    case 'approval':
      return approvalStyle({
        minProjects: metaInt(doc, 'min_length') ?? 1,
        maxProjects: metaInt(doc, 'max_length'),
      })
    case 'ordinal':
      return rankedStyle({
        maxRanks: metaInt(doc, 'max_length') ?? Math.max(longest, 1),
        minRanks: metaInt(doc, 'min_length') ?? 1,
      })
    case 'cumulative':
    case 'scoring': {
      const most = doc.votes.reduce(
        (s, v) =>
          Math.max(
            s,
            (v.points ?? []).reduce((a, b) => a + b, 0),
          ),
        0,
      )
      return cumulativeStyle({
        totalPoints: metaInt(doc, 'max_sum_points') ?? Math.max(Math.ceil(most), 1),
        maxPointsPerProject: metaInt(doc, 'max_points'),
      })
    }
  }
}

function ballotFor(
  style: BallotStyle,
  vote: PabulibDocument['votes'][number],
  ids: Map<string, string>,
): Ballot {
  const mapped = vote.vote.map((id) => ids.get(id) ?? id)
  switch (style.kind) {
    case 'approval':
    case 'cost-limited':
      return { kind: style.kind, projects: mapped }
    case 'ranked':
      return { kind: 'ranked', ranking: mapped }
    case 'cumulative':
      return {
        kind: 'cumulative',
        allocations: mapped.map((projectId, i) => ({ projectId, points: vote.points?.[i] ?? 1 })),
      }
  }
}

/** A chained schedule for a finished process: voting on the file's dates, results the day after. */
function finishedSchedule(doc: PabulibDocument, now: Date): Schedule {
  const begin = pabulibDate(meta(doc, 'date_begin')) ?? new Date(now.getTime() - 30 * DAY)
  const endDay = pabulibDate(meta(doc, 'date_end'))
  const counting = new Date(Math.max((endDay?.getTime() ?? begin.getTime()) + DAY, begin.getTime() + DAY))
  const at: Record<string, Date> = {
    proposing: new Date(begin.getTime() - 60 * DAY),
    reviewing: new Date(begin.getTime() - 30 * DAY),
    voting: begin,
    counting,
    results: new Date(counting.getTime() + DAY),
    delivery: new Date(counting.getTime() + 366 * DAY),
  }
  return Object.fromEntries(SCHEDULED_PHASES.map((p) => [p, at[p]!.toISOString()])) as Schedule
}

export interface ImportResult {
  readonly processId: number
  readonly budgetId: number
  readonly projects: number
  readonly ballots: number
  readonly rule: string
  /** Selected projects by their ids in the file, in file order. */
  readonly selected: readonly string[]
  /** Minor units. */
  readonly cost: number
  readonly currency: string
  /** Whether our winners equal the file's `selected` column (null when the file has none). */
  readonly matchesFile: boolean | null
}

/**
 * Creates a finished budget from a parsed file, in one transaction. `rule` overrides the file's
 * META rule (required when the file names a rule we do not implement).
 */
export async function importPabulib(
  db: Db,
  doc: PabulibDocument,
  options: { rule?: RuleSpec; actor?: Actor; file?: string } = {},
  now: Date = new Date(),
): Promise<ImportResult> {
  const actor = options.actor ?? systemActor('budgets.import-pb')
  const style = styleForFile(doc)
  const rule = options.rule ?? pabulibRule(doc) ?? defaultRule(style)
  const currency = /^[A-Z]{3}$/.test(meta(doc, 'currency') ?? '') ? meta(doc, 'currency')! : 'EUR'
  const place = [meta(doc, 'subunit') ?? meta(doc, 'district'), meta(doc, 'unit')]
    .filter((s): s is string => Boolean(s))
    .filter((s, i, all) => all.indexOf(s) === i)
    .join(', ')
  const title =
    meta(doc, 'description') || `${place} ${meta(doc, 'instance') ?? ''}`.trim() || 'Imported budget'
  const about = [meta(doc, 'country'), meta(doc, 'unit'), meta(doc, 'instance')].filter(Boolean).join(' · ')
  const description = `Imported from a Pabulib file${options.file ? ` (${options.file})` : ''}: ${about}.`
  return db.transaction().execute(async (trx) => {
    const processId = await insertProcess(
      trx,
      {
        titleEn: title,
        titleCy: title,
        descriptionEn: description,
        descriptionCy: description,
        phase: 'results',
        schedule: finishedSchedule(doc, now),
        source: 'import',
      },
      now,
    )
    const budgetId = await insertBudget(
      trx,
      processId,
      {
        titleEn: place || title,
        titleCy: place || title,
        descriptionEn: '',
        descriptionCy: '',
        amount: doc.budget,
        currency,
        area: [],
        voterRule: 'residents',
        style,
        rule: ruleKey(rule),
        pointsScale: null,
        meta: { ...doc.meta },
      },
      now,
    )
    const ids = await insertProjects(
      trx,
      doc.projects.map((p) => ({
        budgetId,
        externalId: p.id,
        titleEn: p.fields['name'] || `Project ${p.id}`,
        titleCy: p.fields['name'] || `Prosiect ${p.id}`,
        descriptionEn: p.fields['description'] ?? '',
        descriptionCy: p.fields['description'] ?? '',
        location: p.fields['district'] ?? p.fields['subunit'] ?? '',
        estimatedCost: p.cost,
        finalCost: p.cost,
        status: 'feasible' as const,
        source: 'import' as const,
      })),
      now,
    )
    const byExternal = new Map(doc.projects.map((p, i) => [p.id, String(ids[i])]))
    const toExternal = new Map(doc.projects.map((p, i) => [String(ids[i]), p.id]))
    await insertBallots(
      trx,
      budgetId,
      doc.votes.map((v) => ({ voterKey: `import:${v.voterId}`, ballot: ballotFor(style, v, byExternal) })),
      'import',
      actor,
      now,
    )
    const budget = await findBudget(trx, budgetId)
    const count = await storeCount(trx, budget!, actor, now)
    const selected = count.official.selected.map((id) => toExternal.get(id) ?? id)
    const official = doc.projectColumns.includes('selected')
      ? doc.projects.filter((p) => p.fields['selected'] === '1').map((p) => p.id)
      : null
    await recordAudit(trx, {
      actor,
      action: 'budgets.import-pb',
      subject: { type: 'budgets_budget', id: budgetId },
      details: {
        file: options.file ?? null,
        projects: ids.length,
        ballots: doc.votes.length,
        rule: ruleKey(rule),
      },
      at: now,
    })
    return {
      processId,
      budgetId,
      projects: ids.length,
      ballots: doc.votes.length,
      rule: ruleKey(rule),
      selected,
      cost: count.official.cost,
      currency,
      matchesFile: official ? official.join(',') === selected.join(',') : null,
    }
  })
}

const PB_VOTE_TYPE: Record<BallotStyle['kind'], PabulibVoteType> = {
  approval: 'approval',
  'cost-limited': 'approval',
  ranked: 'ordinal',
  cumulative: 'cumulative',
}

const PB_RULE: Record<string, string> = {
  greedy: 'greedy',
  'greedy-points': 'greedy',
  'equal-shares/add1': 'equalshares/add1',
  'equal-shares/add1-greedy': 'equalshares/add1u',
  'equal-shares/none': 'equalshares/none',
}

/** Writes a stored budget as a Pabulib file: its feasible projects, every ballot and the official winners. */
export async function exportPabulib(db: DbOrTrx, budgetId: number): Promise<string> {
  const budget = await findBudget(db, budgetId)
  const process = budget ? await findProcess(db, budget.processId) : undefined
  if (!budget || !process) throw notFound()
  const projects = await listProjects(db, [budget.id], { status: ['feasible'] })
  const ballots = await listBallots(db, budget.id)
  const count = await findCount(db, budget.id)
  const external = new Map(projects.map((p) => [String(p.id), p.externalId ?? String(p.id)]))
  const selected = new Set(count?.official.selected ?? [])
  const votes = new Map<string, number>()
  for (const b of ballots) for (const id of ballotProjects(b.ballot)) votes.set(id, (votes.get(id) ?? 0) + 1)
  const kind = budget.style.kind
  const officialRule = count?.official.rule ?? budget.rule ?? ''
  return writePabulib({
    meta: {
      description: process.titleEn,
      ...budget.meta,
      currency: budget.currency,
      ...(PB_RULE[officialRule] ? { rule: PB_RULE[officialRule] } : {}),
      ...(kind === 'ranked' ? { max_length: String(budget.pointsScale ?? budget.style.maxRanks) } : {}),
    },
    budget: budget.amount,
    voteType: PB_VOTE_TYPE[kind],
    projectColumns: ['project_id', 'cost', 'votes', 'name', 'selected'],
    projects: projects.map((p) => ({
      id: external.get(String(p.id))!,
      cost: p.finalCost ?? p.estimatedCost,
      fields: {
        votes: String(votes.get(String(p.id)) ?? 0),
        name: p.titleEn || p.titleCy,
        selected: count ? (selected.has(String(p.id)) ? '1' : '0') : '',
      },
    })),
    voteColumns: kind === 'cumulative' ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
    votes: ballots.map((b) => ({
      voterId: b.voterKey.startsWith('import:') ? b.voterKey.slice('import:'.length) : String(b.id),
      vote: ballotProjects(b.ballot).map((id) => external.get(id) ?? id),
      points: b.ballot.kind === 'cumulative' ? b.ballot.allocations.map((a) => a.points) : null,
    })),
  })
}
