import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ROOT } from '../../../../platform/paths.js'
import { seededRandom } from '../../../../platform/random.js'
import { type Completion, equalShares, equalSharesFixedBudget } from './equal-shares.js'
import { type ApprovalBallot, type Instance, RuleInputError } from './types.js'

const instance = (budget: number, costs: Record<string, number>): Instance => ({
  budget,
  projects: Object.entries(costs).map(([id, cost]) => ({ id, cost })),
})

describe('Method of Equal Shares: worked example and explanations', () => {
  // 4 voters, budget 400 cents (100 each). C (100) is liked by all, A (300) by v1–v3, B (200) by v4 alone.
  const inst = instance(400, { A: 300, B: 200, C: 100 })
  const ballots = [
    ['A', 'C'],
    ['A', 'C'],
    ['A', 'C'],
    ['B', 'C'],
  ]

  it('core alone buys C only (A is then unaffordable: 3 × 75 < 300)', () => {
    const out = equalShares(inst, ballots, { completion: 'none' })
    assert.deepEqual(out.selected, ['C'])
    assert.equal(out.cost, 100)
    assert.deepEqual(out.explanations.get('C'), {
      code: 'selected',
      supporters: 4,
      perVoterPayment: 25,
      supportersPayingLess: 0,
      round: 1,
    })
    assert.deepEqual(out.explanations.get('A'), {
      code: 'supporters-could-not-afford',
      supporters: 3,
      supportersMoneyLeft: 225,
      perVoterBudget: 100,
      cost: 300,
    })
  })

  it('Add1 raises every share by 1 unit (100 cents) and keeps the last run that fits', () => {
    const out = equalShares(inst, ballots, { completion: 'add1' })
    assert.deepEqual(out.selected, ['A', 'C'])
    assert.equal(out.cost, 400)
    assert.equal(out.perVoterBudget, 200)
    assert.equal(out.add1Steps, 1)
    assert.deepEqual(out.boughtInOrder, ['C', 'A'])
    assert.deepEqual(out.explanations.get('A'), {
      code: 'selected',
      supporters: 3,
      perVoterPayment: 100,
      supportersPayingLess: 0,
      round: 2,
    })
    // "not selected: its supporters had 175 left of 200"
    assert.deepEqual(out.explanations.get('B'), {
      code: 'supporters-could-not-afford',
      supporters: 1,
      supportersMoneyLeft: 175,
      perVoterBudget: 200,
      cost: 200,
    })
  })

  it('reports supporters who paid less than the others because it was all they had', () => {
    // 5 voters with 100 each. X (320, v1–v4) goes first at 80 each (ρ = 1/4); then Y (100, v1 and v5):
    // v1 has only 20 left and pays it all, v5 pays the other 80.
    const inst2 = instance(500, { X: 320, Y: 100 })
    const out = equalShares(inst2, [['X', 'Y'], ['X'], ['X'], ['X'], ['Y']], { completion: 'none' })
    assert.deepEqual(out.boughtInOrder, ['X', 'Y'])
    assert.deepEqual(out.explanations.get('Y'), {
      code: 'selected',
      supporters: 2,
      perVoterPayment: 80,
      supportersPayingLess: 1,
      round: 2,
    })
  })

  it('greedy fill adds what still fits after Equal Shares, by number of supporters', () => {
    const inst3 = instance(400, { A: 300, B: 200, C: 100, D: 50 })
    const out = equalShares(
      inst3,
      [
        ['A', 'C'],
        ['A', 'C'],
        ['A', 'C', 'D'],
        ['B', 'C'],
      ],
      { completion: 'greedy' },
    )
    assert.equal(out.completedByGreedy.length > 0, true)
    for (const id of out.completedByGreedy)
      assert.equal(out.explanations.get(id)?.code, 'selected-by-completion')
    assert.ok(out.cost <= 400)
  })

  it('explains unsupported projects and never funds them', () => {
    const out = equalShares(instance(1000, { a: 10, b: 10 }), [['a']], { completion: 'add1-greedy' })
    assert.deepEqual(out.selected, ['a'])
    assert.deepEqual(out.explanations.get('b'), { code: 'no-support', cost: 10 })
  })
})

