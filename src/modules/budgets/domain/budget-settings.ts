/**
 * A budget's settings as staff type them: titles, amount and currency, the eligible area, who
 * may vote, the ballot style with its parameters, and the counting rule. Pure parsing and
 * checking; each style's parameters have their own field names so that every field can be on
 * the page at once without JavaScript.
 */
import {
  approvalStyle,
  type BallotStyle,
  costLimitedStyle,
  cumulativeStyle,
  DEFAULT_MIN_SPEND_PERCENT,
  rankedStyle,
  validateStyle,
} from './ballots.js'
import { isApplicable, parseRuleKey } from './counting.js'
import { isVoterRule, parseArea, type VoterRule } from './eligibility.js'
import { amountText, type FieldProblem, parseAmount } from './projects.js'

export const STYLE_KINDS = [
  'approval',
  'cost-limited',
  'cumulative',
  'ranked',
] as const satisfies readonly BallotStyle['kind'][]

export const RULE_CHOICES = [
  'default',
  'greedy',
  'greedy-points',
  'equal-shares/add1',
  'equal-shares/add1-greedy',
] as const

export interface BudgetSettings {
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
  /** Minor units (cents, pence). */
  readonly amount: number
  readonly currency: string
  readonly area: readonly string[]
  readonly voterRule: VoterRule
  /** The ballot style; a cost-limited style's budget is always the budget's amount. */
  readonly style: BallotStyle
  /** A rule key (`greedy`, `equal-shares/add1`, …) or null for the style's default. */
  readonly rule: string | null
}

type Body = Readonly<Record<string, unknown>>

function text(body: Body, name: string): string {
  const value = body[name]
  if (Array.isArray(value)) return String(value[0] ?? '').trim()
  return value === undefined || value === null ? '' : String(value).trim()
}

/** A whole number field: '' → fallback, otherwise the number or NaN. */
function whole(body: Body, name: string, fallback: number | null): number | null {
  const t = text(body, name)
  if (t === '') return fallback
  return /^\d{1,9}$/.test(t) ? Number(t) : Number.NaN
}

function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false
  try {
    new Intl.NumberFormat('en-GB', { style: 'currency', currency: code })
    return true
  } catch {
    return false
  }
}

