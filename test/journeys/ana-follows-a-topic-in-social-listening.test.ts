/**
 * In order to tell the council early when people are upset about a service, as Ana, an analyst,
 * I want to follow a topic in social listening: write its query (seeing how many stored posts it
 * matches before saving, and where a mistake is), read its dashboard, and set an alert — in
 * English and in Welsh, every page passing axe's WCAG 2.2 AA checks.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { seedListeningDemo } from '../../src/modules/listening/demo.js'
import { DEFAULT_ORGANISATION } from '../../src/platform/settings/organisation.js'
import { writeSetting } from '../../src/platform/settings/settings.js'
import { addStaff, buildTestApp, type TestApp } from '../support/app.js'
import {
  axeViolations,
  HAVE_CHROMIUM,
  launchChromium,
  listen,
  NO_CHROMIUM_MESSAGE,
  newJourneyPage,
  signInStaff,
} from '../support/browser.js'

if (!HAVE_CHROMIUM) console.log(NO_CHROMIUM_MESSAGE)

describe('Ana follows a topic in social listening (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
}, () => {
  let t: TestApp
  let base: string
  let browser: Browser
  let context: BrowserContext
  let page: Page

  before(async () => {
    t = await buildTestApp('sqlite')
    await writeSetting(t.services.db, 'organisation', {
      ...DEFAULT_ORGANISATION,
      welsh: true,
      enabledModules: ['listening'],
    })
    t.services.invalidateSettings()
    await seedListeningDemo(t.services, new Date())
    await addStaff(t.services, 'ana@example.org', ['analyst'])
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
    it(`Ana creates a query, sees the dashboard and sets an alert in ${lang}`, async () => {
      await context.clearCookies()
      await signInStaff(page, base, 'ana@example.org', prefix)

      await page.goto(`${base}${prefix}/admin/listening`)
      assert.equal(await page.getAttribute('html', 'lang'), prefix ? 'cy' : 'en')
      await axe('the overview')

      await page.click(`a[href="${prefix}/admin/listening/queries/new"]`)
      await page.waitForURL(`${base}${prefix}/admin/listening/queries/new`)
      await axe('the new query form')

      // A mistake: the error summary and the caret point at the position.
      const name = prefix ? 'Tyllau' : 'Roads'
      await page.fill('#name', name)
      await page.fill('#query', 'pothole* AND (road OR street')
      await page.click('button[value="save"]')
      await page.waitForSelector('.govuk-error-summary')
      assert.match((await page.textContent('#query-problem')) ?? '', /28/)
      await axe('the form with a query error')

      // Preview before saving: how many stored posts match.
      await page.fill('#query', 'pothole* OR (road* NEAR/3 (resurfac* OR fix*))')
      await page.click('button[value="preview"]')
      await page.waitForSelector('#preview-count')
      const count = Number(
        /\d[\d,]*/.exec((await page.textContent('#preview-count')) ?? '')?.[0]?.replace(/,/g, ''),
      )
      assert.ok(count > 0, 'the preview counts stored posts')
      assert.ok((await page.locator('mark').count()) > 0, 'matched words are highlighted')
      await axe('the preview')

      await page.click('button[value="save"]')
      await page.waitForURL(/\/admin\/listening\/queries\/\d+$/)
      assert.ok((await page.locator('svg[role="img"]').count()) >= 2, 'charts are SVG images')
      assert.ok((await page.locator('table').count()) >= 3, 'charts come with tables')
      await axe('the dashboard')

      await page.click('a[href$="/alerts"]')
      await page.waitForURL(/\/alerts$/)
      await axe('the alert settings')
      await page.check('#enabled')
      await page.fill('#emails', 'not-an-address')
      await page.click('main form button')
      await page.waitForSelector('.govuk-error-summary')
      await axe('the alert settings with an error')
      await page.fill('#emails', 'roads-team@example.org')
      await page.fill('#minCount', '5')
      await page.click('main form button')
      await page.waitForURL(/\/admin\/listening\/queries\/\d+$/)
      assert.match((await page.textContent('main')) ?? '', /roads-team@example\.org/)
      await axe('the dashboard after saving the alert')

      await page.goto(`${base}${prefix}/admin/listening/spikes`)
      await axe('the spikes list')
      await page.click('main table a')
      await page.waitForURL(/\/admin\/listening\/spikes\/\d+$/)
      assert.match((await page.textContent('main')) ?? '', /flooding/)
      await axe('a spike')
    })
  }
})
