import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../../../platform/db/database.js'
import type { Mailer } from '../../../platform/mail/mail.js'
import type { Limiter } from '../../../platform/security/limiter.js'
import type { Services } from '../../../platform/services.js'
import { CONFIG_TTL_MS, perOwner, type TtlCache, ttlCache } from '../cache.js'
import { countryName } from '../domain/countries.js'
import { type FraudRule, fraudVerdict } from '../domain/fraud.js'
import {
  applyCount,
  inStates,
  type PetitionRules,
  SIGNABLE_STATES,
  sponsorConfirmed,
  validatePetition,
} from '../domain/petition.js'
import {
  canonicalEmail,
  normalisePostcode,
  type SignatureInput,
  type SignatureProblem,
  validateSignature,
} from '../domain/signature.js'
import { loadPetitionSettings, type PetitionSettings } from '../settings.js'
import { listFraudRules } from '../store/fraud-store.js'
import {
  findPetitionById,
  type Petition,
  recordPetitionEvent,
  sponsorTokenMatches,
} from '../store/petition-store.js'
import {
  bumpCount,
  bumpPetitionCount,
  confirmSignature,
  countValidatedSupporters,
  findArea,
  setSignatureArea,
} from '../store/signature-store.js'
import { type QueuedSignature, signatureWriter, writeBatch } from './signature-batch.js'

export interface SignDeps {
  readonly db: Db
  readonly mailer: Mailer
  readonly limiter: Limiter
  readonly publicUrl: string
  readonly rules: PetitionRules
  readonly allowPlusAddresses: boolean
  readonly dialect?: 'sqlite' | 'postgres'
}

/** The council's petition settings change rarely: read at most once per CONFIG_TTL_MS. */
const settingsCache = perOwner<Db, PetitionSettings>(CONFIG_TTL_MS)

/** The signing dependencies with the council's current petition settings. */
export async function loadSignDeps(services: Services): Promise<SignDeps> {
  const settings = await settingsCache(services.db, () => loadPetitionSettings(services.db))
  return {
    db: services.db,
    mailer: services.mailer,
    limiter: services.limiter,
    publicUrl: services.config.publicUrl,
    rules: settings,
    allowPlusAddresses: settings.allowPlusAddresses,
    dialect: services.dialect,
  }
}

export interface SignRequest {
  readonly petitionId: number
  readonly fields: SignatureInput
  readonly ip: string | null
  readonly language: string
  readonly assurance: string
  readonly referrer?: string | null
  readonly campaign?: string | null
  /** The secret of the creator's sponsor link: needed while the petition is not yet published. */
  readonly sponsorToken?: string | null
}

/**
 * What the signer is told. A new signature and a duplicate both give `accepted` ("check your
 * email"), so the form cannot be used to find out whether someone has signed.
 */
export type SignOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'invalid'; readonly problems: readonly SignatureProblem[] }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'closed' }

/**
 * Rate limits per IP per petition (anchors §1c): more than one in 60 s, or five in 300 s, and the
 * signature is silently marked fraudulent — its link then never makes it count. The same happens
 * to signatures from the block list; the allow list skips the limits.
 */
export const SIGNATURE_RATE_LIMITS = [
  { max: 1, windowMs: 60_000 },
  { max: 5, windowMs: 300_000 },
] as const

function hashToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex')
}

/** Open petitions seen recently, per database: the batch looks again inside its transaction. */
const openPetitions = new WeakMap<Db, TtlCache<Petition>>()

async function findSignable(db: Db, id: number): Promise<Petition | undefined> {
  let cache = openPetitions.get(db)
  if (!cache) {
    cache = ttlCache<Petition>(CONFIG_TTL_MS, 1000)
    openPetitions.set(db, cache)
  }
  const cached = cache.get(String(id))
  if (cached) return cached
  const petition = await findPetitionById(db, id)
  // Only an open petition is remembered: one that has just opened is never refused from a cache.
  if (petition?.source === 'local' && petition.state === 'open') cache.set(String(id), petition)
  return petition
}

/** The block and allow lists change rarely; a change made in this process is seen at once. */
const fraudRules = perOwner<Db, FraudRule[]>(CONFIG_TTL_MS)

