/**
 * Times the budgets counting rules on a generated large instance.
 *
 *   npx tsx bench/budgets/run.ts [--voters 100000] [--projects 200] [--seed 1] [--repeat 3]
 *
 * The instance: projects cost 5,000–400,000 EUR (log-uniform); popularity follows a Zipf-like
 * law; every voter approves 1–15 projects drawn by popularity; the budget is a quarter of the
 * total cost. Everything comes from a seeded PRNG, so the same arguments give the same instance.
 */
import { performance } from 'node:perf_hooks'
import { equalShares } from '../../src/modules/budgets/domain/rules/equal-shares.js'
import { greedyByVotes } from '../../src/modules/budgets/domain/rules/greedy.js'
import type { ApprovalBallot, Instance } from '../../src/modules/budgets/domain/rules/types.js'
import { parsePabulib, writePabulib } from '../../src/modules/budgets/interop/pabulib.js'
import { seededRandom } from '../../src/platform/random.js'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`)
  return value
}

const voters = arg('voters', 100_000)
const projectCount = arg('projects', 200)
const seed = arg('seed', 1)
const repeat = arg('repeat', 3)

const prng = seededRandom

function generate(): { instance: Instance; ballots: ApprovalBallot[] } {
  const rnd = prng(seed)
  const projects = Array.from({ length: projectCount }, (_, i) => ({
    id: `P${i + 1}`,
    cost: Math.round(Math.exp(Math.log(5_000) + rnd() * (Math.log(400_000) - Math.log(5_000)))) * 100,
  }))
  const weight = projects.map((_, i) => 1 / (i + 1) ** 0.8)
  const order = projects.map((_, i) => i).sort(() => rnd() - 0.5) // popularity not tied to listing
  const cumulative: number[] = []
  let sum = 0
  for (const i of order) {
    sum += weight[i]
    cumulative.push(sum)
  }
  const draw = () => {
    const x = rnd() * sum
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid] < x) lo = mid + 1
      else hi = mid
    }
    return order[lo]
  }
  const ballots: ApprovalBallot[] = []
  for (let v = 0; v < voters; v++) {
    const size = 1 + Math.floor(rnd() * 15)
    const chosen = new Set<number>()
    while (chosen.size < size) chosen.add(draw())
    ballots.push([...chosen].map((i) => projects[i].id))
  }
  const total = projects.reduce((s, p) => s + p.cost, 0)
  return { instance: { budget: Math.round(total / 4 / 100) * 100, projects }, ballots }
}

function time<T>(label: string, fn: () => T): T {
  let result: T | undefined
  const samples: number[] = []
  for (let r = 0; r < repeat; r++) {
    const start = performance.now()
    result = fn()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(samples.length / 2)]
  console.log(
    `  ${label.padEnd(44)} median ${median.toFixed(0).padStart(6)} ms  (min ${samples[0].toFixed(0)}, max ${samples[samples.length - 1].toFixed(0)}, ${repeat} runs)`,
  )
  return result as T
}

const eur = (cents: number) => `${(cents / 100).toLocaleString('en-GB', { maximumFractionDigits: 2 })} EUR`

const t0 = performance.now()
const { instance, ballots } = generate()
const approvals = ballots.reduce((s, b) => s + b.length, 0)
console.log(
  `budgets bench: ${voters.toLocaleString('en-GB')} voters, ${projectCount} projects, ${approvals.toLocaleString('en-GB')} approvals, budget ${eur(instance.budget)} (seed ${seed}, generated in ${(performance.now() - t0).toFixed(0)} ms)`,
)
console.log(`node ${process.version}, ${process.platform}/${process.arch}`)

const greedy = time('greedy by votes', () => greedyByVotes(instance, ballots))
const core = time('Equal Shares, core only', () => equalShares(instance, ballots, { completion: 'none' }))
const add1 = time('Equal Shares + Add1 (equalshares/add1)', () =>
  equalShares(instance, ballots, { completion: 'add1' }),
)
const add1g = time('Equal Shares + Add1 + greedy fill (add1u)', () =>
  equalShares(instance, ballots, { completion: 'add1-greedy' }),
)
const text = time('write .pb', () =>
  writePabulib({
    meta: { description: 'bench' },
    budget: instance.budget,
    voteType: 'approval',
    projects: instance.projects,
    votes: ballots.map((vote, i) => ({ voterId: String(i + 1), vote })),
  }),
)
time(`parse .pb (${(text.length / 1e6).toFixed(1)} MB)`, () => parsePabulib(text))

console.log('results:')
console.log(`  greedy:           ${greedy.selected.length} projects, ${eur(greedy.cost)}`)
console.log(`  core only:        ${core.selected.length} projects, ${eur(core.cost)}`)
console.log(
  `  Add1:             ${add1.selected.length} projects, ${eur(add1.cost)}, ${add1.add1Steps} steps of 1 EUR per voter (start share ${eur(add1.perVoterBudget)})`,
)
console.log(`  Add1 + fill:      ${add1g.selected.length} projects, ${eur(add1g.cost)}`)
console.log(
  `reproduce: npx tsx bench/budgets/run.ts --voters ${voters} --projects ${projectCount} --seed ${seed} --repeat ${repeat}`,
)
