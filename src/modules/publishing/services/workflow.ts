/**
 * Commands on posts: each runs in one transaction with its audit entry (DESIGN: every staff action
 * is audited), and re-checks the policy so a blocked text can neither be sent for approval, nor
 * approved, nor published.
 */

import { recordAudit } from '../../../platform/audit/audit.js'
import type { Actor } from '../../../platform/auth/actor.js'
import { listStaff } from '../../../platform/auth/staff-store.js'
import type { DbOrTrx } from '../../../platform/db/database.js'
import { listElectionPeriods } from '../../../platform/elections/index.js'
import { DomainError, notFound } from '../../../platform/errors/errors.js'
import { checkPost, type Finding, hasBlocking, loadPolicy } from '../../../platform/policy/index.js'
import type { Services } from '../../../platform/services.js'
import {
  canDecide,
  lengthOf,
  resolveSteps,
  stepComplete,
  textFor,
  transition,
  type WorkflowStep,
  workflowComplete,
} from '../domain/post.js'
import { type Account, findWorkflow, listAccounts } from '../store/account-store.js'
import { listMedia } from '../store/media-store.js'
import {
  findPost,
  insertApproval,
  listApprovals,
  listTargets,
  type Post,
  setPostState,
  type Target,
} from '../store/post-store.js'

export interface TargetCheck {
  readonly target: Target | null
  readonly account: Account | null
  readonly language: 'en' | 'cy'
  readonly text: string
  readonly length: { length: number; limit: number; over: boolean } | null
  readonly findings: readonly Finding[]
}

/**
 * The policy findings and lengths of every text that would go out: each account's copy in each
 * language, at `date` (the planned date when drafting, the moment of publishing at publish time).
 */
export async function checkPostTexts(
  db: DbOrTrx,
  post: Post,
  date: Date,
  locale: 'en' | 'cy',
): Promise<TargetCheck[]> {
  // One query after another: inside a transaction there is one connection anyway.
  const policy = await loadPolicy(db)
  const elections = await listElectionPeriods(db)
  const targets = await listTargets(db, post.id)
  const accounts = await listAccounts(db)
  const media = await listMedia(db, post.id)
  // Each language's copy carries the images with that language's alt text.
  const images = (language: 'en' | 'cy') =>
    media.map((m) => ({ altText: language === 'cy' ? m.altCy : m.altEn }))
  const byId = new Map(accounts.map((a) => [a.id, a]))
  if (targets.length === 0) {
    return (['en', 'cy'] as const).map((language) => {
      const text = language === 'cy' ? post.textCy : post.textEn
      return {
        target: null,
        account: null,
        language,
        text,
        length: null,
        findings: checkPost(
          policy,
          { text, channel: 'web', date, language, elections, images: images(language) },
          locale,
        ),
      }
    })
  }
  return targets.map((target) => {
    const account = byId.get(target.accountId) ?? null
    const text = textFor(post, target)
    const channel = account?.network ?? 'web'
    return {
      target,
      account,
      language: target.language,
      text,
      length: account ? lengthOf(account.network, text) : null,
      findings: checkPost(
        policy,
        { text, channel, date, language: target.language, elections, images: images(target.language) },
        locale,
      ),
    }
  })
}

export function checksBlock(checks: readonly TargetCheck[]): boolean {
  return checks.some((c) => hasBlocking(c.findings) || c.length?.over === true || c.text.trim() === '')
}

/** The workflow a post needs: the steps of every distinct workflow its accounts require, in order. */
async function requiredSteps(db: DbOrTrx, targets: readonly Target[]): Promise<WorkflowStep[]> {
  const accounts = await listAccounts(db)
  const ids = [
    ...new Set(targets.map((t) => accounts.find((a) => a.id === t.accountId)?.workflowId ?? -1)),
  ].sort((a, b) => a - b)
  const steps: WorkflowStep[] = []
  for (const id of ids) {
    const wf = await findWorkflow(db, id)
    if (!wf) throw new DomainError('publishing.no-workflow', 400)
    steps.push(...wf.steps)
  }
  return steps
}

function audit(
  db: DbOrTrx,
  actor: Actor,
  action: string,
  postId: number,
  details: Record<string, unknown>,
  now: Date,
) {
  return recordAudit(db, {
    actor,
    action: `publishing.${action}`,
    subject: { type: 'publishing_post', id: postId },
    details,
    at: now,
  })
}

async function loadPost(db: DbOrTrx, id: number): Promise<Post> {
  const post = await findPost(db, id)
  if (!post) throw notFound()
  return post
}

