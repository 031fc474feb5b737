import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { analyze } from '../domain/math/analyze.js'
import {
  buildPolisExport,
  conversationFromPolisExport,
  formatPolisExport,
  type PolisFileName,
  parsePolisExport,
  polisDatetime,
  polisGroupIds,
  readPolisExport,
  summaryValue,
  writePolisExport,
} from './polis-export.js'

const COMMENTS = `timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
1403067224363,Wed Jun 18 11:53:44 WIB 2014,0,5,2,0,1,"Parks should open later, ""at least"" in summer"
1403067224364,Wed Jun 18 11:53:45 WIB 2014,1,6,0,1,-1,"A statement
over two lines"
1403067224365,Wed Jun 18 11:53:46 WIB 2014,2,5,1,1,0,Plain
`

const VOTES = `timestamp,datetime,comment-id,voter-id,vote
10,a,0,1,1
20,b,1,1,-1
30,c,0,2,1
40,d,2,2,1
35,e,2,1,-1
50,f,2,1,0
`

const PARTICIPANTS = `participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2
1,0,0,3,1,1,1,-1,0
2,,0,2,2,0,1,,1
`

const SUMMARY = `topic,"Parks, and more"
url,https://example.org/c/1
conversation-description,"Two
lines"
`

const files = (
  overrides: Partial<Record<PolisFileName, string | undefined>> = {},
): Partial<Record<PolisFileName, string>> => {
  const all: Partial<Record<PolisFileName, string | undefined>> = {
    'comments.csv': COMMENTS,
    'votes.csv': VOTES,
    'participants-votes.csv': PARTICIPANTS,
    'summary.csv': SUMMARY,
    ...overrides,
  }
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Partial<
    Record<PolisFileName, string>
  >
}

describe('reading a Pol.is export', () => {
  it('parses every file, quoted and multi-line fields included', () => {
    const exported = parsePolisExport(files())
    assert.equal(exported.comments.length, 3)
    assert.equal(exported.comments[0]!.body, 'Parks should open later, "at least" in summer')
    assert.equal(exported.comments[1]!.body, 'A statement\nover two lines')
    assert.equal(exported.comments[1]!.moderated, -1)
    assert.equal(exported.votes!.length, 6)
    assert.equal(exported.participants!.length, 2)
    assert.equal(exported.participants![1]!.groupId, null)
    assert.deepEqual(
      [...exported.participants![0]!.votes],
      [
        [0, 1],
        [1, -1],
        [2, 0],
      ],
    )
    assert.equal(summaryValue(exported.summary, 'topic'), 'Parks, and more')
    assert.equal(summaryValue(exported.summary, 'conversation-description'), 'Two\nlines')
    assert.deepEqual([...polisGroupIds(exported)], [[1, 0]])
  })

  it('takes votes from votes.csv in time order, the latest vote winning', () => {
    const conversation = conversationFromPolisExport(parsePolisExport(files()))
    const last = conversation.votes.filter((v) => v.participant === 1 && v.statement === 2).at(-1)
    assert.equal(last!.vote, 0)
    assert.deepEqual(
      conversation.statements.map((s) => [s.id, s.moderation]),
      [
        [0, 1],
        [1, -1],
        [2, 0],
      ],
    )
  })

  it('falls back to participants-votes.csv without a vote log', () => {
    const conversation = conversationFromPolisExport(parsePolisExport(files({ 'votes.csv': undefined })))
    assert.equal(conversation.votes.length, 5)
  })

  const failures: Array<[string, Partial<Record<PolisFileName, string | undefined>>, string]> = [
    [
      'a vote of 7',
      { 'votes.csv': VOTES.replace('40,d,2,2,1', '40,d,2,2,7') },
      'votes.csv line 5: vote must be -1, 0 or 1 (got 7)',
    ],
    [
      'a missing column',
      { 'votes.csv': VOTES.replace('voter-id', 'voter') },
      'votes.csv line 1: missing column "voter-id"',
    ],
    [
      'an unknown statement id',
      { 'votes.csv': VOTES.replace('30,c,0,2,1', '30,c,99,2,1') },
      'votes.csv line 4: unknown statement id 99 (not in comments.csv)',
    ],
    [
      'an unknown statement column',
      { 'participants-votes.csv': PARTICIPANTS.replace('n-disagree,0,1,2', 'n-disagree,0,1,7') },
      'participants-votes.csv line 1: unknown statement id 7 (not in comments.csv)',
    ],
    [
      'a bad cell in the matrix',
      { 'participants-votes.csv': PARTICIPANTS.replace('2,,0,2,2,0,1,,1', '2,,0,2,2,0,1,,2') },
      'participants-votes.csv line 3: vote must be -1, 0 or 1 (got 2) in column "2"',
    ],
    [
      'a row after a multi-line field',
      { 'comments.csv': COMMENTS.replace('0,Plain', '5,Plain') },
      'comments.csv line 5: moderated must be -1, 0 or 1 (got 5)',
    ],
    [
      'a short row',
      { 'votes.csv': VOTES.replace('20,b,1,1,-1', '20,b,1,1') },
      'votes.csv line 3: wrong number of fields for the header',
    ],
    [
      'a non-numeric id',
      { 'votes.csv': VOTES.replace('30,c,0,2,1', '30,c,0,x,1') },
      'votes.csv line 4: voter-id must be a whole number (got "x")',
    ],
    [
      'a duplicate comment id',
      {
        'comments.csv': COMMENTS.replace(
          '1403067224365,Wed Jun 18 11:53:46 WIB 2014,2',
          '1403067224365,Wed Jun 18 11:53:46 WIB 2014,0',
        ),
      },
      'comments.csv line 5: duplicate comment-id 0',
    ],
    ['no comments.csv', { 'comments.csv': undefined }, 'comments.csv: file is missing'],
    [
      'no votes at all',
      { 'votes.csv': undefined, 'participants-votes.csv': undefined },
      'votes.csv: file is missing (and there is no participants-votes.csv)',
    ],
  ]
  for (const [what, overrides, message] of failures) {
    it(`fails on ${what} with one line naming file and line`, () => {
      assert.throws(
        () => parsePolisExport(files(overrides)),
        (err: Error) => {
          assert.equal(err.name, 'PolisExportError')
          assert.equal(err.message, message)
          assert.ok(!err.message.includes('\n'))
          return true
        },
      )
    })
  }
})

