import type { Services } from '../../platform/services.js'
import { deliverQueued, pullMentions } from './services/delivery.js'
import { inboxDeps } from './services/deps.js'
import { type MailIntake, startMailIntake } from './services/mail-intake.js'
import { warnBreaches } from './services/warnings.js'
import { inboxSettings } from './settings.js'

/**
 * The module's recurring jobs (each period runs once across processes):
 * - `inbox.mentions` every minute: new mentions and replies of every connected account;
 * - `inbox.send` every minute: replies still queued (a network was down) are retried;
 * - `inbox.breaches` every 5 minutes: warnings to assignees, once per case per timer;
 * - `inbox.smtp` every 30 s in every process: keeps the SMTP listener up when a port is set
 *   (the first process to bind the port takes the mail).
 */
export function registerInboxJobs(services: Services): void {
  const { db, jobs, logger } = services
  const log = (msg: string, details: Record<string, unknown>) => logger.warn(details, msg)
  jobs.every('inbox.mentions', 60_000, async (periodStart) => {
    const deps = inboxDeps(services)
    for (const account of await deps.accounts()) {
      try {
        await pullMentions(db, account, { ...(deps.fetch ? { fetch: deps.fetch } : {}), now: periodStart })
      } catch (err) {
        log('inbox mentions pull failed', { account: account.key, err: (err as Error).message })
      }
    }
  })
  jobs.every('inbox.send', 60_000, async () => {
    const deps = inboxDeps(services)
    await deliverQueued(db, { mailer: services.mailer, ...deps, now: new Date(), log })
  })
  jobs.every('inbox.breaches', 300_000, async (periodStart) => {
    await warnBreaches(db, services.mailer, periodStart, { publicUrl: services.config.publicUrl })
  })
  let intake: MailIntake | null = null
  let intakePort = 0
  jobs.every(`inbox.smtp.${jobs.workerId}`, 30_000, async () => {
    const { smtpIntakePort } = await inboxSettings(db)
    if (intake && intakePort === smtpIntakePort) return
    if (intake) await intake.close()
    intake = null
    intakePort = smtpIntakePort
    if (smtpIntakePort === 0) return
    try {
      intake = await startMailIntake(db, { port: smtpIntakePort, host: '0.0.0.0', log })
    } catch (err) {
      log('inbox SMTP intake not started', { port: smtpIntakePort, err: (err as Error).message })
    }
  })
}
