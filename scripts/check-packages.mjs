// publint and are-the-types-wrong over every built package; fails on any problem.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const dirs = readdirSync('packages').map((d) => `packages/${d}`)
let failed = false
for (const dir of dirs) {
  for (const [bin, args] of [
    ['publint', ['run', '--strict', dir]],
    ['attw', ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync('pnpm', ['exec', bin, ...args], { stdio: 'inherit' })
    } catch {
      failed = true
      console.error(`${bin} failed for ${dir}`)
    }
  }
}
process.exit(failed ? 1 : 0)
