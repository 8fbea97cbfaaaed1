// publint and are-the-types-wrong over every built package; fails on any problem.
import { execFileSync } from 'node:child_process'
import console from 'node:console'
import { readdirSync } from 'node:fs'
import process from 'node:process'

const dirs = readdirSync('packages').map((d) => `packages/${d}`)
let failed = false
for (const dir of dirs) {
  /** @type {Array<[string, string[]]>} */
  const checks = [
    ['publint', ['run', '--strict', dir]],
    ['attw', ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
  ]
  for (const [bin, args] of checks) {
    try {
      execFileSync('pnpm', ['exec', bin, ...args], { stdio: 'inherit' })
    } catch {
      failed = true
      console.error(`${bin} failed for ${dir}`)
    }
  }
}
process.exit(failed ? 1 : 0)
