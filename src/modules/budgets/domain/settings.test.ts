import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { budgetSettingsFromForm, budgetSettingsToForm } from './budget-settings.js'
import { deliveryStatus, isIsoDate, validateMilestone } from './delivery.js'
import { amountText, inLanguage, parseAmount, validateProposal, validateReview } from './projects.js'

const fields = (problems: readonly { field: string; code: string }[]) =>
  problems.map((p) => `${p.field}:${p.code}`)

describe('amounts typed by people', () => {
  it('reads currency units into minor units exactly', () => {
    assert.equal(parseAmount('12,500'), 1_250_000)
    assert.equal(parseAmount('£12,500.50'), 1_250_050)
    assert.equal(parseAmount(' 60 000 '), 6_000_000)
    assert.equal(parseAmount('0.1'), 10)
    for (const bad of ['', 'abc', '-5', '1.234', '12e3']) assert.equal(parseAmount(bad), null, bad)
    assert.equal(amountText(1_250_050), '12500.50')
    assert.equal(amountText(6_000_000), '60000')
  })
})

describe('a citizen’s proposal', () => {
  const budgets = [{ id: 7, amount: 6_000_000 }]
  const ok = { budgetId: '7', title: ' Benches ', description: 'Eight benches.', cost: '6,500', location: '' }
  it('accepts a complete proposal', () => {
    const { problems, proposal } = validateProposal(ok, budgets)
    assert.deepEqual(problems, [])
    assert.deepEqual(proposal, {
      budgetId: 7,
      title: 'Benches',
      description: 'Eight benches.',
      estimatedCost: 650_000,
      location: '',
    })
  })
  it('names every missing or wrong field', () => {
    assert.deepEqual(
      fields(
        validateProposal({ budgetId: '', title: '', description: '', cost: 'x', location: '' }, budgets)
          .problems,
      ),
      ['budgetId:required', 'title:required', 'description:required', 'cost:invalid'],
    )
    assert.deepEqual(fields(validateProposal({ ...ok, cost: '70000' }, budgets).problems), [
      'cost:above-budget',
    ])
    assert.deepEqual(fields(validateProposal({ ...ok, title: 'x'.repeat(151) }, budgets).problems), [
      'title:too-long',
    ])
  })
})

describe('a staff review', () => {
  it('feasible needs a final cost within the budget', () => {
    const input = { decision: 'feasible', finalCost: '5000', reasonEn: '', reasonCy: '' }
    assert.deepEqual(validateReview(input, 6_000_000).review, { decision: 'feasible', finalCost: 500_000 })
    assert.deepEqual(fields(validateReview({ ...input, finalCost: '' }, 6_000_000).problems), [
      'finalCost:required',
    ])
    assert.deepEqual(fields(validateReview({ ...input, finalCost: '90000' }, 6_000_000).problems), [
      'finalCost:above-budget',
    ])
  })
  it('not feasible needs a reason to publish', () => {
    const input = { decision: 'not-feasible', finalCost: '', reasonEn: '', reasonCy: '' }
    assert.deepEqual(fields(validateReview(input, 1).problems), ['reasonEn:required'])
    assert.deepEqual(validateReview({ ...input, reasonCy: 'Tir preifat.' }, 1).review, {
      decision: 'not-feasible',
      reasonEn: '',
      reasonCy: 'Tir preifat.',
    })
    assert.deepEqual(fields(validateReview({ ...input, decision: '' }, 1).problems), ['decision:required'])
  })
  it('shows text in the reader’s language, or the other one marked with its lang', () => {
    assert.deepEqual(inLanguage('cy', 'Benches', 'Meinciau'), { text: 'Meinciau', lang: 'cy' })
    assert.deepEqual(inLanguage('cy', 'Benches', ''), { text: 'Benches', lang: 'en' })
  })
})

