import type { Selectable } from 'kysely'
import nodemailer, { type Transporter } from 'nodemailer'
import type { Logger } from 'pino'
import type { Db, DbOrTrx } from '../db/database.js'
import type { PlatformTables } from '../db/tables.js'
import { type Catalogue, createTranslate, formatDate, isLocale, type Locale } from '../i18n/i18n.js'
import { createNunjucksEnv } from '../views/nunjucks.js'

export interface MailMessage {
  readonly to: string
  /** A template under views/emails/ (platform) or a module's views/emails/: `<name>.njk`, plain text. */
  readonly template: string
  /** The recipient's language preference (Welsh Language Standards: correspondence in the chosen language). */
  readonly language: string
  readonly data?: Readonly<Record<string, unknown>>
  /**
   * Extra headers, e.g. `In-Reply-To` and `References` so a reply joins the citizen's thread
   * in their mail program (RFC 5322 §3.6.4). Only these two are accepted.
   */
  readonly headers?: Readonly<Partial<Record<ThreadHeader, string>>>
}

/** The extra headers a message may carry; anything else (From, Bcc, …) is the mailer's business. */
export type ThreadHeader = 'In-Reply-To' | 'References'
const THREAD_HEADERS: readonly ThreadHeader[] = ['In-Reply-To', 'References']

/** The stored form of a message's thread headers: JSON of the allowed ones, or null. */
function storedHeaders(message: MailMessage): string | null {
  if (!message.headers) return null
  const kept: Record<string, string> = {}
  for (const name of THREAD_HEADERS) {
    const value = message.headers[name]
    // A header value never spans lines (header injection).
    if (value && !/[\r\n]/.test(value)) kept[name] = value
  }
  return Object.keys(kept).length > 0 ? JSON.stringify(kept) : null
}

export interface OutboxEntry {
  readonly id: number
  readonly createdAt: string
  readonly to: string
  readonly from: string
  readonly subject: string
  readonly text: string
  readonly template: string
  readonly language: string
  /** held: no SMTP configured, kept for staff to read; queued / retry / sending / sent / failed. */
  readonly status: 'held' | 'queued' | 'retry' | 'sending' | 'sent' | 'failed'
  readonly attempts: number
  readonly lastError: string | null
  readonly sentAt: string | null
}

export interface Mailer {
  /** Renders the message in the recipient's language and stores it in the outbox (in the caller's transaction). */
  send(db: DbOrTrx, message: MailMessage, now?: Date): Promise<number>
  /**
   * Many messages in few statements, in the caller's transaction (a petition's group commit:
   * one round trip instead of one per signer). Optional so test doubles need not implement it.
   */
  sendMany?(db: DbOrTrx, messages: readonly MailMessage[], now?: Date): Promise<void>
  /** Sends queued messages over SMTP; returns how many went. A no-op without SMTP. */
  deliverPending(now?: Date): Promise<number>
  readonly smtp: boolean
  close(): void
}

const MAX_ATTEMPTS = 8

