import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { detectLanguage } from './language.js'

// Written for these tests; none of these sentences is in the detector's sample text.
const ENGLISH = [
  'Thanks so much for your help today!',
  'When are the bins collected on our street?',
  'The bus was late again this morning',
  'Can someone please fix the street light by the school',
  'Really enjoyed the festival in the park, well done everyone',
  'Why has the library opening time changed?',
  'Absolutely disgusting state of the toilets at the station',
  '@user omg thats sooo funny 😂😂',
  'New Welsh-medium school opens in Pontypridd #education',
  'Road closure on the A470 until Friday',
  'I support the petition to save our swimming pool',
  'Who do I talk to about a noisy neighbour?',
]

const WELSH = [
  'Diolch yn fawr am eich help heddiw!',
  'Pryd mae’r biniau’n cael eu casglu ar ein stryd ni?',
  'Roedd y bws yn hwyr eto bore ’ma',
  'Allai rhywun drwsio golau’r stryd ger yr ysgol os gwelwch yn dda',
  'Mwynheais yr ŵyl yn y parc yn fawr, da iawn bawb',
  'Pam mae amser agor y llyfrgell wedi newid?',
  'Mae cyflwr y toiledau yn yr orsaf yn ofnadwy',
  'Ysgol Gymraeg newydd yn agor ym Mhontypridd #addysg',
  'Bydd y ffordd ar gau tan ddydd Gwener',
  'Rwy’n cefnogi’r ddeiseb i achub ein pwll nofio',
  'Gyda phwy ddylwn i siarad am gymydog swnllyd?',
  'Bore da bawb',
]

describe('detectLanguage', () => {
  for (const text of ENGLISH) {
    it(`English: ${text}`, () => {
      const g = detectLanguage(text)
      assert.equal(g.language, 'en', JSON.stringify(g))
      assert.ok(g.confidence >= 0.6)
    })
  }

  for (const text of WELSH) {
    it(`Welsh: ${text}`, () => {
      const g = detectLanguage(text)
      assert.equal(g.language, 'cy', JSON.stringify(g))
      assert.ok(g.confidence >= 0.6)
    })
  }

  it('answers und for text without enough letters', () => {
    for (const text of ['', '👍👍', '12345 !!!', 'ok', 'https://example.org']) {
      assert.equal(detectLanguage(text).language, 'und', text)
    }
  })

  it('answers und for other languages instead of forcing English or Welsh', () => {
    for (const text of [
      'Le conseil municipal est fermé aujourd’hui',
      'Die Straße ist bis Freitag gesperrt',
      'El ayuntamiento cierra la biblioteca',
      'Tá an leabharlann dúnta inniu',
    ]) {
      const g = detectLanguage(text)
      assert.equal(g.language, 'und', `${text}: ${JSON.stringify(g)}`)
      assert.ok(g.closest !== 'en' && g.closest !== 'cy')
    }
  })

  it('flags bilingual posts', () => {
    const g = detectLanguage(
      'The road is closed today because of flooding.\nMae’r ffordd ar gau heddiw oherwydd llifogydd.',
    )
    assert.equal(g.bilingual, true)
    assert.ok(g.language === 'en' || g.language === 'cy')
    assert.equal(detectLanguage('Thanks so much for your help today!').bilingual, false)
  })

  it('gives probabilities that add up to one', () => {
    const { scores } = detectLanguage('Croeso i Gaerdydd')
    assert.ok(Math.abs(scores.en + scores.cy + scores.other - 1) < 0.01)
    assert.ok(scores.cy > scores.en)
  })
})