export async function signPetition(deps: SignDeps, req: SignRequest, now: Date): Promise<SignOutcome> {
  const petition = await findSignable(deps.db, req.petitionId)
  if (
    petition?.source !== 'local' ||
    petition.state === 'hidden' ||
    petition.state === 'rejected' ||
    petition.state === 'stopped'
  ) {
    return { kind: 'not-found' }
  }
  if (!inStates(petition.state, SIGNABLE_STATES)) return { kind: 'closed' }
  if (petition.state !== 'open') {
    // Before publication only holders of the sponsor link may sign, and only up to the maximum.
    if (!(await sponsorTokenMatches(deps.db, petition.id, req.sponsorToken ?? '')))
      return { kind: 'not-found' }
    if ((await countValidatedSupporters(deps.db, petition.id)) >= deps.rules.maxSponsors)
      return { kind: 'closed' }
  }
  const problems = validateSignature(req.fields, { allowPlusAddresses: deps.allowPlusAddresses })
  if (problems.length > 0) return { kind: 'invalid', problems }

  const postcode =
    req.fields.country === 'GB' ? normalisePostcode(req.fields.postcode)! : req.fields.postcode.trim()
  const canonical = canonicalEmail(req.fields.email)
  const rules = await fraudRules(deps.db, () => listFraudRules(deps.db))
  const verdict = fraudVerdict(rules, req.ip, canonical)
  let overLimit = verdict === 'blocked'
  if (req.ip && verdict === 'normal') {
    for (const [i, l] of SIGNATURE_RATE_LIMITS.entries()) {
      const hit = await deps.limiter.hit(
        `petition-sign:${i}:${req.petitionId}:${req.ip}`,
        l.max,
        l.windowMs,
        now.getTime(),
      )
      if (!hit.allowed) overLimit = true
    }
  }
  const raw = randomBytes(24).toString('base64url')
  const signature: QueuedSignature = {
    petitionId: petition.id,
    name: req.fields.name,
    email: req.fields.email,
    canonicalEmail: canonical,
    country: req.fields.country,
    postcode,
    state: overLimit ? 'fraudulent' : 'pending',
    assuranceLevel: req.assurance,
    notify: req.fields.notify,
    creator: false,
    ip: req.ip,
    referrer: req.referrer?.slice(0, 500) ?? null,
    campaign: req.campaign?.slice(0, 200) ?? null,
    language: req.language,
    tokenHash: hashToken(raw),
    rawToken: raw,
    now,
  }
  // Open petitions (the surge) go through the group commit; sponsors sign one by one.
  const outcome =
    petition.state === 'open'
      ? await signatureWriter(deps.db, deps.mailer, deps.publicUrl, deps.dialect).submit(signature)
      : (
          await deps.db
            .transaction()
            .execute((trx) => writeBatch(trx, deps.mailer, deps.publicUrl, [signature], true))
        )[0]!
  return { kind: outcome }
}

/**
 * The emailed link was followed: the signature is validated and counted in the same transaction
 * — petition total, country, area, region and assurance level — and the thresholds and sponsor
 * gate are re-evaluated. Returns false for a wrong, used or shadow-banned link.
 */
export async function confirmPetitionSignature(
  deps: Pick<SignDeps, 'db' | 'rules' | 'mailer' | 'publicUrl'>,
  input: { petitionId: number; signatureId: number; token: string },
  now: Date,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const sig = await confirmSignature(trx, input.signatureId, hashToken(input.token), now)
    if (!sig || sig.petitionId !== input.petitionId) return false
    const count = await bumpPetitionCount(trx, sig.petitionId, 1, now)
    await bumpCount(trx, sig.petitionId, 'country', sig.country, countryName(sig.country, 'en'), 1)
    await bumpCount(trx, sig.petitionId, 'assurance', sig.assuranceLevel, sig.assuranceLevel, 1)
    if (sig.country === 'GB') {
      const area = await findArea(trx, sig.postcode)
      if (area) {
        await setSignatureArea(trx, sig.id, area.areaCode)
        await bumpCount(trx, sig.petitionId, 'area', area.areaCode, area.areaName, 1)
        if (area.regionCode)
          await bumpCount(
            trx,
            sig.petitionId,
            'region',
            area.regionCode,
            area.regionName ?? area.regionCode,
            1,
          )
      }
    }
    const petition = await findPetitionById(trx, sig.petitionId)
    if (!petition) return true
    let next = applyCount(petition, count, deps.rules, now)
    if (sig.creator && petition.state === 'pending') {
      // The creator proved their address: the petition may now gather supporters.
      next = validatePetition(next)
      const raw = randomBytes(24).toString('base64url')
      await trx
        .updateTable('petitions')
        .set({ sponsor_token_hash: hashToken(raw) })
        .where('id', '=', petition.id)
        .execute()
      const prefix = `${deps.publicUrl}${petition.language === 'cy' ? '/cy' : ''}`
      await deps.mailer.send(
        trx,
        {
          to: petition.creatorEmail ?? '',
          template: 'petitions-sponsor-link',
          language: petition.language,
          data: {
            action: petition.action,
            link: `${prefix}/petitions/${petition.id}/sponsor?token=${raw}`,
            minSponsors: deps.rules.minSponsors,
          },
        },
        now,
      )
    } else if (!sig.creator && (petition.state === 'pending' || petition.state === 'validated')) {
      next = sponsorConfirmed(next, await countValidatedSupporters(trx, petition.id), deps.rules, now)
    }
    const changed =
      next.state !== petition.state ||
      next.responseThresholdReachedAt !== petition.responseThresholdReachedAt ||
      next.debateThresholdReachedAt !== petition.debateThresholdReachedAt
    if (changed) {
      await trx
        .updateTable('petitions')
        .set({
          state: next.state,
          moderation_threshold_reached_at: next.moderationThresholdReachedAt,
          response_threshold_reached_at: next.responseThresholdReachedAt,
          debate_threshold_reached_at: next.debateThresholdReachedAt,
        })
        .where('id', '=', petition.id)
        .execute()
      if (next.state !== petition.state)
        await recordPetitionEvent(trx, petition.id, `state.${next.state}`, now)
      if (next.responseThresholdReachedAt && !petition.responseThresholdReachedAt)
        await recordPetitionEvent(trx, petition.id, 'threshold.response', now, { count })
      if (next.debateThresholdReachedAt && !petition.debateThresholdReachedAt)
        await recordPetitionEvent(trx, petition.id, 'threshold.debate', now, { count })
    }
    return true
  })
}
