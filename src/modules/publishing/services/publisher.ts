/**
 * The publisher: claims due posts atomically (one process publishes a post, however many run),
 * re-checks the workflow and the policy at the moment of publishing, sends each account's copy
 * through the connectors with a stable idempotency key, and retries with back-off up to
 * MAX_ATTEMPTS before showing the post as failed with the reason.
 */

import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import type { Services } from '../../../platform/services.js'
import {
  type FetchLike,
  fetchEngagement,
  PublishError,
  publishPost,
  scrub,
} from '../../../platform/social/index.js'
import { idempotencyKey, MAX_ATTEMPTS, retryDelayMs, textFor } from '../domain/post.js'
import { accountSecret, findAccount } from '../store/account-store.js'
import { mediaWithData } from '../store/media-store.js'
import {
  claimPost,
  duePostIds,
  findPost,
  listTargets,
  markTargetPublished,
  publishedTargetsSince,
  setEngagement,
  setPostState,
} from '../store/post-store.js'
import { decryptCredentials } from './credentials.js'
import { approvedForPublishing, checkPostTexts, checksBlock } from './workflow.js'

const STALE_MS = 10 * 60_000
const actor = systemActor('publishing.publisher')

export interface PublishOptions {
  readonly fetch?: FetchLike
  readonly worker?: string
}

export interface PublishOutcome {
  readonly published: number[]
  readonly retrying: number[]
  readonly failed: number[]
}

export async function publishDue(
  services: Services,
  now: Date,
  options: PublishOptions = {},
): Promise<PublishOutcome> {
  const worker = options.worker ?? services.jobs.workerId
  const staleBefore = new Date(now.getTime() - STALE_MS)
  const outcome: PublishOutcome = { published: [], retrying: [], failed: [] }
  for (const id of await duePostIds(services.db, now, staleBefore)) {
    if (!(await claimPost(services.db, id, worker, now, staleBefore))) continue
    const result = await publishClaimed(services, id, now, options)
    outcome[result].push(id)
  }
  return outcome
}

async function fail(
  services: Services,
  postId: number,
  reason: string,
  code: string,
  now: Date,
): Promise<'failed'> {
  await services.db.transaction().execute(async (trx) => {
    await setPostState(
      trx,
      postId,
      'publishing',
      { state: 'failed', last_error: reason, claimed_by: null, claimed_at: null, next_attempt_at: null },
      now,
    )
    await recordAudit(trx, {
      actor,
      action: 'publishing.fail',
      subject: { type: 'publishing_post', id: postId },
      details: { code, reason },
      at: now,
    })
  })
  services.logger.warn({ postId, code }, 'publishing: post failed')
  return 'failed'
}

