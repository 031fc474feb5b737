import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ROOT } from '../../../platform/paths.js'
import { equalShares } from '../domain/rules/equal-shares.js'
import { countSupporters, greedyByVotes, positionalPoints } from '../domain/rules/greedy.js'
import { supportedProjects, tally } from '../domain/rules/tally.js'
import {
  formatMoney,
  PabulibError,
  pabulibBallots,
  pabulibInstance,
  pabulibRule,
  parseMoney,
  parsePabulib,
  writePabulib,
} from './pabulib.js'

const SMALL = `META
key;value
description;Test
num_projects;3
num_votes;3
budget;1000.50
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name;selected
a;600;"Park; phase 2";1
b;400.5;Bench;1
c;300;"Lights ""LED""";0
VOTES
voter_id;vote;age
v1;a,b;30
v2;a;41
v3;b,c;
`

/** Asserts that parsing `text` fails with a one-line message naming `line`. */
function failsAt(text: string, line: number, fragment: string): void {
  assert.throws(
    () => parsePabulib(text),
    (e: unknown) => {
      assert.ok(e instanceof PabulibError, String(e))
      assert.equal(e.line, line, e.message)
      assert.ok(e.message.startsWith(`line ${line}: `), e.message)
      assert.ok(!e.message.includes('\n'), 'one line')
      assert.ok(e.message.includes(fragment), `"${e.message}" should mention "${fragment}"`)
      return true
    },
  )
}

describe('money', () => {
  it('reads decimal text into exact cents and writes it back', () => {
    assert.equal(parseMoney('1437562.51'), 143_756_251)
    assert.equal(parseMoney('100000'), 10_000_000)
    assert.equal(parseMoney('0.5'), 50)
    assert.equal(parseMoney('12.500'), 1250)
    assert.equal(parseMoney('1.234'), null)
    assert.equal(parseMoney('-1'), null)
    assert.equal(parseMoney('1e5'), null)
    assert.equal(parseMoney(''), null)
    assert.equal(formatMoney(143_756_251), '1437562.51')
    assert.equal(formatMoney(10_000_000), '100000')
    assert.equal(formatMoney(50), '0.50')
  })
})

describe('parsePabulib', () => {
  it('reads META, PROJECTS and VOTES', () => {
    const doc = parsePabulib(SMALL)
    assert.equal(doc.budget, 100_050)
    assert.equal(doc.voteType, 'approval')
    assert.equal(doc.meta.rule, 'greedy')
    assert.deepEqual(
      doc.projects.map((p) => [p.id, p.cost, p.fields.name, p.line]),
      [
        ['a', 60_000, 'Park; phase 2', 11],
        ['b', 40_050, 'Bench', 12],
        ['c', 30_000, 'Lights "LED"', 13],
      ],
    )
    assert.deepEqual(
      doc.votes.map((v) => [v.voterId, v.vote, v.fields.age, v.line]),
      [
        ['v1', ['a', 'b'], '30', 16],
        ['v2', ['a'], '41', 17],
        ['v3', ['b', 'c'], '', 18],
      ],
    )
    assert.deepEqual(doc.warnings, [])
  })

  it('accepts CRLF line ends, a byte-order mark and blank lines', () => {
    const text = '\uFEFF' + SMALL.replace('PROJECTS\n', '\nPROJECTS\n').replace(/\n/g, '\r\n')
    const doc = parsePabulib(text)
    assert.equal(doc.projects.length, 3)
    assert.equal(doc.votes[2].line, 19)
  })

  it('warns when num_projects / num_votes do not match the rows', () => {
    const doc = parsePabulib(SMALL.replace('num_votes;3', 'num_votes;4'))
    assert.deepEqual(doc.warnings, ['line 5: num_votes says 4 but the file has 3 votes'])
  })

  it('reads cumulative ballots with points', () => {
    const text = `META
key;value
budget;100
vote_type;cumulative
PROJECTS
project_id;cost
x;60
y;50
VOTES
voter_id;vote;points
1;x,y;3,7
2;y;10
`
    const doc = parsePabulib(text)
    assert.deepEqual(doc.votes[0].points, [3, 7])
    assert.deepEqual(pabulibBallots(doc), {
      kind: 'points',
      ballots: [
        { projects: ['x', 'y'], points: [3, 7] },
        { projects: ['y'], points: [10] },
      ],
    })
    assert.deepEqual(tally(pabulibInstance(doc), pabulibBallots(doc), { rule: 'greedy-points' }).selected, [
      'y',
    ])
  })
})

