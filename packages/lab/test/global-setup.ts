// Starts the lab once per `vitest run` (root config's globalSetup, not inherited by projects),
// provides its data to every project's tests as inject('lab'), and stops it in teardown.
// FERRY_LAB_STATE=<state.json of a lab started with `ferry-lab up`> reuses that lab instead.
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { connectLab, describeLab, labEnv, startLab, stopLabState, type LabInfo } from '../src/index'
import '../src/vitest'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reuse = process.env.FERRY_LAB_STATE
  if (reuse) {
    const lab = connectLab(reuse)
    console.log(`[lab] reusing the lab in ${lab.dir} (FERRY_LAB_STATE)`)
    project.provide('lab', labData(lab))
    answerCheckIp(lab)
    return async () => {}
  }
  // One directory per run, so parallel runs (and their logs) never mix.
  const runs = join(repoRoot, '.lab', 'runs')
  await sweepOrphans(runs)
  const dir = join(runs, String(process.pid))
  rmSync(dir, { recursive: true, force: true })
  const lab = await startLab({ dir })
  for (const line of describeLab(lab)) console.log(`[lab] ${line}`)
  console.log(`[lab] up in ${((lab.timings.total ?? 0) / 1000).toFixed(1)} s, dir ${dir}`)
  project.provide('lab', labData(lab))
  answerCheckIp(lab)

  // If vitest dies without teardown, do not leave servers behind.
  const killOnExit = () => {
    for (const p of lab.processes) {
      try {
        process.kill(p.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
  process.once('exit', killOnExit)
  return async () => {
    process.off('exit', killOnExit)
    await lab.stop()
    console.log(`[lab] stopped (${lab.processes.length} processes, containers removed)`)
    if (!process.env.FERRY_LAB_KEEP) rmSync(dir, { recursive: true, force: true })
  }
}

// A run killed before its teardown leaves servers and containers behind: stop those of runs
// whose vitest process is gone (by the pids and start times their state recorded).
async function sweepOrphans(runs: string): Promise<void> {
  if (!existsSync(runs)) return
  for (const name of readdirSync(runs)) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid || processExists(Number(name))) continue
    const statePath = join(runs, name, 'state.json')
    if (existsSync(statePath)) {
      await stopLabState(statePath).catch((e: unknown) => console.log(`[lab] ${String(e)}`))
    }
    rmSync(join(runs, name), { recursive: true, force: true })
    console.log(`[lab] cleaned up the lab of an earlier run that died (${name})`)
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

// Only serialisable data crosses into the test workers.
function labData(lab: LabInfo): LabInfo {
  const { dir, statePath, aws, ssh, nginx, acme, docker, processes, timings } = lab
  return { dir, statePath, aws, ssh, nginx, acme, docker, processes, timings }
}

// ferry's default `me` asks checkip.amazonaws.com; in the lab the strict layer answers with the
// address its security groups treat as yours (the test workers inherit this).
function answerCheckIp(lab: LabInfo): void {
  process.env.FERRY_CHECKIP_URL = labEnv(lab).FERRY_CHECKIP_URL
}