describe('Method of Equal Shares with the Phragmén phase', () => {
  it('completes abcvoting’s worked example 12 (Rule X with Phragmén phase)', () => {
    // 8 voters, committee of 3: 3 × {c, d}, 2 × {a, b}, 2 × {a, c}, 1 × {b, d}. abcvoting's
    // documentation: phase 1 buys c (q = 1/5) then a (q = 13/40); phase 2 starts from the loads
    // spent (1/5, 13/40, 3/8, 0) and adds d, whose four supporters then carry (1 + 3/5)/4 = 2/5
    // each, against b's (1 + 2 × 13/40)/3 = 0.55.
    const ballots = [
      ...Array(3).fill(['c', 'd']),
      ...Array(2).fill(['a', 'b']),
      ...Array(2).fill(['a', 'c']),
      ['b', 'd'],
    ]
    const out = equalShares(instance(3, { a: 1, b: 1, c: 1, d: 1 }), ballots, { completion: 'phragmen' })
    assert.deepEqual(out.boughtInOrder, ['c', 'a'])
    assert.deepEqual(out.completedByPhragmen, ['d'])
    assert.deepEqual(out.selected, ['a', 'c', 'd'])
    const d = out.explanations.get('d')
    assert.equal(d?.code, 'selected-by-phragmen')
    assert.ok(d?.code === 'selected-by-phragmen' && Math.abs(d.load - 0.4) < 1e-12)
    assert.equal(out.explanations.get('b')?.code, 'supporters-could-not-afford')
  })

  it('never goes over the budget and skips what no longer fits', () => {
    // Budget 10: the core buys x (6, by all three); 4 is left; y (5) cannot fit, z (3) can.
    const out = equalShares(
      instance(10, { x: 6, y: 5, z: 3 }),
      [
        ['x', 'y'],
        ['x', 'y'],
        ['x', 'z'],
      ],
      { completion: 'phragmen' },
    )
    assert.deepEqual(out.selected, ['x', 'z'])
    assert.equal(out.cost, 9)
  })
})

describe('Method of Equal Shares: budget edge cases and arithmetic', () => {
  it('buys a project that costs exactly what its supporters hold, despite budget/n not being exact', () => {
    for (const n of [3, 7, 9, 11, 13, 49, 97]) {
      const out = equalShares(
        instance(100, { all: 100 }),
        Array.from({ length: n }, () => ['all']),
        { completion: 'none' },
      )
      assert.deepEqual(out.selected, ['all'], `n = ${n}`)
    }
    const big = equalShares(
      instance(143_756_251, { p: 143_756_251 }),
      Array.from({ length: 1525 }, () => ['p']),
      {
        completion: 'none',
      },
    )
    assert.deepEqual(big.selected, ['p'])
  })

  it('does not buy a project one cent more expensive than all the money', () => {
    const out = equalShares(
      instance(100, { p: 101 }),
      Array.from({ length: 3 }, () => ['p']),
    )
    assert.deepEqual(out.selected, [])
  })

  it('with no voters or a zero budget nothing is selected', () => {
    assert.deepEqual(equalShares(instance(100, { a: 10 }), []).selected, [])
    assert.deepEqual(equalShares(instance(0, { a: 10 }), [['a']], { completion: 'none' }).selected, [])
  })

  it('voters who approve nothing still get their share, which nobody else may spend', () => {
    // Budget 300 among 5 voters = 60 each; two of them approve nothing. A (200) has 120 behind
    // it and B (100) 60, so the core buys nothing; Add1 raises the shares to 100 and buys both.
    const inst = instance(300, { A: 200, B: 100 })
    const ballots = [['A'], ['A'], ['B'], [], []]
    const core = equalShares(inst, ballots, { completion: 'none' })
    assert.deepEqual(core.selected, [])
    assert.equal(core.perVoterBudget, 60)
    assert.deepEqual(core.explanations.get('A'), {
      code: 'supporters-could-not-afford',
      supporters: 2,
      supportersMoneyLeft: 120,
      perVoterBudget: 60,
      cost: 200,
    })
    const add1 = equalShares(inst, ballots)
    assert.deepEqual(add1.selected, ['A', 'B'])
    assert.equal(add1.perVoterBudget, 100)
  })

  it('Add1 stops when every supported project is in (no endless raising)', () => {
    const out = equalShares(instance(1_000_000, { a: 10, b: 20, c: 999_000 }), [['a'], ['b']])
    assert.deepEqual(out.selected, ['a', 'b'])
  })

  it('Add1 never exceeds the budget', () => {
    const out = equalShares(instance(1000, { a: 600, b: 500, c: 400 }), [
      ['a', 'b'],
      ['b', 'c'],
      ['a', 'c'],
    ])
    assert.ok(out.cost <= 1000)
  })

  it('maxAdd1Steps 0 is the core alone', () => {
    const inst = instance(400, { A: 300, B: 200, C: 100 })
    const ballots = [
      ['A', 'C'],
      ['A', 'C'],
      ['A', 'C'],
      ['B', 'C'],
    ]
    assert.deepEqual(equalShares(inst, ballots, { maxAdd1Steps: 0 }).selected, ['C'])
  })

  it('rejects invalid ballots and options', () => {
    const inst = instance(100, { a: 10 })
    assert.throws(
      () => equalShares(inst, [['b']]),
      (e: unknown) => e instanceof RuleInputError && e.code === 'unknown-project',
    )
    assert.throws(
      () => equalShares(inst, [['a', 'a']]),
      (e: unknown) => e instanceof RuleInputError && e.code === 'duplicate-project',
    )
    assert.throws(() => equalShares(inst, [], { add1Step: 0 }), RuleInputError)
    assert.throws(() => equalShares(inst, [], { tieBreakOrder: ['a', 'a'] }), RuleInputError)
  })
})

