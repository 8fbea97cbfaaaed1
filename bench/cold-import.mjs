// Cold-import cost of each ferry package, as a ratio to node's own start, measured side by side
// in one run (fresh process per sample, interleaved so machine noise hits both alike).
// Also proves @ferry/core loads no AWS client. Needs `pnpm build` first.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const samples = Number(process.env.BENCH_SAMPLES ?? 15)
const entries = ['core', 'ec2', 'proxy', 'images', 'edge']
  .map((p) => [`@ferry/${p}`, `${root}packages/${p}/dist/index.js`])
  .filter(([, file]) => existsSync(file))
if (!entries.length) throw new Error('bench/cold-import: no built packages; run `pnpm build` first')

const time = (code) => {
  const start = process.hrtime.bigint()
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' })
  return Number(process.hrtime.bigint() - start) / 1e6
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const results = new Map([['node', []], ...entries.map(([name]) => [name, []])])
for (let i = 0; i < samples; i++) {
  results.get('node').push(time(''))
  for (const [name, file] of entries)
    results.get(name).push(time(`await import(${JSON.stringify(file)})`))
}
const base = median(results.get('node'))
console.log(
  `cold import, median of ${samples} fresh processes (node alone = 1.00×, ${base.toFixed(0)} ms)`,
)
for (const [name, xs] of results)
  if (name !== 'node')
    console.log(
      `  ${name.padEnd(14)} ${(median(xs) / base).toFixed(2)}×  (${median(xs).toFixed(0)} ms)`,
    )

// Which modules does importing core load? The CJS build has the same graph and shows it in require.cache.
const loaded = execFileSync(
  process.execPath,
  [
    '-e',
    `require(${JSON.stringify(`${root}packages/core/dist/index.cjs`)}); console.log(JSON.stringify(Object.keys(require.cache)))`,
  ],
  { encoding: 'utf8' },
)
const aws = JSON.parse(loaded).filter((m) => m.includes('@aws-sdk') || m.includes('@smithy'))
console.log(
  `  @ferry/core loads ${JSON.parse(loaded).length} CommonJS modules, ${aws.length} of them AWS SDK modules`,
)
if (aws.length) {
  console.error(`@ferry/core must not load AWS clients, but loaded:\n${aws.join('\n')}`)
  process.exit(1)
}
