/**
 * In order to run participation for the council, as Alex, an administrator, I want to sign in,
 * reach the staff area and find my way in English and in Welsh — and every page on the way must
 * pass axe's WCAG 2.2 AA checks in both languages.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { addStaff, buildTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js'
import {
  axeViolations,
  HAVE_CHROMIUM,
  launchChromium,
  listen,
  NO_CHROMIUM_MESSAGE,
  newJourneyPage,
} from '../support/browser.js'

if (!HAVE_CHROMIUM) {
  console.log(NO_CHROMIUM_MESSAGE)
}

describe('Alex administers Townsquare (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
}, () => {
  let t: TestApp
  let base: string
  let browser: Browser
  let context: BrowserContext
  let page: Page

  before(async () => {
    t = await buildTestApp('sqlite')
    await addStaff(t.services, 'alex@example.org', ['admin'])
    base = await listen(t)
    browser = await launchChromium()
    ;({ context, page } = await newJourneyPage(browser))
  })
  after(async () => {
    await browser?.close()
    await t?.close()
  })

  async function checkPage(path: string, expectStatus = 200): Promise<void> {
    const res = await page.goto(base + path)
    assert.equal(res?.status(), expectStatus, path)
    const violations = await axeViolations(page)
    assert.deepEqual(violations, [], `axe on ${path}`)
  }

  for (const prefix of ['', '/cy']) {
    const lang = prefix ? 'Welsh' : 'English'
    it(`home, accessibility, privacy and cookies pages pass axe in ${lang}`, async () => {
      await checkPage(`${prefix}/`)
      assert.equal(await page.getAttribute('html', 'lang'), prefix ? 'cy' : 'en')
      for (const p of ['/accessibility', '/privacy', '/cookies', '/account/sign-in'])
        await checkPage(`${prefix}${p}`)
    })

    it(`the not-found page passes axe in ${lang}`, async () => {
      await checkPage(`${prefix}/no-such-page`, 404)
    })

    it(`a bad login shows an error summary that passes axe in ${lang}`, async () => {
      await checkPage(`${prefix}/admin/login`)
      await page.fill('#email', 'alex@example.org')
      await page.click('main button[type="submit"]')
      await page.waitForSelector('.govuk-error-summary')
      assert.equal(await page.inputValue('#email'), 'alex@example.org', 'what was typed is kept')
      assert.deepEqual(await axeViolations(page), [])
    })

    it(`Alex signs in and every staff page passes axe in ${lang}`, async () => {
      await context.clearCookies()
      await page.goto(`${base}${prefix}/admin/login`)
      await page.fill('#email', 'alex@example.org')
      await page.fill('#password', TEST_PASSWORD)
      await page.click('main button[type="submit"]')
      await page.waitForURL(`${base}${prefix || ''}/admin`)
      assert.deepEqual(await axeViolations(page), [], 'axe on dashboard')
      for (const p of [
        '/admin/users',
        '/admin/users/1',
        '/admin/settings',
        '/admin/audit',
        '/admin/outbox',
        '/admin/account',
      ]) {
        await checkPage(`${prefix}${p}`)
      }
    })
  }

  it('the language switcher leads to the same page in the other language', async () => {
    await page.goto(`${base}/privacy`)
    await page.click('a[hreflang="cy"]')
    await page.waitForURL(`${base}/cy/privacy`)
    assert.equal(await page.getAttribute('html', 'lang'), 'cy')
    await page.click('a[hreflang="en"]')
    await page.waitForURL(`${base}/privacy`)
  })
})