describe('Method of Equal Shares: tie-breaking', () => {
  it('equal price per unit of utility: the cheaper project wins', () => {
    // Both projects cost each of their 2 supporters everything: ρ = 1/2 for both. Budget allows one.
    const inst = instance(40, { big: 20, small: 10 })
    const out = equalShares(inst, [['big', 'small'], ['big', 'small'], [], []], { completion: 'none' })
    assert.deepEqual(out.boughtInOrder[0], 'small')
  })

  it('full tie: the project listed first wins, and swapping the listing swaps the winner', () => {
    const ballots = [
      ['p', 'q'],
      ['p', 'q'],
    ]
    assert.deepEqual(equalShares(instance(10, { p: 10, q: 10 }), ballots).selected, ['p'])
    assert.deepEqual(equalShares(instance(10, { q: 10, p: 10 }), ballots).selected, ['q'])
  })

  it('an explicit order replaces the default', () => {
    const ballots = [
      ['p', 'q'],
      ['p', 'q'],
    ]
    assert.deepEqual(
      equalShares(instance(10, { p: 10, q: 10 }), ballots, { tieBreakOrder: ['q', 'p'] }).selected,
      ['q'],
    )
  })
})

// ---------------------------------------------------------------------------------------------
// Exact reference: the same rule in rational arithmetic (BigInt fractions), no tolerance, no
// speed-ups. The float implementation must agree with it on random instances full of ties.

interface Frac {
  readonly n: bigint
  readonly d: bigint
}
const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a
  let y = b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}
const frac = (n: bigint, d = 1n): Frac => {
  const g = gcd(n, d) || 1n
  return { n: n / g, d: d / g }
}
const add = (a: Frac, b: Frac) => frac(a.n * b.d + b.n * a.d, a.d * b.d)
const sub = (a: Frac, b: Frac) => frac(a.n * b.d - b.n * a.d, a.d * b.d)
const div = (a: Frac, b: Frac) => frac(a.n * b.d * (b.n < 0n ? -1n : 1n), a.d * (b.n < 0n ? -b.n : b.n))
const cmp = (a: Frac, b: Frac) => {
  const x = a.n * b.d - b.n * a.d
  return x < 0n ? -1 : x > 0n ? 1 : 0
}
const ZERO = frac(0n)

