/**
 * In order to decide how the money for my area is spent, as Rhian, a resident, I want to fill in
 * every kind of ballot — choosing projects, spending the budget, sharing out points and putting
 * projects in order — see my running total before I send it, and change my mind while voting
 * is open. It must work in English and in Welsh, with JavaScript and without it, and every page
 * must pass axe's WCAG 2.2 AA checks.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  approvalStyle,
  costLimitedStyle,
  cumulativeStyle,
  rankedStyle,
} from '../../src/modules/budgets/domain/ballots.js'
import type { Schedule } from '../../src/modules/budgets/domain/phases.js'
import { ballotHistory, listBallots } from '../../src/modules/budgets/store/ballot-store.js'
import { insertBudget, insertProcess } from '../../src/modules/budgets/store/process-store.js'
import { insertProject } from '../../src/modules/budgets/store/project-store.js'
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

const DAY = 86_400_000

describe('Rhian votes in a participatory budget (Chromium + axe)', {
  skip: HAVE_CHROMIUM ? false : NO_CHROMIUM_MESSAGE,
  timeout: 180_000,
}, () => {
  let t: TestApp
  let base: string
  let browser: Browser
  let pid: number
  const budgets: Record<'approval' | 'costLimited' | 'cumulative' | 'ranked', number> = {
    approval: 0,
    costLimited: 0,
    cumulative: 0,
    ranked: 0,
  }
  const projects: Record<keyof typeof budgets, number[]> = {
    approval: [],
    costLimited: [],
    cumulative: [],
    ranked: [],
  }

  before(async () => {
    t = await buildTestApp('sqlite')
    const db = t.services.db
    await enableModules(t.services, ['budgets'])
    const now = new Date()
    const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString()
    const schedule: Schedule = {
      proposing: at(-60),
      reviewing: at(-30),
      voting: at(-2),
      counting: at(14),
      results: at(21),
      delivery: at(40),
    }
    pid = await insertProcess(
      db,
      {
        titleEn: 'Community Budget 2027',
        titleCy: 'Cyllideb Gymunedol 2027',
        descriptionEn: 'Vote for the projects in your district.',
        descriptionCy: 'Pleidleisiwch dros y prosiectau yn eich ardal.',
        phase: 'voting',
        schedule,
        source: 'staff',
      },
      now,
    )
    const specs = [
      [
        'approval',
        'Aberglan North',
        'Gogledd Aberglan',
        approvalStyle({ minProjects: 1, maxProjects: 2 }),
        ['SA43'],
      ],
      ['costLimited', 'Glanaber South', 'De Glanaber', costLimitedStyle({ budget: 4_500_000 }), ['SA43']],
      [
        'cumulative',
        'The Harbour',
        'Yr Harbwr',
        cumulativeStyle({ totalPoints: 10, maxPointsPerProject: 6 }),
        [],
      ],
      ['ranked', 'The Hills', 'Y Bryniau', rankedStyle({ maxRanks: 2 }), []],
    ] as const
    const ideas: [string, string, number][] = [
      ['Play area at Parc y Dre', 'Ardal chwarae ym Mharc y Dre', 2_000_000],
      ['Benches on the High Street', 'Meinciau ar y Stryd Fawr', 1_500_000],
      ['Safe crossing by the school', 'Croesfan ddiogel ger yr ysgol', 1_200_000],
      ['Community orchard', 'Perllan gymunedol', 900_000],
    ]
    for (const [key, en, cy, style, area] of specs) {
      budgets[key] = await insertBudget(
        db,
        pid,
        {
          titleEn: en,
          titleCy: cy,
          descriptionEn: '',
          descriptionCy: '',
          amount: 4_500_000,
          currency: 'GBP',
          area,
          voterRule: 'residents',
          style,
          rule: null,
        },
        now,
      )
      for (const [pen, pcy, cost] of ideas) {
        projects[key].push(
          await insertProject(
            db,
            {
              budgetId: budgets[key],
              titleEn: pen,
              titleCy: pcy,
              descriptionEn: `${pen}, for everyone in ${en}.`,
              descriptionCy: `${pcy}, i bawb yn ${cy}.`,
              location: en,
              estimatedCost: cost,
              finalCost: cost,
              status: 'feasible',
              source: 'staff',
            },
            now,
          ),
        )
      }
    }
    base = await listen(t)
    browser = await launchChromium()
  })
  after(async () => {
    await checker?.context().close()
    await browser?.close()
    await t?.close()
  })

  let checker: Page | null = null
  const withoutJavaScript = new WeakSet<Page>()
  /**
   * Axe runs as a script in the page, which a page without JavaScript cannot run: its HTML (the
   * page exactly as served, scripts removed) is checked in a second page on the same origin.
   */
  async function checked(page: Page, what: string): Promise<void> {
    if (withoutJavaScript.has(page)) {
      if (!checker) {
        checker = await (await browser.newContext({ locale: 'cy-GB' })).newPage()
        await checker.goto(`${base}/accessibility`)
      }
      const html = (await page.content()).replace(/<script[\s\S]*?<\/script>/g, '')
      await checker.setContent(html, { waitUntil: 'load' })
      assert.deepEqual(await axeViolations(checker), [], `axe on ${what} (served without JavaScript)`)
      return
    }
    assert.deepEqual(await axeViolations(page), [], `axe on ${what}`)
  }

  async function signIn(page: Page, prefix: string, email: string): Promise<void> {
    await page.goto(`${base}${prefix}/account/sign-in`)
    await page.fill('#email', email)
    await page.click('main button[type="submit"]')
    await page.waitForSelector('main h1')
    const [mail] = await listOutbox(t.services.db, { to: email, limit: 1 })
    const link = /(http\S+verify\?token=[\w-]+)/.exec(mail!.text)![1]!.replace('http://localhost:3000', base)
    await page.goto(link)
    await page.click('main button[type="submit"]')
    await page.waitForURL(`${base}${prefix}/account`)
  }

  const main = async (page: Page) => (await page.textContent('main')) ?? ''
  const send = (page: Page) => page.click('main button[value="cast"]')
  const check = (page: Page) => page.click('main button[value="check"]')

  for (const [prefix, javaScript] of [
    ['', true],
    ['/cy', false],
  ] as const) {
    const welsh = prefix === '/cy'
    const email = welsh ? 'rhian.cy@example.org' : 'rhian@example.org'
    const words = welsh
      ? {
          recorded: /Mae eich pleidlais wedi’i chofnodi/,
          over: /sy’n fwy na’r gyllideb o £45,000/,
          dupRank: /yn ddewis 1/,
          tooManyPoints: /Rhowch ddim mwy na 6 pwynt i/,
          pointsLeft: /Pwyntiau ar ôl\s*1/,
          left: /Ar ôl i’w wario\s*£1,000/,
          minimum: /Rhaid i chi wario o leiaf\s*£31,500/,
          already: /Fe wnaethoch chi bleidleisio ar/,
          changed: /Mae’n cymryd lle eich pleidlais gynharach/,
          outside: /Dydy eich cod post SA45 1AB ddim yn ardal y gyllideb hon/,
        }
      : {
          recorded: /Your vote has been recorded/,
          over: /which is more than the budget of £45,000/,
          dupRank: /your choice 1/,
          tooManyPoints: /Give no more than 6 points to/,
          pointsLeft: /Points left\s*1/,
          left: /Left to spend\s*£1,000/,
          minimum: /You must spend at least\s*£31,500/,
          already: /You voted on/,
          changed: /It replaces your earlier vote/,
          outside: /Your postcode SA45 1AB is not in the area of this budget/,
        }

    describe(`in ${welsh ? 'Welsh' : 'English'}, ${javaScript ? 'with' : 'without'} JavaScript`, () => {
      let context: BrowserContext
      let page: Page
      before(async () => {
        context = await browser.newContext({
          locale: welsh ? 'cy-GB' : 'en-GB',
          timezoneId: 'Europe/London',
          javaScriptEnabled: javaScript,
        })
        page = await context.newPage()
        page.setDefaultTimeout(10_000)
        if (!javaScript) withoutJavaScript.add(page)
        await signIn(page, prefix, email)
      })
      after(async () => {
        await context?.close()
      })

      it('states her postcode, then chooses projects (approval) and changes her vote', async () => {
        await page.goto(`${base}${prefix}/budgets/${pid}`)
        await checked(page, 'process page')
        await page.click(`main a[href="${prefix}/budgets/${pid}/vote/${budgets.approval}"]`)
        await page.waitForSelector('#postcode')
        await checked(page, 'postcode question')
        await page.fill('#postcode', 'sa45 1ab')
        await page.click('main button[type="submit"]')
        await page.waitForSelector('.govuk-inset-text')
        assert.match(await main(page), words.outside)
        await checked(page, 'outside the area')
        await page.fill('#postcode', 'SA43 1AB')
        await page.click('main button[type="submit"]')
        await page.waitForSelector('input[name="projects"]')
        await checked(page, 'approval ballot')
        const [p1, p2, p3] = projects.approval.map(String)
        await page.check(`input[name="projects"][value="${p1}"]`)
        await page.check(`input[name="projects"][value="${p2}"]`)
        await page.check(`input[name="projects"][value="${p3}"]`)
        await check(page)
        await page.waitForSelector('.govuk-error-summary')
        await checked(page, 'approval ballot, too many')
        assert.equal(
          await page.isChecked(`input[name="projects"][value="${p3}"]`),
          true,
          'her choices are kept',
        )
        await page.uncheck(`input[name="projects"][value="${p3}"]`)
        await send(page)
        await page.waitForURL(`${base}${prefix}/budgets/${pid}/vote/${budgets.approval}/done`)
        assert.match(await main(page), words.recorded)
        await checked(page, 'vote recorded')
        // She changes her mind while voting is open.
        await page.click(`main a[href="${prefix}/budgets/${pid}/vote/${budgets.approval}"]`)
        await page.waitForSelector('input[name="projects"]')
        assert.match(await main(page), words.already)
        assert.equal(
          await page.isChecked(`input[name="projects"][value="${p1}"]`),
          true,
          'her vote is shown again',
        )
        await page.uncheck(`input[name="projects"][value="${p1}"]`)
        await page.check(`input[name="projects"][value="${p3}"]`)
        await send(page)
        await page.waitForURL(/\/done$/)
        assert.match(await main(page), words.changed)
        await checked(page, 'vote changed')
      })

      it('spends the budget (cost-limited), with the running total checked on the server', async () => {
        await page.goto(`${base}${prefix}/budgets/${pid}/vote/${budgets.costLimited}`)
        await page.waitForSelector('input[name="projects"]')
        await checked(page, 'cost-limited ballot')
        const [p1, p2, p3, p4] = projects.costLimited.map(String)
        for (const p of [p1, p2, p3]) await page.check(`input[name="projects"][value="${p}"]`)
        await check(page)
        await page.waitForSelector('.govuk-error-summary')
        assert.match(await main(page), words.over)
        await checked(page, 'cost-limited ballot, over budget')
        await page.uncheck(`input[name="projects"][value="${p3}"]`)
        await page.check(`input[name="projects"][value="${p4}"]`)
        await check(page)
        await page.waitForSelector('#running-total')
        const text = (await main(page)).replace(/\s+/g, ' ')
        assert.match(text, words.left)
        assert.match(text, words.minimum)
        await checked(page, 'cost-limited ballot, checked')
        await send(page)
        await page.waitForURL(/\/done$/)
        assert.match(await main(page), words.recorded)
      })

      it('shares out her points (cumulative)', async () => {
        await page.goto(`${base}${prefix}/budgets/${pid}/vote/${budgets.cumulative}`)
        const [p1, p2, p3] = projects.cumulative
        await page.waitForSelector(`#points-${p1}`)
        await checked(page, 'points ballot')
        await page.fill(`#points-${p1}`, '7')
        await page.fill(`#points-${p2}`, '2')
        await check(page)
        await page.waitForSelector('.govuk-error-summary')
        assert.match(await main(page), words.tooManyPoints)
        await checked(page, 'points ballot, too many on one')
        await page.fill(`#points-${p1}`, '6')
        await page.fill(`#points-${p3}`, '1')
        await check(page)
        await page.waitForSelector('#running-total')
        assert.match((await main(page)).replace(/\s+/g, ' '), words.pointsLeft)
        await send(page)
        await page.waitForURL(/\/done$/)
        assert.match(await main(page), words.recorded)
      })

      it('puts projects in order (ranked)', async () => {
        await page.goto(`${base}${prefix}/budgets/${pid}/vote/${budgets.ranked}`)
        const [p1, p2, p3] = projects.ranked
        await page.waitForSelector(`#rank-${p1}`)
        await checked(page, 'ranked ballot')
        await page.selectOption(`#rank-${p2}`, '1')
        await page.selectOption(`#rank-${p3}`, '1')
        await send(page)
        await page.waitForSelector('.govuk-error-summary')
        assert.match(await main(page), words.dupRank)
        await checked(page, 'ranked ballot, a position twice')
        assert.equal(await page.inputValue(`#rank-${p2}`), '1', 'her picks are shown again')
        assert.equal(await page.inputValue(`#rank-${p3}`), '1')
        await page.selectOption(`#rank-${p1}`, '2')
        await page.selectOption(`#rank-${p2}`, '')
        await send(page)
        await page.waitForURL(/\/done$/)
        await checked(page, 'ranked vote recorded')
      })
    })
  }

  it('stored one ballot per voter and budget, each version kept', async () => {
    const approval = await listBallots(t.services.db, budgets.approval)
    assert.equal(approval.length, 2, 'Rhian in English and Rhian in Welsh')
    for (const b of approval) {
      assert.equal(b.version, 2)
      assert.deepEqual(b.ballot, { kind: 'approval', projects: projects.approval.slice(1, 3).map(String) })
      assert.equal((await ballotHistory(t.services.db, b.id)).length, 2)
    }
    const ranked = await listBallots(t.services.db, budgets.ranked)
    assert.deepEqual(
      ranked.map((b) => b.ballot),
      [0, 1].map(() => ({
        kind: 'ranked',
        ranking: [String(projects.ranked[2]), String(projects.ranked[0])],
      })),
    )
    const points = await listBallots(t.services.db, budgets.cumulative)
    assert.deepEqual(points[0]!.ballot, {
      kind: 'cumulative',
      allocations: [
        { projectId: String(projects.cumulative[0]), points: 6 },
        { projectId: String(projects.cumulative[1]), points: 2 },
        { projectId: String(projects.cumulative[2]), points: 1 },
      ],
    })
  })
})
