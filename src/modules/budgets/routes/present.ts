/**
 * Turning the module's data into words and numbers for people, in the reader's language:
 * money, the rules in plain language, ballot problems and the per-project explanations of a
 * count. Pure functions over `t`, so they are tested without a server.
 */
import { intlLocale, type Locale, type Translate } from '../../../platform/i18n/i18n.js'
import type { FormProblem } from '../domain/ballot-forms.js'
import type { BallotProblem, BallotStyle } from '../domain/ballots.js'
import type { Explanation } from '../domain/rules/types.js'

/** Minor units as money in the language: 1250000 GBP → "£12,500"; fractional cents are rounded. */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const cents = Math.round(minor)
  const whole = cents % 100 === 0
  try {
    return new Intl.NumberFormat(intlLocale(locale), {
      style: 'currency',
      currency,
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: 2,
    }).format(cents / 100)
  } catch {
    return `${(cents / 100).toFixed(whole ? 0 : 2)} ${currency}`
  }
}

export type Money = (minor: number) => string

/** The counting rule in plain language. */
export function ruleName(t: Translate, key: string): string {
  return t(`budgets.rules.${key.replace('/', '-')}.name`)
}

export function ruleDescription(t: Translate, key: string): string {
  return t(`budgets.rules.${key.replace('/', '-')}.description`)
}

/** How to fill the ballot, in plain language (what the ballot page shows above the choices). */
export function styleInstructions(
  t: Translate,
  style: BallotStyle,
  money: Money,
  minimum: number | null,
): string[] {
  switch (style.kind) {
    case 'approval':
      return [
        style.maxProjects === null
          ? t('budgets.styles.approval.atLeast', { count: style.minProjects })
          : style.minProjects === style.maxProjects
            ? t('budgets.styles.approval.exactly', { count: style.maxProjects })
            : t('budgets.styles.approval.between', { min: style.minProjects, count: style.maxProjects }),
        t('budgets.styles.approval.cost'),
      ]
    case 'cost-limited':
      return [
        t('budgets.styles.cost-limited.upTo', { budget: money(style.budget) }),
        minimum && minimum > 0
          ? t('budgets.styles.cost-limited.minimum', {
              minimum: money(minimum),
              percent: style.minSpendPercent,
            })
          : t('budgets.styles.cost-limited.noMinimum'),
      ]
    case 'cumulative':
      return [
        t('budgets.styles.cumulative.points', { count: style.totalPoints }),
        style.maxPointsPerProject === null
          ? t('budgets.styles.cumulative.anyProject')
          : t('budgets.styles.cumulative.maxPerProject', { count: style.maxPointsPerProject }),
        style.mustUseAllPoints
          ? t('budgets.styles.cumulative.useAll')
          : t('budgets.styles.cumulative.mayKeep'),
      ]
    case 'ranked':
      return [
        style.minRanks > 1
          ? t('budgets.styles.ranked.between', { min: style.minRanks, count: style.maxRanks })
          : t('budgets.styles.ranked.upTo', { count: style.maxRanks }),
        t('budgets.styles.ranked.points', { count: style.maxRanks }),
      ]
  }
}

/** One ballot problem as a sentence. `title` names a project by its id. */
export function problemText(
  t: Translate,
  problem: BallotProblem | FormProblem,
  money: Money,
  title: (projectId: string) => string,
): string {
  const p = 'budgets.ballot.problems'
  switch (problem.code) {
    case 'too-few-projects':
      return t(`${p}.too-few-projects`, { count: problem.min })
    case 'too-many-projects':
      return t(`${p}.too-many-projects`, { count: problem.max })
    case 'over-budget':
      return t(`${p}.over-budget`, { total: money(problem.total), budget: money(problem.budget) })
    case 'under-minimum-spend':
      return t(`${p}.under-minimum-spend`, {
        total: money(problem.total),
        minimum: money(problem.minimum),
        percent: problem.percent,
      })
    case 'invalid-points':
    case 'not-a-number':
      return t(`${p}.not-a-number`, { project: title(problem.projectId) })
    case 'too-many-points':
      return t(`${p}.too-many-points`, { total: problem.total, count: problem.max })
    case 'too-few-points':
      return t(`${p}.too-few-points`, { total: problem.total, count: problem.required })
    case 'too-many-points-on-project':
      return t(`${p}.too-many-points-on-project`, { project: title(problem.projectId), count: problem.max })
    case 'duplicate-rank':
      return t(`${p}.duplicate-rank`, { rank: problem.rank })
    case 'unknown-project':
    case 'duplicate-project':
    case 'wrong-ballot-kind':
      return t(`${p}.not-on-ballot`)
  }
}

/** Why a project was or was not funded, as a sentence (the issue's "selected: 412 supporters paid 38 € each"). */
export function explanationText(t: Translate, e: Explanation, money: Money, rule: string): string {
  const p = 'budgets.explain'
  switch (e.code) {
    case 'selected':
      return (
        t(`${p}.selected`, { count: e.supporters, payment: money(e.perVoterPayment) }) +
        (e.supportersPayingLess > 0 ? ` ${t(`${p}.payingLess`, { count: e.supportersPayingLess })}` : '')
      )
    case 'selected-by-score':
      return t(rule === 'greedy-points' ? `${p}.selected-by-points` : `${p}.selected-by-votes`, {
        rank: e.rank,
        count: e.score,
        remaining: money(e.remainingBefore),
      })
    case 'selected-by-completion':
      return t(`${p}.selected-by-completion`, { count: e.supporters, remaining: money(e.remainingBefore) })
    case 'selected-by-phragmen':
      return t(`${p}.selected-by-phragmen`, {
        count: e.supporters,
        remaining: money(e.remainingBefore),
        load: money(e.load),
      })
    case 'supporters-could-not-afford':
      return t(`${p}.supporters-could-not-afford`, {
        count: e.supporters,
        left: money(e.supportersMoneyLeft),
        cost: money(e.cost),
      })
    case 'did-not-fit':
      return t(`${p}.did-not-fit`, { cost: money(e.cost), remaining: money(e.remainingBudget) })
    case 'no-support':
      return t(`${p}.no-support`)
  }
}

export function isSelectedExplanation(e: Explanation | undefined): boolean {
  return (
    e !== undefined &&
    (e.code === 'selected' ||
      e.code === 'selected-by-score' ||
      e.code === 'selected-by-completion' ||
      e.code === 'selected-by-phragmen')
  )
}
