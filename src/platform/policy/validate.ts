import { compilePattern } from './matchers.js'
import {
  CHANNELS,
  PERSONAL_DATA_DETECTORS,
  type Policy,
  type PolicyProblem,
  RULE_KINDS,
  SEVERITIES,
} from './types.js'

export const RULE_CODE = /^[a-z0-9][a-z0-9.-]{0,59}$/
const MAX_TERMS = 500
const MAX_TERM_LENGTH = 200
const MAX_MESSAGE_LENGTH = 500

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

/**
 * Every problem with a policy, naming the rule and the field: what an admin sees before anything
 * is saved. A pattern that does not compile, a duplicated code, a limit that is not a whole number.
 */
export function policyProblems(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  if (!policy || !Array.isArray(policy.rules)) return [{ rule: '', field: 'rules', problem: 'required' }]
  const codes = new Set<string>()
  for (const [i, r] of policy.rules.entries()) {
    const rule = typeof r?.code === 'string' && r.code ? r.code : `#${i + 1}`
    const bad = (field: string, problem: string, value?: string) =>
      problems.push(value === undefined ? { rule, field, problem } : { rule, field, problem, value })
    if (!r || typeof r !== 'object') {
      bad('rule', 'invalid')
      continue
    }
    if (typeof r.code !== 'string' || !RULE_CODE.test(r.code)) bad('code', 'invalid')
    else if (codes.has(r.code)) bad('code', 'duplicate')
    else codes.add(r.code)
    if (!(RULE_KINDS as readonly string[]).includes(r.kind)) bad('kind', 'invalid')
    if (!(SEVERITIES as readonly string[]).includes(r.severity)) bad('severity', 'invalid')
    if (typeof r.enabled !== 'boolean') bad('enabled', 'invalid')
    for (const lang of ['en', 'cy'] as const) {
      const m = r.message?.[lang]
      if (typeof m !== 'string' || !m.trim()) bad(`message.${lang}`, 'required')
      else if (m.length > MAX_MESSAGE_LENGTH) bad(`message.${lang}`, 'too-long')
    }
    const terms: unknown = r.terms
    if (terms !== undefined) {
      if (!isStringList(terms)) bad('terms', 'invalid')
      else if (terms.length > MAX_TERMS) bad('terms', 'too-many')
      else if (terms.some((t) => t.length > MAX_TERM_LENGTH)) bad('terms', 'too-long')
      else if (terms.some((t) => !t.trim() || t.trim() === '=')) bad('terms', 'empty')
    }
    if (r.patterns !== undefined) {
      if (!isStringList(r.patterns)) bad('patterns', 'invalid')
      else {
        for (const p of r.patterns) {
          try {
            const re = compilePattern(p)
            // A pattern that matches the empty string would flag every position.
            if (re.test('')) bad('patterns', 'matches-empty', p)
          } catch {
            bad('patterns', 'does-not-compile', p)
            break
          }
        }
      }
    }
    if (r.kind === 'terms' && (r.terms?.length ?? 0) + (r.patterns?.length ?? 0) === 0 && r.enabled) {
      bad('terms', 'required')
    }
    if (
      r.kind === 'personal-data' &&
      !(PERSONAL_DATA_DETECTORS as readonly string[]).includes(r.detector ?? '')
    ) {
      bad('detector', 'invalid')
    }
    if (r.allow !== undefined && !isStringList(r.allow)) bad('allow', 'invalid')
    if (r.limits !== undefined) {
      if (!r.limits || typeof r.limits !== 'object') bad('limits', 'invalid')
      else {
        for (const [channel, limit] of Object.entries(r.limits)) {
          if (!(CHANNELS as readonly string[]).includes(channel)) bad('limits', 'invalid')
          else if (!Number.isInteger(limit) || (limit as number) < 0 || (limit as number) > 100_000) {
            bad(`limits.${channel}`, 'invalid')
          }
        }
      }
    }
    if (r.threshold !== undefined && (typeof r.threshold !== 'number' || !Number.isFinite(r.threshold))) {
      bad('threshold', 'invalid')
    }
    if (r.minWords !== undefined && (!Number.isInteger(r.minWords) || r.minWords < 0))
      bad('minWords', 'invalid')
    if (r.appliesTo !== undefined && !isStringList(r.appliesTo)) bad('appliesTo', 'invalid')
  }
  return problems
}
