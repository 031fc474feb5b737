/**
 * So that people get an answer where they asked, as Rhodri, a responder on the digital frontline,
 * I want to answer a case with an approved answer: pick it from the library, adjust it and send
 * it, so that it lands in the citizen's own Mastodon thread or email — in English and in Welsh,
 * every page passing axe's WCAG 2.2 AA checks. Citizens' pages (contact form, service standards)
 * are checked too.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { type ConnectedAccount, pullMentions } from '../../src/modules/inbox/services/delivery.js'
import { setInboxDeps } from '../../src/modules/inbox/services/deps.js'
import { invalidateRoutingContext } from '../../src/modules/inbox/services/intake.js'
import { insertAnswer } from '../../src/modules/inbox/store/answer-store.js'
import { listCases } from '../../src/modules/inbox/store/case-store.js'
import { addTeamMember, insertRule, insertTeam } from '../../src/modules/inbox/store/config-store.js'
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
import { FakeMastodonApi } from '../support/fake-social.js'

if (!HAVE_CHROMIUM) console.log(NO_CHROMIUM_MESSAGE)

describe('Rhodri answers a citizen from the inbox (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
}, () => {
  let t: TestApp
  let base: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let mastodon: FakeMastodonApi
  let mentionId: string

  before(async () => {
    t = await buildTestApp('sqlite')
    const { db } = t.services
    await writeSetting(db, 'organisation', {
      ...DEFAULT_ORGANISATION,
      welsh: true,
      enabledModules: ['inbox'],
    })
    t.services.invalidateSettings()
    const now = new Date()
    const rhodri = await addStaff(t.services, 'rhodri@example.org', ['responder'])
    const team = await insertTeam(db, { name: 'Streets and waste' }, now)
    await addTeamMember(db, team, rhodri, { maxOpen: 20 })
    await insertRule(
      db,
      { name: 'Bins', conditions: { keywords: ['bins', 'biniau'] }, actions: { teamId: team, tag: 'bins' } },
      now,
    )
    await insertAnswer(
      db,
      {
        title: 'Missed bin collection',
        teamId: team,
        reviewOn: '2027-06-01',
        textEn: 'Sorry your bins were missed. The crew will return within two working days.',
        textCy:
          'Mae’n ddrwg gennym na chasglwyd eich biniau. Bydd y criw yn dychwelyd o fewn dau ddiwrnod gwaith.',
        createdBy: null,
        approved: true,
      },
      now,
    )
    invalidateRoutingContext(db)
    mastodon = await FakeMastodonApi.start({ acct: 'council' })
    const account: ConnectedAccount = {
      key: 'journey:mastodon',
      name: 'Council on Mastodon',
      credentials: {
        network: 'mastodon',
        serviceUrl: mastodon.url,
        identifier: 'council',
        secret: mastodon.token,
      },
    }
    setInboxDeps(t.services, { accounts: async () => [account] })
    mentionId = mastodon.addMention({
      text: '@council our bins on Elm Street were not collected again',
      acct: 'anna@fake.example',
    }).id
    await pullMentions(db, account, { now })
    base = await listen(t)
    browser = await launchChromium()
    ;({ context, page } = await newJourneyPage(browser))
  })
  after(async () => {
    await browser?.close()
    await mastodon?.close()
    await t?.close()
  })

  async function axe(where: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`)
  }

  async function login(prefix: string): Promise<void> {
    await context.clearCookies()
    await signInStaff(page, base, 'rhodri@example.org', prefix)
  }

  async function answerCase(prefix: string, caseId: number, adjust: string): Promise<void> {
    await page.goto(`${base}${prefix}/admin/inbox`)
    assert.equal(await page.getAttribute('html', 'lang'), prefix ? 'cy' : 'en')
    await axe('the queue')
    await Promise.all([
      page.waitForURL(`${base}${prefix}/admin/inbox/cases/${caseId}`),
      page.click(`a[href="${prefix}/admin/inbox/cases/${caseId}"]`),
    ])
    assert.match((await page.textContent('#timers')) ?? '', prefix ? /oriau gwaith/ : /business hours/)
    await axe('the case')
    // Without JavaScript the answer picker posts back and fills the reply box.
    await page.selectOption('#answerId', { label: 'Missed bin collection' })
    await Promise.all([page.waitForURL(/\/reply$/), page.click('#insert-answer')])
    const inserted = await page.inputValue('#text')
    assert.match(inserted, prefix ? /Mae’n ddrwg gennym/ : /Sorry your bins were missed/)
    await axe('the case with the answer inserted')
    await page.fill('#text', `${inserted} ${adjust}`)
    await Promise.all([
      page.waitForURL(`${base}${prefix}/admin/inbox/cases/${caseId}`),
      page.click('#send-reply'),
    ])
    assert.ok((await page.locator('.govuk-tag--green').count()) > 0, 'the reply shows as sent')
    await axe('the case after sending')
  }

  it('Rhodri answers a Mastodon mention in English: the reply lands in the thread', async () => {
    await login('')
    const c = (await listCases(t.services.db, { status: 'all' })).find((x) => x.channel === 'mastodon')!
    await answerCase('', c.id, 'Your street is on Thursday’s round.')
    const posted = mastodon.posted.at(-1)!
    assert.equal(posted.in_reply_to_id, mentionId)
    assert.match(posted.text, /Sorry your bins were missed.*Thursday’s round/s)
    assert.ok(!(await page.content()).includes(mastodon.token), 'the token never reaches a page')
  })

  it('A citizen writes in Welsh through the contact form and Rhodri answers by email in Welsh', async () => {
    await context.clearCookies()
    await page.goto(`${base}/cy/service-standards`)
    await axe('the service standards (Welsh)')
    await page.goto(`${base}/cy/contact`)
    await axe('the contact form (Welsh)')
    await Promise.all([page.waitForURL(/\/cy\/contact$/), page.click('main form button')])
    assert.ok((await page.locator('.govuk-error-summary').count()) === 1)
    await axe('the contact form with errors (Welsh)')
    await page.fill('#name', 'Dafydd')
    await page.fill('#email', 'dafydd@example.org')
    await page.fill('#message', 'Mae’r biniau ailgylchu heb eu casglu ar Heol y Bont ers pythefnos.')
    await Promise.all([page.waitForURL(/\/cy\/contact\/sent/), page.click('main form button')])
    const reference = (await page.textContent('#reference'))?.trim() ?? ''
    assert.match(reference, /^TS-\d+$/)
    await axe('the confirmation (Welsh)')

    await login('/cy')
    const caseId = Number(reference.slice(3))
    await answerCase('/cy', caseId, 'Diolch am roi gwybod.')
    const out = await t.services.db
      .selectFrom('outbox')
      .selectAll()
      .where('to_address', '=', 'dafydd@example.org')
      .executeTakeFirstOrThrow()
    assert.equal(out.language, 'cy')
    assert.match(out.subject, new RegExp(`\\[${reference}\\]`))
    assert.match(out.text_body, /Bydd y criw yn dychwelyd.*Diolch am roi gwybod/s)
  })

  it('the English service standards and contact pages pass axe', async () => {
    await page.goto(`${base}/service-standards`)
    await axe('the service standards')
    await page.goto(`${base}/contact?about=petitions:1`)
    await axe('the contact form')
  })
})
