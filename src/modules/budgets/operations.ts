/**
 * The module's commands in the application sense: each checks the domain rules, writes through
 * the stores and records the audit entry in one transaction. Routes, the CLI, the scheduled
 * job and the demo all go through these.
 */
import { parse } from 'csv-parse/sync'
import { recordAudit } from '../../platform/audit/audit.js'
import { type Actor, systemActor } from '../../platform/auth/actor.js'
import type { Db, DbOrTrx } from '../../platform/db/database.js'
import { DomainError, notFound } from '../../platform/errors/errors.js'
import type { Mailer } from '../../platform/mail/mail.js'
import { checkSubmittedBallot, type FormProblem } from './domain/ballot-forms.js'
import type { Ballot, BallotProblem } from './domain/ballots.js'
import { countBudget, officialRule } from './domain/counting.js'
import { assertDeliveryOpen, type MilestoneValue } from './domain/delivery.js'
import {
  advancePhase,
  dueTransition,
  isPaperEntryOpen,
  isVotingOpen,
  type PhaseState,
  type ProcessPhase,
  type TransitionMode,
} from './domain/phases.js'
import { assertReviewOpen, type Review } from './domain/projects.js'
import { type BallotChannel, castBallot, listBallots } from './store/ballot-store.js'
import { addMilestone, listFollowers, updateMilestone } from './store/delivery-store.js'
import { saveCount, winningProjectIds } from './store/outcome-store.js'
import {
  type Budget,
  findBudget,
  findProcess,
  listBudgets,
  listProcessesInPhases,
  type Process,
  phaseFacts,
  setPhase,
} from './store/process-store.js'
import {
  type BudgetProject,
  findProject,
  listProjects,
  saveReview,
  votableProjects,
} from './store/project-store.js'

const subject = (type: string, id: number) => ({ type, id })

// ── Phases ───────────────────────────────────────────────────────────────────────────

/**
 * Moves a process to its next phase (guards in domain/phases.ts). Entering `counting` counts
 * every budget. Throws DomainError('conflict') with a `reason` when refused.
 */
export async function advanceProcess(
  db: Db,
  processId: number,
  to: ProcessPhase,
  actor: Actor,
  now: Date,
  mode: TransitionMode = 'staff',
): Promise<PhaseState> {
  return db.transaction().execute(async (trx) => {
    const process = await findProcess(trx, processId)
    if (!process) throw notFound()
    const facts = await phaseFacts(trx, processId)
    const next = advancePhase(process, to, now, facts, mode)
    if (!(await setPhase(trx, processId, process.phase, next, now))) {
      throw new DomainError('conflict', 409, { reason: 'changed-meanwhile' })
    }
    await recordAudit(trx, {
      actor,
      action: 'budgets.phase.advance',
      subject: subject('budgets_process', processId),
      details: { from: process.phase, to: next.phase, mode },
      at: now,
    })
    if (next.phase === 'counting') {
      for (const budget of await listBudgets(trx, processId)) await storeCount(trx, budget, actor, now)
    }
    return next
  })
}

/**
 * The recurring job: moves every process whose next automatic phase has come (reviewing,
 * voting, counting) and whose guards pass. Returns what moved.
 */
export async function runScheduledTransitions(
  db: Db,
  now: Date,
): Promise<{ processId: number; from: ProcessPhase; to: ProcessPhase }[]> {
  const moved: { processId: number; from: ProcessPhase; to: ProcessPhase }[] = []
  const candidates = await listProcessesInPhases(db, ['proposing', 'reviewing', 'voting'])
  for (const process of candidates) {
    let state: PhaseState = process
    for (;;) {
      const due = dueTransition(state, now, await phaseFacts(db, process.id))
      if (!due) break
      try {
        const next = await advanceProcess(
          db,
          process.id,
          due,
          systemActor('budgets.schedule'),
          now,
          'scheduled',
        )
        moved.push({ processId: process.id, from: state.phase, to: next.phase })
        state = next
      } catch (err) {
        if (err instanceof DomainError) break
        throw err
      }
    }
  }
  return moved
}

