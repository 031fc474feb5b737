/**
 * In order to get the play area in her village repaired, as Ffion, a resident, I want to sign in
 * with my email address and propose a project for my district's budget — in English or in
 * Welsh — and every page on the way must pass axe's WCAG 2.2 AA checks.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { approvalStyle } from '../../src/modules/budgets/domain/ballots.js'
import { defaultSchedule } from '../../src/modules/budgets/domain/phases.js'
import { insertBudget, insertProcess } from '../../src/modules/budgets/store/process-store.js'
import { listProjects } from '../../src/modules/budgets/store/project-store.js'
import { listOutbox } from '../../src/platform/mail/mail.js'
import { buildTestApp, enableModules, type TestApp } from '../support/app.js'
import {
  axeViolations,
  HAVE_CHROMIUM,
  launchChromium,
  listen,
  NO_CHROMIUM_MESSAGE,
} from '../support/browser.js'

if (!HAVE_CHROMIUM) console.log(NO_CHROMIUM_MESSAGE)

describe('Ffion proposes a project for her district budget (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
  timeout: 120_000,
}, () => {
  let t: TestApp
  let base: string
  let browser: Browser
  let processId: number
  let northId: number

  before(async () => {
    t = await buildTestApp('sqlite')
    await enableModules(t.services, ['budgets'])
    const now = new Date()
    processId = await insertProcess(
      t.services.db,
      {
        titleEn: 'Community Budget 2027',
        titleCy: 'Cyllideb Gymunedol 2027',
        descriptionEn: 'Propose projects for your district.',
        descriptionCy: 'Cynigiwch brosiectau ar gyfer eich ardal.',
        phase: 'proposing',
        schedule: defaultSchedule(new Date(now.getTime() - 86_400_000)),
        source: 'staff',
      },
      now,
    )
    const budget = (titleEn: string, titleCy: string, area: string[]) =>
      insertBudget(
        t.services.db,
        processId,
        {
          titleEn,
          titleCy,
          descriptionEn: '',
          descriptionCy: '',
          amount: 6_000_000,
          currency: 'GBP',
          area,
          voterRule: 'residents',
          style: approvalStyle({ maxProjects: 3 }),
          rule: null,
        },
        now,
      )
    northId = await budget('Aberglan North', 'Gogledd Aberglan', ['SA43'])
    await budget('Glanaber South', 'De Glanaber', ['SA45'])
    base = await listen(t)
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await t?.close()
  })

  async function checked(page: Page, what: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${what}`)
  }

  async function signIn(context: BrowserContext, page: Page, prefix: string, email: string): Promise<void> {
    await page.goto(`${base}${prefix}/account/sign-in`)
    await page.fill('#email', email)
    await page.click('main button[type="submit"]')
    await page.waitForSelector('main h1')
    const [mail] = await listOutbox(t.services.db, { to: email, limit: 1 })
    const link = /(http\S+verify\?token=[\w-]+)/.exec(mail!.text)![1]!.replace('http://localhost:3000', base)
    await page.goto(link)
    await page.click('main button[type="submit"]')
    await page.waitForURL(`${base}${prefix}/account`)
    assert.equal(
      (await context.cookies()).some((c) => c.name === 'townsquare_session'),
      true,
    )
  }

  for (const prefix of ['', '/cy']) {
    const welsh = prefix === '/cy'
    it(`Ffion proposes a project in ${welsh ? 'Welsh' : 'English'}`, async () => {
      const context = await browser.newContext({
        locale: welsh ? 'cy-GB' : 'en-GB',
        timezoneId: 'Europe/London',
      })
      const page = await context.newPage()
      page.setDefaultTimeout(10_000)
      try {
        // Not signed in: the proposal page says how to take part.
        await page.goto(`${base}${prefix}/budgets/${processId}/propose`)
        await checked(page, 'propose page, signed out')
        assert.ok(await page.isVisible(`main a[href="${prefix}/account/sign-in"]`))

        await signIn(context, page, prefix, welsh ? 'ffion.cy@example.org' : 'ffion@example.org')
        await page.goto(`${base}${prefix}/budgets`)
        await checked(page, 'list of budgets')
        await page.click(`main a[href="${prefix}/budgets/${processId}"]`)
        await page.waitForURL(`${base}${prefix}/budgets/${processId}`)
        await checked(page, 'process page')
        await page.click(`main a[href="${prefix}/budgets/${processId}/propose"]`)
        await page.waitForURL(`${base}${prefix}/budgets/${processId}/propose`)
        await checked(page, 'propose form')

        // Sending it half-filled: an error summary, and what she typed is kept.
        const title = welsh ? 'Trwsio’r ardal chwarae ym Mhenrhiw' : 'Repair the play area in Penrhiw'
        await page.fill('#title', title)
        await page.click('main button[type="submit"]')
        await page.waitForSelector('.govuk-error-summary')
        await checked(page, 'propose form with errors')
        assert.equal(await page.inputValue('#title'), title)
        assert.equal(await page.locator('.govuk-error-summary li').count(), 3, 'budget, description and cost')

        await page.check(`#budgetId`)
        await page.fill(
          '#description',
          welsh
            ? 'Siglenni newydd ac arwyneb diogel i’r plant lleiaf. Mae’r hen rai wedi torri.'
            : 'New swings and safety surfacing for the youngest children. The old ones are broken.',
        )
        await page.fill('#cost', '18,500')
        await page.fill('#location', 'Penrhiw')
        await page.click('main button[type="submit"]')
        await page.waitForSelector('.govuk-notification-banner--success')
        await checked(page, 'project page after proposing')
        assert.equal((await page.textContent('main h1'))?.trim(), title)
        assert.match(
          (await page.textContent('main')) ?? '',
          welsh ? /Yn aros am adolygiad/ : /Awaiting review/,
        )
        assert.match((await page.textContent('main')) ?? '', /£18,500/)
      } finally {
        await context.close()
      }
    })
  }

  it('both proposals are stored in the language they were written in, awaiting review', async () => {
    const projects = await listProjects(t.services.db, [northId])
    assert.deepEqual(
      projects.map((p) => [p.status, p.titleEn !== '', p.titleCy !== '', p.estimatedCost]),
      [
        ['proposed', true, false, 1_850_000],
        ['proposed', false, true, 1_850_000],
      ],
    )
  })
})
