import type { Db, DbOrTrx } from '../../../platform/db/database.js'
import type { Mailer, MailMessage } from '../../../platform/mail/mail.js'
import { inStates, type PetitionState, SIGNABLE_STATES } from '../domain/petition.js'
import { decideDuplicate, type ExistingSignature, MAX_EMAILS_PER_ADDRESS } from '../domain/signature.js'
import {
  claimEmailAllowance,
  findPetitionAndSignaturesByEmails,
  findSignaturesByEmail,
  insertSignatures,
  type NewSignature,
  signatureKey,
} from '../store/signature-store.js'

/** A signature on an open petition that passed validation and the fraud checks, ready to store. */
export interface QueuedSignature extends NewSignature {
  /** The secret of the confirmation link (only its hash is stored). */
  readonly rawToken: string
  readonly now: Date
}

export type BatchOutcome = 'accepted' | 'closed' | 'not-found'

/**
 * Group commit (issue #3: a viral spike of signatures). Signatures wait in a queue while the
 * previous batch commits, then the whole queue is written in ONE transaction: a few statements
 * and one durable commit for hundreds of signers instead of one each. Each signer hears back only
 * after the commit of their batch, so an accepted signature is never lost (crash.test.ts).
 * The duplicate rule runs over the batch in arrival order exactly as one-by-one signing would,
 * and the unique index (petition, canonical email, name) stays the backstop across processes.
 */
export interface SignatureWriter {
  submit(signature: QueuedSignature): Promise<BatchOutcome>
}

/** Bounded, so one transaction stays short and memory stays flat whatever the queue holds. */
const MAX_BATCH = 500

const writers = new WeakMap<Db, SignatureWriter>()

/**
 * One writer per database handle: every request of this process shares its queue. SQLite has
 * one writer connection, so one batch at a time; PostgreSQL overlaps a few (each waits for its
 * own commit's fsync while the next is built).
 */
export function signatureWriter(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  dialect: 'sqlite' | 'postgres' = 'sqlite',
): SignatureWriter {
  let writer = writers.get(db)
  if (!writer) {
    writer = createSignatureWriter(db, mailer, publicUrl, dialect === 'postgres' ? 3 : 1)
    writers.set(db, writer)
  }
  return writer
}

interface Waiting {
  readonly signature: QueuedSignature
  readonly mailbox: string
  resolve(outcome: BatchOutcome): void
  reject(err: unknown): void
}

export function createSignatureWriter(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  maxInFlight = 1,
): SignatureWriter {
  let queue: Waiting[] = []
  let scheduled = false
  let inFlight = 0
  // Mailboxes (per petition) in a batch being written. A signature for one of them waits for the
  // next batch, so two overlapping transactions never judge the same mailbox: the duplicate
  // rule sees every earlier signature, as it would one by one.
  const busy = new Set<string>()

  async function write(batch: readonly Waiting[]): Promise<void> {
    try {
      const outcomes = await db.transaction().execute((trx) =>
        writeBatch(
          trx,
          mailer,
          publicUrl,
          batch.map((w) => w.signature),
        ),
      )
      for (const [i, w] of batch.entries()) w.resolve(outcomes[i]!)
    } catch (err) {
      // One bad signature must not fail its neighbours: retry them one by one.
      if (batch.length === 1) batch[0]!.reject(err)
      else
        for (const w of batch) {
          try {
            const [outcome] = await db
              .transaction()
              .execute((trx) => writeBatch(trx, mailer, publicUrl, [w.signature]))
            w.resolve(outcome!)
          } catch (one) {
            w.reject(one)
          }
        }
    }
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch: Waiting[] = []
      const rest: Waiting[] = []
      for (const w of queue) {
        if (batch.length < MAX_BATCH && !busy.has(w.mailbox)) batch.push(w)
        else rest.push(w)
      }
      if (batch.length === 0) return
      queue = rest
      const mailboxes = new Set(batch.map((w) => w.mailbox))
      for (const m of mailboxes) busy.add(m)
      inFlight++
      void write(batch).finally(() => {
        for (const m of mailboxes) busy.delete(m)
        inFlight--
        pump()
      })
    }
  }

  return {
    submit(signature) {
      return new Promise<BatchOutcome>((resolve, reject) => {
        const mailbox = `${signature.petitionId}\n${signature.canonicalEmail}`
        queue.push({ signature, mailbox, resolve, reject })
        if (!scheduled) {
          scheduled = true
          // The next turn of the event loop: requests already parsed join the same batch.
          setImmediate(() => {
            scheduled = false
            pump()
          })
        }
      })
    },
  }
}

/**
 * Writes a batch in the caller's transaction and returns each signature's outcome, in order.
 * Exported for the tests that check the duplicate rule inside one batch.
 */
