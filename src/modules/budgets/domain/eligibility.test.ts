import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  eligibility,
  normaliseAreaEntry,
  normaliseCensusCode,
  normalisePostcode,
  parseArea,
  parseCensusList,
  postcodeInArea,
} from './eligibility.js'

describe('postcodes and areas', () => {
  it('normalises UK postcodes and refuses what is not one', () => {
    assert.equal(normalisePostcode(' sa43 1ab '), 'SA43 1AB')
    assert.equal(normalisePostcode('CF101AA'), 'CF10 1AA')
    assert.equal(normalisePostcode('w1a 0ax'), 'W1A 0AX')
    assert.equal(normalisePostcode('EC1A-1BB'), 'EC1A 1BB')
    for (const bad of ['', 'SA43', '12345', 'SA43 1A', 'hello world'])
      assert.equal(normalisePostcode(bad), null, bad)
  })

  it('reads areas, districts and sectors, and lists what it does not understand', () => {
    assert.equal(normaliseAreaEntry('sa'), 'SA')
    assert.equal(normaliseAreaEntry('sa43'), 'SA43')
    assert.equal(normaliseAreaEntry('sa46  0'), 'SA46 0')
    assert.deepEqual(parseArea('SA43, sa44;\nSA46 0, SA43, W05001234, ,'), {
      entries: ['SA43', 'SA44', 'SA46 0'],
      invalid: ['W05001234'],
    })
  })

  it('matches a postcode against its area, district or sector, and an empty area everywhere', () => {
    assert.equal(postcodeInArea('SA43 1AB', ['SA43']), true)
    assert.equal(postcodeInArea('SA43 1AB', ['SA']), true)
    assert.equal(postcodeInArea('SA43 1AB', ['SA43 1']), true)
    assert.equal(postcodeInArea('SA43 2AB', ['SA43 1']), false)
    assert.equal(postcodeInArea('SA431 1AB'.replace('1 ', ' '), ['SA4']), false, 'SA4 is not SA43')
    assert.equal(postcodeInArea('S1 2AB', ['SA']), false, 'S is not SA')
    assert.equal(postcodeInArea('CF10 1AA', []), true)
  })
})

describe('who may vote', () => {
  const residents = { voterRule: 'residents' as const, area: ['SA43', 'SA44'] }
  const census = { voterRule: 'census' as const, area: [] }
  const either = { voterRule: 'residents-or-census' as const, area: ['SA45'] }
  const citizen = (postcode: string | null, assurance: 'none' | 'email-verified' = 'email-verified') =>
    ({ kind: 'citizen', assurance, postcode }) as const

  it('residents: an email-verified citizen with a postcode in the area', () => {
    assert.deepEqual(eligibility(residents, citizen('SA43 1AB')), { eligible: true, via: 'residence' })
    assert.deepEqual(eligibility(residents, citizen('SA45 1AB')), { eligible: false, reason: 'outside-area' })
    assert.deepEqual(eligibility(residents, citizen(null)), { eligible: false, reason: 'postcode-needed' })
    assert.deepEqual(eligibility(residents, citizen('SA43 1AB', 'none')), {
      eligible: false,
      reason: 'not-verified',
    })
    assert.deepEqual(eligibility(residents, { kind: 'anonymous' }), { eligible: false, reason: 'sign-in' })
    assert.deepEqual(eligibility(residents, { kind: 'census' }), { eligible: false, reason: 'sign-in' })
  })

  it('census: only a code', () => {
    assert.deepEqual(eligibility(census, { kind: 'census' }), { eligible: true, via: 'census' })
    assert.deepEqual(eligibility(census, citizen('SA43 1AB')), {
      eligible: false,
      reason: 'census-code-needed',
    })
  })

  it('residents or census: either way', () => {
    assert.deepEqual(eligibility(either, { kind: 'census' }), { eligible: true, via: 'census' })
    assert.deepEqual(eligibility(either, citizen('SA45 9ZZ')), { eligible: true, via: 'residence' })
  })
})

describe('census lists', () => {
  it('reads one code a line or a CSV with a code column, skipping repeats and naming bad lines', () => {
    assert.equal(normaliseCensusCode(' ab-12 cd '), 'AB12CD')
    assert.deepEqual(parseCensusList('AB12CD\nab12cd\nXY99ZZ\n\n!!\nabc\n'), {
      codes: ['AB12CD', 'XY99ZZ'],
      duplicates: 1,
      invalid: [5, 6],
    })
    assert.deepEqual(parseCensusList('\uFEFFname,code\r\nAnn,"K7-Q2-M4"\r\nBob,Z8X1Y3\r\n').codes, [
      'K7Q2M4',
      'Z8X1Y3',
    ])
  })
})