describe('writing a Pol.is export', () => {
  it('writes what it reads (round trip through files)', () => {
    const exported = parsePolisExport(files())
    const dir = mkdtempSync(join(tmpdir(), 'polis-'))
    try {
      writePolisExport(dir, exported)
      assert.deepEqual(readPolisExport(dir), exported)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const text = formatPolisExport(exported)
    assert.ok(text['comments.csv'].includes('"Parks should open later, ""at least"" in summer"'))
  })

  it('builds the set from an in-memory conversation and its analysis', () => {
    const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s))
    const statements = [0, 1, 2].map((id) => ({
      id,
      authorId: id === 2 ? null : 7,
      createdAt: at(id),
      body: `Statement ${id}`,
      moderation: (id === 1 ? -1 : 1) as -1 | 1,
    }))
    const votes = Array.from({ length: 20 }, (_, p) => [
      { participant: p, statement: 0, vote: (p < 10 ? 1 : -1) as 1 | -1, at: at(10 + p) },
      { participant: p, statement: 2, vote: (p < 10 ? -1 : 1) as 1 | -1, at: at(40 + p) },
      { participant: p, statement: 2, vote: (p < 10 ? 1 : -1) as 1 | -1, at: at(70 + p) },
    ]).flat()
    const analysis = analyze({
      statements: statements.map((s) => ({ id: s.id, moderation: s.moderation })),
      votes: votes.map((v) => ({
        participant: v.participant,
        statement: v.statement,
        vote: v.vote,
        at: v.at.getTime(),
      })),
    })
    const exported = buildPolisExport({ topic: 'Test', statements, votes, analysis })
    assert.equal(exported.votes!.length, 60)
    assert.deepEqual(
      exported.comments.map((c) => [c.agrees, c.disagrees]),
      [
        [10, 10],
        [0, 0],
        [10, 10],
      ],
    )
    assert.equal(exported.participants!.find((p) => p.id === 7)!.nComments, 2)
    assert.equal(summaryValue(exported.summary, 'groups'), String(analysis.groups.length))
    assert.equal(exported.comments[0]!.datetime, 'Thu Jan 01 00:00:00 UTC 2026')
    // What it writes reads back as the same conversation and the same groups.
    const reread = parsePolisExport(formatPolisExport(exported))
    const again = analyze(conversationFromPolisExport(reread))
    assert.deepEqual(
      again.groups.map((g) => g.members),
      analysis.groups.map((g) => g.members),
    )
    assert.deepEqual([...polisGroupIds(reread)].length, analysis.inConversation)
  })

  it('formats dates as Pol.is does', () => {
    assert.equal(polisDatetime(new Date(Date.UTC(2018, 10, 17, 5, 9, 36))), 'Sat Nov 17 05:09:36 UTC 2018')
  })
})
