/**
 * Replies go back through the channel the citizen used, threaded: Mastodon `in_reply_to_id`,
 * Bluesky reply root/parent, email with the case reference `[TS-123]` in the subject. Mentions are
 * pulled per connected account from a stored cursor; the unique (channel, external id) index makes
 * a duplicate impossible even when a cursor is lost.
 */
import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import type { Db } from '../../../platform/db/database.js'
import type { Mailer } from '../../../platform/mail/mail.js'
import {
  type FetchLike,
  fetchMentions,
  PublishError,
  publishPost,
  type SocialCredentials,
  scrub,
} from '../../../platform/social/index.js'
import { caseReference, EMAIL_REPLY_CHANNELS, postedReplyText } from '../domain/case.js'
import {
  caseMessages,
  findCase,
  findMessage,
  type Message,
  messagesInState,
  readCursor,
  updateMessage,
  writeCursor,
} from '../store/case-store.js'
import { receiveMessages } from './intake.js'

export interface ConnectedAccount {
  /** Stable key stored on cases, e.g. `publishing:3`. */
  readonly key: string
  readonly name: string
  readonly credentials: SocialCredentials
}

export type AccountProvider = () => Promise<readonly ConnectedAccount[]>

export interface DeliveryDeps {
  readonly mailer: Mailer
  readonly accounts: AccountProvider
  readonly fetch?: FetchLike
  readonly now: Date
  readonly log?: (msg: string, details: Record<string, unknown>) => void
}

const MAX_ATTEMPTS = 5

/** Sends one queued reply. Returns the state it ends in. Idempotent: only `queued` rows are sent. */
export async function deliverReply(db: Db, messageId: number, deps: DeliveryDeps): Promise<string> {
  const m = await findMessage(db, messageId)
  if (m?.direction !== 'outbound') return 'missing'
  if (m.state !== 'queued') return m.state
  const c = await findCase(db, m.caseId)
  if (!c) return 'missing'
  const now = deps.now
  if ((EMAIL_REPLY_CHANNELS as readonly string[]).includes(c.channel)) {
    if (!c.citizenEmail) {
      await updateMessage(db, m.id, { state: 'failed', last_error: 'no email address for this citizen' })
      return 'failed'
    }
    const headers = threadHeaders(await caseMessages(db, c.id))
    return db.transaction().execute(async (trx) => {
      const outboxId = await deps.mailer.send(
        trx,
        {
          to: c.citizenEmail!,
          template: 'inbox-reply',
          language: c.language === 'cy' ? 'cy' : 'en',
          data: {
            reference: caseReference(c.id),
            subject: c.subject ?? caseReference(c.id),
            text: m.text,
          },
          ...(headers ? { headers } : {}),
        },
        now,
      )
      await updateMessage(trx, m.id, {
        state: 'sent',
        sent_at: now.toISOString(),
        external_id: `outbox:${outboxId}`,
        attempts: m.attempts + 1,
        last_error: null,
      })
      await recordAudit(trx, {
        actor: systemActor('inbox.send'),
        action: 'inbox.reply.sent',
        subject: { type: 'inbox_case', id: c.id },
        details: { messageId: m.id, channel: c.channel },
        at: now,
      })
      return 'sent'
    })
  }
  if (c.channel !== 'mastodon' && c.channel !== 'bluesky') {
    await updateMessage(db, m.id, { state: 'failed', last_error: `cannot reply on channel ${c.channel}` })
    return 'failed'
  }
  const account = (await deps.accounts()).find((a) => a.key === c.accountKey)
  if (!account) {
    await updateMessage(db, m.id, {
      state: 'failed',
      last_error: 'the social account is no longer connected',
    })
    return 'failed'
  }
  // Reply to the citizen's latest message in the thread; the root stays the thread's first post.
  const thread = await caseMessages(db, c.id)
  const parent = [...thread].reverse().find((x) => x.direction === 'inbound' && x.externalId)
  if (!parent?.externalId) {
    await updateMessage(db, m.id, { state: 'failed', last_error: 'nothing to reply to' })
    return 'failed'
  }
  try {
    const published = await publishPost(
      account.credentials,
      {
        text: postedReplyText(c.channel, c.citizenHandle, m.text),
        ...(c.language === 'en' || c.language === 'cy' ? { language: c.language } : {}),
        inReplyTo: {
          id: parent.externalId,
          ...(parent.externalCid ? { cid: parent.externalCid } : {}),
          ...(c.threadId ? { rootId: c.threadId } : {}),
          ...(c.threadCid ? { rootCid: c.threadCid } : {}),
        },
        idempotencyKey: `townsquare-inbox-${m.id}`,
      },
      { ...(deps.fetch ? { fetch: deps.fetch } : {}), now },
    )
    await db.transaction().execute(async (trx) => {
      await updateMessage(trx, m.id, {
        state: 'sent',
        sent_at: now.toISOString(),
        external_id: published.id,
        external_cid: published.cid ?? null,
        external_url: published.url,
        attempts: m.attempts + 1,
        last_error: null,
      })
      await recordAudit(trx, {
        actor: systemActor('inbox.send'),
        action: 'inbox.reply.sent',
        subject: { type: 'inbox_case', id: c.id },
        details: { messageId: m.id, channel: c.channel, externalId: published.id },
        at: now,
      })
    })
    return 'sent'
  } catch (err) {
    const retryable = err instanceof PublishError ? err.retryable : true
    const message = scrub(err instanceof Error ? err.message : String(err), [account.credentials.secret])
    const attempts = m.attempts + 1
    const state = retryable && attempts < MAX_ATTEMPTS ? 'queued' : 'failed'
    await updateMessage(db, m.id, { state, attempts, last_error: message.slice(0, 1000) })
    deps.log?.('inbox reply not sent', { messageId: m.id, state, error: message })
    return state
  }
}

