import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { AxeBuilder } from '@axe-core/playwright'
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core'
import { TEST_PASSWORD, type TestApp } from './app.js'

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH)
export const NO_CHROMIUM_MESSAGE = `browser journeys skipped: Chromium not found at ${CHROMIUM_PATH} (install it with: apt-get install -y chromium)`

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Without the background-networking flags Chromium keeps calling home, which this network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Serves a test app on a free loopback port for a real browser. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = t.app.server.address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

/** WCAG 2.2 AA as axe tags it (there is no wcag22a tag; wcag22aa turns on target-size). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** Runs axe on the page and returns readable violations ("rule: target …"), empty when clean. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  )
}

/**
 * A page for a journey: British English, London time (dates on pages are in Europe/London), and
 * 20 s timeouts, as a shared 2-core machine can be slow to render a first page.
 */
export async function newJourneyPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London', ...options })
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  return { context, page }
}

/** Signs a member of staff in through the login form (in Welsh with prefix `/cy`) and waits for the dashboard. */
export async function signInStaff(page: Page, base: string, email: string, prefix = ''): Promise<void> {
  await page.goto(`${base}${prefix}/admin/login`)
  await page.fill('#email', email)
  await page.fill('#password', TEST_PASSWORD)
  await Promise.all([page.waitForURL(`${base}${prefix}/admin`), page.click('main button[type="submit"]')])
}
