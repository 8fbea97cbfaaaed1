// Runs every benchmark in bench/ that needs no lab; pipeline benchmarks start their own lab.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv[2]
let failed = false
for (const file of readdirSync(dir).filter(
  (f) => f.endsWith('.mjs') && f !== 'run.mjs' && (!only || f.includes(only)),
)) {
  console.log(`\n# ${file}`)
  const r = spawnSync(process.execPath, [`${dir}${file}`], { stdio: 'inherit' })
  failed ||= r.status !== 0
}
process.exit(failed ? 1 : 0)
