#!/usr/bin/env node
// ferry-lab up | down | status. From the built package it runs dist/cli.js; in the repo, before
// any build, it loads src/cli.ts through tsx.
import console from 'node:console'
import { existsSync } from 'node:fs'
import process from 'node:process'
import { URL } from 'node:url'

const built = new URL('../dist/cli.js', import.meta.url)
const cli = existsSync(built)
  ? await import(built.href)
  : await (await import('tsx/esm/api')).tsImport('../src/cli.ts', import.meta.url)

try {
  process.exitCode = await cli.runCli(process.argv.slice(2), {
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
  })
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
