import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  applyCount,
  closePetition,
  DEFAULT_RULES,
  deadlineFor,
  isPastDeadline,
  moderationFacet,
  PETITION_STATES,
  type PetitionLifecycle,
  type PetitionState,
  PetitionStateError,
  publishPetition,
  rejectPetition,
  sponsorConfirmed,
  stopPetition,
  validatePetition,
  validatePetitionText,
} from '../domain/petition.js'
import { canonicalEmail, decideDuplicate, normalisePostcode, validateSignature } from '../domain/signature.js'

const now = new Date('2026-03-01T10:00:00Z')

function petitionIn(state: PetitionState, count = 0): PetitionLifecycle {
  return {
    state,
    signatureCount: count,
    createdAt: '2026-01-01T00:00:00.000Z',
    openedAt: null,
    closedAt: null,
    deadlineAt: null,
    rejectedAt: null,
    moderationThresholdReachedAt: null,
    responseThresholdReachedAt: null,
    debateThresholdReachedAt: null,
  }
}

/** Every transition, the states it accepts, and a check of its result. */
const TRANSITIONS: readonly {
  name: string
  from: readonly PetitionState[]
  run: (p: PetitionLifecycle) => PetitionLifecycle
  to: PetitionState
}[] = [
  { name: 'validate', from: ['pending'], run: (p) => validatePetition(p), to: 'validated' },
  { name: 'publish', from: ['sponsored'], run: (p) => publishPetition(p, DEFAULT_RULES, now), to: 'open' },
  {
    name: 'reject',
    from: ['sponsored', 'open', 'rejected', 'hidden'],
    run: (p) => rejectPetition(p, false, now),
    to: 'rejected',
  },
  { name: 'close', from: ['open'], run: (p) => closePetition(p, now), to: 'closed' },
  {
    name: 'stop',
    from: ['pending', 'validated', 'sponsored'],
    run: (p) => stopPetition(p, now),
    to: 'stopped',
  },
]

describe('petition lifecycle', () => {
  for (const t of TRANSITIONS) {
    for (const state of PETITION_STATES) {
      const allowed = t.from.includes(state)
      it(`${t.name} ${allowed ? 'moves' : 'refuses'} a ${state} petition`, () => {
        if (allowed) {
          assert.equal(t.run(petitionIn(state)).state, t.to)
        } else {
          assert.throws(
            () => t.run(petitionIn(state)),
            (err: unknown) => err instanceof PetitionStateError && err.from === state,
          )
        }
      })
    }
  }

  it('opens for six months, to the end of the day', () => {
    const open = publishPetition(petitionIn('sponsored'), DEFAULT_RULES, now)
    assert.equal(open.openedAt, now.toISOString())
    assert.equal(open.deadlineAt, '2026-09-01T23:59:59.999Z')
    assert.equal(isPastDeadline(open, new Date('2026-09-01T23:00:00Z')), false)
    assert.equal(isPastDeadline(open, new Date('2026-09-02T00:00:00Z')), true)
    assert.equal(deadlineFor(new Date('2026-08-31T12:00:00Z'), 6).toISOString(), '2027-03-03T23:59:59.999Z')
  })

  it('goes to moderation with five supporters, not four', () => {
    const p = validatePetition(petitionIn('pending'))
    assert.equal(sponsorConfirmed(p, 4, DEFAULT_RULES, now).state, 'validated')
    const s = sponsorConfirmed(p, 5, DEFAULT_RULES, now)
    assert.equal(s.state, 'sponsored')
    assert.equal(s.moderationThresholdReachedAt, now.toISOString())
    assert.equal(
      sponsorConfirmed(s, 6, DEFAULT_RULES, new Date()).moderationThresholdReachedAt,
      now.toISOString(),
    )
  })

  it('hides the petition for hidden rejection reasons', () => {
    assert.equal(rejectPetition(petitionIn('sponsored'), true, now).state, 'hidden')
  })

  it('sets thresholds at 10,000 and 100,000 and reverses them when invalidations take the count back', () => {
    const rules = DEFAULT_RULES
    let p = applyCount(petitionIn('open'), 9_999, rules, now)
    assert.equal(p.responseThresholdReachedAt, null)
    p = applyCount(p, 10_000, rules, now)
    assert.equal(p.responseThresholdReachedAt, now.toISOString())
    p = applyCount(p, 10_500, rules, new Date('2026-04-01T00:00:00Z'))
    assert.equal(p.responseThresholdReachedAt, now.toISOString(), 'the first time it was reached is kept')
    p = applyCount(p, 100_000, rules, now)
    assert.equal(p.debateThresholdReachedAt, now.toISOString())
    p = applyCount(p, 99_999, rules, now)
    assert.equal(p.debateThresholdReachedAt, null)
    assert.notEqual(p.responseThresholdReachedAt, null)
    p = applyCount(p, 9_000, rules, now)
    assert.equal(p.responseThresholdReachedAt, null)
    const council = { ...rules, debateThreshold: 1_500 }
    assert.notEqual(applyCount(petitionIn('open'), 1_500, council, now).debateThresholdReachedAt, null)
  })

  it('marks the moderation queue nearly overdue at 11 days and overdue at 14', () => {
    const at = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString()
    assert.equal(moderationFacet(at(10.9), DEFAULT_RULES, now), 'recent')
    assert.equal(moderationFacet(at(11), DEFAULT_RULES, now), 'nearly-overdue')
    assert.equal(moderationFacet(at(14), DEFAULT_RULES, now), 'overdue')
  })

  it('limits the creator’s text and refuses formulas', () => {
    assert.deepEqual(
      validatePetitionText({ action: 'Fix the bridge', background: 'It is broken.', additionalDetails: '' }),
      [],
    )
    const problems = validatePetitionText({
      action: 'x'.repeat(81),
      background: '=HYPERLINK("x")',
      additionalDetails: 'y'.repeat(801),
    })
    assert.deepEqual(
      problems.map((p) => `${p.field}:${p.code}`),
      ['action:too-long', 'background:formula', 'additionalDetails:too-long'],
    )
    assert.deepEqual(
      validatePetitionText({ action: ' ', background: '', additionalDetails: '' }).map((p) => p.code),
      ['required', 'required'],
    )
  })
})

