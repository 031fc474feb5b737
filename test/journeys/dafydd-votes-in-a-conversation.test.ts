/**
 * In order to have a say in the town centre plan, as Dafydd, a resident, I want to say whether I
 * agree with statements one at a time, add my own, and see where I sit among other people's
 * views — in English or in Welsh, with or without JavaScript — and every page on the way must
 * pass axe's WCAG 2.2 AA checks.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { seedDeliberationDemo } from '../../src/modules/deliberation/demo.js'
import { listStatements } from '../../src/modules/deliberation/store/conversation-store.js'
import { buildTestApp, enableModules, type TestApp } from '../support/app.js'
import {
  axeViolations,
  HAVE_CHROMIUM,
  launchChromium,
  listen,
  NO_CHROMIUM_MESSAGE,
} from '../support/browser.js'

if (!HAVE_CHROMIUM) console.log(NO_CHROMIUM_MESSAGE)

const TEXT = {
  en: {
    agree: 'Agree',
    disagree: 'Disagree',
    pass: 'Pass or unsure',
    progress: (n: number) => new RegExp(`Statements you have voted on: ${n} of \\d+`),
    added: 'Your statement has been added',
    placeHeading: 'Where you sit on the opinion map',
    inGroup: /You are in group [A-E]/,
    report: 'Read the report',
    change: 'See and change your votes',
    statement: 'Your statement',
    add: 'Add statement',
    closed: /This conversation closed at the end of/,
    own: 'The old cinema should become a music venue',
  },
  cy: {
    agree: 'Cytuno',
    disagree: 'Anghytuno',
    pass: 'Pasio neu ansicr',
    progress: (n: number) => new RegExp(`Datganiadau rydych wedi pleidleisio arnynt: ${n} o \\d+`),
    added: 'Mae eich datganiad wedi’i ychwanegu',
    placeHeading: 'Ble rydych chi ar y map barn',
    inGroup: /Rydych yng ngrŵp [A-E]/,
    report: 'Darllen yr adroddiad',
    change: 'Gweld a newid eich pleidleisiau',
    statement: 'Eich datganiad',
    add: 'Ychwanegu datganiad',
    closed: /Caeodd y sgwrs hon ar ddiwedd/,
    own: 'Dylai’r hen sinema ddod yn lleoliad cerddoriaeth fyw',
  },
} as const

describe('Dafydd votes in a conversation (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
}, () => {
  let t: TestApp
  let base: string
  let browser: Browser

  before(async () => {
    t = await buildTestApp('sqlite')
    await enableModules(t.services, ['deliberation'])
    // The demo: 240 people have voted on the town centre plan; the library conversation has closed.
    await seedDeliberationDemo(t.services, new Date())
    base = await listen(t)
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await t?.close()
  })

  async function checked(page: Page, what: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${what} (${page.url()})`)
  }

  for (const locale of ['en', 'cy'] as const) {
    const prefix = locale === 'cy' ? '/cy' : ''
    const text = TEXT[locale]

    it(`votes on ten statements, adds one and sees where he sits, in ${locale === 'en' ? 'English' : 'Welsh'}`, async () => {
      const context = await browser.newContext({
        locale: locale === 'cy' ? 'cy-GB' : 'en-GB',
        timezoneId: 'Europe/London',
      })
      const page = await context.newPage()
      page.setDefaultTimeout(10_000)

      await page.goto(`${base}${prefix}/conversations`)
      assert.equal(await page.getAttribute('html', 'lang'), locale)
      await checked(page, 'the list of conversations')
      await page.click('main a[href$="/conversations/1"]')
      await checked(page, 'the conversation')

      const seen = new Set<string>()
      const choices = [
        text.agree,
        text.disagree,
        text.agree,
        text.pass,
        text.agree,
        text.disagree,
        text.agree,
        text.agree,
        text.disagree,
        text.agree,
      ]
      for (const [i, choice] of choices.entries()) {
        const statement = (await page.textContent('#statement-text'))!.trim()
        assert.ok(!seen.has(statement), `"${statement}" is not asked twice`)
        seen.add(statement)
        await Promise.all([
          page.waitForNavigation(),
          page.getByRole('button', { name: choice, exact: true }).first().click(),
        ])
        assert.match((await page.textContent('#progress'))!, text.progress(i + 1))
        await checked(page, `the conversation after vote ${i + 1}`)
      }

      await page.getByLabel(text.statement).fill(text.own)
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: text.add }).click()])
      assert.match((await page.textContent('.govuk-notification-banner'))!, new RegExp(text.added))
      await checked(page, 'the conversation with the statement added')
      const added = (await listStatements(t.services.db, 1)).at(-1)!
      assert.equal(locale === 'cy' ? added.textCy : added.textEn, text.own)

      // The math runs off the request path; once it has, Dafydd sees where he sits.
      await t.services.jobs.drainLocal(new Date(Date.now() + 60_000))
      await page.reload()
      await page.getByRole('heading', { name: text.placeHeading }).waitFor()
      assert.match((await page.textContent('main'))!, text.inGroup)
      assert.equal(
        (await page.locator('#your-map svg[role="img"], figure svg[role="img"]').count()) >= 1,
        true,
      )
      await checked(page, 'the conversation with the map')

      await page.getByRole('link', { name: text.change }).click()
      await checked(page, 'your votes')
      const first = page
        .locator('form')
        .filter({ has: page.locator('input[name="returnTo"]') })
        .first()
      await Promise.all([
        page.waitForNavigation(),
        first.getByRole('button', { name: text.pass, exact: true }).click(),
      ])
      await checked(page, 'your votes after changing one')

      await page.goto(`${base}${prefix}/conversations/1`)
      await page.getByRole('link', { name: text.report }).click()
      await page.locator('svg[role="img"]').first().waitFor()
      await checked(page, 'the report')

      await page.goto(`${base}${prefix}/conversations/2`)
      assert.match((await page.textContent('main'))!, text.closed)
      assert.equal(await page.locator('input[name="statementId"]').count(), 0)
      await checked(page, 'a closed conversation')
      await context.close()
    })
  }

  it('takes part without JavaScript: every vote and the new statement are plain form posts', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' })
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    await page.goto(`${base}/conversations/1`)
    for (let i = 1; i <= 10; i++) {
      await Promise.all([
        page.waitForNavigation(),
        page
          .getByRole('button', { name: i % 3 ? 'Agree' : 'Disagree', exact: true })
          .first()
          .click(),
      ])
      assert.match((await page.textContent('#progress'))!, TEXT.en.progress(i))
    }
    await page.getByLabel('Your statement').fill('Market stalls should be free for the first month')
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add statement' }).click()])
    assert.match((await page.textContent('main'))!, /Your statement has been added/)
    await context.close()
  })
})
