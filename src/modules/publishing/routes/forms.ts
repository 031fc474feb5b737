/** Parsing and checking of the publishing forms: problems name the field, values keep what was typed. */

import { STAFF_ROLES } from '../../../platform/auth/actor.js'
import type { FieldProblem } from '../../../platform/http/forms.js'
import { field } from '../../../platform/http/forms.js'
import type { SocialNetwork } from '../../../platform/social/index.js'
import { londonToUtc } from '../../../platform/time/london.js'
import {
  ACCOUNT_KINDS,
  ACCOUNT_LANGUAGES,
  type AccountKind,
  type AccountLanguage,
  NETWORKS,
  STEP_MODES,
  type StepMode,
  type WorkflowStep,
} from '../domain/post.js'
import type { PostInput } from '../store/post-store.js'

export const POST_KINDS = ['text', 'image', 'video', 'link', 'reply'] as const

function list(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return []
  const v = (body as Record<string, unknown>)[name]
  return (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(String)
}

export interface PostValues {
  title: string
  topic: string
  team: string
  kind: string
  day: string
  time: string
  textEn: string
  textCy: string
  accounts: string[]
}

export function readPostForm(body: unknown): PostValues {
  return {
    title: field(body, 'title').trim(),
    topic: field(body, 'topic').trim(),
    team: field(body, 'team').trim(),
    kind: field(body, 'kind') || 'text',
    day: field(body, 'day').trim(),
    time: field(body, 'time').trim(),
    textEn: field(body, 'textEn').replace(/\r\n/g, '\n').trim(),
    textCy: field(body, 'textCy').replace(/\r\n/g, '\n').trim(),
    accounts: list(body, 'accounts'),
  }
}

export function checkPostForm(
  v: PostValues,
  accountIds: readonly number[],
): { problems: FieldProblem[]; input: PostInput | null; accounts: number[] } {
  const problems: FieldProblem[] = []
  if (v.title === '') problems.push({ field: 'title', code: 'missing' })
  else if (v.title.length > 200) problems.push({ field: 'title', code: 'tooLong' })
  if (v.topic === '') problems.push({ field: 'topic', code: 'missing' })
  if (v.team === '') problems.push({ field: 'team', code: 'missing' })
  if (!(POST_KINDS as readonly string[]).includes(v.kind)) problems.push({ field: 'kind', code: 'invalid' })
  const when = londonToUtc(v.day, v.time)
  if (v.day === '') problems.push({ field: 'day', code: 'missing' })
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(v.day) || (v.time !== '' && /^\d{1,2}:\d{2}$/.test(v.time) && !when))
    problems.push({ field: 'day', code: 'invalid' })
  if (v.time === '') problems.push({ field: 'time', code: 'missing' })
  else if (!/^\d{1,2}:\d{2}$/.test(v.time)) problems.push({ field: 'time', code: 'invalid' })
  if (v.textEn === '') problems.push({ field: 'textEn', code: 'missing' })
  if (v.textCy === '') problems.push({ field: 'textCy', code: 'missing' })
  const accounts = v.accounts.map(Number).filter((id) => accountIds.includes(id))
  if (accounts.length === 0) problems.push({ field: 'accounts', code: 'missing' })
  if (problems.length > 0 || !when) return { problems, input: null, accounts }
  return {
    problems,
    accounts,
    input: {
      title: v.title,
      topic: v.topic,
      team: v.team,
      kind: v.kind,
      textEn: v.textEn,
      textCy: v.textCy,
      plannedAt: when.toISOString(),
    },
  }
}

export interface AccountValues {
  name: string
  network: string
  kind: string
  team: string
  language: string
  serviceUrl: string
  identifier: string
  secret: string
  workflowId: string
  enabled: string
}

export function readAccountForm(body: unknown): AccountValues {
  return {
    name: field(body, 'name').trim(),
    network: field(body, 'network'),
    kind: field(body, 'kind'),
    team: field(body, 'team').trim(),
    language: field(body, 'language'),
    serviceUrl: field(body, 'serviceUrl').trim(),
    identifier: field(body, 'identifier').trim(),
    secret: field(body, 'secret').trim(),
    workflowId: field(body, 'workflowId'),
    enabled: field(body, 'enabled'),
  }
}

