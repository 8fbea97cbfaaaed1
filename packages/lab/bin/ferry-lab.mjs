#!/usr/bin/env node
// ferry-lab up | down | status. In the repo it runs src/cli.ts through tsx (no build needed, and
// never a stale dist/); installed without tsx, it runs the built dist/cli.js.
import console from 'node:console'
import { existsSync } from 'node:fs'
import process from 'node:process'
import { URL } from 'node:url'

const source = new URL('../src/cli.ts', import.meta.url)
const tsx = existsSync(source) ? await import('tsx/esm/api').catch(() => undefined) : undefined
const cli = tsx
  ? await tsx.tsImport(source.href, import.meta.url)
  : await import(new URL('../dist/cli.js', import.meta.url).href)

try {
  process.exitCode = await cli.runCli(process.argv.slice(2), {
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
  })
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
