/**
 * The budgets module through HTTP, as browsers and API clients use it: staff set up a process
 * with four budgets (one per ballot style), residents propose, staff review and open voting,
 * residents and census-code holders vote (and change their votes), staff enter paper ballots,
 * count and publish, and the results appear as pages, JSON and CSV; winners' milestones are
 * emailed to followers.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  addStaff,
  buildTestApp,
  enableModules,
  type TestApp,
  TestBrowser,
} from '../../../../test/support/app.js'
import { findAuditEntries } from '../../../platform/audit/audit.js'
import { listOutbox } from '../../../platform/mail/mail.js'
import { findBallot, listBallots } from '../store/ballot-store.js'
import { findProcess, listBudgets } from '../store/process-store.js'
import { type BudgetProject, listProjects } from '../store/project-store.js'

async function signInCitizen(t: TestApp, email: string, prefix = ''): Promise<TestBrowser> {
  const b = new TestBrowser(t.app)
  await b.get(`${prefix}/account/sign-in`)
  await b.post(`${prefix}/account/sign-in`, { email })
  const [mail] = await listOutbox(t.services.db, { to: email, limit: 1 })
  const token = /token=([\w-]+)/.exec(mail!.text)![1]!
  await b.get(`${prefix}/account/verify?token=${token}`)
  const verified = await b.post(`${prefix}/account/verify`, { token })
  assert.equal(verified.statusCode, 303)
  return b
}

const location = (res: { headers: Record<string, unknown> }) => String(res.headers['location'] ?? '')

describe('budgets routes (sqlite)', () => {
  let t: TestApp
  let admin: TestBrowser
  let rhian: TestBrowser
  let pid: number
  let budgets: Awaited<ReturnType<typeof listBudgets>>
  let projects: BudgetProject[]
  const byBudget = (i: number) =>
    projects.filter((p) => p.budgetId === budgets[i]!.id).map((p) => String(p.id))

  before(async () => {
    t = await buildTestApp('sqlite')
    for (const role of ['admin', 'moderator', 'analyst', 'communications'] as const)
      await addStaff(t.services, `${role}@example.org`, [role])
    admin = new TestBrowser(t.app)
    await admin.login('admin@example.org')
    // One sign-in for the resident: links are limited to five per address per ten minutes.
    rhian = await signInCitizen(t, 'rhian@example.org')
  })
  after(async () => {
    await t?.close()
  })

  it('is not found by the public while switched off; staff can prepare it', async () => {
    assert.equal((await t.app.inject('/budgets')).statusCode, 404)
    assert.equal((await admin.get('/budgets')).statusCode, 200)
    await enableModules(t.services, ['budgets'])
    const home = await t.app.inject('/')
    assert.match(home.body, /href="\/budgets"/, 'in the service navigation')
    assert.equal((await t.app.inject('/budgets')).statusCode, 200)
  })

  it('guards the staff pages by role', async () => {
    assert.match(location(await t.app.inject('/admin/budgets')), /^\/admin\/login/)
    const citizen = await signInCitizen(t, 'walker@example.org')
    assert.equal((await citizen.get('/admin/budgets')).statusCode, 403)
    for (const [role, status] of [
      ['analyst', 200],
      ['moderator', 200],
      ['communications', 403],
    ] as const) {
      const b = new TestBrowser(t.app)
      await b.login(`${role}@example.org`)
      assert.equal((await b.get('/admin/budgets')).statusCode, status, role)
      if (status === 200) {
        assert.equal(
          (await b.post('/admin/budgets', { titleEn: 'x', titleCy: 'x' })).statusCode,
          403,
          `${role} cannot create`,
        )
      }
    }
  })

  it('staff create a process with four district budgets, one per ballot style', async () => {
    await admin.get('/admin/budgets')
    const bad = await admin.post('/admin/budgets', { titleEn: '', titleCy: 'Cyllideb' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /govuk-error-summary/)
    assert.match(bad.body, /value="Cyllideb"/, 'what was typed is kept')
    const created = await admin.post('/admin/budgets', {
      titleEn: 'Community Budget 2027',
      titleCy: 'Cyllideb Gymunedol 2027',
      descriptionEn: 'Decide how the money is spent.',
      descriptionCy: 'Penderfynwch sut y caiff yr arian ei wario.',
    })
    assert.equal(created.statusCode, 303)
    pid = Number(location(created).split('/').pop())
    assert.equal((await findProcess(t.services.db, pid))?.phase, 'draft')
    assert.equal((await t.app.inject(`/budgets/${pid}`)).statusCode, 404, 'a draft is not public')

    // Dates: each phase after the one before, in the future; shown and read as UK dates.
    const dates = {
      proposing: '2030-03-01',
      reviewing: '2030-04-01',
      voting: '2030-05-01',
      counting: '2030-05-22',
      results: '2030-06-01',
      delivery: '2030-07-01',
    }
    const form = (d: Record<string, string>) => ({
      titleEn: 'Community Budget 2027',
      titleCy: 'Cyllideb Gymunedol 2027',
      ...Object.fromEntries(Object.entries(d).map(([k, v]) => [`date-${k}`, v])),
    })
    await admin.get(`/admin/budgets/${pid}`)
    const unordered = await admin.post(`/admin/budgets/${pid}`, form({ ...dates, counting: '2030-04-15' }))
    assert.equal(unordered.statusCode, 400)
    assert.match(unordered.body, /Counting must start after the phase before it/)
    assert.match(unordered.body, /value="2030-04-15"/)
    assert.equal((await admin.post(`/admin/budgets/${pid}`, form(dates))).statusCode, 303)
    const saved = (await findProcess(t.services.db, pid))!.schedule
    assert.equal(saved.voting, '2030-04-30T23:00:00.000Z', 'midnight in London (summer time)')
    assert.equal(saved.proposing, '2030-03-01T00:00:00.000Z', 'midnight in London (winter time)')
    await admin.get(`/admin/budgets/${pid}/budgets/new`)
    const refused = await admin.post(`/admin/budgets/${pid}/budgets`, {
      titleEn: 'North',
      titleCy: 'Gogledd',
      amount: 'lots',
      area: 'SA43, nowhere',
      style: 'approval',
      approvalMin: '3',
      approvalMax: '2',
    })
    assert.equal(refused.statusCode, 400)
    for (const field of ['amount', 'area', 'approvalMax'])
      assert.match(refused.body, new RegExp(`href="#${field}"`))
    const forms = [
      {
        titleEn: 'North',
        titleCy: 'Gogledd',
        amount: '100',
        area: 'SA43',
        voterRule: 'residents',
        style: 'approval',
        approvalMin: '1',
        approvalMax: '2',
        rule: 'greedy',
      },
      {
        titleEn: 'South',
        titleCy: 'De',
        amount: '100',
        area: 'SA43',
        voterRule: 'residents',
        style: 'cost-limited',
        costMinPercent: '70',
        rule: 'default',
      },
      {
        titleEn: 'Harbour',
        titleCy: 'Harbwr',
        amount: '100',
        area: '',
        voterRule: 'residents-or-census',
        style: 'cumulative',
        pointsTotal: '10',
        pointsMaxPerProject: '6',
        rule: 'default',
      },
      {
        titleEn: 'Hills',
        titleCy: 'Bryniau',
        amount: '100',
        area: '',
        voterRule: 'residents',
        style: 'ranked',
        rankedMax: '2',
        rule: 'greedy-points',
      },
    ]
    for (const form of forms) {
      const res = await admin.post(`/admin/budgets/${pid}/budgets`, { currency: 'GBP', ...form })
      assert.equal(res.statusCode, 303, form.titleEn)
    }
    budgets = await listBudgets(t.services.db, pid)
    assert.deepEqual(
      budgets.map((b) => [b.style.kind, b.amount, b.rule]),
      [
        ['approval', 10_000, 'greedy'],
        ['cost-limited', 10_000, null],
        ['cumulative', 10_000, null],
        ['ranked', 10_000, 'greedy-points'],
      ],
    )
    const page = await admin.get(`/admin/budgets/${pid}`)
    assert.match(page.body, /Open for proposals/)
    const opened = await admin.post(`/admin/budgets/${pid}/phase`, { to: 'proposing' })
    assert.equal(opened.statusCode, 303)
    assert.equal((await findProcess(t.services.db, pid))?.phase, 'proposing')
  })

  it('a resident proposes projects; the form keeps what was typed when something is missing', async () => {
    const anon = new TestBrowser(t.app)
    const page = await anon.get(`/budgets/${pid}/propose`)
    assert.match(page.body, /sign in with your email address first/)
    await anon.get('/account/sign-in')
    assert.match(location(await anon.post(`/budgets/${pid}/propose`, { title: 'x' })), /\/account\/sign-in$/)

    await rhian.get(`/budgets/${pid}/propose`)
    const missing = await rhian.post(`/budgets/${pid}/propose`, {
      budgetId: String(budgets[0]!.id),
      title: 'Benches on the High Street',
      description: '',
      cost: '9,000',
    })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Describe the project/)
    assert.match(missing.body, /value="Benches on the High Street"/)
    assert.match(missing.body, /Estimated cost must not be more than the budget/, '9,000 > £100')
    // Three projects in every budget; one in Welsh from the Welsh page.
    for (const [i, b] of budgets.entries()) {
      const costs = i === 1 ? ['40', '40', '30'] : ['40', '30', '30']
      for (const [j, cost] of costs.entries()) {
        const welsh = i === 0 && j === 0
        if (welsh) await rhian.get(`/cy/budgets/${pid}/propose`)
        const res = await rhian.post(`${welsh ? '/cy' : ''}/budgets/${pid}/propose`, {
          budgetId: String(b.id),
          title: welsh ? 'Meinciau ar y Stryd Fawr' : `${b.titleEn} project ${j + 1}`,
          description: 'Something good for the area.',
          cost,
          location: 'Market Square',
        })
        assert.equal(res.statusCode, 303)
        if (!welsh) await rhian.get(location(res))
      }
    }
    projects = await listProjects(
      t.services.db,
      budgets.map((b) => b.id),
    )
    assert.equal(projects.length, 12)
    assert.deepEqual([projects[0]!.titleEn, projects[0]!.titleCy], ['', 'Meinciau ar y Stryd Fawr'])
    const shown = await rhian.get(`/budgets/${pid}/projects/${projects[0]!.id}`)
    assert.match(
      shown.body,
      /<h1 class="govuk-heading-xl"><span lang="cy">Meinciau ar y Stryd Fawr<\/span><\/h1>/,
    )
    const audit = await findAuditEntries(t.services.db, { action: 'budgets.project.propose' })
    assert.equal(audit.length, 12)
  })

  it('staff review feasibility (moderators may, analysts may not) and voting opens only when all are reviewed', async () => {
    assert.equal((await admin.post(`/admin/budgets/${pid}/phase`, { to: 'reviewing' })).statusCode, 303)
    const refusal = await admin.post(`/admin/budgets/${pid}/phase`, { to: 'voting' })
    assert.equal(refusal.statusCode, 409)
    assert.match(refusal.body, /Every project must be reviewed before voting opens/)
    const analyst = new TestBrowser(t.app)
    await analyst.login('analyst@example.org')
    await analyst.get(`/admin/budgets/${pid}/projects/${projects[0]!.id}`)
    assert.equal(
      (
        await analyst.post(`/admin/budgets/${pid}/projects/${projects[0]!.id}`, {
          decision: 'feasible',
          finalCost: '40',
          titleEn: 'x',
        })
      ).statusCode,
      403,
    )
    const moderator = new TestBrowser(t.app)
    await moderator.login('moderator@example.org')
    const path = (p: BudgetProject) => `/admin/budgets/${pid}/projects/${p.id}`
    await moderator.get(path(projects[0]!))
    const noReason = await moderator.post(path(projects[0]!), {
      decision: 'not-feasible',
      titleCy: 'Meinciau',
      reasonEn: '',
      reasonCy: '',
    })
    assert.equal(noReason.statusCode, 400)
    assert.match(noReason.body, /Give the reason the project is not feasible/)
    for (const p of projects) {
      await moderator.get(path(p))
      const res = await moderator.post(path(p), {
        decision: 'feasible',
        finalCost: String((p.estimatedCost / 100) * 1),
        titleEn: p.titleEn || 'Benches on the High Street',
        titleCy: p.titleCy || `${p.titleEn} (cy)`,
        descriptionEn: p.descriptionEn,
        descriptionCy: p.descriptionCy,
      })
      assert.equal(res.statusCode, 303)
    }
    // One more, ruled out with a published reason, in the first budget.
    await rhian.get(`/budgets/${pid}/propose`)
    // Reviewing has begun: proposals are closed.
    assert.equal(
      (
        await rhian.post(`/budgets/${pid}/propose`, {
          budgetId: String(budgets[0]!.id),
          title: 'Late',
          description: 'x',
          cost: '1',
        })
      ).statusCode,
      409,
    )
    await moderator.get(path(projects[11]!))
    await moderator.post(path(projects[11]!), {
      decision: 'not-feasible',
      titleEn: projects[11]!.titleEn,
      reasonEn: 'The land is private.',
      reasonCy: 'Mae’r tir yn breifat.',
    })
    const publicPage = await t.app.inject(`/cy/budgets/${pid}/projects/${projects[11]!.id}`)
    assert.match(publicPage.body, /Mae’r tir yn breifat\./)
    await moderator.get(path(projects[11]!))
    await moderator.post(path(projects[11]!), {
      decision: 'feasible',
      finalCost: '30',
      titleEn: projects[11]!.titleEn,
    })
    assert.equal((await admin.post(`/admin/budgets/${pid}/phase`, { to: 'voting' })).statusCode, 303)
    assert.equal((await findProcess(t.services.db, pid))?.phase, 'voting')
    projects = await listProjects(
      t.services.db,
      budgets.map((b) => b.id),
    )
    assert.ok(projects.every((p) => p.status === 'feasible'))
    // Reviews are final once voting has started.
    assert.equal(
      (await moderator.post(path(projects[0]!), { decision: 'feasible', finalCost: '1', titleEn: 'x' }))
        .statusCode,
      409,
    )
  })

  it('a resident states a postcode in the area, then fills an approval ballot, checks it and changes it', async () => {
    const b = rhian
    const url = `/budgets/${pid}/vote/${budgets[0]!.id}`
    const ask = await b.get(url)
    assert.match(ask.body, /name="postcode"/)
    const wrong = await b.post(`${url}/postcode`, { postcode: 'not a postcode' })
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /Enter a real postcode/)
    assert.equal((await b.post(`${url}/postcode`, { postcode: 'sa45 1ab' })).statusCode, 303)
    const outside = await b.get(url)
    assert.match(outside.body, /Your postcode SA45 1AB is not in the area of this budget \(SA43\)/)
    await b.post(`${url}/postcode`, { postcode: 'SA43 1AB' })
    const ballot = await b.get(url)
    assert.match(ballot.body, /Choose between 1 and 2 projects\./)
    assert.match(ballot.body, /name="projects"/)
    const [p1, p2, p3] = byBudget(0)
    const tooMany = await b.post(url, { projects: [p1!, p2!, p3!], action: 'check' })
    assert.equal(tooMany.statusCode, 400)
    assert.match(tooMany.body, /Choose no more than 2 projects/)
    const checked = await b.post(url, { projects: [p1!, p2!], action: 'check' })
    assert.equal(checked.statusCode, 200)
    assert.match(checked.body, /Your choices follow the rules of this ballot/)
    assert.match(checked.body, /Projects chosen[\s\S]*?2 \(at most 2\)/)
    assert.match(checked.body, /What they cost[\s\S]*?£70/)
    assert.equal(
      await findBallot(t.services.db, budgets[0]!.id, 'citizen:2'),
      undefined,
      'checking does not vote',
    )
    const cast = await b.post(url, { projects: [p1!, p2!], action: 'cast' })
    assert.equal(location(cast), `${url}/done`)
    const done = await b.get(`${url}/done`)
    assert.match(done.body, /Your vote has been recorded/)
    await b.get(url)
    await b.post(url, { projects: [p3!], action: 'cast' })
    const stored = await listBallots(t.services.db, budgets[0]!.id)
    assert.equal(stored.length, 1)
    assert.equal(stored[0]!.version, 2)
    assert.deepEqual(stored[0]!.ballot, { kind: 'approval', projects: [p3] })
    const again = await b.get(url)
    assert.match(again.body, /You voted on/)
    assert.match(again.body, new RegExp(`value="${p3}" checked`))
  })

  it('cost-limited: the running total, over budget and under the 70 % minimum refused', async () => {
    const b = rhian
    const url = `/budgets/${pid}/vote/${budgets[1]!.id}`
    const [p1, p2, p3] = byBudget(1)
    await b.get(url)
    const over = await b.post(url, { projects: [p1!, p2!, p3!], action: 'check' })
    assert.equal(over.statusCode, 400)
    assert.match(over.body, /Your choices cost £110, which is more than the budget of £100/)
    assert.match(over.body, /Over the budget by[\s\S]*?£10/)
    const under = await b.post(url, { projects: [p3!], action: 'cast' })
    assert.equal(under.statusCode, 400)
    assert.match(under.body, /Choose projects that cost at least £70 together \(70% of the budget\)/)
    const ok = await b.post(url, { projects: [p1!, p3!], action: 'check' })
    assert.match(ok.body, /Left to spend[\s\S]*?£30/)
    assert.match(ok.body, /You must spend at least[\s\S]*?£70/)
    assert.equal((await b.post(url, { projects: [p1!, p3!], action: 'cast' })).statusCode, 303)
  })

  it('cumulative: points per project, and a census code as the way in', async () => {
    await admin.get(`/admin/budgets/${pid}/budgets/${budgets[2]!.id}`)
    const bad = await admin.post(`/admin/budgets/${pid}/budgets/${budgets[2]!.id}/census`, {
      codes: 'AB12CD\n!!',
    })
    assert.equal(bad.statusCode, 400)
    const imported = await admin.post(`/admin/budgets/${pid}/budgets/${budgets[2]!.id}/census`, {
      codes: 'code\nAB12CD\nXY99ZZ\n',
    })
    assert.equal(imported.statusCode, 303)
    const url = `/budgets/${pid}/vote/${budgets[2]!.id}`
    const anon = new TestBrowser(t.app)
    const page = await anon.get(url)
    assert.match(page.body, /name="code"/)
    const unknown = await anon.post(`${url}/code`, { code: 'NOPE1234' })
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.body, /not valid for this budget/)
    assert.equal((await anon.post(`${url}/code`, { code: 'ab-12 cd' })).statusCode, 303)
    const ballot = await anon.get(url)
    const [p1, p2, p3] = byBudget(2)
    assert.match(ballot.body, new RegExp(`name="points-${p1}"`))
    const tooMany = await anon.post(url, { [`points-${p1}`]: '7', [`points-${p2}`]: '5', action: 'check' })
    assert.equal(tooMany.statusCode, 400)
    assert.match(tooMany.body, /Give no more than 6 points to/)
    assert.match(tooMany.body, /You have given 12 points. Give no more than 10 points/)
    const running = await anon.post(url, { [`points-${p1}`]: '6', [`points-${p3}`]: '3', action: 'check' })
    assert.match(running.body, /Points given[\s\S]*?9 of 10/)
    assert.match(running.body, /Points left[\s\S]*?1/)
    assert.equal(
      (await anon.post(url, { [`points-${p1}`]: '6', [`points-${p3}`]: '3', action: 'cast' })).statusCode,
      303,
    )
    const stored = await listBallots(t.services.db, budgets[2]!.id)
    assert.match(stored[0]!.voterKey, /^census:\d+$/)
    // The same code in another browser changes the same ballot.
    const other = new TestBrowser(t.app)
    await other.get(url)
    await other.post(`${url}/code`, { code: 'AB12CD' })
    await other.get(url)
    assert.equal((await other.post(url, { [`points-${p2}`]: '6', action: 'cast' })).statusCode, 303)
    const after = await listBallots(t.services.db, budgets[2]!.id)
    assert.equal(after.length, 1)
    assert.equal(after[0]!.version, 2)
  })

  it('ranked: positions per project, one position used twice refused, in Welsh', async () => {
    const b = rhian
    const url = `/cy/budgets/${pid}/vote/${budgets[3]!.id}`
    const [p1, p2, p3] = byBudget(3)
    const page = await b.get(url)
    assert.match(page.body, /Dewiswch hyd at 2 prosiect a’u rhoi mewn trefn/)
    const twice = await b.post(url, { [`rank-${p1}`]: '1', [`rank-${p2}`]: '1', action: 'check' })
    assert.equal(twice.statusCode, 400)
    assert.match(twice.body, /yn ddewis 1/)
    assert.equal(
      (twice.body.match(/<option value="1" selected>/g) ?? []).length,
      2,
      'both picks are shown again',
    )
    const cast = await b.post(url, { [`rank-${p3}`]: '1', [`rank-${p1}`]: '2', action: 'cast' })
    assert.equal(location(cast), `/cy/budgets/${pid}/vote/${budgets[3]!.id}/done`)
    const stored = await listBallots(t.services.db, budgets[3]!.id)
    assert.deepEqual(stored[0]!.ballot, { kind: 'ranked', ranking: [p3, p1] })
  })

  it('refuses ballots from people not eligible, and after voting closes', async () => {
    const anon = new TestBrowser(t.app)
    await anon.get('/account/sign-in')
    const res = await anon.post(`/budgets/${pid}/vote/${budgets[0]!.id}`, {
      projects: byBudget(0)[0]!,
      action: 'cast',
    })
    assert.match(res.body, /Sign in with your email address to vote/)
    assert.equal((await listBallots(t.services.db, budgets[0]!.id)).length, 1)
  })

  it('staff enter paper ballots one by one and from CSV, all or nothing', async () => {
    const url = `/admin/budgets/${pid}/budgets/${budgets[0]!.id}/paper`
    const [p1, p2, p3] = byBudget(0)
    await admin.get(url)
    const one = await admin.post(url, { how: 'form', reference: 'P-0001', projects: [p1!, p2!] })
    assert.equal(one.statusCode, 303)
    await admin.get(url)
    const again = await admin.post(url, { how: 'form', reference: 'P-0001', projects: [p1!] })
    assert.equal(again.statusCode, 400)
    assert.match(again.body, /already been entered/)
    const badCsv = await admin.post(url, {
      how: 'csv',
      csv: `reference,projects\nP-0002,${p1}\nP-0003,${p1} ${p2} ${p3}\nP-0002,${p2}\n`,
    })
    assert.equal(badCsv.statusCode, 400)
    assert.match(badCsv.body, /Line 3: Choose no more than 2 projects/)
    assert.match(badCsv.body, /Line 4: This ballot paper number appears twice/)
    const csv = await admin.post(url, {
      how: 'csv',
      csv: `reference,projects\nP-0002,${p1}\nP-0003,${p3};${p2}\n`,
    })
    assert.equal(csv.statusCode, 303)
    const stored = await listBallots(t.services.db, budgets[0]!.id)
    assert.deepEqual(
      stored.map((s) => [s.channel, s.voterKey.replace(/^citizen:\d+$/, 'citizen:N')]),
      [
        ['online', 'citizen:N'],
        ['paper', 'paper:P-0001'],
        ['paper', 'paper:P-0002'],
        ['paper', 'paper:P-0003'],
      ],
    )
    const pointsUrl = `/admin/budgets/${pid}/budgets/${budgets[2]!.id}/paper`
    const [h1, h2] = byBudget(2)
    await admin.get(pointsUrl)
    assert.equal(
      (await admin.post(pointsUrl, { how: 'csv', csv: `reference,projects,points\nH-1,${h1} ${h2},4 6\n` }))
        .statusCode,
      303,
    )
    const pointsBallots = await listBallots(t.services.db, budgets[2]!.id)
    assert.deepEqual(pointsBallots.at(-1)!.ballot, {
      kind: 'cumulative',
      allocations: [
        { projectId: h1, points: 4 },
        { projectId: h2, points: 6 },
      ],
    })
    const audit = await findAuditEntries(t.services.db, { action: 'budgets.paper' })
    assert.deepEqual(audit.map((a) => a.action).sort(), [
      'budgets.paper.enter',
      'budgets.paper.import',
      'budgets.paper.import',
    ])
  })

  it('closing voting counts every budget; results stay hidden until staff publish them', async () => {
    await admin.get(`/admin/budgets/${pid}`)
    const closing = await admin.post(`/admin/budgets/${pid}/phase`, { to: 'counting' })
    assert.equal(closing.statusCode, 303, closing.body.slice(0, 3000))
    const b = rhian
    const closed = await b.get(`/budgets/${pid}/vote/${budgets[0]!.id}`)
    assert.match(closed.body, /Voting is not open for this budget/)
    assert.equal((await t.app.inject(`/budgets/${pid}/results`)).statusCode, 404)
    assert.equal(
      (await t.app.inject(`/api/v1/budgets/${budgets[0]!.id}/results`)).json().error.code,
      'not-found',
    )
    const preview = await admin.get(`/budgets/${pid}/results`)
    assert.match(preview.body, /These results are not published yet/)
    // A late paper ballot: the count is stale until counted again.
    const paper = `/admin/budgets/${pid}/budgets/${budgets[1]!.id}/paper`
    await admin.get(paper)
    await admin.post(paper, { how: 'form', reference: 'LATE-1', projects: byBudget(1).slice(0, 2) })
    const stale = await admin.post(`/admin/budgets/${pid}/phase`, { to: 'results' })
    assert.equal(stale.statusCode, 409)
    assert.match(stale.body, /Count again the budgets that changed/)
    await admin.get(`/admin/budgets/${pid}/budgets/${budgets[1]!.id}`)
    assert.equal(
      (await admin.post(`/admin/budgets/${pid}/budgets/${budgets[1]!.id}/count`, {})).statusCode,
      303,
    )
    assert.equal((await admin.post(`/admin/budgets/${pid}/phase`, { to: 'results' })).statusCode, 303)
  })

  it('publishes results as a page, JSON (in the OpenAPI document) and CSV', async () => {
    const page = await t.app.inject(`/budgets/${pid}/results`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /What each counting rule would have chosen/)
    assert.match(page.body, /<svg role="img"/)
    const cy = await t.app.inject(`/cy/budgets/${pid}/results`)
    assert.match(cy.body, /Beth fyddai pob rheol gyfrif wedi’i ddewis/)
    const json = (await t.app.inject(`/api/v1/budgets/${budgets[0]!.id}/results`)).json()
    const [p1, p2, p3] = byBudget(0).map(Number)
    // Ballots: online {p3}; paper {p1,p2}, {p1}, {p3,p2}: votes p1 2, p2 2, p3 2; greedy, costs 40/30/30.
    assert.equal(json.rule, 'greedy')
    assert.deepEqual(json.ballots, { total: 4, online: 1, paper: 3, import: 0 })
    assert.deepEqual(
      json.projects.map((p: { id: number; votes: number }) => [p.id, p.votes]),
      [
        [p1, 2],
        [p2, 2],
        [p3, 2],
      ],
    )
    assert.deepEqual(json.selected, [p1, p2, p3], '40 + 30 + 30 is exactly the budget')
    assert.equal(json.cost, 10_000)
    assert.deepEqual(
      json.projects[1].explanation,
      {
        code: 'selected-by-score',
        score: 2,
        supporters: 2,
        rank: 1,
        remainingBefore: 10_000,
      },
      'tie on votes: the cheaper project first, then the one listed first',
    )
    assert.deepEqual(
      json.comparison.map((c: { rule: string }) => c.rule),
      ['greedy', 'equal-shares/add1'],
    )
    assert.equal(
      (await t.app.inject('/api/v1/openapi.json')).json().paths['/api/v1/budgets/{id}/results'] !== undefined,
      true,
    )
    const csv = await t.app.inject(`/api/v1/budgets/${budgets[0]!.id}/results.csv`)
    assert.match(String(csv.headers['content-type']), /text\/csv/)
    const lines = csv.body.trim().split('\r\n')
    assert.equal(
      lines[0],
      'project_id,external_id,title_en,title_cy,cost_minor_units,currency,votes,points,selected,explanation,selected_by_greedy,selected_by_equal-shares/add1',
    )
    assert.equal(lines.length, 4)
    const list = (await t.app.inject('/api/v1/budgets')).json()
    assert.equal(list.processes[0].budgets[0].resultsUrl, `/api/v1/budgets/${budgets[0]!.id}/results`)
  })

  it('a winning project’s milestones reach its followers by email in their language; unfollow works', async () => {
    const winner = byBudget(0)[1]!
    const projectUrl = `/budgets/${pid}/projects/${winner}`
    const anon = new TestBrowser(t.app)
    await anon.get(`/cy${projectUrl}`)
    const asked = await anon.post(`/cy${projectUrl}/follow`, { email: 'bryn@example.org' })
    assert.equal(asked.statusCode, 200)
    const [confirm] = await listOutbox(t.services.db, { to: 'bryn@example.org', limit: 1 })
    assert.equal(confirm!.language, 'cy')
    const token = /token=([\w-]+)/.exec(confirm!.text)![1]!
    await anon.get(`/cy/budgets/follow?token=${token}`)
    assert.equal((await anon.post('/cy/budgets/follow', { token })).statusCode, 200)
    await rhian.get(projectUrl)
    assert.equal((await rhian.post(`${projectUrl}/follow`, {})).statusCode, 303)

    const adminPage = `/admin/budgets/${pid}/projects/${winner}`
    await admin.get(adminPage)
    const bad = await admin.post(`${adminPage}/milestones`, {
      titleEn: '',
      titleCy: '',
      date: 'soon',
      status: 'planned',
    })
    assert.equal(bad.statusCode, 400)
    const added = await admin.post(`${adminPage}/milestones`, {
      titleEn: 'Contractor appointed',
      titleCy: 'Contractwr wedi’i benodi',
      date: '2027-09-01',
      status: 'done',
    })
    assert.equal(added.statusCode, 303)
    const mails = await listOutbox(t.services.db, { limit: 10 })
    const bryn = mails.find((m) => m.to === 'bryn@example.org' && m.template === 'budgets-milestone')!
    assert.match(bryn.subject, /^Newyddion am /)
    assert.match(bryn.text, /Contractwr wedi’i benodi – Wedi’i wneud/)
    const ann = mails.find((m) => m.to === 'rhian@example.org' && m.template === 'budgets-milestone')!
    assert.match(ann.text, /Contractor appointed – Done/)
    const shown = await t.app.inject(projectUrl)
    assert.match(shown.body, /Contractor appointed/)
    const unfollowLink = /(\/cy\/budgets\/unfollow\?f=\d+&token=[\w-]+)/.exec(bryn.text)![1]!
    const f = /f=(\d+)/.exec(unfollowLink)![1]!
    const forged = new TestBrowser(t.app)
    await forged.get(unfollowLink)
    assert.equal((await forged.post('/cy/budgets/unfollow', { f, token: 'forged' })).statusCode, 400)
    const token2 = /token=([\w-]+)/.exec(unfollowLink)![1]!
    assert.equal((await forged.post('/cy/budgets/unfollow', { f, token: token2 })).statusCode, 200)
    await admin.get(adminPage)
    await admin.post(`${adminPage}/milestones`, {
      titleEn: 'Open',
      titleCy: 'Ar agor',
      date: '2027-12-01',
      status: 'planned',
    })
    const later = await listOutbox(t.services.db, { to: 'bryn@example.org', limit: 10 })
    assert.equal(
      later.filter((m) => m.template === 'budgets-milestone').length,
      1,
      'no more mail after unfollowing',
    )
  })

  it('records every staff action in the audit log', async () => {
    const actions = new Set(
      (await findAuditEntries(t.services.db, { action: 'budgets.', limit: 500 })).map((e) => e.action),
    )
    for (const a of [
      'budgets.process.create',
      'budgets.budget.create',
      'budgets.phase.advance',
      'budgets.project.review',
      'budgets.census.import',
      'budgets.paper.enter',
      'budgets.paper.import',
      'budgets.count',
      'budgets.milestone.add',
      'budgets.ballot.cast',
      'budgets.ballot.change',
    ])
      assert.ok(actions.has(a), a)
  })
})