export function checkAccountForm(
  v: AccountValues,
  workflowIds: readonly number[],
): { problems: FieldProblem[]; input: import('../store/account-store.js').AccountInput | null } {
  const problems: FieldProblem[] = []
  if (v.name === '') problems.push({ field: 'name', code: 'missing' })
  if (!(NETWORKS as readonly string[]).includes(v.network))
    problems.push({ field: 'network', code: 'missing' })
  if (!(ACCOUNT_KINDS as readonly string[]).includes(v.kind))
    problems.push({ field: 'kind', code: 'missing' })
  if (v.team === '') problems.push({ field: 'team', code: 'missing' })
  if (!(ACCOUNT_LANGUAGES as readonly string[]).includes(v.language))
    problems.push({ field: 'language', code: 'missing' })
  let url: URL | null = null
  try {
    url = new URL(v.serviceUrl)
  } catch {
    url = null
  }
  if (v.serviceUrl === '') problems.push({ field: 'serviceUrl', code: 'missing' })
  else if (!url || !['http:', 'https:'].includes(url.protocol))
    problems.push({ field: 'serviceUrl', code: 'invalid' })
  if (v.identifier === '') problems.push({ field: 'identifier', code: 'missing' })
  const workflowId = Number(v.workflowId)
  if (!workflowIds.includes(workflowId)) problems.push({ field: 'workflowId', code: 'missing' })
  if (problems.length > 0) return { problems, input: null }
  return {
    problems,
    input: {
      name: v.name,
      network: v.network as SocialNetwork,
      kind: v.kind as AccountKind,
      team: v.team,
      language: v.language as AccountLanguage,
      serviceUrl: v.serviceUrl.replace(/\/+$/, ''),
      identifier: v.identifier,
      workflowId,
      enabled: v.enabled === 'yes',
    },
  }
}

export const MAX_STEPS = 3

export interface WorkflowValues {
  name: string
  steps: { name: string; mode: string; role: string; staff: string[] }[]
}

export function readWorkflowForm(body: unknown): WorkflowValues {
  const steps = []
  for (let i = 0; i < MAX_STEPS; i++) {
    steps.push({
      name: field(body, `step${i}Name`).trim(),
      mode: field(body, `step${i}Mode`) || 'any',
      role: field(body, `step${i}Role`),
      staff: list(body, `step${i}Staff`),
    })
  }
  return { name: field(body, 'name').trim(), steps }
}

export function checkWorkflowForm(
  v: WorkflowValues,
  staffIds: readonly number[],
): { problems: FieldProblem[]; steps: WorkflowStep[] } {
  const problems: FieldProblem[] = []
  if (v.name === '') problems.push({ field: 'name', code: 'missing' })
  const steps: WorkflowStep[] = []
  v.steps.forEach((s, i) => {
    const used = s.name !== '' || s.role !== '' || s.staff.length > 0
    if (!used) return
    if (s.name === '')
      problems.push({
        field: `step${i}Name`,
        code: 'missing',
        key: 'publishing.workflowForm.errors.stepName',
        vars: { n: i + 1 },
      })
    if (!(STEP_MODES as readonly string[]).includes(s.mode))
      problems.push({
        field: `step${i}Mode`,
        code: 'invalid',
        key: 'publishing.workflowForm.errors.stepMode',
        vars: { n: i + 1 },
      })
    const role = s.role === '' ? null : s.role
    if (role !== null && !(STAFF_ROLES as readonly string[]).includes(role))
      problems.push({
        field: `step${i}Role`,
        code: 'invalid',
        key: 'publishing.workflowForm.errors.stepRole',
        vars: { n: i + 1 },
      })
    const ids = s.staff.map(Number).filter((id) => staffIds.includes(id))
    if (role === null && ids.length === 0)
      problems.push({
        field: `step${i}Role`,
        code: 'missing',
        key: 'publishing.workflowForm.errors.stepApprovers',
        vars: { n: i + 1 },
      })
    steps.push({ name: s.name, mode: s.mode as StepMode, role, staffIds: ids })
  })
  if (steps.length === 0 && !problems.some((p) => p.field.startsWith('step')))
    problems.push({ field: 'step0Name', code: 'missing', key: 'publishing.workflowForm.errors.noSteps' })
  return { problems, steps }
}