export function createMailer(options: {
  db: Db
  smtpUrl: string | null
  from: string
  publicUrl: string
  catalogues: Record<Locale, Catalogue>
  /**
   * The organisation's name in a language, read through `db` — the caller's transaction when
   * there is one: on SQLite a transaction holds the only connection, so reading through the
   * main handle inside it would wait for ever.
   */
  organisationName: (locale: Locale, db: DbOrTrx) => Promise<string>
  logger: Logger
}): Mailer {
  const env = createNunjucksEnv({ autoescape: false })
  const transport: Transporter | null = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null
  let delivering: Promise<number> | null = null
  const translators = {
    en: createTranslate(options.catalogues.en, 'en'),
    cy: createTranslate(options.catalogues.cy, 'cy'),
  }

  async function render(
    db: DbOrTrx,
    message: MailMessage,
  ): Promise<{ subject: string; text: string; language: Locale }> {
    const language: Locale = isLocale(message.language) ? message.language : 'en'
    const t = translators[language]
    const context = {
      ...message.data,
      t,
      locale: language,
      publicUrl: options.publicUrl,
      organisation: await options.organisationName(language, db),
      formatDate: (iso: string) => formatDate(iso, language),
    }
    const text = env.render(`emails/${message.template}.njk`, context).trim() + '\n'
    const vars: Record<string, string | number> = { organisation: context.organisation }
    for (const [k, v] of Object.entries(message.data ?? {}))
      if (typeof v === 'string' || typeof v === 'number') vars[k] = v
    const subject = t(`emails.${message.template}.subject`, vars)
    return { subject, text, language }
  }

  async function deliverOne(id: number, now: Date): Promise<boolean> {
    if (!transport) return false
    const claimed = await options.db
      .updateTable('outbox')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'retry'])
      .returningAll()
      .executeTakeFirst()
    if (!claimed) return false
    try {
      const info = await transport.sendMail({
        from: claimed.from_address,
        to: claimed.to_address,
        subject: claimed.subject,
        text: claimed.text_body,
        headers: {
          ...(claimed.headers ? (JSON.parse(claimed.headers) as Record<string, string>) : {}),
          'Content-Language': claimed.language === 'cy' ? 'cy' : 'en-GB',
        },
      })
      await options.db
        .updateTable('outbox')
        .set({
          status: 'sent',
          sent_at: now.toISOString(),
          message_id: String(info.messageId ?? ''),
          last_error: null,
        })
        .where('id', '=', id)
        .execute()
      return true
    } catch (err) {
      const attempts = Number(claimed.attempts)
      await options.db
        .updateTable('outbox')
        .set({
          status: attempts >= MAX_ATTEMPTS ? 'failed' : 'retry',
          last_error: String((err as Error).message).slice(0, 1000),
        })
        .where('id', '=', id)
        .execute()
      options.logger.warn({ outboxId: id, err: (err as Error).message }, 'mail delivery failed')
      return false
    }
  }

  async function deliverPending(now: Date = new Date()): Promise<number> {
    if (!transport) return 0
    // One delivery loop per process at a time; rows are claimed atomically across processes.
    delivering ??= (async () => {
      let sent = 0
      try {
        for (;;) {
          const batch = await options.db
            .selectFrom('outbox')
            .select('id')
            .where('status', 'in', ['queued', 'retry'])
            .orderBy('id')
            .limit(50)
            .execute()
          if (batch.length === 0) break
          let progressed = false
          for (const row of batch) {
            if (await deliverOne(Number(row.id), now)) {
              sent++
              progressed = true
            }
          }
          if (!progressed) break
        }
      } finally {
        delivering = null
      }
      return sent
    })()
    return delivering
  }

  return {
    smtp: transport !== null,
    async send(db, message, now = new Date()) {
      const { subject, text, language } = await render(db, message)
      const row = await db
        .insertInto('outbox')
        .values({
          created_at: now.toISOString(),
          to_address: message.to,
          from_address: options.from,
          subject,
          text_body: text,
          template: message.template,
          language,
          status: transport ? 'queued' : 'held',
          headers: storedHeaders(message),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (transport) {
        // After the caller's transaction commits; the recurring retry job catches anything missed.
        setImmediate(() => {
          deliverPending().catch((err: unknown) => options.logger.error({ err }, 'mail delivery loop failed'))
        })
      }
      return Number(row.id)
    },
    async sendMany(db, messages, now = new Date()) {
      const rows = []
      for (const message of messages) {
        const { subject, text, language } = await render(db, message)
        rows.push({
          created_at: now.toISOString(),
          to_address: message.to,
          from_address: options.from,
          subject,
          text_body: text,
          template: message.template,
          language,
          status: transport ? 'queued' : 'held',
          headers: storedHeaders(message),
        })
      }
      for (let i = 0; i < rows.length; i += 200)
        await db
          .insertInto('outbox')
          .values(rows.slice(i, i + 200))
          .execute()
      if (transport && rows.length > 0) {
        setImmediate(() => {
          deliverPending().catch((err: unknown) => options.logger.error({ err }, 'mail delivery loop failed'))
        })
      }
    },
    deliverPending,
    close() {
      transport?.close()
    },
  }
}

export async function listOutbox(
  db: DbOrTrx,
  filter: { status?: string; to?: string; limit?: number } = {},
): Promise<OutboxEntry[]> {
  let q = db.selectFrom('outbox').selectAll()
  if (filter.status) q = q.where('status', '=', filter.status)
  if (filter.to) q = q.where('to_address', 'like', `%${filter.to.toLowerCase()}%`)
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 200)
    .execute()
  return rows.map(toOutboxEntry)
}

export async function findOutboxMessage(db: DbOrTrx, id: number): Promise<OutboxEntry | undefined> {
  const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toOutboxEntry(row) : undefined
}

function toOutboxEntry(r: Selectable<PlatformTables['outbox']>): OutboxEntry {
  return {
    id: Number(r.id),
    createdAt: r.created_at,
    to: r.to_address,
    from: r.from_address,
    subject: r.subject,
    text: r.text_body,
    template: r.template,
    language: r.language,
    status: r.status as OutboxEntry['status'],
    attempts: Number(r.attempts),
    lastError: r.last_error,
    sentAt: r.sent_at,
  }
}
