/** Teams, agents, routing rules, SLA policies, sensitive topics and house-rule codes. */
import type { Selectable } from 'kysely'
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { BusinessHours, DayWindow } from '../domain/business-hours.js'
import { isPriority } from '../domain/case.js'
import type { RoutingRule, RuleConditions } from '../domain/routing.js'
import type { SlaPolicy } from '../domain/sla.js'
import type { InboxTables } from './tables.js'
import './tables.js'

export interface Team {
  readonly id: number
  readonly name: string
  readonly email: string | null
  readonly slaPolicyId: number | null
}

export async function listTeams(db: DbOrTrx): Promise<Team[]> {
  const rows = await db.selectFrom('inbox_teams').selectAll().orderBy('name').execute()
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    email: r.email,
    slaPolicyId: r.sla_policy_id === null ? null : Number(r.sla_policy_id),
  }))
}

export async function insertTeam(
  db: DbOrTrx,
  input: { name: string; email?: string | null; slaPolicyId?: number | null },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('inbox_teams')
    .values({
      name: input.name,
      email: input.email ?? null,
      sla_policy_id: input.slaPolicyId ?? null,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function findTeamByName(db: DbOrTrx, name: string): Promise<Team | undefined> {
  return (await listTeams(db)).find((t) => t.name.toLowerCase() === name.toLowerCase())
}

export interface Agent {
  readonly staffId: number
  readonly name: string
  readonly email: string
  readonly available: boolean
  readonly maxOpen: number
  readonly openCount: number
  readonly lastAssignedAt: string | null
  readonly teamIds: readonly number[]
}

/** Makes a staff member an agent (idempotent) and adds them to a team. */
export async function addTeamMember(
  db: DbOrTrx,
  teamId: number,
  staffId: number,
  options: { maxOpen?: number } = {},
): Promise<void> {
  await db
    .insertInto('inbox_agents')
    .values({ staff_id: staffId, max_open: options.maxOpen ?? 25 })
    .onConflict((oc) => oc.column('staff_id').doNothing())
    .execute()
  await db
    .insertInto('inbox_team_members')
    .values({ team_id: teamId, staff_id: staffId })
    .onConflict((oc) => oc.columns(['team_id', 'staff_id']).doNothing())
    .execute()
}

export async function removeTeamMember(db: DbOrTrx, teamId: number, staffId: number): Promise<void> {
  await db
    .deleteFrom('inbox_team_members')
    .where('team_id', '=', teamId)
    .where('staff_id', '=', staffId)
    .execute()
}

export async function setAgent(
  db: DbOrTrx,
  staffId: number,
  patch: { available?: boolean; maxOpen?: number },
): Promise<void> {
  await db
    .insertInto('inbox_agents')
    .values({
      staff_id: staffId,
      available: patch.available === false ? 0 : 1,
      max_open: patch.maxOpen ?? 25,
    })
    .onConflict((oc) =>
      oc.column('staff_id').doUpdateSet({
        ...(patch.available !== undefined ? { available: patch.available ? 1 : 0 } : {}),
        ...(patch.maxOpen !== undefined ? { max_open: patch.maxOpen } : {}),
      }),
    )
    .execute()
}

export async function listAgents(db: DbOrTrx): Promise<Agent[]> {
  const rows = await db
    .selectFrom('inbox_agents as a')
    .innerJoin('staff_users as s', 's.id', 'a.staff_id')
    .select([
      'a.staff_id',
      'a.available',
      'a.max_open',
      'a.open_count',
      'a.last_assigned_at',
      's.name',
      's.email',
    ])
    .orderBy('s.name')
    .execute()
  const members = await db.selectFrom('inbox_team_members').selectAll().execute()
  return rows.map((r) => ({
    staffId: Number(r.staff_id),
    name: r.name,
    email: r.email,
    available: Number(r.available) === 1,
    maxOpen: Number(r.max_open),
    openCount: Number(r.open_count),
    lastAssignedAt: r.last_assigned_at,
    teamIds: members.filter((m) => Number(m.staff_id) === Number(r.staff_id)).map((m) => Number(m.team_id)),
  }))
}

/** Team members with their load, for round-robin (one indexed query; no counting of cases). */
export async function teamLoads(db: DbOrTrx, teamId: number) {
  const rows = await db
    .selectFrom('inbox_team_members as m')
    .innerJoin('inbox_agents as a', 'a.staff_id', 'm.staff_id')
    .select(['a.staff_id', 'a.available', 'a.max_open', 'a.open_count', 'a.last_assigned_at'])
    .where('m.team_id', '=', teamId)
    .execute()
  return rows.map((r) => ({
    staffId: Number(r.staff_id),
    available: Number(r.available) === 1,
    maxOpen: Number(r.max_open),
    openCount: Number(r.open_count),
    lastAssignedAt: r.last_assigned_at,
  }))
}

/** Keeps the open-case counter in step: +1 on assignment, −1 when a case closes or moves away. */
export async function adjustOpenCount(
  db: DbOrTrx,
  staffId: number,
  delta: number,
  now?: Date,
): Promise<void> {
  await db
    .updateTable('inbox_agents')
    .set((eb) => ({
      open_count: eb('open_count', '+', delta),
      ...(delta > 0 && now ? { last_assigned_at: now.toISOString() } : {}),
    }))
    .where('staff_id', '=', staffId)
    .execute()
}

// ── Rules ──────────────────────────────────────────────────────────────────────
function toRule(r: Selectable<InboxTables['inbox_rules']>): RoutingRule {
  return {
    id: Number(r.id),
    position: Number(r.position),
    name: r.name,
    enabled: Number(r.enabled) === 1,
    conditions: JSON.parse(r.conditions) as RuleConditions,
    actions: {
      teamId: r.team_id === null ? null : Number(r.team_id),
      tag: r.tag,
      priority: isPriority(r.priority) ? r.priority : null,
    },
  }
}

export async function listRules(db: DbOrTrx): Promise<RoutingRule[]> {
  const rows = await db.selectFrom('inbox_rules').selectAll().orderBy('position').orderBy('id').execute()
  return rows.map(toRule)
}

export async function insertRule(
  db: DbOrTrx,
  input: Omit<RoutingRule, 'id' | 'position' | 'enabled'> & { position?: number; enabled?: boolean },
  now: Date,
): Promise<number> {
  const max = await db
    .selectFrom('inbox_rules')
    .select((eb) => eb.fn.max<number>('position').as('p'))
    .executeTakeFirst()
  const row = await db
    .insertInto('inbox_rules')
    .values({
      position: input.position ?? Number(max?.p ?? 0) + 1,
      name: input.name,
      enabled: input.enabled === false ? 0 : 1,
      conditions: JSON.stringify(input.conditions),
      team_id: input.actions.teamId ?? null,
      tag: input.actions.tag ?? null,
      priority: input.actions.priority ?? null,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function deleteRule(db: DbOrTrx, id: number): Promise<boolean> {
  const r = await db.deleteFrom('inbox_rules').where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

// ── SLA policies ───────────────────────────────────────────────────────────────
function toPolicy(r: Selectable<InboxTables['inbox_sla_policies']>): SlaPolicy & { isDefault: boolean } {
  const hours = JSON.parse(r.hours) as { timeZone: string; days: (DayWindow | null)[] }
  const bh: BusinessHours = {
    timeZone: hours.timeZone,
    days: hours.days,
    holidays: JSON.parse(r.holidays) as string[],
  }
  return {
    id: Number(r.id),
    name: r.name,
    firstResponseMinutes: Number(r.first_response_minutes),
    nextResponseMinutes: Number(r.next_response_minutes),
    resolutionMinutes: Number(r.resolution_minutes),
    warnMinutes: Number(r.warn_minutes),
    hours: bh,
    isDefault: Number(r.is_default) === 1,
  }
}

export type StoredPolicy = ReturnType<typeof toPolicy>

export async function listPolicies(db: DbOrTrx): Promise<StoredPolicy[]> {
  const rows = await db.selectFrom('inbox_sla_policies').selectAll().orderBy('id').execute()
  return rows.map(toPolicy)
}

export async function defaultPolicy(db: DbOrTrx): Promise<StoredPolicy> {
  const all = await listPolicies(db)
  const p = all.find((x) => x.isDefault) ?? all[0]
  if (!p) throw new Error('no SLA policy: the inbox migration creates one')
  return p
}

export async function updatePolicy(
  db: DbOrTrx,
  id: number,
  input: {
    name: string
    firstResponseMinutes: number
    nextResponseMinutes: number
    resolutionMinutes: number
    warnMinutes: number
    hours: BusinessHours
  },
  now: Date,
): Promise<void> {
  await db
    .updateTable('inbox_sla_policies')
    .set({
      name: input.name,
      first_response_minutes: input.firstResponseMinutes,
      next_response_minutes: input.nextResponseMinutes,
      resolution_minutes: input.resolutionMinutes,
      warn_minutes: input.warnMinutes,
      hours: JSON.stringify({ timeZone: input.hours.timeZone, days: input.hours.days }),
      holidays: JSON.stringify(input.hours.holidays),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

// ── Sensitive topics and house rules ───────────────────────────────────────────
export async function listSensitiveTopics(db: DbOrTrx): Promise<string[]> {
  const rows = await db.selectFrom('inbox_sensitive_topics').select('topic').orderBy('topic').execute()
  return rows.map((r) => r.topic)
}

export async function replaceSensitiveTopics(
  db: DbOrTrx,
  topics: readonly string[],
  now: Date,
): Promise<void> {
  await db.deleteFrom('inbox_sensitive_topics').execute()
  if (topics.length > 0)
    await db
      .insertInto('inbox_sensitive_topics')
      .values(
        [...new Set(topics.map((t) => t.toLowerCase()))].map((topic) => ({
          topic,
          created_at: now.toISOString(),
        })),
      )
      .execute()
}

export interface HouseRule {
  readonly code: string
  readonly nameEn: string
  readonly nameCy: string
}

export async function listHouseRules(db: DbOrTrx): Promise<HouseRule[]> {
  const rows = await db.selectFrom('inbox_house_rules').selectAll().orderBy('code').execute()
  return rows.map((r) => ({ code: r.code, nameEn: r.name_en, nameCy: r.name_cy }))
}

export async function insertHouseRule(db: DbOrTrx, rule: HouseRule, now: Date): Promise<boolean> {
  const r = await db
    .insertInto('inbox_house_rules')
    .values({ code: rule.code, name_en: rule.nameEn, name_cy: rule.nameCy, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}