// ── Counting ─────────────────────────────────────────────────────────────────────────

/** Counts one budget from its stored ballots and stores the outcome and the comparison. */
export async function storeCount(db: DbOrTrx, budget: Budget, actor: Actor, now: Date) {
  const projects = votableProjects(await listProjects(db, [budget.id], { status: ['feasible'] }))
  const ballots = (await listBallots(db, budget.id)).map((b) => b.ballot)
  const count = countBudget({
    style: budget.style,
    amount: budget.amount,
    projects,
    ballots,
    rule: officialRule(budget.style, budget.rule),
    ...(budget.pointsScale !== null ? { pointsScale: budget.pointsScale } : {}),
  })
  await saveCount(db, budget.id, count, now)
  await recordAudit(db, {
    actor,
    action: 'budgets.count',
    subject: subject('budgets_budget', budget.id),
    details: {
      rule: count.rule,
      ballots: count.ballots,
      selected: count.official.selected,
      cost: count.official.cost,
    },
    at: now,
  })
  return count
}

/** Staff recount a budget (e.g. after paper ballots came in); only while the process is counting. */
export async function recountBudget(db: Db, budgetId: number, actor: Actor, now: Date) {
  return db.transaction().execute(async (trx) => {
    const budget = await findBudget(trx, budgetId)
    if (!budget) throw notFound()
    const process = await findProcess(trx, budget.processId)
    if (process?.phase !== 'counting') throw new DomainError('conflict', 409, { reason: 'not-counting' })
    return storeCount(trx, budget, actor, now)
  })
}

// ── Review ───────────────────────────────────────────────────────────────────────────

export async function reviewProject(
  db: Db,
  projectId: number,
  review: Review,
  texts: { titleEn: string; titleCy: string; descriptionEn: string; descriptionCy: string },
  actor: Actor,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const project = await findProject(trx, projectId)
    if (!project) throw notFound()
    const budget = await findBudget(trx, project.budgetId)
    const process = budget ? await findProcess(trx, budget.processId) : undefined
    if (!process) throw notFound()
    assertReviewOpen(process)
    await saveReview(trx, projectId, review, texts, actor.kind === 'staff' ? actor.id : null, now)
    await recordAudit(trx, {
      actor,
      action: 'budgets.project.review',
      subject: subject('budgets_project', projectId),
      details: { from: project.status, ...review },
      at: now,
    })
  })
}

// ── Ballots ──────────────────────────────────────────────────────────────────────────

export type BallotCheck =
  | { readonly ok: true; readonly ballot: Ballot }
  | {
      readonly ok: false
      readonly ballot: Ballot
      readonly problems: readonly (BallotProblem | FormProblem)[]
    }

/** Reads and validates a submitted ballot form against the budget's style and feasible projects. */
export async function checkBallotForm(
  db: DbOrTrx,
  budget: Budget,
  body: Readonly<Record<string, unknown>>,
): Promise<BallotCheck> {
  const projects = votableProjects(await listProjects(db, [budget.id], { status: ['feasible'] }))
  const { ballot, problems } = checkSubmittedBallot(budget.style, body, projects)
  return problems.length === 0 ? { ok: true, ballot } : { ok: false, ballot, problems }
}

/**
 * Casts or changes a voter's ballot while voting is open: the ballot row (one per voter and
 * budget), its new version in the append-only history, and an audit entry without its content.
 */
