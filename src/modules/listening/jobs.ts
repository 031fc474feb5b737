import type { Services } from '../../platform/services.js'
import { detectSpikes } from './services/alerts.js'
import { sendWeeklyReport } from './services/report.js'
import { ensureStreams, pollDueSources } from './services/runner.js'
import { listeningSettings } from './settings.js'
import { deleteExpiredPosts } from './store/post-store.js'

/**
 * The module's recurring jobs (each period runs once across processes):
 * - `listening.poll` every minute: polling sources whose interval (setting `pollMinutes`) passed
 *   and whose back-off time has come;
 * - `listening.streams` every 30 s: streaming sources get a worker in whichever process claims
 *   their lease (workers renew it themselves; a dead process's lease runs out after a minute);
 * - `listening.spikes` hourly: the hour just ended, for every query, with alerts by email;
 * - `listening.daily` daily: retention, and on Mondays the weekly summary.
 */
export function registerListeningJobs(services: Services): void {
  const { db, jobs, logger } = services
  jobs.every('listening.poll', 60_000, async (periodStart) => {
    const settings = await listeningSettings(db)
    await pollDueSources(db, settings.pollMinutes, { now: periodStart })
  })
  jobs.every('listening.streams', 30_000, async () => {
    await ensureStreams(db, jobs.workerId, { log: (msg, details) => logger.warn(details ?? {}, msg) })
  })
  jobs.every('listening.spikes', 3_600_000, async (periodStart) => {
    await detectSpikes(db, periodStart, { mailer: services.mailer, publicUrl: services.config.publicUrl })
  })
  jobs.every('listening.daily', 86_400_000, async (periodStart) => {
    await deleteExpiredPosts(db, periodStart)
    await sendWeeklyReport(db, services.mailer, periodStart, { publicUrl: services.config.publicUrl })
  })
}
