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
import { systemActor } from '../../../platform/auth/actor.js'
import { listOutbox } from '../../../platform/mail/mail.js'
import { createConversation } from '../actions.js'
import { type ConversationInput, DEFAULT_SETTINGS } from '../domain/conversation.js'
import { listAlerts } from '../store/alert-store.js'
import { listStatements } from '../store/conversation-store.js'
import { listParticipants } from '../store/participant-store.js'
import { loadSummary } from '../store/result-store.js'
import { maxVoteLogId } from '../store/vote-store.js'

const DAY = 86_400_000
const SEEDS = [
  'More trees on the high street',
  'Free parking for the first hour',
  'Close the high street to cars on Saturdays',
  'More public toilets in the town centre',
  'Evening buses to the villages',
  'Turn empty shops into homes',
  'Keep the market in the square',
  'A cycle route to the seafront',
  'Free Wi-Fi in the town centre',
  'Limit betting shops on the high street',
  'A 20 mph limit in the town centre',
  'A youth centre in an empty shop',
]

function conversationInput(
  over: Partial<ConversationInput & { opensAt: string }> = {},
): ConversationInput & { opensAt: string } {
  return {
    ...DEFAULT_SETTINGS,
    titleEn: 'Town centre',
    titleCy: 'Canol y dref',
    descriptionEn: 'What should change?',
    descriptionCy: 'Beth ddylai newid?',
    opensAt: new Date(Date.now() - DAY).toISOString(),
    closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
    seedsEn: SEEDS,
    seedsCy: SEEDS.map((s) => `CY ${s}`),
    ...over,
  }
}

function statementIdOf(body: string): string {
  const m = /name="statementId" value="(\d+)"/.exec(body)
  assert.ok(m, 'the page shows a statement to vote on')
  return m[1]!
}

