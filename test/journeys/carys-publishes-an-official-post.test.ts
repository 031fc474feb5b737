/**
 * In order to tell residents about the new leisure centre without embarrassing the council in an
 * election period, as Carys, a communications officer, I want to write an official post, see the
 * policy block its party-political wording, reword it, and have it signed off by the two approvers
 * the council's account requires before it is published on Mastodon — every page in English and
 * Welsh passing axe's WCAG 2.2 AA checks.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { publishDue } from '../../src/modules/publishing/services/publisher.js'
import { findPost } from '../../src/modules/publishing/store/post-store.js'
import { DEFAULT_ORGANISATION } from '../../src/platform/settings/organisation.js'
import { writeSetting } from '../../src/platform/settings/settings.js'
import { londonDay } from '../../src/platform/time/london.js'
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

const TOKEN = 'journey-mastodon-token-5f3a9c'
const DAY = 86_400_000

describe('Carys publishes an official post (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
}, () => {
  let t: TestApp
  let fake: FakeMastodonApi
  let base: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let postId = 0
  const now = new Date()
  const plannedDay = londonDay(new Date(now.getTime() + 3 * DAY).toISOString())

  before(async () => {
    fake = await FakeMastodonApi.start({ token: TOKEN })
    t = await buildTestApp('sqlite')
    await writeSetting(t.services.db, 'organisation', {
      ...DEFAULT_ORGANISATION,
      welsh: true,
      enabledModules: ['publishing'],
    })
    t.services.invalidateSettings()
    await addStaff(t.services, 'alex@example.org', ['admin'])
    await addStaff(t.services, 'carys@example.org', ['communications'])
    await addStaff(t.services, 'ifan@example.org', ['communications'])
    await addStaff(t.services, 'megan@example.org', ['moderator'])
    base = await listen(t)
    browser = await launchChromium()
    ;({ context, page } = await newJourneyPage(browser))
  })
  after(async () => {
    await browser?.close()
    await t?.close()
    await fake?.close()
  })

  async function axe(where: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`)
  }

  async function login(email: string, prefix = ''): Promise<void> {
    await context.clearCookies()
    await signInStaff(page, base, email, prefix)
  }

  /** Visits the Welsh version of the current page and checks it too. */
  async function alsoInWelsh(where: string): Promise<void> {
    const url = new URL(page.url())
    await page.goto(`${base}/cy${url.pathname}${url.search}`)
    assert.equal(await page.getAttribute('html', 'lang'), 'cy')
    await axe(`${where} (Welsh)`)
    await page.goto(url.toString())
  }

  it('Alex sets up the election period, a two-person workflow and the council’s account', async () => {
    await login('alex@example.org')
    await page.goto(`${base}/admin/elections`)
    await page.fill('#name', 'County council elections')
    await page.fill('#startsOn', londonDay(now.toISOString()))
    await page.fill('#pollsOn', londonDay(new Date(now.getTime() + 20 * DAY).toISOString()))
    await Promise.all([
      page.waitForURL(`${base}/admin/elections`),
      page.click('main form[aria-labelledby="add-heading"] button'),
    ])

    await page.goto(`${base}/admin/publishing/workflows/new`)
    await axe('the new workflow form')
    await alsoInWelsh('the new workflow form')
    await page.fill('#name', 'Two approvers')
    await page.fill('#step0Name', 'Head of communications and monitoring officer')
    await page.selectOption('#step0Mode', 'all')
    await page.getByLabel('ifan (ifan@example.org)').first().check()
    await page.getByLabel('megan (megan@example.org)').first().check()
    await Promise.all([
      page.waitForURL(/\/admin\/publishing\/workflows\/\d+$/),
      page.click('main form > button'),
    ])
    await axe('the saved workflow')

    await page.goto(`${base}/admin/publishing/accounts/new`)
    await axe('the new account form')
    await alsoInWelsh('the new account form')
    await page.fill('#name', 'Glanaber Council')
    await page.check('#network')
    await page.fill('#team', 'Communications')
    await page.fill('#serviceUrl', fake.url)
    await page.fill('#identifier', 'council@fake.example')
    await page.fill('#secret', TOKEN)
    await page.selectOption('#workflowId', { label: 'Two approvers' })
    await Promise.all([
      page.waitForURL(/\/admin\/publishing\/accounts\/\d+$/),
      page.click('main form > button'),
    ])
    assert.match((await page.textContent('#credentials-stored')) ?? '', /Credentials stored on/)
    assert.ok(!(await page.content()).includes(TOKEN), 'the token is never shown again')
    await axe('the saved account')
    await page.goto(`${base}/admin/publishing/accounts`)
    assert.ok(!(await page.content()).includes(TOKEN))
    await axe('the accounts register')
  })

  it('Carys’s party-political post is blocked by the pre-election rule, then she rewords it and sends it for approval', async () => {
    await login('carys@example.org')
    await page.goto(`${base}/admin/publishing`)
    await axe('the posts list')
    await alsoInWelsh('the posts list')
    await Promise.all([
      page.waitForURL(`${base}/admin/publishing/posts/new`),
      page.click('a[href="/admin/publishing/posts/new"]'),
    ])
    await axe('the new post form')
    await page.click('main form button')
    await page.waitForSelector('.govuk-error-summary')
    await axe('the new post form with errors')
    await alsoInWelsh('the new post form')

    await page.fill('#title', 'New leisure centre')
    await page.fill(
      '#textEn',
      'Thanks to Labour, the new Aberglas leisure centre opens on Monday. Vote Labour on polling day!',
    )
    await page.fill('#textCy', 'Mae canolfan hamdden newydd Aberglas yn agor ddydd Llun.')
    await page.fill('#topic', 'Leisure')
    await page.fill('#team', 'Communications')
    await page.fill('#day', plannedDay)
    await page.fill('#time', '10:00')
    await page.check('#accounts')
    await Promise.all([page.waitForURL(/\/admin\/publishing\/posts\/\d+$/), page.click('main form button')])
    postId = Number(/posts\/(\d+)$/.exec(page.url())![1])
    assert.ok(await page.isVisible('#blocked'), 'the policy blocks the post')
    assert.ok((await page.locator('main mark').count()) > 0, 'the blocked words are highlighted')
    assert.match((await page.locator('main mark').allTextContents()).join(' '), /Labour/)
    await axe('the blocked draft')
    await alsoInWelsh('the blocked draft')

    await page.click('#submit-for-approval')
    await page.waitForSelector('.govuk-error-summary')
    assert.match((await page.textContent('.govuk-error-summary')) ?? '', /cannot be sent for approval/)
    assert.equal((await findPost(t.services.db, postId))?.state, 'draft')
    await axe('the refused submission')

    await page.goto(`${base}/admin/publishing/posts/${postId}/edit`)
    await axe('the edit form')
    await page.fill(
      '#textEn',
      'The new Aberglas leisure centre opens on Monday. Swimming lessons can be booked online.',
    )
    await Promise.all([
      page.waitForURL(`${base}/admin/publishing/posts/${postId}`),
      page.click('main form button'),
    ])
    assert.equal(await page.isVisible('#blocked'), false, 'the neutral wording passes')

    // A photo, described in both languages (without the Welsh description it is refused).
    const photo = {
      name: 'pool.png',
      mimeType: 'image/png',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
    }
    await page.setInputFiles('#image', photo)
    await page.fill('#altEn', 'The new 25-metre pool at Aberglas leisure centre')
    await page.click('form[enctype="multipart/form-data"] button')
    await page.waitForSelector('.govuk-error-summary')
    assert.match((await page.textContent('.govuk-error-summary')) ?? '', /alt text in Welsh/)
    await axe('the image form with an error')
    await page.setInputFiles('#image', photo)
    await page.fill('#altCy', 'Y pwll 25 metr newydd yng nghanolfan hamdden Aberglas')
    await Promise.all([
      page.waitForURL(`${base}/admin/publishing/posts/${postId}`),
      page.click('form[enctype="multipart/form-data"] button'),
    ])
    assert.equal(
      await page.getAttribute('#images ~ figure img', 'alt'),
      'The new 25-metre pool at Aberglas leisure centre',
    )
    await axe('the draft with an image')
    await Promise.all([
      page.waitForURL(`${base}/admin/publishing/posts/${postId}`),
      page.click('#submit-for-approval'),
    ])
    assert.match((await page.textContent('.govuk-notification-banner')) ?? '', /sent for approval/)
    assert.equal((await findPost(t.services.db, postId))?.state, 'in_review')
    await axe('the post in review')

    await page.goto(`${base}/admin/publishing/calendar?month=${plannedDay.slice(0, 7)}`)
    assert.match((await page.textContent('main table')) ?? '', /New leisure centre/)
    await axe('the calendar')
    await alsoInWelsh('the calendar')
  })

  it('Ifan approves in Welsh, Megan in English; the post is scheduled and published once', async () => {
    await login('ifan@example.org', '/cy')
    await page.goto(`${base}/cy/admin/publishing`)
    assert.match((await page.textContent('main')) ?? '', /New leisure centre/)
    await axe('the Welsh posts list with a post to review')
    await Promise.all([
      page.waitForURL(`${base}/cy/admin/publishing/posts/${postId}`),
      page.click(`main ul a[href="/cy/admin/publishing/posts/${postId}"]`),
    ])
    await axe('the Welsh post to approve')
    await Promise.all([
      page.waitForURL(`${base}/cy/admin/publishing/posts/${postId}`),
      page.click('#approve'),
    ])
    assert.equal((await findPost(t.services.db, postId))?.state, 'in_review', 'the step waits for both')
    await axe('the Welsh post after one approval')

    await login('megan@example.org')
    await page.goto(`${base}/admin/publishing/posts/${postId}`)
    await axe('the post to approve')
    await Promise.all([page.waitForURL(`${base}/admin/publishing/posts/${postId}`), page.click('#approve')])
    assert.match((await page.textContent('.govuk-notification-banner')) ?? '', /workflow is complete/)
    assert.equal((await findPost(t.services.db, postId))?.state, 'scheduled')

    // The publish job, as it would run at the planned time (twice: it must publish once).
    const due = new Date(Date.parse((await findPost(t.services.db, postId))!.plannedAt) + 1000)
    await Promise.all([
      publishDue(t.services, due, { worker: 'a' }),
      publishDue(t.services, due, { worker: 'b' }),
    ])
    assert.deepEqual(
      fake.posted.map((s) => s.language),
      ['cy', 'en'],
    )
    assert.match(fake.posted[1]!.text, /Swimming lessons/)
    assert.deepEqual(
      fake.media.map((m) => m.description),
      [
        'Y pwll 25 metr newydd yng nghanolfan hamdden Aberglas',
        'The new 25-metre pool at Aberglas leisure centre',
      ],
    )

    await page.goto(`${base}/admin/publishing/posts/${postId}`)
    assert.match((await page.textContent('#post-state')) ?? '', /Published/)
    await axe('the published post')
    await page.goto(`${base}/publishing`)
    assert.match((await page.textContent('main')) ?? '', /Swimming lessons/)
    await axe('the public list of official posts')
    await alsoInWelsh('the public list of official posts')
    assert.ok(!(await page.content()).includes(TOKEN))
  })
})