/** Sends every queued reply (the recurring job; also after approval). */
export async function deliverQueued(db: Db, deps: DeliveryDeps): Promise<number> {
  let sent = 0
  for (const m of await messagesInState(db, 'queued', 100)) {
    if (m.direction !== 'outbound') continue
    if ((await deliverReply(db, m.id, deps)) === 'sent') sent++
  }
  return sent
}

/** Pulls new mentions and replies of one account into cases; returns how many new messages. */
export async function pullMentions(
  db: Db,
  account: ConnectedAccount,
  options: { fetch?: FetchLike; now: Date },
): Promise<{ stored: number; duplicates: number }> {
  const cursor = await readCursor(db, account.key)
  const result = await fetchMentions(account.credentials, cursor, {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    now: options.now,
  })
  let stored = 0
  let duplicates = 0
  // Oldest first, so a reply finds the case its parent opened.
  const mentions = [...result.mentions].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  const results = await receiveMessages(
    db,
    mentions.map((mention) => ({
      channel: mention.network,
      text: mention.text,
      receivedAt: new Date(mention.createdAt),
      citizenHandle: mention.authorHandle,
      citizenName: mention.authorName,
      externalId: mention.id,
      externalCid: mention.cid ?? null,
      externalUrl: mention.url,
      threadId: mention.rootId ?? null,
      threadCid: mention.rootCid ?? null,
      inReplyTo: mention.inReplyToId ? [mention.inReplyToId] : [],
      accountKey: account.key,
      language: mention.language,
    })),
    options.now,
  )
  for (const r of results) {
    if (r.duplicate) duplicates++
    else stored++
  }
  await writeCursor(db, account.key, result.cursor, options.now)
  return { stored, duplicates }
}

/**
 * The citizen's mail program threads our reply under their messages when it names them
 * (RFC 5322 §3.6.4): In-Reply-To is their latest message, References all of them, oldest first.
 * Cases that did not start by email have none; the `[TS-n]` subject token still threads ours.
 */
export function threadHeaders(
  messages: readonly Pick<Message, 'direction' | 'channel' | 'externalId'>[],
): { 'In-Reply-To': string; References: string } | null {
  const ids = messages
    .filter((x) => x.direction === 'inbound' && x.channel === 'email' && x.externalId)
    .map((x) => (x.externalId!.startsWith('<') ? x.externalId! : `<${x.externalId}>`))
  if (ids.length === 0) return null
  // Mail programs read only so much of a header: keep the first and the latest ten.
  const refs = ids.length > 11 ? [ids[0]!, ...ids.slice(-10)] : ids
  return { 'In-Reply-To': ids.at(-1)!, References: refs.join(' ') }
}