export async function writeBatch(
  trx: DbOrTrx,
  mailer: Mailer,
  publicUrl: string,
  batch: readonly QueuedSignature[],
  /** Sponsors sign before publication, through their checked sponsor link, one at a time. */
  sponsoring = false,
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = batch.map(() => 'accepted')
  // The petition may have closed since the signer's request was checked: look again, inside,
  // in the same round trip as every signature already made with these mailboxes.
  const petitions = new Map<number, { action: string } | BatchOutcome>()
  const existing = new Map<string, ExistingSignature[]>()
  const byPetition = new Map<number, Set<string>>()
  for (const s of batch) {
    let set = byPetition.get(s.petitionId)
    if (!set) {
      set = new Set()
      byPetition.set(s.petitionId, set)
    }
    set.add(s.canonicalEmail)
  }
  for (const [id, emails] of byPetition) {
    const found = await findPetitionAndSignaturesByEmails(trx, id, [...emails])
    const p = found.petition
    if (p?.source !== 'local' || ['hidden', 'rejected', 'stopped'].includes(p.state))
      petitions.set(id, 'not-found')
    else if (!(sponsoring ? inStates(p.state as PetitionState, SIGNABLE_STATES) : p.state === 'open'))
      petitions.set(id, 'closed')
    else {
      petitions.set(id, { action: p.action })
      for (const e of found.existing) {
        const key = `${id}\n${e.canonicalEmail}`
        existing.set(key, [...(existing.get(key) ?? []), e])
      }
    }
  }

  // The duplicate rule in arrival order; a signature new in this batch gets a placeholder id
  // (−1 − its insert index) so a later twin in the same batch is answered "already signed".
  const inserts: { index: number; signature: QueuedSignature }[] = []
  const reminders: { index: number; existingId: number | null }[] = []
  batch.forEach((s, index) => {
    const petition = petitions.get(s.petitionId)
    if (typeof petition === 'string') {
      outcomes[index] = petition
      return
    }
    const key = `${s.petitionId}\n${s.canonicalEmail}`
    const list = existing.get(key) ?? []
    const decision = decideDuplicate({ name: s.name, postcode: s.postcode }, list)
    if (decision.kind === 'new') {
      existing.set(key, [...list, { id: -1 - inserts.length, name: s.name, postcode: s.postcode }])
      inserts.push({ index, signature: s })
    } else reminders.push({ index, existingId: decision.existingId })
  })

  const ids = await insertSignatures(
    trx,
    inserts.map(({ signature }) => ({ ...signature, createdAt: signature.now })),
  )
  const mails: MailMessage[] = []
  const insertedIds: (number | null)[] = []
  const claimed = new Set<string>()
  for (const { index, signature: s } of inserts) {
    const key = signatureKey(s.petitionId, s.canonicalEmail, s.name)
    const id = ids.get(key)
    if (id === undefined || claimed.has(key)) {
      // A simultaneous twin won the unique index: answered like any duplicate.
      insertedIds.push(null)
      reminders.push({ index, existingId: null })
      continue
    }
    claimed.add(key)
    insertedIds.push(id)
    const petition = petitions.get(s.petitionId) as { action: string }
    mails.push({
      to: s.email.trim(),
      template: 'petitions-confirm-signature',
      language: s.language,
      data: {
        action: petition.action,
        link: `${publicUrl}${s.language === 'cy' ? '/cy' : ''}/petitions/${s.petitionId}/signatures/${id}/confirm?token=${s.rawToken}`,
      },
    })
  }

  // Already signed: a silent reminder, at most MAX_EMAILS_PER_ADDRESS per signature.
  for (const { index, existingId } of reminders) {
    const s = batch[index]!
    let id = existingId !== null && existingId < 0 ? insertedIds[-1 - existingId]! : existingId
    id ??= (await findSignaturesByEmail(trx, s.petitionId, s.canonicalEmail))[0]?.id ?? null
    if (id === null || !(await claimEmailAllowance(trx, id, MAX_EMAILS_PER_ADDRESS))) continue
    const petition = petitions.get(s.petitionId) as { action: string }
    mails.push({
      to: s.email.trim(),
      template: 'petitions-already-signed',
      language: s.language,
      data: {
        action: petition.action,
        link: `${publicUrl}${s.language === 'cy' ? '/cy' : ''}/petitions/${s.petitionId}`,
      },
    })
  }

  // The emails join the same transaction: a signer is told "check your email" only once both
  // the signature and its email are committed.
  const now = batch[batch.length - 1]?.now ?? new Date()
  if (mailer.sendMany) await mailer.sendMany(trx, mails, now)
  else for (const m of mails) await mailer.send(trx, m, now)
  return outcomes
}
