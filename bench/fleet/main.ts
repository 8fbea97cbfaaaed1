// The fleet benchmark of issue 3 (run it with `node bench/fleet.mjs`): the same host-side work —
// a container, an nginx reverse-proxy site to it (tested, reloaded), a certificate + key upload —
// on 1 and on 20 lab hosts, by ferry and by a hand-written node-ssh script (minimal, and careful:
// see hand-side.ts), measured side by side in one run. Rounds interleave the sides in rotating
// order; every round is verified on every host and reset before the next. Prints medians and the
// ratio ferry/hand; a benchmark reports, it does not gate, so it exits 0 whatever the ratio.
//
// Environment: BENCH_ROUNDS (default 5 per side per size), BENCH_CONCURRENCY (hosts at a time,
// every side; default 8, ferry's own fleet default), BENCH_SIZES (default "1,20"),
// BENCH_PROFILE=1 (one more ferry round per size, timing every remote command by kind),
// BENCH_HAND_NODELAY=0 (the hand script without TCP_NODELAY, node-ssh's default).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startLab, type Lab, type NginxInstance } from '@ferry/lab'
import { makeCertificate } from './cert.js'
import { reset, verify, type Verified } from './check.js'
import { runFerry } from './ferry-side.js'
import { runHand, STEPS, type SideResult } from './hand-side.js'
import { startHosts, type BenchHost } from './hosts.js'
import { createProfiler } from './profile.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)
const SIZES = (process.env.BENCH_SIZES ?? '1,20').split(',').map(Number)
const LIMIT = 1.3
const SIDES = ['ferry', 'hand', 'careful'] as const
type Side = (typeof SIDES)[number]
type Round = SideResult & Verified

let lab: Lab | undefined
let nginxes: NginxInstance[] = []
const shutdown = async () => {
  await Promise.allSettled(nginxes.map((n) => n.stop()))
  await lab?.stop()
}
// Stop the lab on Ctrl-C too (a terminal signals both this process and the wrapper: once is enough).
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    void shutdown().finally(() => process.exit(130))
  })

async function main(): Promise<void> {
  const began = performance.now()
  lab = await startLab()
  const dir = join(lab.dir, 'fleet-bench')
  mkdirSync(dir, { recursive: true, mode: 0o755 })
  const all = await startHosts(lab, { count: Math.max(...SIZES), dir, tag: `fb${process.pid}` })
  nginxes = all.map((h) => h.nginx)
  const cert = makeCertificate(dir)
  const profiler = process.env.BENCH_PROFILE === '1' ? createProfiler() : undefined
  const run = (side: Side, hosts: readonly BenchHost[]): Promise<SideResult> => {
    const o = { concurrency: CONCURRENCY, cert }
    return side === 'ferry'
      ? runFerry(lab!, hosts, { ...o, dir })
      : runHand(lab!, hosts, { ...o, careful: side === 'careful' })
  }
  const round = async (side: Side, hosts: readonly BenchHost[]) => {
    const result = await run(side, hosts)
    const seen = await verify(lab!, hosts, cert).catch((e: Error) => {
      throw new Error(`${side}: ${e.message}`, { cause: e })
    })
    await reset(lab!, hosts)
    return { ...result, ...seen }
  }

  console.log(header())
  const lines: string[] = []
  const verdicts: string[] = []
  for (const size of SIZES) {
    const hosts = all.slice(0, size)
    await reset(lab, hosts)
    // One unmeasured round each: lazy imports, JIT, podman's caches.
    for (const side of SIDES) await round(side, hosts)
    const results: Record<Side, Round[]> = { ferry: [], hand: [], careful: [] }
    // Each round rotates the order, so no side always runs first or right after another.
    for (let r = 0; r < ROUNDS; r++)
      for (let k = 0; k < SIDES.length; k++) {
        const side = SIDES[(r + k) % SIDES.length]!
        results[side].push(await round(side, hosts))
      }
    if (profiler) {
      profiler.start()
      await round('ferry', hosts).finally(() => profiler.stop())
    }
    const done = summary(size, results)
    console.log([...done.lines, ...(profiler?.report(size) ?? [])].join('\n'))
    lines.push(...done.lines)
    verdicts.push(done.verdict)
  }
  const took = `${((performance.now() - began) / 1000).toFixed(0)} s in all`
  console.log(`\n${header()}\n${lines.join('\n')}`)
  console.log(
    `pass = ferry's median ≤ ${LIMIT}× the hand-written floor (hand): ${verdicts.join('; ')}. (${took})`,
  )
}

function header(): string {
  return [
    `fleet, median of ${ROUNDS} rounds per side (sides interleaved, 1 warm-up round each not ` +
      `counted; ${CONCURRENCY} hosts at a time on every side; each host its own SSH connection, ` +
      `nginx and container)`,
    '  ferry: one pipeline over ctx.servers: runContainer, configureReverseProxy, certificate upload',
    '  hand: node-ssh, one remote command per step; careful: the same single commands, which ' +
      'also wait until the container and the site answer',
  ].join('\n')
}

function summary(
  size: number,
  results: Record<Side, Round[]>,
): { lines: string[]; verdict: string } {
  const total = (side: Side) => median(results[side].map((r) => r.totalMs))
  const ratio = total('ferry') / total('hand')
  const label = `${size} host${size === 1 ? ' ' : 's'}`.padEnd(8)
  const all = (side: Side) => results[side].map((r) => (r.totalMs / 1000).toFixed(2)).join(' ')
  const passed = ratio <= LIMIT
  const lines = [
    `  ${label} ferry ${s(total('ferry'))}  hand ${s(total('hand'))}  ratio ${ratio.toFixed(2)}×  ` +
      `${passed ? 'pass' : `OVER ${LIMIT}×`}   (careful hand ${s(total('careful'))}: ratio ` +
      `${(total('ferry') / total('careful')).toFixed(2)}×)`,
    `      rounds, s: ferry ${all('ferry')} | hand ${all('hand')} | careful ${all('careful')}`,
    ...STEPS.map(
      (step) =>
        `      ${step.padEnd(22)} ${SIDES.map((side) => `${side} ${s(median(results[side].map((r) => r.stepsMs[step] ?? 0)))}`).join('  ')}`,
    ),
    `      ferry waited for nginx's reload (until only new workers accept, ~0.1 s of it nginx's ` +
      `own hand-over) a median ${s(median(results.ferry.flatMap((r) => r.reloadsMs ?? [])))} ` +
      `per host; the hand script returns without waiting for it`,
    ...SIDES.filter((side) => results[side].some((r) => r.late)).map(
      (side) =>
        `      ${side}: the site did not answer yet when it returned in ` +
        `${results[side].filter((r) => r.late).length} of ${results[side].length} rounds ` +
        `(up to ${s(Math.max(...results[side].map((r) => r.maxLagMs)))} later)`,
    ),
  ]
  const verdict = `${size} host${size === 1 ? '' : 's'} ${passed ? 'passed' : 'OVER'} (${ratio.toFixed(2)}×)`
  return { lines, verdict }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`

// Last, so every const above is initialised before main() runs.
try {
  await main()
} catch (error) {
  // After Ctrl-C the lab is gone under main's feet: that failure is expected, not news.
  if (!stopping) console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exitCode = 1
} finally {
  await shutdown()
}
