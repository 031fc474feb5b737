import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { findPlaces, Gazetteer, welshMutations } from './places.js'

const WARDS = [
  { name: 'Splott', id: 'W05001000', kind: 'ward' },
  { name: 'Canton', id: 'W05001001', kind: 'ward' },
  { name: 'Pontprennau and Old St Mellons', aliases: ['Pontprennau'], id: 'W05001002', kind: 'ward' },
]

describe('Gazetteer', () => {
  it('finds the caller’s places with their ids', () => {
    const g = new Gazetteer(WARDS)
    const found = g.find('Bins missed in Splott and canton, again in Pontprennau and Old St. Mellons')
    assert.deepEqual(
      found.map((p) => [p.name, p.id]),
      [
        ['Splott', 'W05001000'],
        ['Canton', 'W05001001'],
        ['Pontprennau and Old St Mellons', 'W05001002'],
      ],
    )
    assert.equal(found[2]!.text, 'Pontprennau and Old St. Mellons')
  })

  it('accepts plain strings', () => {
    assert.deepEqual(
      new Gazetteer(['Roath', 'Cathays']).find('From Cathays to Roath').map((p) => p.name),
      ['Cathays', 'Roath'],
    )
  })

  it('matches Welsh mutated forms only after a word that causes them', () => {
    const g = new Gazetteer([
      { name: 'Cardiff', aliases: ['Caerdydd'] },
      { name: 'Bangor' },
      { name: 'Pontypridd' },
    ])
    const found = g.find('Teithio i Gaerdydd, yng Nghaerdydd, o Fangor ac ym Mhontypridd a Phontypridd')
    assert.deepEqual(
      found.map((p) => [p.name, p.text, p.mutation]),
      [
        ['Cardiff', 'Gaerdydd', 'soft'],
        ['Cardiff', 'Nghaerdydd', 'nasal'],
        ['Bangor', 'Fangor', 'soft'],
        ['Pontypridd', 'Mhontypridd', 'nasal'],
        ['Pontypridd', 'Phontypridd', 'aspirate'],
      ],
    )
    // "Fangor" without a trigger word is not Bangor.
    assert.deepEqual(g.find('Fangor is a word'), [])
  })

  it('generates the three mutations', () => {
    assert.deepEqual(
      welshMutations('caerdydd').map((m) => `${m.mutation}:${m.form}`),
      ['soft:gaerdydd', 'nasal:nghaerdydd', 'aspirate:chaerdydd'],
    )
    assert.deepEqual(
      welshMutations('llandudno').map((m) => m.form),
      ['landudno'],
    )
    assert.deepEqual(welshMutations('chepstow'), [])
  })
})

describe('findPlaces', () => {
  it('uses the built-in UK list, with Welsh names', () => {
    const found = findPlaces('Trains from Abertawe to London and the Vale of Glamorgan')
    assert.deepEqual(
      found.map((p) => p.name),
      ['Swansea', 'London', 'Vale of Glamorgan'],
    )
  })

  it('prefers the caller’s list over the built-in one', () => {
    const found = findPlaces('Flooding in Newport', {
      gazetteer: [{ name: 'Newport', id: 'ward-7', kind: 'ward' }],
    })
    assert.equal(found.length, 1)
    assert.equal(found[0]!.id, 'ward-7')
  })

  it('finds postcodes', () => {
    const found = findPlaces('Fly-tipping behind CF10 1AA and at cf10 (not a postcode)')
    assert.deepEqual(
      found.filter((p) => p.source === 'postcode').map((p) => p.name),
      ['CF10 1AA'],
    )
  })

  it('finds streets and Welsh place names by pattern', () => {
    const found = findPlaces('Traffic on Heol y Frenhines and Queen Street, also Cowbridge Road East', {
      builtIn: false,
    })
    assert.deepEqual(
      found.map((p) => [p.name, p.source]),
      [
        ['Heol y Frenhines', 'pattern'],
        ['Queen Street', 'pattern'],
        ['Cowbridge Road East', 'pattern'],
      ],
    )
  })

  it('finds a capitalised name after "in" or "near", but not days, months or people words', () => {
    const names = findPlaces(
      'Burglaries in Adamsdown and near Grangetown on Monday. In May I met Sarah.',
    ).map((p) => p.name)
    assert.deepEqual(names, ['Adamsdown', 'Grangetown'])
  })

  it('can turn heuristics and the built-in list off', () => {
    assert.deepEqual(findPlaces('Queen Street in Cardiff', { builtIn: false, heuristics: false }), [])
  })
})