describe('deliberation routes (sqlite)', () => {
  let t: TestApp
  let open: number
  let closed: number
  let verified: number
  const drain = () => t.services.jobs.drainLocal(new Date(Date.now() + 3_600_000))

  before(async () => {
    t = await buildTestApp('sqlite')
    await enableModules(t.services, ['deliberation'])
    for (const role of ['admin', 'moderator', 'analyst', 'communications'] as const)
      await addStaff(t.services, `${role}@example.org`, [role])
    const system = systemActor('test')
    open = await createConversation(t.services, system, conversationInput(), new Date())
    closed = await createConversation(
      t.services,
      system,
      conversationInput({
        titleEn: 'Libraries',
        titleCy: 'Llyfrgelloedd',
        opensAt: new Date(Date.now() - 10 * DAY).toISOString(),
        closesAt: new Date(Date.now() - DAY).toISOString(),
      }),
      new Date(),
    )
    verified = await createConversation(
      t.services,
      system,
      conversationInput({
        titleEn: 'Budget priorities',
        titleCy: 'Blaenoriaethau’r gyllideb',
        voteAssurance: 'email-verified',
        strictModeration: true,
        openData: false,
      }),
      new Date(),
    )
  })
  after(async () => {
    await t.close()
  })

  it('is not found while the module is switched off', async () => {
    await enableModules(t.services, [])
    assert.equal((await t.app.inject('/conversations')).statusCode, 404)
    await enableModules(t.services, ['deliberation'])
    const list = await t.app.inject('/conversations')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /Town centre/)
    assert.match(
      list.body,
      /class="govuk-service-navigation__link" href="\/conversations"/,
      'in the service navigation',
    )
    const cy = await t.app.inject('/cy/conversations')
    assert.match(cy.body, /Canol y dref/)
    assert.match(cy.body, /Sgyrsiau/)
  })

  it('takes votes from an anonymous participant with plain forms, one statement at a time, and the last vote counts', async () => {
    const b = new TestBrowser(t.app)
    const seen: string[] = []
    for (let i = 0; i < 3; i++) {
      const page = await b.get(`/conversations/${open}`)
      assert.equal(page.statusCode, 200)
      const id = statementIdOf(page.body)
      assert.ok(!seen.includes(id), 'a statement is not shown twice')
      seen.push(id)
      const res = await b.post(`/conversations/${open}/vote`, {
        statementId: id,
        vote: i === 0 ? 'agree' : 'disagree',
      })
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, `/conversations/${open}`)
    }
    const page = await b.get(`/conversations/${open}`)
    assert.match(page.body, /Statements you have voted on: 3 of 12/)
    // Change the first vote from the "your votes" page.
    const votes = await b.get(`/conversations/${open}/votes`)
    assert.match(votes.body, /Your vote: Agree/)
    const again = await b.post(`/conversations/${open}/vote`, {
      statementId: seen[0]!,
      vote: 'pass',
      returnTo: 'votes',
    })
    assert.equal(again.headers.location, `/conversations/${open}/votes#statement-${seen[0]}`)
    const [participant] = await listParticipants(t.services.db, open)
    assert.equal(participant?.votes, 3, 'one vote per statement')
    const log = await t.services.db
      .selectFrom('deliberation_vote_log')
      .select('vote')
      .where('participant_id', '=', participant!.id)
      .execute()
    assert.deepEqual(
      log.map((l) => l.vote),
      [1, -1, -1, 0],
      'every vote is logged',
    )
  })

  it('refuses a malformed vote', async () => {
    const b = new TestBrowser(t.app)
    const page = await b.get(`/conversations/${open}`)
    const res = await b.post(`/conversations/${open}/vote`, {
      statementId: statementIdOf(page.body),
      vote: '7',
    })
    assert.equal(res.statusCode, 400)
  })

  it('refuses a vote on a closed conversation clearly, in English and Welsh, and records nothing', async () => {
    const [statement] = await listStatements(t.services.db, closed)
    const b = new TestBrowser(t.app)
    await b.get(`/conversations/${open}`) // a page with a form, for the CSRF token a browser would hold
    const page = await b.get(`/conversations/${closed}`)
    assert.match(page.body, /This conversation closed at the end of/)
    assert.doesNotMatch(page.body, /name="statementId"/, 'no vote form')
    const res = await b.post(`/conversations/${closed}/vote`, {
      statementId: String(statement!.id),
      vote: 'agree',
    })
    assert.equal(res.statusCode, 409)
    assert.match(res.body, /<h1[^>]*>This conversation has closed<\/h1>/)
    assert.match(res.body, /It no longer accepts votes or statements, so nothing was recorded/)
    await b.get(`/cy/conversations/${closed}`)
    const cy = await b.post(`/cy/conversations/${closed}/vote`, {
      statementId: String(statement!.id),
      vote: 'agree',
    })
    assert.equal(cy.statusCode, 409)
    assert.match(cy.body, /Mae’r sgwrs hon wedi cau/)
    assert.deepEqual(await listParticipants(t.services.db, closed), [])
    const statementRes = await b.post(`/conversations/${closed}/statements`, { statement: 'Open on Sundays' })
    assert.equal(statementRes.statusCode, 409)
  })

  it('adds a statement, refuses near-duplicates pointing to the existing one, and enforces the length', async () => {
    const b = new TestBrowser(t.app)
    await b.get(`/conversations/${open}`)
    const long = await b.post(`/conversations/${open}/statements`, { statement: 'x'.repeat(141) })
    assert.equal(long.statusCode, 400)
    assert.match(long.body, /Your statement must be 140 characters or fewer/)
    assert.match(long.body, /govuk-error-summary/)
    const dup = await b.post(`/conversations/${open}/statements`, {
      statement: 'Turn the empty shops into homes!',
    })
    assert.equal(dup.statusCode, 400)
    assert.match(dup.body, /This says the same as a statement already in the conversation/)
    assert.match(dup.body, /id="duplicate"[\s\S]*Turn empty shops into homes/)
    assert.match(dup.body, />Turn the empty shops into homes!<\/textarea>/, 'what was typed is kept')
    const ok = await b.post(`/conversations/${open}/statements`, {
      statement: 'A swimming pool by the leisure centre',
    })
    assert.equal(ok.statusCode, 303)
    const after = await b.get(`/conversations/${open}`)
    assert.match(after.body, /Your statement has been added/)
    const added = (await listStatements(t.services.db, open)).at(-1)!
    assert.equal(added.textEn, 'A swimming pool by the leisure centre')
    assert.equal(added.moderation, 0)
    // The author agreed with it, as in Pol.is, and is not asked about it.
    const [entry] = await findAuditEntries(t.services.db, { action: 'deliberation.statement.add' })
    assert.equal(entry?.subjectId, String(added.id))
  })

  it('stores a statement written in Welsh as Welsh', async () => {
    const b = new TestBrowser(t.app)
    await b.get(`/cy/conversations/${open}`)
    const res = await b.post(`/cy/conversations/${open}/statements`, {
      statement: 'Dylai fod mwy o feinciau yn y parc ger yr afon',
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/cy/conversations/${open}`)
    const added = (await listStatements(t.services.db, open)).at(-1)!
    assert.equal(added.textCy, 'Dylai fod mwy o feinciau yn y parc ger yr afon')
    assert.equal(added.textEn, null)
  })

  it('asks for a confirmed email address where the conversation needs one, then lets the citizen vote', async () => {
    const b = new TestBrowser(t.app)
    const page = await b.get(`/conversations/${verified}`)
    assert.match(page.body, /Confirm your email address to take part/)
    assert.match(page.body, /href="\/account\/sign-in\?next=%2Fconversations%2F\d+"/)
    const [statement] = await listStatements(t.services.db, verified)
    const refused = await b.post(`/conversations/${verified}/vote`, {
      statementId: String(statement!.id),
      vote: 'agree',
    })
    assert.equal(refused.statusCode, 403)
    await b.get('/account/sign-in')
    await b.post('/account/sign-in', { email: 'dafydd@example.org' })
    const [mail] = await listOutbox(t.services.db, { to: 'dafydd@example.org', limit: 1 })
    const token = /token=([\w-]+)/.exec(mail!.text)![1]!
    await b.get(`/account/verify?token=${token}`)
    assert.equal((await b.post('/account/verify', { token })).statusCode, 303)
    const now = await b.get(`/conversations/${verified}`)
    const res = await b.post(`/conversations/${verified}/vote`, {
      statementId: statementIdOf(now.body),
      vote: 'agree',
    })
    assert.equal(res.statusCode, 303)
    const [participant] = await listParticipants(t.services.db, verified)
    assert.equal(participant?.assurance, 'email-verified')
    assert.ok(participant?.citizenId)
  })

  async function citizen(email: string): Promise<TestBrowser> {
    const b = new TestBrowser(t.app)
    await b.get('/account/sign-in')
    await b.post('/account/sign-in', { email })
    const [mail] = await listOutbox(t.services.db, { to: email, limit: 1 })
    const token = /token=([\w-]+)/.exec(mail!.text)![1]!
    await b.get(`/account/verify?token=${token}`)
    await b.post('/account/verify', { token })
    return b
  }

  it('shows statements under strict moderation only once a moderator accepts them', async () => {
    const author = await citizen('eira@example.org')
    await author.get(`/conversations/${verified}`)
    const res = await author.post(`/conversations/${verified}/statements`, {
      statement: 'Spend more on road repairs this year',
    })
    assert.equal(res.statusCode, 303)
    assert.match(
      (await author.get(`/conversations/${verified}`)).body,
      /A moderator will check your statement/,
    )
    const added = (await listStatements(t.services.db, verified)).at(-1)!
    assert.equal(added.moderation, 0)
    const voter = await citizen('gwen@example.org')
    for (let i = 0; i < 12; i++) {
      const page = await voter.get(`/conversations/${verified}`)
      assert.doesNotMatch(page.body, /Spend more on road repairs/)
      await voter.post(`/conversations/${verified}/vote`, {
        statementId: statementIdOf(page.body),
        vote: 'pass',
      })
    }
    assert.match((await voter.get(`/conversations/${verified}`)).body, /You have voted on every statement/)
    const mo = new TestBrowser(t.app)
    await mo.login('moderator@example.org')
    await mo.get(`/admin/deliberation/${verified}/moderation`)
    await mo.post(`/admin/deliberation/${verified}/statements/${added.id}`, { action: 'accept' })
    assert.match((await voter.get(`/conversations/${verified}`)).body, /Spend more on road repairs this year/)
  })

  it('keeps a report without open data from the public, and shows it to analysts', async () => {
    assert.equal((await t.app.inject(`/conversations/${verified}/report`)).statusCode, 404)
    assert.equal((await t.app.inject(`/api/v1/conversations/${verified}/report`)).statusCode, 404)
    assert.equal(
      (await t.app.inject(`/api/v1/conversations/${verified}/report`)).json().error.code,
      'not-found',
    )
    const analyst = new TestBrowser(t.app)
    await analyst.login('analyst@example.org')
    const page = await analyst.get(`/conversations/${verified}/report`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /this report is not public/)
    assert.equal((await analyst.get(`/api/v1/conversations/${verified}/report`)).statusCode, 200)
    const comms = new TestBrowser(t.app)
    await comms.login('communications@example.org')
    assert.equal((await comms.get(`/conversations/${verified}/report`)).statusCode, 404)
  })

  it('recomputes off the request path, once per burst of votes, and flags a voter agreeing with everything at machine speed', async () => {
    await drain()
    const before = await t.services.db
      .selectFrom('job_queue')
      .select('id')
      .where('name', '=', 'deliberation.recompute')
      .execute()
    const bot = new TestBrowser(t.app)
    for (let i = 0; i < 12; i++) {
      const page = await bot.get(`/conversations/${open}`)
      if (!/name="statementId"/.test(page.body)) break
      await bot.post(`/conversations/${open}/vote`, { statementId: statementIdOf(page.body), vote: 'agree' })
    }
    const queued = await t.services.db
      .selectFrom('job_queue')
      .select(['id', 'run_at', 'created_at'])
      .where('name', '=', 'deliberation.recompute')
      .execute()
    assert.equal(queued.length - before.length, 1, 'a burst of votes queues one computation')
    const job = queued.at(-1)!
    assert.ok(Date.parse(job.run_at) - Date.parse(job.created_at) >= 4000, 'debounced by the setting (5 s)')
    const seenBefore = (await loadSummary(t.services.db, open))?.snapshot.lastVoteId ?? 0
    assert.ok(seenBefore < (await maxVoteLogId(t.services.db, open)), 'the votes are not in the math yet')
    assert.equal(await drain(), 1)
    const summary = await loadSummary(t.services.db, open)
    assert.ok(summary && summary.snapshot.participants >= 2)
    const alerts = await listAlerts(t.services.db, open, { open: true })
    assert.ok(
      alerts.some((a) => a.kind === 'machine-speed'),
      'the fast voter is flagged',
    )
    const sameAnswer = alerts.find((a) => a.kind === 'same-answer')
    assert.equal(sameAnswer, undefined, '12 agrees are fewer than the 20 needed to judge "everything"')
  })

  it('serves the report as a page, CSV (guarded against formula injection) and JSON with the documented shape', async () => {
    const page = await t.app.inject(`/conversations/${open}/report`)
    assert.equal(page.statusCode, 200)
    assert.match(
      page.body,
      /<svg[^>]*role="img"[^>]*aria-labelledby="opinion-map-title opinion-map-desc"|Opinion groups/,
    )
    assert.match(page.body, /Participation over time/)
    const cy = await t.app.inject(`/cy/conversations/${open}/report`)
    assert.match(cy.body, /Cyfranogiad dros amser/)
    const csv = await t.app.inject(`/conversations/${open}/report.csv`)
    assert.equal(csv.statusCode, 200)
    assert.match(String(csv.headers['content-type']), /text\/csv/)
    assert.match(csv.body, /^statement-id,text,moderation,meta,seed,agrees,disagrees,passes/)
    const api = await t.app.inject(`/api/v1/conversations/${open}/report`)
    assert.equal(api.statusCode, 200)
    assert.equal(api.headers['access-control-allow-origin'], '*')
    const json = api.json()
    assert.deepEqual(Object.keys(json), [
      'conversation',
      'computedAt',
      'totals',
      'groups',
      'consensus',
      'bridging',
      'divisive',
      'map',
      'participation',
      'statements',
    ])
    assert.equal(json.conversation.title, 'Town centre')
    assert.equal(
      (await t.app.inject(`/cy/api/v1/conversations/${open}/report`)).json().conversation.title,
      'Canol y dref',
    )
    assert.ok(json.statements.length >= 12)
    const doc = (await t.app.inject('/api/v1/openapi.json')).json()
    assert.ok(doc.paths['/api/v1/conversations/{id}/report'], 'documented in OpenAPI')
  })

  it('guards CSV cells against formula injection', async () => {
    const b = new TestBrowser(t.app)
    await b.get(`/conversations/${open}`)
    assert.equal(
      (
        await b.post(`/conversations/${open}/statements`, {
          statement: '=HYPERLINK("http://evil.example","click")',
        })
      ).statusCode,
      303,
    )
    const csv = await t.app.inject(`/conversations/${open}/report.csv`)
    assert.match(csv.body, /"'=HYPERLINK\(""http:\/\/evil.example"",""click""\)"/)
  })

  it('lets staff in by role: admins create, moderators moderate, analysts read', async () => {
    const pages = [
      { path: '/admin/deliberation', allowed: ['admin', 'moderator', 'analyst'] },
      { path: '/admin/deliberation/new', allowed: ['admin'] },
      { path: `/admin/deliberation/${open}`, allowed: ['admin', 'moderator', 'analyst'] },
      { path: `/admin/deliberation/${open}/edit`, allowed: ['admin'] },
      { path: `/admin/deliberation/${open}/moderation`, allowed: ['admin', 'moderator'] },
      { path: `/admin/deliberation/${open}/participants`, allowed: ['admin', 'moderator'] },
      { path: `/admin/deliberation/${open}/alerts`, allowed: ['admin', 'moderator'] },
    ]
    assert.equal((await t.app.inject('/admin/deliberation')).statusCode, 303, 'the public is sent to log in')
    for (const role of ['admin', 'moderator', 'analyst', 'communications']) {
      const b = new TestBrowser(t.app)
      await b.login(`${role}@example.org`)
      for (const p of pages) {
        const res = await b.get(p.path)
        assert.equal(res.statusCode, p.allowed.includes(role) ? 200 : 403, `${role} ${p.path}`)
      }
    }
  })

  it('creates a conversation from the staff form, with errors shown against the fields', async () => {
    const admin = new TestBrowser(t.app)
    await admin.login('admin@example.org')
    await admin.get('/admin/deliberation/new')
    const bad = await admin.post('/admin/deliberation', {
      titleEn: 'Parks',
      titleCy: '',
      'opens-day': '31',
      'opens-month': '2',
      'opens-year': '2027',
      voteAssurance: 'none',
      statementPolicy: 'anyone',
      maxLength: '140',
      seedsEn: 'More benches\nLonger hours',
      seedsCy: 'Mwy o feinciau',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Enter a title in Welsh/)
    assert.match(bad.body, /href="#opens-day"/)
    assert.match(bad.body, /Add the Welsh for statement 2/)
    assert.match(bad.body, /value="Parks"/)
    const good = await admin.post('/admin/deliberation', {
      titleEn: 'Parks',
      titleCy: 'Parciau',
      descriptionEn: 'Tell us about parks',
      descriptionCy: 'Dywedwch wrthym am barciau',
      'opens-day': '1',
      'opens-month': '6',
      'opens-year': '2026',
      'closes-day': '30',
      'closes-month': '6',
      'closes-year': '2026',
      voteAssurance: 'none',
      statementPolicy: 'anyone',
      options: ['showMap', 'openData'],
      maxLength: '140',
      seedsEn: 'More benches\nLonger hours',
      seedsCy: 'Mwy o feinciau\nOriau hirach',
    })
    assert.equal(good.statusCode, 303)
    const id = Number(/\/admin\/deliberation\/(\d+)/.exec(String(good.headers.location))![1])
    const statements = await listStatements(t.services.db, id)
    assert.deepEqual(
      statements.map((s) => [s.textEn, s.textCy, s.seed, s.moderation]),
      [
        ['More benches', 'Mwy o feinciau', true, 1],
        ['Longer hours', 'Oriau hirach', true, 1],
      ],
    )
    const [audit] = await findAuditEntries(t.services.db, { action: 'deliberation.conversation.create' })
    assert.equal(audit?.actorLabel, 'admin@example.org')
    const edit = await admin.get(`/admin/deliberation/${id}/edit`)
    assert.match(edit.body, /name="closes-day"[^>]*value="30"|value="30"[^>]*name="closes-day"/)
  })

  it('moderation changes the report at once, and every action is audited', async () => {
    const report = (await t.app.inject(`/api/v1/conversations/${open}/report`)).json()
    const target = report.statements.find((s: { moderation: string }) => s.moderation === 'accepted')
    const statement = (await listStatements(t.services.db, open)).find(
      (s) => s.number === target.statementId,
    )!
    const mo = new TestBrowser(t.app)
    await mo.login('moderator@example.org')
    await mo.get(`/admin/deliberation/${open}/moderation?show=all`)
    const res = await mo.post(`/admin/deliberation/${open}/statements/${statement.id}`, {
      action: 'reject',
      show: 'all',
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/admin/deliberation/${open}/moderation?show=all`)
    const after = (await t.app.inject(`/api/v1/conversations/${open}/report`)).json()
    assert.equal(
      after.statements.find((s: { statementId: number }) => s.statementId === target.statementId).moderation,
      'rejected',
    )
    assert.equal(after.totals.statementsRejected, report.totals.statementsRejected + 1)
    const [audit] = await findAuditEntries(t.services.db, { action: 'deliberation.statement.reject' })
    assert.equal(audit?.actorLabel, 'moderator@example.org')
    // The math is queued to run at once; nobody is shown the statement any more.
    assert.ok((await drain()) >= 1)
    const b = new TestBrowser(t.app)
    for (let i = 0; i < 5; i++)
      assert.notEqual(statementIdOf((await b.get(`/conversations/${open}`)).body), String(statement.id))
  })

  it('bans a flagged participant: the alert closes, their votes leave the math, and it is audited', async () => {
    const [alert] = await listAlerts(t.services.db, open, { open: true })
    assert.ok(alert)
    await drain()
    const before = (await loadSummary(t.services.db, open))!.snapshot.participants
    const mo = new TestBrowser(t.app)
    await mo.login('moderator@example.org')
    const page = await mo.get(`/admin/deliberation/${open}/alerts`)
    assert.match(page.body, /median of 0\.\d+ seconds between votes|median of 0 seconds/)
    const res = await mo.post(`/admin/deliberation/${open}/participants/${alert.participantId}`, {
      action: 'ban',
      reason: 'machine-speed',
      from: 'alerts',
    })
    assert.equal(res.statusCode, 303)
    assert.deepEqual(await listAlerts(t.services.db, open, { open: true }), [])
    await drain()
    assert.equal((await loadSummary(t.services.db, open))!.snapshot.participants, before - 1)
    assert.ok(
      (await findAuditEntries(t.services.db, { action: 'deliberation.participant.ban' })).length === 1,
    )
    // The banned browser is told it can no longer take part.
    const staffView = await mo.get(`/admin/deliberation/${open}/participants?banned=1`)
    assert.match(staffView.body, /Banned on/)
  })

  it('recomputes on demand for staff, audited', async () => {
    const analyst = new TestBrowser(t.app)
    await analyst.login('analyst@example.org')
    await analyst.get(`/admin/deliberation/${open}`)
    const res = await analyst.post(`/admin/deliberation/${open}/recompute`, {})
    assert.equal(res.statusCode, 303)
    assert.match((await analyst.get(`/admin/deliberation/${open}`)).body, /Groups recalculated in \d+ ms/)
    assert.equal((await findAuditEntries(t.services.db, { action: 'deliberation.recompute' })).length, 1)
  })
})
