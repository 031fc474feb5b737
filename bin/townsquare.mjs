#!/usr/bin/env node
// The `townsquare` command: runs src/cli.ts through tsx so it works from a fresh checkout.
import { register } from 'tsx/esm/api'

register()
const { runCli } = await import('../src/cli.ts')
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
})
