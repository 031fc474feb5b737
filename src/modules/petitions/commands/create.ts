import { createHash, randomBytes } from 'node:crypto'
import { recordAudit } from '../../../platform/audit/audit.js'
import type { Db, DbOrTrx } from '../../../platform/db/database.js'
import { TextIndex } from '../../../platform/text/index.js'
import { fraudVerdict } from '../domain/fraud.js'
import { type PetitionTextField, type TextProblem, validatePetitionText } from '../domain/petition.js'
import {
  canonicalEmail,
  normalisePostcode,
  type SignatureField,
  type SignatureProblem,
  validateSignature,
} from '../domain/signature.js'
import { listFraudRules } from '../store/fraud-store.js'
import { insertPetition, listPetitions, newPetition, recordPetitionEvent } from '../store/petition-store.js'
import { insertSignature } from '../store/signature-store.js'
import type { SignDeps } from './sign.js'

/**
 * Petitions one IP address may start (e-petitions `RateLimit#creator_rate`: more than 2 in
 * 300 s is over). Over the limit, or from the block list, the petition is silently not saved,
 * as e-petitions' `PetitionCreator#save` does: the creator sees the usual "check your email"
 * page, so a script learns nothing. The allow list skips the limit.
 */
export const CREATOR_RATE_LIMIT = { max: 2, windowMs: 300_000 } as const

/** What the creator has typed so far, kept in their session between the wizard's pages. */
export interface PetitionDraft {
  eligible?: boolean
  action?: string
  background?: string
  additionalDetails?: string
  name?: string
  email?: string
  country?: string
  postcode?: string
  notify?: boolean
}

/**
 * The wizard's pages in order, one question each (GOV.UK pattern; e-petitions `PetitionCreator`
 * stages), ending in check-your-answers.
 */
export const WIZARD_STAGES = ['eligibility', 'action', 'background', 'details', 'creator', 'check'] as const
export type WizardStage = (typeof WIZARD_STAGES)[number]

export type DraftProblem =
  | TextProblem
  | SignatureProblem
  | { field: 'eligible'; code: 'required' | 'not-eligible' }

/** Validates the fields one stage asks for. */
export function validateStage(
  stage: WizardStage,
  draft: PetitionDraft,
  allowPlusAddresses: boolean,
): DraftProblem[] {
  const text = {
    action: draft.action ?? '',
    background: draft.background ?? '',
    additionalDetails: draft.additionalDetails ?? '',
  }
  const textFields: Partial<Record<WizardStage, PetitionTextField>> = {
    action: 'action',
    background: 'background',
    details: 'additionalDetails',
  }
  switch (stage) {
    case 'eligibility':
      if (draft.eligible === undefined) return [{ field: 'eligible', code: 'required' }]
      return draft.eligible ? [] : [{ field: 'eligible', code: 'not-eligible' }]
    case 'action':
    case 'background':
    case 'details':
      return validatePetitionText(text).filter((p) => p.field === textFields[stage])
    case 'creator': {
      const creatorFields: readonly SignatureField[] = ['name', 'email', 'country', 'postcode']
      return validateSignature(
        {
          name: draft.name ?? '',
          email: draft.email ?? '',
          country: draft.country ?? 'GB',
          postcode: draft.postcode ?? '',
          declaration: true,
          notify: false,
        },
        { allowPlusAddresses },
      ).filter((p) => creatorFields.includes(p.field))
    }
    case 'check':
      return (['eligibility', 'action', 'background', 'details', 'creator'] as const).flatMap((s) =>
        validateStage(s, draft, allowPlusAddresses),
      )
  }
}

/**
 * Open petitions like the one being written, so the creator can sign one instead of starting a
 * duplicate (e-petitions shows up to 5 before the background stage).
 */
export async function similarOpenPetitions(
  db: DbOrTrx,
  text: string,
  limit = 5,
): Promise<{ id: number; action: string; signatureCount: number; score: number }[]> {
  const { petitions } = await listPetitions(db, { states: ['open'], page: 1, pageSize: 2000 })
  if (petitions.length === 0 || text.trim() === '') return []
  const index = new TextIndex<number>()
  for (const p of petitions) index.add(p.id, `${p.action} ${p.background}`)
  const byId = new Map(petitions.map((p) => [p.id, p]))
  return index.nearest(text, { k: limit, minScore: 0.2 }).map((n) => ({
    id: n.id,
    action: byId.get(n.id)!.action,
    signatureCount: byId.get(n.id)!.signatureCount,
    score: n.score,
  }))
}

function hashToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex')
}

/**
 * Stores the petition (pending) with the creator's own signature and emails the creator a link
 * to confirm their address; confirming makes the petition `validated` and sends the sponsor link.
 */
export async function createPetition(
  deps: SignDeps & { db: Db },
  draft: PetitionDraft,
  language: string,
  ip: string | null,
  now: Date,
): Promise<{ ok: true; id: number | null } | { ok: false; problems: DraftProblem[] }> {
  const problems = validateStage('check', draft, deps.allowPlusAddresses)
  if (problems.length > 0) return { ok: false, problems }
  const verdict = fraudVerdict(await listFraudRules(deps.db), ip, canonicalEmail(draft.email!))
  if (verdict === 'blocked') return { ok: true, id: null }
  if (ip && verdict === 'normal') {
    const { max, windowMs } = CREATOR_RATE_LIMIT
    const hit = await deps.limiter.hit(`petition-create:${ip}`, max, windowMs, now.getTime())
    if (!hit.allowed) return { ok: true, id: null }
  }
  const country = draft.country ?? 'GB'
  const postcode = country === 'GB' ? normalisePostcode(draft.postcode ?? '')! : (draft.postcode ?? '').trim()
  const raw = randomBytes(24).toString('base64url')
  const id = await deps.db.transaction().execute(async (trx) => {
    const petitionId = await insertPetition(
      trx,
      newPetition(now, {
        action: draft.action!.trim(),
        background: draft.background!.trim(),
        additionalDetails: (draft.additionalDetails ?? '').trim(),
        state: 'pending',
        language,
        creatorName: draft.name!.trim(),
        creatorEmail: draft.email!.trim(),
      }),
    )
    const signatureId = await insertSignature(
      trx,
      {
        petitionId,
        name: draft.name!,
        email: draft.email!,
        canonicalEmail: canonicalEmail(draft.email!),
        country,
        postcode,
        state: 'pending',
        assuranceLevel: 'email-verified',
        notify: draft.notify ?? true,
        creator: true,
        ip,
        referrer: null,
        campaign: null,
        language,
        tokenHash: hashToken(raw),
      },
      now,
    )
    await recordPetitionEvent(trx, petitionId, 'created', now)
    await recordAudit(trx, {
      actor: { kind: 'anonymous' },
      action: 'petitions.create',
      subject: { type: 'petition', id: petitionId },
      at: now,
    })
    await deps.mailer.send(
      trx,
      {
        to: draft.email!.trim(),
        template: 'petitions-confirm-creator',
        language,
        data: {
          action: draft.action!.trim(),
          link: `${deps.publicUrl}${language === 'cy' ? '/cy' : ''}/petitions/${petitionId}/signatures/${signatureId}/confirm?token=${raw}`,
        },
      },
      now,
    )
    return petitionId
  })
  return { ok: true, id }
}
