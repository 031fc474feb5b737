import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { CliError, type CliIO } from '../../../platform/cli/command.js'
import type { CompiledQuery } from '../domain/query/index.js'
import { createListeningQueryCommand, listeningQueryCommand } from './query.js'

function fakeIo(): { io: CliIO; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8')
  })
  stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8')
  })
  const io: CliIO = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    services: () => Promise.reject(new Error('the query command must not open the database')),
  }
  return { io, out: () => out, err: () => err }
}

describe('townsquare listening query', () => {
  it('is named listening query', () => {
    assert.deepEqual(listeningQueryCommand.path, ['listening', 'query'])
    assert.match(listeningQueryCommand.usage, /--json/)
  })

  it('prints the normalised query and the tree', async () => {
    const { io, out } = fakeIo()
    const code = await listeningQueryCommand.run(['Bins AND (missed OR late)'], io)
    assert.equal(code, 0)
    assert.equal(
      out(),
      [
        'Query: bins AND (missed OR late)',
        '',
        'AND',
        '├─ term bins',
        '└─ OR',
        '   ├─ term missed',
        '   └─ term late',
        '',
      ].join('\n'),
    )
  })

  it('prints warnings', async () => {
    const { io, out } = fakeIo()
    await listeningQueryCommand.run(['a AND b OR c'], io)
    assert.match(out(), /^Query: \(a AND b\) OR c\nWarning \(position 2\): AND is applied before OR/)
  })

  it('--json prints the query, the tree and valid: true', async () => {
    const { io, out } = fakeIo()
    assert.equal(await listeningQueryCommand.run(['--json', 'bins NEAR/2f missed'], io), 0)
    assert.deepEqual(JSON.parse(out()), {
      query: 'bins NEAR/2f missed',
      ast: {
        kind: 'near',
        left: { kind: 'term', value: 'bins', wildcard: false },
        right: { kind: 'term', value: 'missed', wildcard: false },
        distance: 2,
        ordered: true,
      },
      valid: true,
      warnings: [],
    })
  })

  it('joins words the shell split when the query was not quoted', async () => {
    const { io, out } = fakeIo()
    await listeningQueryCommand.run(['bins', 'AND', 'missed', '--json'], io)
    assert.equal(JSON.parse(out()).query, 'bins AND missed')
  })

  it('a parse error prints the caret diagram on stderr and fails with a one-line message naming the position', async () => {
    const { io, out, err } = fakeIo()
    await assert.rejects(listeningQueryCommand.run(['(council AND tax'], io), (e: unknown) => {
      assert.ok(e instanceof CliError)
      assert.equal(
        e.message,
        'invalid query: Expected a closing ")" at position 16 (the "(" at position 0 is not closed)',
      )
      assert.ok(!e.message.includes('\n'))
      return true
    })
    assert.equal(err(), '(council AND tax\n                ^\n')
    assert.equal(out(), '')
  })

  it('--json also prints the error as JSON on stdout', async () => {
    const { io, out } = fakeIo()
    await assert.rejects(listeningQueryCommand.run(['--json', 'council tax'], io), CliError)
    const json = JSON.parse(out())
    assert.equal(json.valid, false)
    assert.equal(json.error.position, 8)
    assert.equal(json.error.expected, 'AND, OR, NOT or NEAR/n between terms')
  })

  it('needs a query and knows its options', async () => {
    await assert.rejects(listeningQueryCommand.run([], fakeIo().io), /give the query to check/)
    await assert.rejects(listeningQueryCommand.run(['--verbose', 'x'], fakeIo().io), CliError)
  })

  it('an empty query is a parse error', async () => {
    await assert.rejects(listeningQueryCommand.run([''], fakeIo().io), /position 0 \(the query is empty\)/)
  })

  it('prints the number of matching posts when a counter is wired in', async () => {
    let seen: CompiledQuery | null = null
    const command = createListeningQueryCommand({
      countMatches: async (match) => {
        seen = match
        const posts = ['bins missed', 'bins', 'missed bins'].map((text) => ({
          text,
          author: null,
          lang: 'en',
          source: 'rss',
          site: null,
          places: [],
          hashtags: [],
          mentions: [],
        }))
        return posts.filter(match).length
      },
    })
    const text = fakeIo()
    await command.run(['bins AND missed'], text.io)
    assert.match(text.out(), /^Query: bins AND missed\nMatching posts: 2\n/)
    assert.equal((seen as CompiledQuery | null)?.query, 'bins AND missed')
    const json = fakeIo()
    await command.run(['--json', 'bins'], json.io)
    assert.equal(JSON.parse(json.out()).matches, 3)
  })
})
