import type { DbOrTrx } from '../../../platform/db/database.js'
import type { SocialNetwork } from '../../../platform/social/index.js'
import type { AccountKind, AccountLanguage, StepMode, WorkflowStep } from '../domain/post.js'
import './tables.js'

export interface Account {
  readonly id: number
  readonly name: string
  readonly network: SocialNetwork
  readonly kind: AccountKind
  readonly team: string
  readonly language: AccountLanguage
  readonly serviceUrl: string
  readonly identifier: string
  /** Only whether credentials are stored and when: the secret itself never leaves the store. */
  readonly hasSecret: boolean
  readonly secretStoredAt: string | null
  readonly workflowId: number
  readonly enabled: boolean
}

export interface AccountInput {
  readonly name: string
  readonly network: SocialNetwork
  readonly kind: AccountKind
  readonly team: string
  readonly language: AccountLanguage
  readonly serviceUrl: string
  readonly identifier: string
  readonly workflowId: number
  readonly enabled: boolean
}

type AccountRow = {
  id: number | string
  name: string
  network: string
  kind: string
  team: string
  language: string
  service_url: string
  identifier: string
  secret_enc: string | null
  secret_stored_at: string | null
  workflow_id: number | string
  enabled: number
}

function toAccount(r: AccountRow): Account {
  return {
    id: Number(r.id),
    name: r.name,
    network: r.network as SocialNetwork,
    kind: r.kind as AccountKind,
    team: r.team,
    language: r.language as AccountLanguage,
    serviceUrl: r.service_url,
    identifier: r.identifier,
    hasSecret: r.secret_enc !== null,
    secretStoredAt: r.secret_stored_at,
    workflowId: Number(r.workflow_id),
    enabled: Number(r.enabled) === 1,
  }
}

export async function listAccounts(db: DbOrTrx): Promise<Account[]> {
  return (await db.selectFrom('publishing_accounts').selectAll().orderBy('name').execute()).map(toAccount)
}

export async function findAccount(db: DbOrTrx, id: number): Promise<Account | undefined> {
  const row = await db.selectFrom('publishing_accounts').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toAccount(row) : undefined
}

export async function findAccountByName(db: DbOrTrx, name: string): Promise<Account | undefined> {
  const row = await db
    .selectFrom('publishing_accounts')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst()
  return row ? toAccount(row) : undefined
}

/** The encrypted secret, for the publisher only. */
export async function accountSecret(db: DbOrTrx, id: number): Promise<string | null> {
  const row = await db
    .selectFrom('publishing_accounts')
    .select('secret_enc')
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.secret_enc ?? null
}

function columns(a: AccountInput) {
  return {
    name: a.name,
    network: a.network,
    kind: a.kind,
    team: a.team,
    language: a.language,
    service_url: a.serviceUrl,
    identifier: a.identifier,
    workflow_id: a.workflowId,
    enabled: a.enabled ? 1 : 0,
  }
}

export async function insertAccount(
  db: DbOrTrx,
  a: AccountInput,
  secretEnc: string | null,
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('publishing_accounts')
    .values({
      ...columns(a),
      secret_enc: secretEnc,
      secret_stored_at: secretEnc === null ? null : now.toISOString(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** Updates the account; the secret only when a new one is given (`undefined` keeps it). */
export async function updateAccount(
  db: DbOrTrx,
  id: number,
  a: AccountInput,
  secretEnc: string | undefined,
  now: Date,
): Promise<void> {
  await db
    .updateTable('publishing_accounts')
    .set({
      ...columns(a),
      ...(secretEnc === undefined ? {} : { secret_enc: secretEnc, secret_stored_at: now.toISOString() }),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

export interface Workflow {
  readonly id: number
  readonly name: string
  readonly steps: readonly WorkflowStep[]
}

function parseSteps(json: string): WorkflowStep[] {
  const raw = JSON.parse(json) as unknown
  if (!Array.isArray(raw)) return []
  return raw.map((s: Record<string, unknown>) => ({
    name: String(s['name'] ?? ''),
    mode: (s['mode'] === 'all' ? 'all' : 'any') as StepMode,
    role: typeof s['role'] === 'string' && s['role'] !== '' ? s['role'] : null,
    staffIds: Array.isArray(s['staffIds'])
      ? (s['staffIds'] as unknown[]).map(Number).filter(Number.isSafeInteger)
      : [],
  }))
}

export async function listWorkflows(db: DbOrTrx): Promise<Workflow[]> {
  const rows = await db.selectFrom('publishing_workflows').selectAll().orderBy('name').execute()
  return rows.map((r) => ({ id: Number(r.id), name: r.name, steps: parseSteps(r.steps) }))
}

export async function findWorkflow(db: DbOrTrx, id: number): Promise<Workflow | undefined> {
  const r = await db.selectFrom('publishing_workflows').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? { id: Number(r.id), name: r.name, steps: parseSteps(r.steps) } : undefined
}

export async function findWorkflowByName(db: DbOrTrx, name: string): Promise<Workflow | undefined> {
  const r = await db
    .selectFrom('publishing_workflows')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst()
  return r ? { id: Number(r.id), name: r.name, steps: parseSteps(r.steps) } : undefined
}

export async function insertWorkflow(
  db: DbOrTrx,
  name: string,
  steps: readonly WorkflowStep[],
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('publishing_workflows')
    .values({
      name,
      steps: JSON.stringify(steps),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function updateWorkflow(
  db: DbOrTrx,
  id: number,
  name: string,
  steps: readonly WorkflowStep[],
  now: Date,
): Promise<void> {
  await db
    .updateTable('publishing_workflows')
    .set({ name, steps: JSON.stringify(steps), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}