function exactRun(
  costs: number[],
  approvals: number[][],
  perVoter: Frac,
  rank: number[],
): { winners: number[]; spent: number } {
  const budgets = approvals.map(() => perVoter)
  const supporters = costs.map((_, p) => approvals.flatMap((a, v) => (a.includes(p) ? [v] : [])))
  let remaining = costs.map((_, p) => p).filter((p) => supporters[p].length > 0)
  const winners: number[] = []
  let spent = 0
  for (;;) {
    let best = -1
    let bestRho = ZERO
    let bestQ = ZERO
    for (const c of remaining) {
      const cost = frac(BigInt(costs[c]))
      const sorted = supporters[c].map((v) => budgets[v]).sort(cmp)
      const total = sorted.reduce(add, ZERO)
      if (cmp(total, cost) < 0) continue
      let paid = ZERO
      let q = ZERO
      for (let j = 0; j < sorted.length; j++) {
        q = div(sub(cost, paid), frac(BigInt(sorted.length - j)))
        if (cmp(sorted[j], q) < 0) paid = add(paid, sorted[j])
        else break
      }
      const rho = div(q, cost)
      if (best === -1 || cmp(rho, bestRho) < 0 || (cmp(rho, bestRho) === 0 && rank[c] < rank[best])) {
        best = c
        bestRho = rho
        bestQ = q
      }
    }
    if (best === -1) break
    for (const v of supporters[best]) budgets[v] = cmp(budgets[v], bestQ) > 0 ? sub(budgets[v], bestQ) : ZERO
    winners.push(best)
    spent += costs[best]
    remaining = remaining.filter((c) => c !== best)
  }
  return { winners, spent }
}

function exactAdd1(
  costs: number[],
  approvals: number[][],
  budget: number,
  step: number,
  rank: number[],
): number[] {
  const n = approvals.length
  let run = exactRun(costs, approvals, frac(BigInt(budget), BigInt(n)), rank)
  const base = Math.floor(budget / n / step) * step
  const supported = costs.map((_, p) => approvals.some((a) => a.includes(p)))
  const exhaustive = (r: { winners: number[]; spent: number }) =>
    costs.every((c, p) => r.winners.includes(p) || !supported[p] || r.spent + c > budget)
  for (let k = 1; !exhaustive(run); k++) {
    const next = exactRun(costs, approvals, frac(BigInt(base + k * step)), rank)
    if (next.spent > budget) break
    run = next
  }
  return run.winners
}

/** Small deterministic PRNG (mulberry32), so failures can be replayed. */
const prng = seededRandom

describe('Method of Equal Shares: floating point agrees with exact rational arithmetic', () => {
  it('on 3,000 random small instances with many exact ties (core and Add1)', () => {
    const rnd = prng(20261129)
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1))
    let compared = 0
    for (let t = 0; t < 3000; t++) {
      const m = int(1, 6)
      const n = int(1, 9)
      const costs = Array.from({ length: m }, () => int(1, 6) * (t % 2 === 0 ? 1 : 100))
      const budget = int(1, 20) * (t % 2 === 0 ? 1 : 100)
      const approvals = Array.from({ length: n }, () =>
        Array.from({ length: m }, (_, p) => p).filter(() => rnd() < 0.5),
      )
      const order = Array.from({ length: m }, (_, p) => p).sort(() => rnd() - 0.5)
      const rank: number[] = []
      order.forEach((p, r) => {
        rank[p] = r
      })
      const inst: Instance = { budget, projects: costs.map((cost, p) => ({ id: `p${p}`, cost })) }
      const ballots: ApprovalBallot[] = approvals.map((a) => a.map((p) => `p${p}`))
      const tieBreakOrder = order.map((p) => `p${p}`)
      const step = t % 2 === 0 ? 1 : 100

      const fast = equalSharesFixedBudget(inst, ballots, { perVoterBudget: budget / n, tieBreakOrder })
      const exact = exactRun(costs, approvals, frac(BigInt(budget), BigInt(n)), rank)
      assert.deepEqual(
        fast.bought,
        exact.winners.map((p) => `p${p}`),
        `core, instance ${t}`,
      )

      const fastAdd1 = equalShares(inst, ballots, { completion: 'add1', add1Step: step, tieBreakOrder })
      const exactAdd1Winners = exactAdd1(costs, approvals, budget, step, rank)
      assert.deepEqual(
        fastAdd1.boughtInOrder,
        exactAdd1Winners.map((p) => `p${p}`),
        `add1, instance ${t}`,
      )
      compared++
    }
    assert.equal(compared, 3000)
  })
})

// ---------------------------------------------------------------------------------------------
// abcvoting's published results (../shared/data/pabulib/abcvoting-test-instances). Each is a
// committee election: every candidate costs 1, the budget is the committee size k. A "resolute"
// entry lists every committee acceptable under some tie-breaking; as pabutools' own test does,
// we compare only candidates approved by at least one voter.

const ABC_DIR = join(ROOT, '..', 'shared', 'data', 'pabulib', 'abcvoting-test-instances')
const abcSkip = existsSync(ABC_DIR) ? false : `shared data not found at ${ABC_DIR}`