/** Sends a draft for approval: refused while any text is blocked, too long or empty. */
export async function submitPost(
  services: Services,
  actor: Actor & { kind: 'staff' },
  postId: number,
  now: Date,
): Promise<void> {
  await services.db.transaction().execute(async (trx) => {
    const post = await loadPost(trx, postId)
    transition(post.state, 'submit')
    const targets = await listTargets(trx, postId)
    if (targets.length === 0) throw new DomainError('publishing.no-accounts', 400)
    const checks = await checkPostTexts(trx, post, new Date(post.plannedAt), 'en')
    if (checksBlock(checks)) throw new DomainError('publishing.blocked', 400)
    const steps = resolveSteps(await requiredSteps(trx, targets), await listStaff(trx), post.createdBy)
    const ok = await setPostState(
      trx,
      postId,
      'draft',
      {
        state: 'in_review',
        review_steps: JSON.stringify(steps),
        step_index: 0,
        round: post.round + 1,
        rejection_note: null,
        last_error: null,
        attempts: 0,
        next_attempt_at: null,
      },
      now,
    )
    if (!ok) throw new DomainError('publishing.bad-state', 409)
    await audit(trx, actor, 'submit', postId, { round: post.round + 1, steps: steps.map((s) => s.name) }, now)
  })
}

/** Approves or rejects the current step; the last approval schedules the post. */
export async function decidePost(
  services: Services,
  actor: Actor & { kind: 'staff' },
  postId: number,
  decision: 'approve' | 'reject',
  note: string | null,
  now: Date,
): Promise<'rejected' | 'next-step' | 'scheduled' | 'waiting'> {
  return services.db.transaction().execute(async (trx) => {
    const post = await loadPost(trx, postId)
    const approvals = await listApprovals(trx, postId, post.round)
    if (!canDecide(post, post.reviewSteps, approvals, actor.id))
      throw new DomainError('publishing.cannot-decide', 403)
    if (decision === 'reject' && !note?.trim()) throw new DomainError('publishing.note-required', 400)
    await insertApproval(
      trx,
      { postId, round: post.round, stepIndex: post.stepIndex, staffId: actor.id, decision, note },
      now,
    )
    if (decision === 'reject') {
      await setPostState(
        trx,
        postId,
        'in_review',
        { state: transition(post.state, 'reject'), rejection_note: note },
        now,
      )
      await audit(trx, actor, 'reject', postId, { round: post.round, step: post.stepIndex, note }, now)
      return 'rejected'
    }
    const all = [...approvals, { stepIndex: post.stepIndex, staffId: actor.id, decision }]
    await audit(trx, actor, 'approve', postId, { round: post.round, step: post.stepIndex }, now)
    if (!stepComplete(post.reviewSteps[post.stepIndex]!, all, post.stepIndex)) return 'waiting'
    if (post.stepIndex + 1 < post.reviewSteps.length) {
      await setPostState(trx, postId, 'in_review', { step_index: post.stepIndex + 1 }, now)
      return 'next-step'
    }
    // Final sign-off: the policy is checked once more, as the text may meet a new election period.
    const checks = await checkPostTexts(trx, post, new Date(post.plannedAt), 'en')
    if (checksBlock(checks)) throw new DomainError('publishing.blocked', 400)
    if (!workflowComplete(post.reviewSteps, all)) throw new DomainError('publishing.cannot-decide', 403)
    await setPostState(trx, postId, 'in_review', { state: transition(post.state, 'approve-final') }, now)
    await audit(trx, actor, 'schedule', postId, { plannedAt: post.plannedAt }, now)
    return 'scheduled'
  })
}

/** Takes a post back to draft (to edit it, or stop it going out); approvals no longer count. */
export async function withdrawPost(
  services: Services,
  actor: Actor & { kind: 'staff' },
  postId: number,
  now: Date,
): Promise<void> {
  await services.db.transaction().execute(async (trx) => {
    const post = await loadPost(trx, postId)
    const to = transition(post.state, 'withdraw')
    if (
      !(await setPostState(
        trx,
        postId,
        post.state,
        { state: to, step_index: 0, claimed_by: null, claimed_at: null },
        now,
      ))
    ) {
      throw new DomainError('publishing.bad-state', 409)
    }
    await audit(trx, actor, 'withdraw', postId, { from: post.state }, now)
  })
}

/** Whether an approval in the current round signs off the workflow (the publisher's last check). */
export async function approvedForPublishing(db: DbOrTrx, post: Post): Promise<boolean> {
  return workflowComplete(post.reviewSteps, await listApprovals(db, post.id, post.round))
}