export async function castVoterBallot(
  db: Db,
  input: {
    budget: Budget
    process: PhaseState
    voterKey: string
    ballot: Ballot
    actor: Actor
    assurance: string
    citizenId?: number | null
    censusCodeId?: number | null
    postcode?: string | null
  },
  now: Date,
): Promise<{ id: number; version: number }> {
  if (!isVotingOpen(input.process, now)) throw new DomainError('conflict', 409, { reason: 'voting-closed' })
  return db.transaction().execute(async (trx) => {
    const result = await castBallot(
      trx,
      {
        budgetId: input.budget.id,
        voterKey: input.voterKey,
        channel: 'online',
        ballot: input.ballot,
        assurance: input.assurance,
        citizenId: input.citizenId ?? null,
        censusCodeId: input.censusCodeId ?? null,
        postcode: input.postcode ?? null,
        actor: input.actor,
      },
      now,
    )
    if (!result) throw new DomainError('conflict', 409)
    await recordAudit(trx, {
      actor: input.actor,
      action: result.version === 1 ? 'budgets.ballot.cast' : 'budgets.ballot.change',
      subject: subject('budgets_ballot', result.id),
      details: { budget: input.budget.id, version: result.version, channel: 'online' },
      at: now,
    })
    return result
  })
}

export interface PaperBallot {
  readonly reference: string
  readonly ballot: Ballot
}

export type PaperLineProblem =
  | { readonly line: number; readonly code: 'reference-missing' | 'reference-repeated' | 'reference-exists' }
  | {
      readonly line: number
      readonly code: 'ballot'
      readonly problems: readonly (BallotProblem | FormProblem)[]
    }
  | { readonly line: number; readonly code: 'unreadable'; readonly detail: string }

const REFERENCE = /^[\w./-]{1,60}$/

export function isPaperReference(text: string): boolean {
  return REFERENCE.test(text)
}

/**
 * Reads a CSV of paper ballots: a header with `reference` and `projects` (project numbers
 * separated by spaces or semicolons, best first for ranked ballots), and `points` (same
 * order) for cumulative ballots.
 */
export function parsePaperCsv(
  text: string,
  budget: Budget,
  projects: readonly BudgetProject[],
): { ballots: PaperBallot[]; problems: PaperLineProblem[] } {
  let rows: string[][]
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    })
  } catch (err) {
    return {
      ballots: [],
      problems: [{ line: 1, code: 'unreadable', detail: String((err as Error).message).slice(0, 200) }],
    }
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase())
  const refCol = header.indexOf('reference')
  const projCol = header.indexOf('projects')
  const pointsCol = header.indexOf('points')
  if (refCol < 0 || projCol < 0 || (budget.style.kind === 'cumulative' && pointsCol < 0)) {
    return { ballots: [], problems: [{ line: 1, code: 'unreadable', detail: 'header' }] }
  }
  const votable = votableProjects(projects)
  const ballots: PaperBallot[] = []
  const problems: PaperLineProblem[] = []
  const seen = new Set<string>()
  for (const [i, row] of rows.slice(1).entries()) {
    const line = i + 2
    const reference = (row[refCol] ?? '').trim()
    if (!isPaperReference(reference)) {
      problems.push({ line, code: 'reference-missing' })
      continue
    }
    if (seen.has(reference)) {
      problems.push({ line, code: 'reference-repeated' })
      continue
    }
    seen.add(reference)
    const ids = (row[projCol] ?? '').split(/[\s;|]+/).filter((s) => s !== '')
    const body: Record<string, unknown> = {}
    switch (budget.style.kind) {
      case 'approval':
      case 'cost-limited':
        body['projects'] = ids
        break
      case 'ranked':
        ids.forEach((id, k) => {
          body[`rank-${id}`] = String(k + 1)
        })
        break
      case 'cumulative': {
        const points = (row[pointsCol] ?? '').split(/[\s;|]+/).filter((s) => s !== '')
        ids.forEach((id, k) => {
          body[`points-${id}`] = points[k] ?? ''
        })
        break
      }
    }
    const unknown = ids.filter((id) => !votable.some((p) => p.id === id))
    const { ballot, problems: found } = checkSubmittedBallot(budget.style, body, votable)
    const all = [...unknown.map((id) => ({ code: 'unknown-project' as const, projectId: id })), ...found]
    if (all.length > 0) problems.push({ line, code: 'ballot', problems: all })
    else ballots.push({ reference, ballot })
  }
  return { ballots, problems }
}

