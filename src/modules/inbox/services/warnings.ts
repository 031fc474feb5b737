/**
 * Breach warnings: when a timer enters its warning window or runs out, the assignee (or, for an
 * unassigned case, the team's address) gets one email per case per timer and state — the case's
 * `warned` list remembers, so the job can run as often as it likes.
 */
import { recordAudit } from '../../../platform/audit/audit.js'
import { systemActor } from '../../../platform/auth/actor.js'
import type { Db } from '../../../platform/db/database.js'
import type { Mailer } from '../../../platform/mail/mail.js'
import { caseReference } from '../domain/case.js'
import { timerStates } from '../domain/sla.js'
import { listCases, updateCase } from '../store/case-store.js'
import { listTeams } from '../store/config-store.js'
import { policyFor, routingContext } from './intake.js'

const DAY_MS = 86_400_000

export async function warnBreaches(
  db: Db,
  mailer: Mailer,
  now: Date,
  options: { publicUrl?: string } = {},
): Promise<number> {
  const ctx = await routingContext(db, now.getTime())
  // Wall-clock time to a deadline is never shorter than business time, so a few days' horizon
  // (a long weekend) finds every case that can be in its warning window.
  const horizon = new Date(now.getTime() + 5 * DAY_MS).toISOString()
  const teams = new Map((await listTeams(db)).map((t) => [t.id, t]))
  let sent = 0
  for (const status of ['open', 'pending'] as const) {
    for (const c of await listCases(db, { status, dueBefore: horizon, limit: 5000 })) {
      const policy = policyFor(ctx, c.teamId, c.slaPolicyId)
      const states = timerStates(
        policy,
        {
          firstResponseDue: c.firstResponseDue,
          nextResponseDue: c.nextResponseDue,
          resolutionDue: c.resolutionDue,
        },
        now,
      )
      const fresh = states.filter(
        (s) => s.state !== 'ok' && !c.warned.includes(`${s.timer}:${s.due}:${s.state}`),
      )
      if (fresh.length === 0) continue
      const assignee = c.assigneeId
        ? await db
            .selectFrom('staff_users')
            .select(['email'])
            .where('id', '=', c.assigneeId)
            .executeTakeFirst()
        : undefined
      const to = assignee?.email ?? (c.teamId ? teams.get(c.teamId)?.email : null) ?? null
      await db.transaction().execute(async (trx) => {
        for (const s of fresh) {
          if (to) {
            await mailer.send(
              trx,
              {
                to,
                template: 'inbox-breach',
                language: 'en',
                data: {
                  reference: caseReference(c.id),
                  timer: s.timer,
                  state: s.state,
                  due: s.due,
                  link: `${options.publicUrl ?? ''}/admin/inbox/cases/${c.id}`,
                },
              },
              now,
            )
            sent++
          }
          await recordAudit(trx, {
            actor: systemActor('inbox.breaches'),
            action: `inbox.sla.${s.state}`,
            subject: { type: 'inbox_case', id: c.id },
            details: { timer: s.timer, due: s.due, notified: to !== null },
            at: now,
          })
        }
        await updateCase(trx, c.id, {
          warned: JSON.stringify([...c.warned, ...fresh.map((s) => `${s.timer}:${s.due}:${s.state}`)]),
        })
      })
    }
  }
  return sent
}