interface AbcInstance {
  readonly profile: number[][]
  readonly num_cand: number
  readonly committeesize: number
  readonly compute: { readonly rule_id: string; readonly result: number[][]; readonly resolute: boolean }[]
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()]
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]),
  )
}

function loadAbc(): { name: string; data: AbcInstance }[] {
  if (abcSkip) return []
  return readdirSync(ABC_DIR)
    .filter((f) => f.endsWith('.abc.json'))
    .sort()
    .map((name) => ({ name, data: JSON.parse(readFileSync(join(ABC_DIR, name), 'utf8')) as AbcInstance }))
}

function abcSetup(data: AbcInstance) {
  const ids = Array.from({ length: data.num_cand }, (_, c) => String(c))
  const inst: Instance = { budget: data.committeesize, projects: ids.map((id) => ({ id, cost: 1 })) }
  const ballots: ApprovalBallot[] = data.profile.map((voter) => voter.map(String))
  const supported = new Set(data.profile.flat())
  /** A committee as a key, keeping only supported candidates. */
  const key = (committee: readonly (number | string)[]) =>
    committee
      .map(Number)
      .filter((c) => supported.has(c))
      .sort((a, b) => a - b)
      .join(',')
  const expected = (ruleId: string, resolute: boolean): Set<string> | null => {
    const entry = data.compute.find((e) => e.rule_id === ruleId && e.resolute === resolute)
    return entry ? new Set(entry.result.map(key)) : null
  }
  return { ids, inst, ballots, key, expected }
}

describe('Method of Equal Shares against abcvoting test instances', { skip: abcSkip }, () => {
  const instances = loadAbc()

  it('finds the four instances', () => {
    assert.equal(instances.length, 4)
  })

  for (const { name, data } of instances) {
    const { ids, inst, ballots, key, expected } = abcSetup(data)
    const orders = permutations(ids)

    it(`${name}: "equal-shares-with-av-completion" — same set of committees over all tie-breaking orders`, () => {
      const want = expected('equal-shares-with-av-completion', false)
      assert.ok(want)
      const got = new Set(
        orders.map((order) =>
          key(equalShares(inst, ballots, { completion: 'greedy', tieBreakOrder: order }).selected),
        ),
      )
      assert.deepEqual([...got].sort(), [...want].sort())
      // resolute, abcvoting's own tie-breaking (lowest index first)
      const resolute = equalShares(inst, ballots, { completion: 'greedy', tieBreakOrder: ids })
      assert.ok(expected('equal-shares-with-av-completion', true)?.has(key(resolute.selected)))
    })

    it(`${name}: "equal-shares" (seq-Phragmén completion) — same set of committees over all tie-breaking orders`, () => {
      const want = expected('equal-shares', false)
      assert.ok(want)
      const got = new Set(
        orders.map((order) =>
          key(equalShares(inst, ballots, { completion: 'phragmen', tieBreakOrder: order }).selected),
        ),
      )
      assert.deepEqual([...got].sort(), [...want].sort())
      const resolute = equalShares(inst, ballots, { completion: 'phragmen', tieBreakOrder: ids })
      assert.ok(expected('equal-shares', true)?.has(key(resolute.selected)))
    })

    it(`${name}: "equal-shares-with-increment-completion" — abcvoting's increment loop on our core`, () => {
      const want = expected('equal-shares-with-increment-completion', true)
      assert.ok(want)
      // abcvoting: for k' = k, k+1, …: every voter starts with k'/n, committee capped at k;
      // the first run that fills all k seats wins. Ties: lowest index first.
      const n = data.profile.length
      const k = data.committeesize
      let found: string | null = null
      for (let virtual = k; virtual <= k * n + 1 && found === null; virtual++) {
        const run = equalSharesFixedBudget(inst, ballots, {
          perVoterBudget: virtual / n,
          spendLimit: k,
          tieBreakOrder: ids,
        })
        if (run.bought.length === k) found = key(run.bought)
      }
      assert.ok(found !== null)
      assert.ok(want.has(found), `${found} not in ${[...want].join(' | ')}`)
    })
  }
})

describe('completion names', () => {
  it('are the five documented ones', () => {
    const all: Completion[] = ['none', 'greedy', 'add1', 'add1-greedy', 'phragmen']
    for (const completion of all)
      assert.doesNotThrow(() => equalShares(instance(10, { a: 5 }), [['a']], { completion }))
  })
})
