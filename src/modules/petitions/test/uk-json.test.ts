import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, enableModules, type TestApp } from '../../../../test/support/app.js'
import { dialectLabel, TEST_DIALECTS } from '../../../../test/support/db.js'
import { run } from '../../../../test/support/process.js'
import { ROOT } from '../../../platform/paths.js'
import { importUkCommand, importUkPetition } from '../commands/import-uk.js'
import { parseUkPetition, UkPetitionFormatError } from '../interop/uk-json.js'

const DATA = join(ROOT, '..', 'shared', 'data', 'uk-petitions')
const HAVE_DATA = existsSync(DATA)
const MISSING = `UK petition files not found at ${DATA}: round trip skipped`
if (!HAVE_DATA) console.log(MISSING)

type Area = { name: string; signature_count: number; code?: string; ons_code?: string; mp?: string | null }
const byCode = (list: Area[] | undefined) =>
  [...(list ?? [])].sort((a, b) => String(a.code ?? a.ons_code).localeCompare(String(b.code ?? b.ons_code)))

describe('petition.parliament.uk JSON', () => {
  it('names the file and the path of a bad field', () => {
    const bad = (attrs: Record<string, unknown>) => ({
      data: {
        type: 'petition',
        id: 1,
        attributes: { action: 'A', state: 'closed', signature_count: 1, ...attrs },
      },
    })
    assert.throws(() => parseUkPetition({}, 'x.json'), /x\.json: data is missing/)
    assert.throws(
      () => parseUkPetition(bad({ signature_count: -1 }), 'x.json'),
      /data\.attributes\.signature_count must be a whole number/,
    )
    assert.throws(
      () => parseUkPetition(bad({ state: 'banana' }), 'x.json'),
      /"banana" is not a petition state/,
    )
    assert.throws(
      () =>
        parseUkPetition(
          bad({ signatures_by_country: [{ name: 'Wales', code: 'GB-WLS', signature_count: 'many' }] }),
          'x.json',
        ),
      (err: unknown) =>
        err instanceof UkPetitionFormatError &&
        err.path === 'data.attributes.signatures_by_country[0].signature_count',
    )
  })
})

for (const dialect of TEST_DIALECTS) {
  describe(`round trip of the real UK petition files on ${dialectLabel(dialect)}`, {
    skip: HAVE_DATA ? false : MISSING,
  }, () => {
    let t: TestApp
    before(async () => {
      t = await buildTestApp(dialect)
      await enableModules(t.services, ['petitions'])
    })
    after(async () => {
      await t.close()
    })

    for (const file of HAVE_DATA
      ? readdirSync(DATA)
          .filter((f) => f.endsWith('.json'))
          .sort()
      : []) {
      it(`${file}: import, then GET /petitions/:id.json gives back the same petition and counts`, async () => {
        const original = JSON.parse(readFileSync(join(DATA, file), 'utf8'))
        const id = await t.services.db
          .transaction()
          .execute((trx) => importUkPetition(trx, parseUkPetition(original, file), new Date()))
        const res = await t.app.inject(`/petitions/${id}.json`)
        assert.equal(res.statusCode, 200)
        assert.equal(res.headers['access-control-allow-origin'], '*')
        const back = res.json()
        const a = original.data.attributes
        const b = back.data.attributes
        assert.equal(back.data.type, 'petition')
        assert.equal(back.data.id, id)
        assert.equal(b.action, a.action)
        assert.equal(b.state, a.state)
        assert.equal(b.signature_count, a.signature_count)
        assert.deepEqual(byCode(b.signatures_by_country), byCode(a.signatures_by_country))
        assert.deepEqual(byCode(b.signatures_by_constituency), byCode(a.signatures_by_constituency))
        assert.deepEqual(byCode(b.signatures_by_region), byCode(a.signatures_by_region))
        assert.equal(b.background, a.background)
        assert.equal(b.government_response?.summary, a.government_response?.summary)
        const count = await t.app.inject(`/petitions/${id}/count.json`)
        assert.equal(count.json().signature_count, a.signature_count)
      })
    }

    it('lists petitions in pages with links, filtered by state and searched by q', async () => {
      const res = await t.app.inject('/petitions.json?state=closed&count=2')
      assert.equal(res.statusCode, 200)
      const body = res.json()
      assert.equal(body.data.length, 2)
      assert.ok(body.data.every((p: { attributes: { state: string } }) => p.attributes.state === 'closed'))
      assert.ok(body.data[0].attributes.signature_count >= body.data[1].attributes.signature_count)
      assert.match(body.links.next, /page=2/)
      assert.equal(body.links.prev, null)
      const search = (await t.app.inject('/petitions.json?q=digital%20id')).json()
      assert.equal(search.data.length, 1)
      assert.match(search.data[0].attributes.action, /Digital ID/)
      assert.equal((await t.app.inject('/petitions.json?state=banana')).statusCode, 400)
      assert.equal((await t.app.inject('/petitions/999999.json')).statusCode, 404)
    })
  })
}

describe('townsquare petitions import-uk', { skip: HAVE_DATA ? false : MISSING }, () => {
  it('imports a file and refuses a malformed one with a one-line error', async () => {
    assert.deepEqual(importUkCommand.path, ['petitions', 'import-uk'])
    const env = { DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' }
    const ok = await run(
      ['--import', 'tsx', 'src/cli.ts', 'petitions', 'import-uk', join(DATA, '653440.json'), '--json'],
      { env },
    )
    assert.equal(ok.code, 0, ok.stderr)
    assert.equal(JSON.parse(ok.stdout)[0].signatureCount, 11232)
    const bad = await run(
      ['--import', 'tsx', 'src/cli.ts', 'petitions', 'import-uk', join(ROOT, 'package.json')],
      { env },
    )
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /package\.json: data is missing/)
  })
})
