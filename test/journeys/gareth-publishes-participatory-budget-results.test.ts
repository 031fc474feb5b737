/**
 * In order to run the council's participatory budget, as Gareth, a staff administrator, I want
 * to review the projects residents proposed (ruling one out with a published reason), open
 * voting, enter paper ballots, close voting, publish the results and record the winners'
 * delivery — and to publish a past election from a Pabulib file, whose results page must show
 * the official winners. Every page must pass axe's WCAG 2.2 AA checks, in English and Welsh.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { importPbCommand } from '../../src/modules/budgets/commands/import-pb.js'
import { approvalStyle } from '../../src/modules/budgets/domain/ballots.js'
import { defaultSchedule } from '../../src/modules/budgets/domain/phases.js'
import { castBallot, listBallots } from '../../src/modules/budgets/store/ballot-store.js'
import { findCount } from '../../src/modules/budgets/store/outcome-store.js'
import { findProcess, insertBudget, insertProcess } from '../../src/modules/budgets/store/process-store.js'
import { insertProject } from '../../src/modules/budgets/store/project-store.js'
import { systemActor } from '../../src/platform/auth/actor.js'
import { ROOT } from '../../src/platform/paths.js'
import { addStaff, buildTestApp, enableModules, type TestApp } from '../support/app.js'
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
const ASSEN = join(ROOT, '..', 'shared', 'data', 'pabulib', 'Netherlands_Assen_2024.pb')
if (!existsSync(ASSEN)) console.log(`import-pb journey step skipped: shared data not found at ${ASSEN}`)

describe('Gareth publishes participatory budget results (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
  timeout: 180_000,
}, () => {
  let t: TestApp
  let base: string
  let browser: Browser
  let page: Page
  let pid: number
  let bid: number
  const ids: number[] = []

  before(async () => {
    t = await buildTestApp('sqlite')
    const db = t.services.db
    await enableModules(t.services, ['budgets'])
    await addStaff(t.services, 'gareth@example.org', ['admin'])
    const now = new Date()
    pid = await insertProcess(
      db,
      {
        titleEn: 'Community Budget 2027',
        titleCy: 'Cyllideb Gymunedol 2027',
        descriptionEn: 'Decide how £50,000 is spent in Aberglan.',
        descriptionCy: 'Penderfynwch sut y caiff £50,000 ei wario yn Aberglan.',
        phase: 'reviewing',
        schedule: defaultSchedule(new Date(now.getTime() - 40 * 86_400_000)),
        source: 'staff',
      },
      now,
    )
    bid = await insertBudget(
      db,
      pid,
      {
        titleEn: 'Aberglan',
        titleCy: 'Aberglan',
        descriptionEn: '',
        descriptionCy: '',
        amount: 5_000_000,
        currency: 'GBP',
        area: ['SA43'],
        voterRule: 'residents',
        style: approvalStyle({ maxProjects: 3 }),
        rule: 'equal-shares/add1',
      },
      now,
    )
    for (const [en, cy, pounds] of [
      ['Play area at Parc y Dre', 'Ardal chwarae ym Mharc y Dre', 18_000],
      ['Benches on the High Street', 'Meinciau ar y Stryd Fawr', 6_500],
      ['Safe crossing by the school', 'Croesfan ddiogel ger yr ysgol', 24_000],
      ['Skatepark extension', 'Estyniad i’r parc sglefrio', 38_000],
    ] as const) {
      ids.push(
        await insertProject(
          db,
          {
            budgetId: bid,
            titleEn: en,
            titleCy: cy,
            descriptionEn: `${en}.`,
            descriptionCy: `${cy}.`,
            location: 'Aberglan',
            estimatedCost: pounds * 100,
            status: 'proposed',
            source: 'citizen',
            proposerId: 1,
          },
          now,
        ),
      )
    }
    base = await listen(t)
    browser = await launchChromium()
    ;({ page } = await newJourneyPage(browser))
  })
  after(async () => {
    await browser?.close()
    await t?.close()
  })

  async function visit(path: string): Promise<void> {
    const res = await page.goto(base + path)
    assert.equal(res?.status(), 200, path)
    assert.deepEqual(await axeViolations(page), [], `axe on ${path}`)
  }
  async function checked(what: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe on ${what}`)
  }
  const flash = async () =>
    (await page.textContent('.govuk-notification-banner'))?.replace(/\s+/g, ' ').trim() ?? ''

  it('Gareth signs in and reviews the proposals, ruling one out with a published reason', async () => {
    await signInStaff(page, base, 'gareth@example.org')
    await page.click(`main a[href="/admin/budgets"]`)
    await page.waitForURL(`${base}/admin/budgets`)
    await checked('budgets admin')
    await page.click(`main a[href="/admin/budgets/${pid}"]`)
    await page.waitForURL(`${base}/admin/budgets/${pid}`)
    await checked('process admin')
    assert.match((await page.textContent('main')) ?? '', /Every project must be reviewed before voting opens/)

    for (const [i, id] of ids.entries()) {
      await page.goto(`${base}/admin/budgets/${pid}/projects/${id}`)
      if (i === 0) await checked('review form')
      if (i === 3) {
        await page.check('#decision-2')
        await page.fill(
          '#reasonEn',
          'The land next to the skatepark is private and its owner has not agreed.',
        )
        await page.fill(
          '#reasonCy',
          'Mae’r tir wrth ymyl y parc sglefrio yn breifat ac nid yw’r perchennog wedi cytuno.',
        )
      } else {
        await page.check('#decision')
        await page.fill('#finalCost', String([18_500, 6_500, 24_000][i]))
      }
      await page.click('main form button[type="submit"]')
      await page.waitForSelector('.govuk-notification-banner')
      assert.match(await flash(), /Review saved/)
    }
    await checked('project reviewed')
    await visit(`/cy/budgets/${pid}/projects/${ids[3]}`)
    assert.match((await page.textContent('main')) ?? '', /Mae’r tir wrth ymyl y parc sglefrio yn breifat/)
  })

  it('opens voting; residents vote online; he enters paper ballots by hand and from a CSV', async () => {
    await page.goto(`${base}/admin/budgets/${pid}`)
    await page.click('main button:has-text("Open voting")')
    await page.waitForSelector('.govuk-notification-banner')
    assert.match(await flash(), /Voting phase/)
    await checked('process admin, voting')
    assert.equal((await findProcess(t.services.db, pid))?.phase, 'voting')
    // 40 residents vote online: most for the play area and the crossing, some for the benches.
    const [play, benches, crossing] = ids.map(String)
    for (let i = 0; i < 40; i++) {
      const projects = i % 4 === 0 ? [benches!] : i % 2 === 0 ? [play!, crossing!] : [play!, benches!]
      await castBallot(
        t.services.db,
        {
          budgetId: bid,
          voterKey: `citizen:${100 + i}`,
          channel: 'online',
          ballot: { kind: 'approval', projects },
          assurance: 'email-verified',
          actor: systemActor('journey'),
        },
        new Date(),
      )
    }
    await page.goto(`${base}/admin/budgets/${pid}/budgets/${bid}`)
    await checked('budget admin')
    await page.click(`main a[href="/admin/budgets/${pid}/budgets/${bid}/paper"]`)
    await page.waitForURL(`${base}/admin/budgets/${pid}/budgets/${bid}/paper`)
    await checked('paper ballots')
    await page.fill('#reference', 'ABG-0001')
    await page.check(`input[name="projects"][value="${crossing}"]`)
    await page.click('main form:has(#reference) button[type="submit"]')
    await page.waitForSelector('.govuk-notification-banner')
    assert.match(await flash(), /Paper ballot ABG-0001 saved/)
    await page.fill('#csv', `reference,projects\nABG-0002,${crossing} ${benches}\nABG-0003,${crossing}\n`)
    await page.click('main form:has(#csv) button[type="submit"]')
    await page.waitForSelector('.govuk-notification-banner')
    assert.match(await flash(), /Imported 2 paper ballots/)
    await checked('paper ballots entered')
    const ballots = await listBallots(t.services.db, bid)
    assert.equal(ballots.filter((b) => b.channel === 'paper').length, 3)
  })

  it('closes voting (every budget is counted) and publishes the results', async () => {
    await page.goto(`${base}/admin/budgets/${pid}`)
    await page.click('main button:has-text("Close voting and count")')
    await page.waitForSelector('.govuk-notification-banner')
    await checked('process admin, counted')
    const count = await findCount(t.services.db, bid)
    assert.equal(count?.official.rule, 'equal-shares/add1')
    await page.click('main button:has-text("Publish the results")')
    await page.waitForSelector('.govuk-notification-banner')
    assert.equal((await findProcess(t.services.db, pid))?.phase, 'results')
    await visit(`/budgets/${pid}/results`)
    const text = ((await page.textContent('main')) ?? '').replace(/\s+/g, ' ')
    assert.match(text, /43 \(online 40, paper 3, imported 0\)/)
    assert.match(text, /Method of Equal Shares \(official\)/)
    assert.match(text, /Selected: its \d+ supporters paid up to £[\d,.]+ each/)
    const api = await page.request.get(`${base}/api/v1/budgets/${bid}/results`)
    const json = (await api.json()) as { selected: number[]; ballots: { paper: number } }
    assert.deepEqual(json.selected, count!.official.selected.map(Number))
    assert.equal(json.ballots.paper, 3)
    await visit(`/cy/budgets/${pid}/results`)
    assert.match((await page.textContent('main')) ?? '', /Beth fyddai pob rheol gyfrif wedi’i ddewis/)
  })

  it('records a milestone for a winning project', async () => {
    const winner = Number((await findCount(t.services.db, bid))!.official.selected[0])
    await visit(`/admin/budgets/${pid}/projects/${winner}`)
    await page.fill('#titleEn', 'Contractor appointed')
    await page.fill('#titleCy', 'Contractwr wedi’i benodi')
    await page.fill('#date', '2027-09-01')
    await page.selectOption('#status', 'done')
    await page.click('main form:has(#date) button[type="submit"]')
    await page.waitForSelector('.govuk-notification-banner')
    await checked('milestone added')
    await visit(`/cy/budgets/${pid}/projects/${winner}`)
    assert.match((await page.textContent('main')) ?? '', /Contractwr wedi’i benodi/)
  })

  it('the staff pages pass axe in Welsh too', async () => {
    for (const path of [
      '/cy/admin/budgets',
      `/cy/admin/budgets/${pid}`,
      `/cy/admin/budgets/${pid}/budgets/${bid}`,
      `/cy/admin/budgets/${pid}/projects/${ids[3]}`,
      `/cy/admin/budgets/${pid}/budgets/new`,
    ]) {
      await visit(path)
    }
  })

  it('publishes a past election from a Pabulib file: the results page shows the official winners', {
    skip: existsSync(ASSEN) ? false : 'shared data not found',
  }, async () => {
    const chunks: string[] = []
    const io = {
      stdout: new Writable({ write: (c, _e, done) => done(void chunks.push(String(c))) }),
      stderr: new Writable({ write: (_c, _e, done) => done() }),
      stdin: new PassThrough(),
      services: async () => t.services,
    }
    assert.equal(await importPbCommand.run([ASSEN, '--json'], io), 0)
    const result = JSON.parse(chunks.join('')) as {
      processId: number
      selected: string[]
      matchesFile: boolean
    }
    assert.equal(result.matchesFile, true)
    for (const prefix of ['', '/cy']) {
      await visit(`${prefix}/budgets/${result.processId}/results`)
      assert.equal(
        await page.locator('main td .govuk-tag--green').count(),
        9,
        'the 9 official Assen projects',
      )
      assert.match((await page.textContent('main')) ?? '', /PopUp Podium/)
    }
    await visit(`/budgets/${result.processId}`)
  })
})