describe('parsePabulib errors: one line, naming the line', () => {
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1

  it('a file not starting with META', () => failsAt('PROJECTS\nproject_id;cost\n', 1, 'META'))
  it('an empty file', () => failsAt('', 1, 'META'))
  it('a missing budget', () => failsAt(SMALL.replace('budget;1000.50\n', ''), 2, 'budget'))
  it('a budget that is not an amount', () =>
    failsAt(SMALL.replace('budget;1000.50', 'budget;lots'), 6, 'budget'))
  it('an unknown vote_type', () =>
    failsAt(SMALL.replace('vote_type;approval', 'vote_type;plurality'), 7, 'vote_type'))
  it('a cost that is not a number', () => {
    const text = SMALL.replace('b;400.5;', 'b;four hundred;')
    failsAt(text, lineOf(text, 'four hundred'), 'cost')
  })
  it('a cost with more than two decimals', () => failsAt(SMALL.replace('b;400.5;', 'b;400.555;'), 12, 'cost'))
  it('a repeated project_id', () => failsAt(SMALL.replace('b;400.5;', 'a;400.5;'), 12, 'appears twice'))
  it('a row with too many fields', () =>
    failsAt(SMALL.replace('b;400.5;Bench;1', 'b;400.5;Bench;x;1'), 12, 'fields'))
  it('a vote naming an unknown project', () => failsAt(SMALL.replace('v2;a;41', 'v2;a,zz;41'), 17, '"zz"'))
  it('a vote naming a project twice', () => failsAt(SMALL.replace('v2;a;41', 'v2;a,a;41'), 17, 'twice'))
  it('a repeated voter_id', () => failsAt(SMALL.replace('v2;a;41', 'v1;a;41'), 17, 'voter_id'))
  it('no VOTES section', () => failsAt(SMALL.slice(0, SMALL.indexOf('VOTES')), 13, 'VOTES'))
  it('a PROJECTS header without cost', () =>
    failsAt(SMALL.replace('project_id;cost;name;selected', 'project_id;price;name;selected'), 10, 'cost'))
  it('a quote that is never closed', () => failsAt(SMALL.replace('v2;a;41', 'v2;"a;41'), 17, 'quoted'))
  it('points that do not match the vote', () => {
    const text =
      'META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\nx;1\nVOTES\nvoter_id;vote;points\n1;x;2,3\n'
    failsAt(text, 10, 'points')
  })
  it('counts lines correctly after a quoted field spanning two lines', () => {
    const text = SMALL.replace('"Park; phase 2"', '"Park;\nphase 2"').replace('v2;a;41', 'v2;zz;41')
    failsAt(text, 18, '"zz"')
  })
})

describe('writePabulib', () => {
  it('round-trips a document', () => {
    const doc = parsePabulib(SMALL)
    const again = parsePabulib(writePabulib(doc))
    assert.equal(again.budget, doc.budget)
    assert.deepEqual({ ...again.meta }, { ...doc.meta, budget: '1000.50' })
    assert.deepEqual(
      again.projects.map((p) => [p.id, p.cost, { ...p.fields }]),
      doc.projects.map((p) => [p.id, p.cost, { ...p.fields, cost: formatMoney(p.cost) }]),
    )
    assert.deepEqual(
      again.votes.map((v) => [v.voterId, v.vote, { ...v.fields }]),
      doc.votes.map((v) => [v.voterId, v.vote, { ...v.fields }]),
    )
  })

  it('writes a document built in code, setting the counts', () => {
    const text = writePabulib({
      meta: { description: 'Built', rule: 'equalshares/add1' },
      budget: 100_000,
      voteType: 'cumulative',
      projects: [
        { id: 'p1', cost: 60_000, fields: { name: 'A; B' } },
        { id: 'p2', cost: 40_000 },
      ],
      projectColumns: ['project_id', 'cost', 'name'],
      votes: [{ voterId: 'v1', vote: ['p1', 'p2'], points: [2, 1] }],
    })
    const doc = parsePabulib(text)
    assert.equal(doc.meta.num_projects, '2')
    assert.equal(doc.meta.num_votes, '1')
    assert.equal(doc.projects[0].fields.name, 'A; B')
    assert.deepEqual(doc.votes[0].points, [2, 1])
  })
})

