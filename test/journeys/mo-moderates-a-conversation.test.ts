/**
 * In order to keep a conversation fair, as Mo, a moderator, I want to reject a statement that
 * should not be there and see the report change, take in new statements, and ban a voter who is
 * clearly a script — in English and in Welsh — and every page on the way must pass axe's
 * WCAG 2.2 AA checks. Alex, an administrator, sets up the conversation first.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { seedDeliberationDemo } from '../../src/modules/deliberation/demo.js'
import { listStatements } from '../../src/modules/deliberation/store/conversation-store.js'
import { findAuditEntries } from '../../src/platform/audit/audit.js'
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

interface ReportJson {
  groups: Array<{ representative: Array<{ statementId: number; text: string }> }>
  consensus: {
    agree: Array<{ statementId: number; text: string }>
    disagree: Array<{ statementId: number; text: string }>
  }
  bridging: Array<{ statementId: number; text: string }>
  statements: Array<{ statementId: number; text: string; moderation: string }>
}

describe('Mo moderates a conversation (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
}, () => {
  let t: TestApp
  let base: string
  let browser: Browser

  before(async () => {
    t = await buildTestApp('sqlite')
    await enableModules(t.services, ['deliberation'])
    await seedDeliberationDemo(t.services, new Date())
    await addStaff(t.services, 'mo@example.org', ['moderator'])
    await addStaff(t.services, 'alex@example.org', ['admin'])
    base = await listen(t)
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await t?.close()
  })

  async function signIn(email: string, prefix: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      locale: prefix ? 'cy-GB' : 'en-GB',
      timezoneId: 'Europe/London',
    })
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    await signInStaff(page, base, email, prefix)
    return { context, page }
  }

  async function visit(page: Page, path: string, what: string): Promise<void> {
    const res = await page.goto(base + path)
    assert.equal(res?.status(), 200, path)
    assert.deepEqual(await axeViolations(page), [], `axe on ${what} (${path})`)
  }

  async function reportJson(): Promise<ReportJson> {
    return (await t.app.inject('/api/v1/conversations/1/report')).json() as ReportJson
  }

  /** A statement the report puts forward: representative of a group, consensus or bridging. */
  function featured(report: ReportJson): { statementId: number; text: string } {
    const candidates = [
      ...report.consensus.agree,
      ...report.bridging,
      ...report.groups.flatMap((g) => g.representative),
    ]
    assert.ok(candidates.length > 0, 'the report features statements')
    return candidates[0]
  }

  async function countInReport(page: Page, text: string): Promise<number> {
    return page.locator('main').getByText(text, { exact: true }).count()
  }

  for (const prefix of ['', '/cy']) {
    const lang = prefix ? 'Welsh' : 'English'
    const words = prefix
      ? {
          reject: 'Gwrthod',
          accept: 'Derbyn',
          ban: 'Gwahardd',
          rejected: /Gwrthodwyd datganiad \d+/,
          banned: /Gwaharddwyd cyfranogwr \d+/,
        }
      : {
          reject: 'Reject',
          accept: 'Accept',
          ban: 'Ban',
          rejected: /Statement \d+ rejected/,
          banned: /Participant \d+ banned/,
        }

    it(`Alex sets up a conversation with seed statements in English and Welsh, in ${lang}`, async () => {
      const { context, page } = await signIn('alex@example.org', prefix)
      await visit(page, `${prefix}/admin/deliberation`, 'the staff list')
      await visit(page, `${prefix}/admin/deliberation/new`, 'the new conversation form')
      await page.fill('#titleEn', `Play areas ${lang}`)
      await page.fill('#seedsEn', 'More swings\nShade over the sandpit')
      await page.fill('#seedsCy', 'Mwy o siglenni')
      await page.click('main form button[type="submit"]')
      await page.waitForSelector('.govuk-error-summary')
      assert.deepEqual(await axeViolations(page), [], 'axe on the form with errors')
      await page.fill('#titleCy', `Mannau chwarae ${lang}`)
      await page.fill('#seedsCy', 'Mwy o siglenni\nCysgod dros y pwll tywod')
      await Promise.all([
        page.waitForURL(/\/admin\/deliberation\/\d+$/),
        page.click('main form button[type="submit"]'),
      ])
      assert.deepEqual(await axeViolations(page), [], 'axe on the new conversation')
      const id = Number(/(\d+)$/.exec(page.url())![1])
      assert.equal((await listStatements(t.services.db, id)).length, 2)
      await visit(page, `${prefix}/admin/deliberation/${id}/edit`, 'the edit form')
      await context.close()
    })

    it(`Mo rejects a statement and the report changes, in ${lang}`, async () => {
      const { context, page } = await signIn('mo@example.org', prefix)
      await visit(page, `${prefix}/admin/deliberation`, 'the staff list')
      await visit(page, `${prefix}/admin/deliberation/1`, 'the conversation overview')

      const before = await reportJson()
      const target = featured(before)
      const text = (await listStatements(t.services.db, 1)).find((s) => s.number === target.statementId)!
      const shown = prefix ? (text.textCy ?? text.textEn!) : (text.textEn ?? text.textCy!)
      await visit(page, `${prefix}/conversations/1/report`, 'the report')
      assert.ok((await countInReport(page, shown)) >= 2, 'featured, and in the table of every statement')

      await visit(page, `${prefix}/admin/deliberation/1/moderation?show=all`, 'the moderation list')
      const item = page.locator(`#statement-${text.id}`)
      await Promise.all([
        page.waitForNavigation(),
        item.getByRole('button', { name: words.reject, exact: true }).click(),
      ])
      assert.match((await page.textContent('.govuk-notification-banner'))!, words.rejected)
      assert.deepEqual(await axeViolations(page), [], 'axe after rejecting')

      // At once: the statement leaves every list of the report; the table marks it rejected.
      const after = await reportJson()
      assert.notDeepEqual(featured(after), target)
      assert.equal(after.statements.find((s) => s.statementId === target.statementId)?.moderation, 'rejected')
      await visit(page, `${prefix}/conversations/1/report`, 'the report after the rejection')
      assert.equal(await countInReport(page, shown), 1, 'only in the table of every statement')
      // Then the math runs again without it.
      await t.services.jobs.drainLocal(new Date(Date.now() + 60_000))
      const recomputed = await reportJson()
      assert.ok(
        !recomputed.groups.some((g) => g.representative.some((r) => r.statementId === target.statementId)),
      )

      // A statement waiting for moderation is accepted.
      await visit(page, `${prefix}/admin/deliberation/1/moderation`, 'the moderation queue')
      const waiting = page.locator('main li[id^="statement-"]').first()
      await Promise.all([
        page.waitForNavigation(),
        waiting.getByRole('button', { name: words.accept, exact: true }).click(),
      ])
      assert.deepEqual(await axeViolations(page), [], 'axe after accepting')
      assert.equal(
        (await findAuditEntries(t.services.db, { action: 'deliberation.statement.reject', actor: 'mo@' }))
          .length,
        prefix ? 2 : 1,
      )
      await context.close()
    })

    it(`Mo bans a voter who agrees with everything at machine speed, in ${lang}`, async () => {
      const { context, page } = await signIn('mo@example.org', prefix)
      await visit(page, `${prefix}/admin/deliberation/1/alerts`, 'the alerts')
      const open = page.locator('main li[id^="alert-"]')
      if (!prefix) {
        assert.ok((await open.count()) >= 1, 'the script-like voter is flagged')
        await Promise.all([
          page.waitForNavigation(),
          open.first().getByRole('button', { name: words.ban, exact: true }).click(),
        ])
        assert.match((await page.textContent('.govuk-notification-banner'))!, words.banned)
        assert.deepEqual(await axeViolations(page), [], 'axe after banning')
        assert.equal(await open.count(), 0, 'both of its alerts are closed')
      }
      await visit(page, `${prefix}/admin/deliberation/1/participants`, 'the participants')
      await visit(page, `${prefix}/admin/deliberation/1/participants?banned=1`, 'the banned participants')
      assert.equal(await page.locator('main tbody tr').count(), 1)
      await context.close()
    })
  }
})