describe('budget settings', () => {
  const base = {
    titleEn: 'North',
    titleCy: 'Gogledd',
    amount: '60,000',
    currency: 'gbp',
    area: 'sa43, SA44',
    voterRule: 'residents',
  }
  it('reads each ballot style with its own fields', () => {
    const approval = budgetSettingsFromForm({
      ...base,
      style: 'approval',
      approvalMin: '1',
      approvalMax: '5',
    })
    assert.deepEqual(approval.problems, [])
    assert.deepEqual(approval.settings?.style, { kind: 'approval', minProjects: 1, maxProjects: 5 })
    assert.deepEqual(approval.settings?.area, ['SA43', 'SA44'])
    assert.equal(approval.settings?.currency, 'GBP')
    const knapsack = budgetSettingsFromForm({ ...base, style: 'cost-limited', costMinPercent: '' })
    assert.deepEqual(knapsack.settings?.style, {
      kind: 'cost-limited',
      budget: 6_000_000,
      minSpendPercent: 70,
      minProjects: 1,
      maxProjects: null,
    })
    const points = budgetSettingsFromForm({
      ...base,
      style: 'cumulative',
      pointsTotal: '10',
      pointsUseAll: 'yes',
    })
    assert.deepEqual(points.settings?.style, {
      kind: 'cumulative',
      totalPoints: 10,
      maxPointsPerProject: null,
      mustUseAllPoints: true,
    })
    const ranked = budgetSettingsFromForm({ ...base, style: 'ranked', rankedMax: '3', rule: 'greedy-points' })
    assert.deepEqual(ranked.settings?.style, { kind: 'ranked', maxRanks: 3, minRanks: 1 })
    assert.equal(ranked.settings?.rule, 'greedy-points')
    assert.deepEqual(budgetSettingsFromForm(budgetSettingsToForm(ranked.settings!)).settings, ranked.settings)
  })
  it('names the field of each problem', () => {
    assert.deepEqual(
      fields(
        budgetSettingsFromForm({
          ...base,
          titleCy: '',
          amount: '0',
          currency: 'XX',
          area: 'SA43, nowhere',
          style: 'approval',
          approvalMin: '4',
          approvalMax: '2',
          rule: 'greedy-points',
        }).problems,
      ),
      [
        'titleCy:required',
        'amount:invalid',
        'currency:invalid',
        'area:invalid',
        'approvalMax:min-above-max',
        'rule:not-applicable',
      ],
    )
    assert.deepEqual(
      fields(budgetSettingsFromForm({ ...base, style: 'cost-limited', costMinPercent: '120' }).problems),
      ['costMinPercent:invalid'],
    )
    assert.deepEqual(fields(budgetSettingsFromForm({ ...base, style: 'cumulative' }).problems), [
      'pointsTotal:invalid',
    ])
    assert.deepEqual(fields(budgetSettingsFromForm({ ...base }).problems), ['style:required'])
  })
})

describe('delivery milestones', () => {
  it('need a title, a real date and a status', () => {
    assert.equal(isIsoDate('2027-02-29'), false)
    assert.equal(isIsoDate('2028-02-29'), true)
    assert.deepEqual(
      fields(validateMilestone({ titleEn: '', titleCy: '', date: '2027-02-30', status: 'soon' }).problems),
      ['titleEn:required', 'date:invalid', 'status:required'],
    )
    assert.deepEqual(
      validateMilestone({ titleEn: 'Built', titleCy: '', date: '2027-06-01', status: 'done' }).milestone,
      {
        titleEn: 'Built',
        titleCy: '',
        date: '2027-06-01',
        status: 'done',
      },
    )
  })
  it('sum up a project’s delivery', () => {
    assert.equal(deliveryStatus([]), 'not-started')
    assert.equal(deliveryStatus([{ status: 'done' }, { status: 'planned' }]), 'in-progress')
    assert.equal(deliveryStatus([{ status: 'done' }, { status: 'delayed' }]), 'delayed')
    assert.equal(deliveryStatus([{ status: 'done' }, { status: 'cancelled' }]), 'done')
  })
})