describe('signatures', () => {
  it('canonicalises emails per domain', () => {
    assert.equal(canonicalEmail(' J.Smith+petitions@GoogleMail.com '), 'jsmith@gmail.com')
    assert.equal(canonicalEmail('j.smith+x@example.org'), 'j.smith@example.org')
  })

  it('validates and formats UK postcodes', () => {
    assert.equal(normalisePostcode('sw1a1aa'), 'SW1A 1AA')
    assert.equal(normalisePostcode('CF10 1EP'), 'CF10 1EP')
    assert.equal(normalisePostcode('GIR0AA'), 'GIR 0AA')
    assert.equal(normalisePostcode('12345'), null)
    assert.equal(normalisePostcode('QQ1 1AA'), null)
  })

  const ok = {
    name: 'Ann Jones',
    email: 'ann@example.org',
    country: 'GB',
    postcode: 'CF10 1EP',
    declaration: true,
    notify: false,
  }
  it('accepts a good signature and names each bad field', () => {
    assert.deepEqual(validateSignature(ok, { allowPlusAddresses: false }), [])
    const bad = validateSignature(
      {
        name: 'x'.repeat(10_000),
        email: 'not-an-email',
        country: 'GB',
        postcode: 'nowhere',
        declaration: false,
        notify: false,
      },
      { allowPlusAddresses: false },
    )
    assert.deepEqual(
      bad.map((p) => `${p.field}:${p.code}`),
      ['name:too-long', 'email:invalid', 'postcode:invalid', 'declaration:required'],
    )
    assert.deepEqual(validateSignature({ ...ok, name: 'www.spam.com' }, { allowPlusAddresses: false })[0], {
      field: 'name',
      code: 'url',
    })
    assert.deepEqual(
      validateSignature({ ...ok, name: '=cmd|" /C calc"!A0' }, { allowPlusAddresses: false })[0],
      { field: 'name', code: 'formula' },
    )
    assert.deepEqual(
      validateSignature({ ...ok, email: 'ann+x@example.org' }, { allowPlusAddresses: false })[0],
      { field: 'email', code: 'plus-address' },
    )
    assert.deepEqual(
      validateSignature({ ...ok, email: 'ann+x@example.org' }, { allowPlusAddresses: true }),
      [],
    )
    assert.deepEqual(
      validateSignature({ ...ok, country: 'FR', postcode: '' }, { allowPlusAddresses: false }),
      [],
    )
  })

  it('allows a second signature from one email only with another name and the same postcode', () => {
    const first = { id: 1, name: 'Ann Jones', postcode: 'CF10 1EP' }
    assert.deepEqual(decideDuplicate({ name: 'Ann Jones', postcode: 'CF10 1EP' }, []), { kind: 'new' })
    assert.deepEqual(decideDuplicate({ name: 'ann jones ', postcode: 'CF10 1EP' }, [first]), {
      kind: 'already-signed',
      existingId: 1,
    })
    assert.deepEqual(decideDuplicate({ name: 'Bob Jones', postcode: 'cf101ep' }, [first]), { kind: 'new' })
    assert.deepEqual(decideDuplicate({ name: 'Bob Jones', postcode: 'SW1A 1AA' }, [first]), {
      kind: 'already-signed',
      existingId: 1,
    })
    const second = { id: 2, name: 'Bob Jones', postcode: 'CF10 1EP' }
    assert.deepEqual(decideDuplicate({ name: 'Cat Jones', postcode: 'CF10 1EP' }, [first, second]), {
      kind: 'already-signed',
      existingId: 1,
    })
  })
})