/**
 * Stores paper ballots entered or imported by staff, marked `channel: 'paper'`, all or none:
 * a reference already used in the budget refuses the lot. Returns the problems, if any.
 */
export async function enterPaperBallots(
  db: Db,
  budget: Budget,
  ballots: readonly PaperBallot[],
  actor: Actor,
  now: Date,
  how: 'form' | 'csv',
): Promise<PaperLineProblem[]> {
  const process = await findProcess(db, budget.processId)
  if (!process || !isPaperEntryOpen(process))
    throw new DomainError('conflict', 409, { reason: 'paper-closed' })
  const refused: PaperLineProblem[] = []
  await db
    .transaction()
    .execute(async (trx) => {
      for (const [i, paper] of ballots.entries()) {
        const stored = await castBallot(
          trx,
          {
            budgetId: budget.id,
            voterKey: `paper:${paper.reference}`,
            channel: 'paper' satisfies BallotChannel,
            ballot: paper.ballot,
            assurance: 'none',
            enteredBy: actor.kind === 'staff' ? actor.id : null,
            actor,
          },
          now,
          { replace: false },
        )
        if (!stored) refused.push({ line: how === 'csv' ? i + 2 : 0, code: 'reference-exists' })
      }
      if (refused.length > 0) throw new RollBack()
      await recordAudit(trx, {
        actor,
        action: how === 'csv' ? 'budgets.paper.import' : 'budgets.paper.enter',
        subject: subject('budgets_budget', budget.id),
        details: { ballots: ballots.length, references: ballots.slice(0, 50).map((b) => b.reference) },
        at: now,
      })
    })
    .catch((err: unknown) => {
      if (!(err instanceof RollBack)) throw err
    })
  return refused
}

class RollBack extends Error {}

// ── Delivery ─────────────────────────────────────────────────────────────────────────

/**
 * Adds or updates a milestone of a winning project and emails its followers, each in their
 * language, in the same transaction (the outbox sends after commit).
 */
export async function saveMilestone(
  db: Db,
  mailer: Mailer,
  input: {
    projectId: number
    milestoneId: number | null
    value: MilestoneValue
    /** Absolute links for the email: the project page, and a follower's own unfollow link. */
    links: {
      project(processId: number, projectId: number, language: string): string
      unfollow(followerId: number, language: string): string
    }
  },
  actor: Actor,
  now: Date,
): Promise<{ milestoneId: number; notified: number }> {
  return db.transaction().execute(async (trx) => {
    const project = await findProject(trx, input.projectId)
    if (!project) throw notFound()
    const budget = await findBudget(trx, project.budgetId)
    const process: Process | undefined = budget ? await findProcess(trx, budget.processId) : undefined
    if (!process || !budget) throw notFound()
    const winners = await winningProjectIds(trx, [budget.id])
    assertDeliveryOpen(process, winners.has(project.id))
    let milestoneId = input.milestoneId
    if (milestoneId === null) milestoneId = await addMilestone(trx, project.id, input.value, now)
    else await updateMilestone(trx, milestoneId, input.value, now)
    const followers = await listFollowers(trx, project.id)
    for (const f of followers) {
      await mailer.send(
        trx,
        {
          to: f.email,
          template: 'budgets-milestone',
          language: f.language,
          data: {
            project:
              f.language === 'cy' ? project.titleCy || project.titleEn : project.titleEn || project.titleCy,
            milestone:
              f.language === 'cy'
                ? input.value.titleCy || input.value.titleEn
                : input.value.titleEn || input.value.titleCy,
            status: input.value.status,
            date: input.value.date,
            link: input.links.project(process.id, project.id, f.language),
            unfollowLink: input.links.unfollow(f.id, f.language),
          },
        },
        now,
      )
    }
    await recordAudit(trx, {
      actor,
      action: input.milestoneId === null ? 'budgets.milestone.add' : 'budgets.milestone.update',
      subject: subject('budgets_project', project.id),
      details: { milestone: milestoneId, ...input.value, notified: followers.length },
      at: now,
    })
    return { milestoneId, notified: followers.length }
  })
}
