/**
 * Petition journeys in real Chromium, each page checked with axe (WCAG 2.2 AA), in English and
 * in Welsh:
 * - Suzie signs a petition (and confirms from the emailed link);
 * - Charlie creates a petition and gathers sponsors;
 * - Mo, a moderator, rejects a duplicate.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { findPetitionById } from '../../src/modules/petitions/store/petition-store.js'
import { openPetition, petitionIn } from '../../src/modules/petitions/test/factories.js'
import { listOutbox } from '../../src/platform/mail/mail.js'
import { addStaff, buildTestApp, enableModules, type TestApp } from '../support/app.js'
import {
  axeViolations,
  HAVE_CHROMIUM,
  launchChromium,
  listen,
  NO_CHROMIUM_MESSAGE,
  signInStaff,
} from '../support/browser.js'

if (!HAVE_CHROMIUM) console.log(NO_CHROMIUM_MESSAGE)

describe('petition journeys (Chromium + axe)', { skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE }, () => {
  let t: TestApp
  let base: string
  let browser: Browser

  before(async () => {
    t = await buildTestApp('sqlite')
    await enableModules(t.services, ['petitions'])
    await addStaff(t.services, 'mo@example.org', ['moderator'])
    base = await listen(t)
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await t?.close()
  })

  async function fresh(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London' })
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    return { context, page }
  }

  async function axe(page: Page, what: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${what}`)
  }

  async function linkFromEmail(to: string, pattern: RegExp): Promise<string> {
    for (const m of await listOutbox(t.services.db, { to, limit: 10 })) {
      const found = pattern.exec(m.text)
      if (found) return found[0].replace(/^https?:\/\/[^/]+/, '')
    }
    throw new Error(`no email to ${to}`)
  }

  for (const [lang, prefix] of [
    ['English', ''],
    ['Welsh', '/cy'],
  ] as const) {
    it(`Suzie signs a petition and confirms it (${lang})`, async () => {
      const id = await openPetition(t.services.db, { action: `Plant trees on Heol y Frenhines ${lang}` })
      const { context, page } = await fresh()
      const email = `suzie-${lang}@example.org`
      await page.goto(`${base}${prefix}/petitions`)
      await axe(page, 'petitions list')
      await page.click(`a[href$="/petitions/${id}"]`)
      await axe(page, 'petition page')
      await page.click('main button[type="submit"]')
      await page.waitForSelector('.govuk-error-summary')
      await axe(page, 'petition page with errors')
      await page.fill('#name', 'Suzie Evans')
      await page.fill('#email', email)
      await page.fill('#postcode', 'CF10 1EP')
      await page.check('#declaration')
      await page.click('main button[type="submit"]')
      await page.waitForSelector('h1')
      await axe(page, 'check your email')
      await page.goto(base + (await linkFromEmail(email, /\S+confirm\?token=\S+/)))
      await axe(page, 'confirm page')
      await page.click('main button[type="submit"]')
      await page.waitForSelector('.govuk-panel')
      await axe(page, 'thank you')
      assert.equal((await findPetitionById(t.services.db, id))?.signatureCount, 1)
      await context.close()
    })

    it(`Charlie creates a petition and gathers sponsors (${lang})`, async () => {
      const { context, page } = await fresh()
      const email = `charlie-${lang}@example.org`
      await page.goto(`${base}${prefix}/petitions/new/eligibility`)
      await axe(page, 'eligibility')
      await page.check('input[name="eligible"][value="yes"]')
      await page.click('main button[type="submit"]')
      await page.fill('#action', `Open the pool on Sundays ${lang}`)
      await axe(page, 'action')
      await page.click('main button[type="submit"]')
      await page.fill('#background', 'Families can only swim at weekends.')
      await axe(page, 'background')
      await page.click('main button[type="submit"]')
      await axe(page, 'details')
      await page.click('main button[type="submit"]')
      await page.fill('#name', 'Charlie Hughes')
      await page.fill('#email', email)
      await page.fill('#postcode', 'SA1 1AA')
      await axe(page, 'creator')
      await page.click('main button[type="submit"]')
      await axe(page, 'check answers')
      await page.click('main button[type="submit"]')
      await page.waitForSelector('h1')
      await axe(page, 'sent')
      await page.goto(base + (await linkFromEmail(email, /\S+confirm\?token=\S+/)))
      await page.click('main button[type="submit"]')
      await page.waitForURL(/signed$/)
      const sponsorLink = await linkFromEmail(email, /\S+\/sponsor\?token=\S+/)
      const id = Number(/petitions\/(\d+)\/sponsor/.exec(sponsorLink)![1])
      for (let i = 1; i <= 5; i++) {
        const sponsor = await browser.newContext({ locale: 'en-GB' })
        const p = await sponsor.newPage()
        await p.goto(base + sponsorLink)
        if (i === 1) await axe(p, 'sponsor page')
        await p.fill('#name', `Sponsor ${i}`)
        await p.fill('#email', `sponsor${i}-${lang}@example.org`)
        await p.fill('#postcode', 'SA1 1AA')
        await p.check('#declaration')
        await p.click('main button[type="submit"]')
        await p.waitForSelector('h1')
        await sponsor.close()
      }
      await context.close()
      const signatures = await t.services.db
        .selectFrom('petition_signatures')
        .select('state')
        .where('petition_id', '=', id)
        .where('creator', '=', 0)
        .execute()
      assert.equal(signatures.length, 5)
      assert.equal((await findPetitionById(t.services.db, id))?.state, 'validated')
    })

    it(`Mo, a moderator, rejects a duplicate (${lang})`, async () => {
      const original = await openPetition(t.services.db, { action: `Repair the bandstand ${lang}` })
      const dup = await petitionIn(t.services.db, 'sponsored', {
        action: `Fix the bandstand ${lang}`,
        creatorEmail: `dup-${lang}@example.org`,
        moderationThresholdReachedAt: new Date(Date.now() - 12 * 86_400_000).toISOString(),
      })
      const { context, page } = await fresh()
      await signInStaff(page, base, 'mo@example.org', prefix)
      await page.goto(`${base}${prefix}/admin/petitions`)
      await axe(page, 'moderation queue')
      await Promise.all([
        page.waitForURL(new RegExp(`/admin/petitions/${dup}$`)),
        page.click(`a[href$="/admin/petitions/${dup}"]`),
      ])
      await axe(page, 'moderation page')
      await page.check('input[name="decision"][value="duplicate"]')
      await page.fill('#duplicateOf', String(original))
      await page.fill('textarea#details', 'Please sign the existing petition.')
      await Promise.all([
        page.waitForURL(/\/admin\/petitions$/),
        page.click('main form[action$="/moderate"] button[type="submit"]', { noWaitAfter: true }),
      ])
      await page.waitForSelector('.govuk-notification-banner')
      await axe(page, 'queue after the decision')
      const rejected = await findPetitionById(t.services.db, dup)
      assert.equal(rejected?.state, 'rejected')
      assert.equal(rejected?.duplicateOf, original)
      await page.goto(`${base}${prefix}/petitions/${dup}`)
      await axe(page, 'rejected petition')
      await context.close()
    })
  }
})