/** Reads and checks the budget form. Field names match the form's inputs, so problems link to them. */
export function budgetSettingsFromForm(body: Body): {
  problems: FieldProblem[]
  settings: BudgetSettings | null
} {
  const problems: FieldProblem[] = []
  const titleEn = text(body, 'titleEn')
  const titleCy = text(body, 'titleCy')
  if (titleEn === '') problems.push({ field: 'titleEn', code: 'required' })
  if (titleCy === '') problems.push({ field: 'titleCy', code: 'required' })
  for (const f of ['titleEn', 'titleCy'] as const)
    if (text(body, f).length > 200) problems.push({ field: f, code: 'too-long' })
  const amount = parseAmount(text(body, 'amount'))
  if (text(body, 'amount') === '') problems.push({ field: 'amount', code: 'required' })
  else if (amount === null || amount === 0) problems.push({ field: 'amount', code: 'invalid' })
  const currency = text(body, 'currency').toUpperCase() || 'GBP'
  if (!isCurrency(currency)) problems.push({ field: 'currency', code: 'invalid' })
  const area = parseArea(text(body, 'area'))
  if (area.invalid.length > 0)
    problems.push({ field: 'area', code: 'invalid', vars: { entries: area.invalid.slice(0, 5).join(', ') } })
  const voterRule = text(body, 'voterRule') || 'residents'
  if (!isVoterRule(voterRule)) problems.push({ field: 'voterRule', code: 'required' })

  const kind = text(body, 'style')
  let style: BallotStyle | null = null
  const styleProblem = (field: string) => problems.push({ field, code: 'invalid' })
  switch (kind) {
    case 'approval':
      style = approvalStyle({
        minProjects: whole(body, 'approvalMin', 1) ?? 1,
        maxProjects: whole(body, 'approvalMax', null),
      })
      break
    case 'cost-limited': {
      const percent = whole(body, 'costMinPercent', DEFAULT_MIN_SPEND_PERCENT) ?? DEFAULT_MIN_SPEND_PERCENT
      style = costLimitedStyle({
        budget: amount ?? 0,
        minSpendPercent: percent,
        minProjects: whole(body, 'costMin', 1) ?? 1,
        maxProjects: whole(body, 'costMax', null),
      })
      break
    }
    case 'cumulative':
      style = cumulativeStyle({
        totalPoints: whole(body, 'pointsTotal', null) ?? Number.NaN,
        maxPointsPerProject: whole(body, 'pointsMaxPerProject', null),
        mustUseAllPoints: text(body, 'pointsUseAll') === 'yes',
      })
      break
    case 'ranked':
      style = rankedStyle({
        maxRanks: whole(body, 'rankedMax', null) ?? Number.NaN,
        minRanks: whole(body, 'rankedMin', 1) ?? 1,
      })
      break
    default:
      problems.push({ field: 'style', code: 'required' })
  }
  if (style) {
    const fieldOf: Record<string, Record<string, string>> = {
      approval: { minProjects: 'approvalMin', maxProjects: 'approvalMax' },
      'cost-limited': { minProjects: 'costMin', maxProjects: 'costMax', budget: 'amount' },
      cumulative: { totalPoints: 'pointsTotal', maxPointsPerProject: 'pointsMaxPerProject' },
      ranked: { minRanks: 'rankedMin', maxRanks: 'rankedMax' },
    }
    for (const p of validateStyle(style)) {
      if (p.code === 'invalid-number') {
        if (p.field !== 'budget') styleProblem(fieldOf[style.kind]?.[p.field] ?? 'style')
      } else if (p.code === 'percent-out-of-range') styleProblem('costMinPercent')
      else
        problems.push({
          field: fieldOf[style.kind]?.['maxProjects'] ?? fieldOf[style.kind]?.['maxRanks'] ?? 'style',
          code: 'min-above-max',
        })
    }
  }
  const ruleText = text(body, 'rule') || 'default'
  let rule: string | null = null
  if (ruleText !== 'default') {
    const spec = parseRuleKey(ruleText)
    if (!spec) problems.push({ field: 'rule', code: 'required' })
    else if (style && !isApplicable(style.kind, spec))
      problems.push({ field: 'rule', code: 'not-applicable' })
    else rule = ruleText
  }
  if (problems.length > 0 || !style || amount === null || !isVoterRule(voterRule))
    return { problems, settings: null }
  return {
    problems,
    settings: {
      titleEn,
      titleCy,
      descriptionEn: text(body, 'descriptionEn'),
      descriptionCy: text(body, 'descriptionCy'),
      amount,
      currency,
      area: area.entries,
      voterRule,
      style,
      rule,
    },
  }
}

/** The form values that show stored settings again. */
export function budgetSettingsToForm(s: BudgetSettings): Record<string, string> {
  const values: Record<string, string> = {
    titleEn: s.titleEn,
    titleCy: s.titleCy,
    descriptionEn: s.descriptionEn,
    descriptionCy: s.descriptionCy,
    amount: amountText(s.amount),
    currency: s.currency,
    area: s.area.join(', '),
    voterRule: s.voterRule,
    style: s.style.kind,
    rule: s.rule ?? 'default',
  }
  const st = s.style
  const n = (v: number | null) => (v === null ? '' : String(v))
  switch (st.kind) {
    case 'approval':
      Object.assign(values, { approvalMin: n(st.minProjects), approvalMax: n(st.maxProjects) })
      break
    case 'cost-limited':
      Object.assign(values, {
        costMinPercent: n(st.minSpendPercent),
        costMin: n(st.minProjects),
        costMax: n(st.maxProjects),
      })
      break
    case 'cumulative':
      Object.assign(values, {
        pointsTotal: n(st.totalPoints),
        pointsMaxPerProject: n(st.maxPointsPerProject),
        pointsUseAll: st.mustUseAllPoints ? 'yes' : '',
      })
      break
    case 'ranked':
      Object.assign(values, { rankedMax: n(st.maxRanks), rankedMin: n(st.minRanks) })
      break
  }
  return values
}