// ---------------------------------------------------------------------------------------------
// The three real Pabulib files: the rule named in META must reproduce the official winners.

const DATA = join(ROOT, '..', 'shared', 'data', 'pabulib')
const dataSkip = existsSync(DATA) ? false : `shared data not found at ${DATA}`
const load = (name: string) => parsePabulib(readFileSync(join(DATA, name), 'utf8'))
const official = (doc: ReturnType<typeof parsePabulib>) =>
  doc.projects.filter((p) => p.fields.selected === '1').map((p) => p.id)

describe('real Pabulib files reproduce their official winners', { skip: dataSkip }, () => {
  const files = [
    'Netherlands_Assen_2024.pb',
    'Poland_Warszawa_2023_Wesola.pb',
    'Poland_Krakow_2023_Lagiewniki-Borek_Falecki.pb',
  ]
  for (const name of files) {
    it(`${name}: META rule gives exactly the "selected" column`, () => {
      const doc = load(name)
      assert.deepEqual(doc.warnings, [])
      const spec = pabulibRule(doc)
      assert.ok(spec, `META rule ${doc.meta.rule} is supported`)
      const outcome = tally(pabulibInstance(doc), pabulibBallots(doc), spec)
      const want = official(doc)
      assert.ok(want.length > 0)
      assert.deepEqual(outcome.selected, want)
      assert.equal(
        outcome.cost,
        doc.projects.filter((p) => want.includes(p.id)).reduce((s, p) => s + p.cost, 0),
      )
      assert.ok(outcome.cost <= doc.budget)
    })

    it(`${name}: the "votes" column is the number of ballots naming each project`, () => {
      const doc = load(name)
      const counts = countSupporters(pabulibInstance(doc), supportedProjects(pabulibBallots(doc)))
      assert.deepEqual(
        counts.map(String),
        doc.projects.map((p) => p.fields.votes),
      )
    })

    it(`${name}: survives a write/parse round trip with the same outcome`, () => {
      const doc = load(name)
      const again = parsePabulib(writePabulib(doc))
      const spec = pabulibRule(doc)
      assert.ok(spec)
      assert.deepEqual(
        tally(pabulibInstance(again), pabulibBallots(again), spec).selected,
        tally(pabulibInstance(doc), pabulibBallots(doc), spec).selected,
      )
    })
  }

  it('Assen: the rule is equalshares/add1 (9 projects, 76,700 EUR) and plain greedy would differ', () => {
    const doc = load('Netherlands_Assen_2024.pb')
    assert.equal(doc.meta.rule, 'equalshares/add1')
    const inst = pabulibInstance(doc)
    const ballots = doc.votes.map((v) => v.vote)
    const mes = equalShares(inst, ballots, { completion: 'add1' })
    assert.equal(mes.selected.length, 9)
    assert.equal(mes.cost, 7_670_000)
    assert.notDeepEqual(greedyByVotes(inst, ballots).selected, official(doc))
    // Add1 is needed (the core alone leaves out projects 5, 6 and 12) …
    assert.notDeepEqual(equalShares(inst, ballots, { completion: 'none' }).selected, official(doc))
    // … and no greedy fill follows it: with one, project 7 (12,000) would be added to the 23,300 left.
    const filled = equalShares(inst, ballots, { completion: 'add1-greedy' })
    assert.deepEqual(filled.completedByGreedy, ['7'])
  })

  it('Kraków: the "score" column is 3/2/1 points by position', () => {
    const doc = load('Poland_Krakow_2023_Lagiewniki-Borek_Falecki.pb')
    assert.equal(doc.voteType, 'ordinal')
    const points = new Map<string, number>()
    for (const ballot of positionalPoints(
      doc.votes.map((v) => v.vote),
      [3, 2, 1],
    )) {
      ballot.projects.forEach((id, i) => {
        points.set(id, (points.get(id) ?? 0) + ballot.points[i])
      })
    }
    assert.deepEqual(
      doc.projects.map((p) => String(points.get(p.id) ?? 0)),
      doc.projects.map((p) => p.fields.score),
    )
  })
})