async function publishClaimed(
  services: Services,
  postId: number,
  now: Date,
  options: PublishOptions,
): Promise<'published' | 'retrying' | 'failed'> {
  const { db } = services
  const post = await findPost(db, postId)
  if (!post) return 'failed'
  // Nothing goes out without the workflow the accounts require, signed off in this round.
  if (!(await approvedForPublishing(db, post)))
    return fail(services, postId, 'The approval workflow is not complete.', 'publishing.not-approved', now)
  const checks = await checkPostTexts(db, post, now, 'en')
  if (checksBlock(checks)) {
    const first = checks.flatMap((c) => c.findings).find((f) => f.severity === 'block')
    return fail(
      services,
      postId,
      `Blocked by the policy at publishing time${first ? `: ${first.message}` : ''}.`,
      'publishing.blocked',
      now,
    )
  }
  const attempt = post.attempts + 1
  const secrets: string[] = []
  const media = await mediaWithData(db, postId)
  try {
    for (const target of await listTargets(db, postId)) {
      if (target.externalId) continue // published by an earlier attempt
      const account = await findAccount(db, target.accountId)
      if (!account?.enabled)
        throw new PublishError(
          'publishing.account-unavailable',
          'The account is switched off or was removed.',
          { retryable: false },
        )
      const stored = await accountSecret(db, account.id)
      if (!stored)
        throw new PublishError(
          'publishing.no-credentials',
          `No credentials are stored for ${account.name}.`,
          { retryable: false },
        )
      const secret = decryptCredentials(services, stored)
      secrets.push(secret)
      const out = await publishPost(
        { network: account.network, serviceUrl: account.serviceUrl, identifier: account.identifier, secret },
        {
          text: textFor(post, target),
          language: target.language,
          media: media.map((m) => ({
            data: m.data,
            mimeType: m.mimeType,
            altText: target.language === 'cy' ? m.altCy : m.altEn,
          })),
          idempotencyKey: idempotencyKey(post.id, target.id, post.round, target.language),
        },
        { now, ...(options.fetch ? { fetch: options.fetch } : {}) },
      )
      await markTargetPublished(db, target.id, out, now)
    }
  } catch (err) {
    const e = err instanceof PublishError ? err : null
    const reason = scrub(err instanceof Error ? err.message : String(err), secrets)
    const code = e?.code ?? 'publishing.error'
    if (e?.retryable && attempt < MAX_ATTEMPTS) {
      const next = new Date(now.getTime() + retryDelayMs(attempt, e.retryAfterMs))
      await db.transaction().execute(async (trx) => {
        await setPostState(
          trx,
          postId,
          'publishing',
          {
            state: 'scheduled',
            attempts: attempt,
            last_error: reason,
            next_attempt_at: next.toISOString(),
            claimed_by: null,
            claimed_at: null,
          },
          now,
        )
        await recordAudit(trx, {
          actor,
          action: 'publishing.retry',
          subject: { type: 'publishing_post', id: postId },
          details: { attempt, code, reason, next: next.toISOString() },
          at: now,
        })
      })
      services.logger.info({ postId, attempt, code }, 'publishing: will retry')
      return 'retrying'
    }
    await db.updateTable('publishing_posts').set({ attempts: attempt }).where('id', '=', postId).execute()
    return fail(services, postId, reason, code, now)
  }
  await db.transaction().execute(async (trx) => {
    await setPostState(
      trx,
      postId,
      'publishing',
      {
        state: 'published',
        published_at: now.toISOString(),
        attempts: attempt,
        last_error: null,
        claimed_by: null,
        claimed_at: null,
        next_attempt_at: null,
      },
      now,
    )
    await recordAudit(trx, {
      actor,
      action: 'publishing.publish',
      subject: { type: 'publishing_post', id: postId },
      details: { attempt },
      at: now,
    })
  })
  services.logger.info({ postId }, 'publishing: published')
  return 'published'
}

/** Reads back replies, boosts and favourites of what was published in the last `days` days. */
export async function refreshEngagement(
  services: Services,
  now: Date,
  options: { fetch?: FetchLike; days?: number } = {},
): Promise<number> {
  const since = new Date(now.getTime() - (options.days ?? 14) * 86_400_000).toISOString()
  let updated = 0
  for (const target of await publishedTargetsSince(services.db, since)) {
    const account = await findAccount(services.db, target.accountId)
    const stored = account ? await accountSecret(services.db, account.id) : null
    if (!account || !stored || !target.externalId) continue
    try {
      const e = await fetchEngagement(
        {
          network: account.network,
          serviceUrl: account.serviceUrl,
          identifier: account.identifier,
          secret: decryptCredentials(services, stored),
        },
        {
          id: target.externalId,
          ...(target.externalCid ? { cid: target.externalCid } : {}),
          url: target.url,
        },
        options.fetch ? { fetch: options.fetch } : {},
      )
      await setEngagement(services.db, target.id, e, now)
      updated++
    } catch (err) {
      // One unreachable account must not stop the others; the next run tries again.
      services.logger.warn(
        { targetId: target.id, code: err instanceof PublishError ? err.code : 'error' },
        'publishing: engagement not read',
      )
    }
  }
  return updated
}

export function registerPublishingJobs(services: Services): void {
  services.jobs.every('publishing.publish-due', 15_000, async () => {
    await publishDue(services, new Date())
  })
  services.jobs.every('publishing.engagement', 3_600_000, async () => {
    await refreshEngagement(services, new Date())
  })
}
