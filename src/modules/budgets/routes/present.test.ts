import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTranslate, loadCatalogues } from '../../../platform/i18n/i18n.js'
import { catalogueDirs } from '../../../platform/services.js'
import { approvalStyle, costLimitedStyle, cumulativeStyle, rankedStyle } from '../domain/ballots.js'
import {
  explanationText,
  formatMoney,
  problemText,
  ruleDescription,
  ruleName,
  styleInstructions,
} from './present.js'

const catalogues = loadCatalogues(catalogueDirs())
const en = createTranslate(catalogues.en, 'en')
const cy = createTranslate(catalogues.cy, 'cy')
const eur = (m: number) => formatMoney(m, 'EUR', 'en')
const gbp = (m: number) => formatMoney(m, 'GBP', 'en')

describe('money', () => {
  it('formats minor units in the language, whole amounts without pence', () => {
    assert.equal(formatMoney(1_250_000, 'GBP', 'en'), '£12,500')
    assert.equal(formatMoney(1_250_050, 'GBP', 'en'), '£12,500.50')
    assert.equal(formatMoney(3800, 'EUR', 'en'), '€38')
    assert.equal(formatMoney(143_302_300, 'PLN', 'en'), 'PLN\u00a01,433,023')
    assert.equal(formatMoney(1_250_000, 'GBP', 'cy'), '£12,500')
    assert.equal(formatMoney(333.3333, 'GBP', 'en'), '£3.33', 'fractional cents are rounded')
  })
})

describe('explanations, in English and Welsh', () => {
  it('reads the issue’s three examples', () => {
    assert.equal(
      explanationText(
        en,
        { code: 'selected', supporters: 412, perVoterPayment: 3800, supportersPayingLess: 0, round: 1 },
        eur,
        'equal-shares/add1',
      ),
      'Selected: its 412 supporters paid up to €38 each from their equal shares of the budget.',
    )
    assert.equal(
      explanationText(
        en,
        {
          code: 'supporters-could-not-afford',
          supporters: 57,
          supportersMoneyLeft: 120_000,
          perVoterBudget: 2000,
          cost: 900_000,
        },
        eur,
        'equal-shares/add1',
      ),
      'Not selected: its 57 supporters had only €1,200 left of their shares, and it costs €9,000.',
    )
    assert.equal(
      explanationText(
        en,
        { code: 'did-not-fit', score: 90, supporters: 90, cost: 900_000, remainingBudget: 40_000 },
        eur,
        'greedy',
      ),
      'Not selected: it costs €9,000, but only €400 was left when its turn came.',
    )
  })
  it('has every explanation in Welsh too, numbers filled in', () => {
    const cases = [
      { code: 'selected', supporters: 1, perVoterPayment: 500, supportersPayingLess: 2, round: 1 },
      { code: 'selected-by-score', score: 314, supporters: 148, rank: 1, remainingBefore: 6_000_000 },
      { code: 'selected-by-completion', supporters: 12, remainingBefore: 10_000 },
      {
        code: 'supporters-could-not-afford',
        supporters: 3,
        supportersMoneyLeft: 100,
        perVoterBudget: 100,
        cost: 5000,
      },
      { code: 'did-not-fit', score: 3, supporters: 3, cost: 900, remainingBudget: 100 },
      { code: 'no-support', cost: 100 },
    ] as const
    for (const e of cases) {
      for (const [t, rule] of [
        [en, 'greedy'],
        [cy, 'greedy-points'],
      ] as const) {
        const text = explanationText(t, e, gbp, rule)
        assert.doesNotMatch(text, /budgets\.|\{\{/, `${e.code}: ${text}`)
      }
    }
    assert.match(
      explanationText(cy, cases[1], gbp, 'greedy-points'),
      /^Wedi’i ddewis: rhif 1 yn ôl pwyntiau \(314 pwynt\)/,
    )
    assert.match(
      explanationText(en, cases[0], gbp, 'equal-shares/add1'),
      /1 supporter paid up to £5 from an equal share.*2 of them paid less/,
    )
  })
})

describe('the ballot in plain language', () => {
  it('explains each style with its numbers', () => {
    assert.deepEqual(styleInstructions(en, approvalStyle({ minProjects: 1, maxProjects: 5 }), gbp, null), [
      'Choose between 1 and 5 projects.',
      'The cost of a project does not limit your choice.',
    ])
    assert.deepEqual(styleInstructions(en, costLimitedStyle({ budget: 4_500_000 }), gbp, 3_150_000), [
      'Choose projects whose costs add up to no more than £45,000.',
      'Your choices must add up to at least £31,500 (70% of the budget).',
    ])
    assert.deepEqual(
      styleInstructions(cy, cumulativeStyle({ totalPoints: 10, maxPointsPerProject: 4 }), gbp, null),
      [
        'Mae gennych chi 10 pwynt i’w rhoi i’r prosiectau rydych chi’n eu cefnogi: mwy o bwyntiau i’r rhai rydych chi eu heisiau fwyaf.',
        'Gallwch chi roi 4 pwynt ar y mwyaf i un prosiect.',
        'Does dim rhaid i chi ddefnyddio eich holl bwyntiau.',
      ],
    )
    assert.equal(
      styleInstructions(en, rankedStyle({ maxRanks: 3 }), gbp, null)[1],
      'Your first choice gets 3 points, your second one point fewer, and so on.',
    )
  })
  it('names and describes every rule', () => {
    for (const key of [
      'greedy',
      'greedy-points',
      'equal-shares/add1',
      'equal-shares/add1-greedy',
      'equal-shares/none',
      'equal-shares/greedy',
    ]) {
      for (const t of [en, cy]) {
        assert.doesNotMatch(ruleName(t, key), /budgets\./)
        assert.doesNotMatch(ruleDescription(t, key), /budgets\./)
      }
    }
    assert.equal(ruleName(cy, 'equal-shares/add1'), 'Dull Cyfrannau Cyfartal')
  })
  it('turns every ballot problem into a sentence', () => {
    const title = (id: string) => `Project ${id}`
    assert.equal(
      problemText(en, { code: 'over-budget', total: 5_000_000, budget: 4_500_000 }, gbp, title),
      'Your choices cost £50,000, which is more than the budget of £45,000. Remove a project',
    )
    assert.equal(
      problemText(en, { code: 'too-few-projects', count: 0, min: 1 }, gbp, title),
      'Choose at least 1 project',
    )
    assert.equal(
      problemText(cy, { code: 'too-many-points-on-project', projectId: '7', points: 9, max: 4 }, gbp, title),
      'Rhowch ddim mwy na 4 pwynt i Project 7',
    )
    assert.equal(
      problemText(en, { code: 'duplicate-rank', rank: 2 }, gbp, title),
      'You have made more than one project your choice 2. Give each choice to one project',
    )
  })
})
