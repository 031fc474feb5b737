/**
 * Email in: a real SMTP listener (smtp-server) whose messages are parsed (mailparser) and threaded
 * onto cases by `In-Reply-To` / `References`, or by the `[TS-123]` reference our replies carry
 * in their subject; anything else opens a new case.
 */
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import type { Db } from '../../../platform/db/database.js'
import { referenceInSubject } from '../domain/case.js'
import { type IntakeResult, receiveMessage } from './intake.js'

export interface ParsedEmail {
  readonly messageId: string | null
  readonly inReplyTo: readonly string[]
  readonly from: string | null
  readonly fromName: string | null
  readonly subject: string
  readonly text: string
  readonly date: Date | null
}

/** Plain text without the quoted history below "On … wrote:" or "> " lines. */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const out: string[] = []
  for (const line of lines) {
    if (
      /^On .+wrote:\s*$/.test(line) ||
      /^Ar .+ysgrifennodd.*:\s*$/.test(line) ||
      /^-{2,}\s*Original Message/i.test(line)
    )
      break
    if (line.startsWith('>')) continue
    out.push(line)
  }
  return out.join('\n').trim()
}

export async function receiveEmail(db: Db, mail: ParsedEmail, now: Date): Promise<IntakeResult> {
  const body = stripQuoted(mail.text) || mail.text.trim() || mail.subject
  return receiveMessage(
    db,
    {
      channel: 'email',
      text: body.slice(0, 20_000),
      receivedAt: now,
      subject: mail.subject || null,
      citizenEmail: mail.from?.toLowerCase() ?? null,
      citizenName: mail.fromName,
      citizenHandle: mail.from?.toLowerCase() ?? null,
      externalId: mail.messageId,
      threadId: mail.inReplyTo.at(-1) ?? mail.messageId,
      inReplyTo: mail.inReplyTo,
      caseId: referenceInSubject(mail.subject),
    },
    now,
  )
}

export async function parseEmail(raw: Buffer | string): Promise<ParsedEmail> {
  const p = await simpleParser(raw)
  const refs = Array.isArray(p.references) ? p.references : p.references ? [p.references] : []
  const inReplyTo = [...refs, ...(p.inReplyTo ? [p.inReplyTo] : [])].filter((x, i, a) => a.indexOf(x) === i)
  const from = p.from?.value[0]
  return {
    messageId: p.messageId ?? null,
    inReplyTo,
    from: from?.address ?? null,
    fromName: from?.name || null,
    subject: p.subject ?? '',
    text: p.text ?? '',
    date: p.date ?? null,
  }
}

export interface MailIntake {
  readonly port: number
  close(): Promise<void>
}

/**
 * Listens for SMTP on `port` (0 = any free port). No authentication: put it behind the mail
 * relay that receives the public address (e.g. contact@council), as Chatwoot's inbound email does.
 */
export async function startMailIntake(
  db: Db,
  options: {
    port: number
    host?: string
    maxBytes?: number
    now?: () => Date
    log?: (msg: string, d: Record<string, unknown>) => void
  },
): Promise<MailIntake> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxBytes ?? 10 * 1024 * 1024,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('Message too big'), { responseCode: 552 }))
          return
        }
        parseEmail(Buffer.concat(chunks))
          .then((mail) => receiveEmail(db, mail, options.now?.() ?? new Date()))
          .then(() => callback())
          .catch((err: unknown) => {
            options.log?.('inbox email intake failed', { err: (err as Error).message })
            // A temporary failure: the sending server keeps the message and tries again.
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }))
          })
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
