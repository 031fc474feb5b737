import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { ROOT } from '../../src/platform/paths.js'

export interface RunningServer {
  readonly url: string
  readonly child: ChildProcess
  output(): string
  stop(): Promise<void>
}

/** Starts `src/server.ts` as a real process (as `npm start` would) and waits until it listens. */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString()
  })
  const port = env['PORT'] ?? '3000'
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), timeoutMs)
    const check = () => {
      if (out.includes('Townsquare is listening')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', check)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** Runs a command to completion and returns its exit code and output. */
export function run(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`timed out: ${args.join(' ')}\n${stdout}\n${stderr}`))
    }, options.timeoutMs ?? 60_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    child.stdin.end(options.input ?? '')
  })
}

/**
 * Ports for servers the tests start, below Linux's ephemeral range (32768–60999): a port in it
 * can be taken by any outgoing connection — the crash test's 32 signers once took the port its
 * server was about to restart on (EADDRINUSE). Each test process starts at its own offset and
 * checks that the port is free before handing it out.
 */
const PORT_MIN = 20_000
const PORT_MAX = 32_000
let nextPort = PORT_MIN + ((process.pid * 37) % (PORT_MAX - PORT_MIN))

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 500; tries++) {
    nextPort = nextPort + 1 >= PORT_MAX ? PORT_MIN : nextPort + 1
    if (await canListen(nextPort)) return nextPort
  }
  throw new Error(`no free port between ${PORT_MIN} and ${PORT_MAX}`)
}

/** Cookie jar + CSRF for fetch against a real server. */
export class HttpClient {
  cookies = new Map<string, string>()
  csrf: string | null = null
  constructor(public base: string) {}
  private remember(res: Response, body: string): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(body)
    if (m) this.csrf = m[1]!
  }
  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
  async get(path: string): Promise<{ status: number; body: string; location: string | null }> {
    const res = await fetch(this.base + path, {
      headers: { cookie: this.cookieHeader() },
      redirect: 'manual',
    })
    const body = await res.text()
    this.remember(res, body)
    return { status: res.status, body, location: res.headers.get('location') }
  }
  async post(
    path: string,
    form: Record<string, string>,
  ): Promise<{ status: number; body: string; location: string | null }> {
    const params = new URLSearchParams(form)
    if (this.csrf && !('_csrf' in form)) params.set('_csrf', this.csrf)
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
      redirect: 'manual',
    })
    const body = await res.text()
    this.remember(res, body)
    return { status: res.status, body, location: res.headers.get('location') }
  }
}
