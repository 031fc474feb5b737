/**
 * In order that nothing improper or inaccessible goes out on the council's channels, as Ffion, an
 * admin, I want to enter the pre-election period, tune a policy rule and try a post against the
 * policy — in English and in Welsh, every page passing axe's WCAG 2.2 AA checks.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { addStaff, buildTestApp, type TestApp } from '../../../test/support/app.js'
import {
  axeViolations,
  HAVE_CHROMIUM,
  launchChromium,
  listen,
  NO_CHROMIUM_MESSAGE,
  newJourneyPage,
  signInStaff,
} from '../../../test/support/browser.js'
import { DEFAULT_ORGANISATION } from '../settings/organisation.js'
import { writeSetting } from '../settings/settings.js'

if (!HAVE_CHROMIUM) console.log(NO_CHROMIUM_MESSAGE)

describe('Ffion sets the social media policy (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
}, () => {
  let t: TestApp
  let base: string
  let browser: Browser
  let context: BrowserContext
  let page: Page

  before(async () => {
    t = await buildTestApp('sqlite')
    await writeSetting(t.services.db, 'organisation', { ...DEFAULT_ORGANISATION, welsh: true })
    t.services.invalidateSettings()
    await addStaff(t.services, 'ffion@example.org', ['admin'])
    base = await listen(t)
    browser = await launchChromium()
    ;({ context, page } = await newJourneyPage(browser))
  })
  after(async () => {
    await browser?.close()
    await t?.close()
  })

  async function axe(where: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`)
  }

  for (const prefix of ['', '/cy']) {
    const lang = prefix ? 'Welsh' : 'English'
    it(`Ffion adds an election, edits a rule and tries a post in ${lang}`, async () => {
      await context.clearCookies()
      await signInStaff(page, base, 'ffion@example.org', prefix)

      // The elections calendar: a mistake first, then the period.
      await page.goto(`${base}${prefix}/admin/elections`)
      assert.equal(await page.getAttribute('html', 'lang'), prefix ? 'cy' : 'en')
      await axe('the empty elections calendar')
      await page.fill('#name', '')
      await page.fill('#startsOn', '2026-05-07')
      await page.fill('#pollsOn', '2026-03-26')
      await page.click('main form button')
      await page.waitForSelector('.govuk-error-summary')
      await axe('the elections calendar with errors')
      await page.fill('#name', prefix ? 'Etholiad y Senedd 2026' : 'Senedd election 2026')
      await page.fill('#startsOn', '2026-03-26')
      await page.fill('#pollsOn', '2026-05-07')
      await Promise.all([
        page.waitForURL(`${base}${prefix}/admin/elections`),
        page.click('main form[aria-labelledby="add-heading"] button'),
      ])
      assert.match((await page.textContent('#periods')) ?? '', /2026-05-07/)
      await axe('the elections calendar with a period')

      // The policy: list, one rule's form (with an error), then try a post.
      await Promise.all([
        page.waitForURL(`${base}${prefix}/admin/policy`),
        page.click(`a[href="${prefix}/admin/policy"]`),
      ])
      await axe('the policy')
      await Promise.all([
        page.waitForURL(`${base}${prefix}/admin/policy/rules/length`),
        page.click(`a[href="${prefix}/admin/policy/rules/length"]`),
      ])
      await axe('the length rule')
      await page.fill('#limit_bluesky', 'lots')
      await page.click('main form button')
      await page.waitForSelector('.govuk-error-summary')
      await axe('the length rule with an error')
      await page.fill('#limit_bluesky', '300')
      await Promise.all([
        page.waitForURL(`${base}${prefix}/admin/policy/rules/length`),
        page.click('main form button'),
      ])
      await page.goto(`${base}${prefix}/admin/policy/rules/personal-data.email`)
      await axe('a personal data rule')
      await page.goto(`${base}${prefix}/admin/policy/rules/accessibility.reading-ease`)
      await axe('the reading ease rule')

      await page.goto(`${base}${prefix}/admin/policy`)
      await page.fill('#text', 'Pleidleisiwch dros Blaid Cymru! Call 07700 900123 #localelections')
      await page.selectOption('#channel', 'bluesky')
      await page.fill('#date', '2026-04-14')
      await Promise.all([
        page.waitForURL(`${base}${prefix}/admin/policy/try`),
        page.click('main form[aria-labelledby="try-heading"] button'),
      ])
      assert.ok((await page.locator('#findings + ol mark').count()) >= 4, 'each finding shows its span')
      await axe('the policy with findings')

      // Leave the calendar empty for the other language.
      await page.goto(`${base}${prefix}/admin/elections`)
      await Promise.all([
        page.waitForURL(`${base}${prefix}/admin/elections`),
        page.click('#periods form button'),
      ])
    })
  }
})
