import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { LabError, type LabComponent } from './errors'
import { readLogTail } from './log-tail'
import { readProcStat, type LabProcess } from './proc'
import { stopProcesses } from './stop'

/** A server the lab started in the background, with a promise that settles when it exits. */
export interface Daemon {
  readonly process: LabProcess
  /** Resolves with a description ('exited with code 1') when the process ends. */
  readonly exited: Promise<string>
}

/** What to run and where its output goes. */
export interface DaemonSpec {
  component: LabComponent
  command: string
  args: readonly string[]
  /** File that receives stdout and stderr (appended). */
  log: string
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Called as soon as the process exists, so its pid is recorded before readiness. */
  onSpawn?: (process: LabProcess) => void
}

/**
 * Starts a server in the background, detached from this process (so `ferry-lab up` can exit)
 * with its output in a log file, and records its pid and start time.
 *
 * @example
 * const d = await spawnDaemon({ component: 'moto', command: bin, args: ['-p', '5000'], log })
 */
export async function spawnDaemon(spec: DaemonSpec): Promise<Daemon> {
  const fd = openSync(spec.log, 'a', 0o644)
  let child
  try {
    child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
    })
  } finally {
    closeSync(fd)
  }
  const exited = new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(`could not run ${spec.command}: ${e.message}`))
    child.once('exit', (code, signal) =>
      resolve(signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`),
    )
  })
  const pid = child.pid
  if (pid === undefined) throw new LabError(spec.component, await exited)
  child.unref()
  const startTime = readProcStat(pid)?.startTime ?? 0
  const labProcess: LabProcess = { component: spec.component, pid, startTime, log: spec.log }
  spec.onSpawn?.(labProcess)
  return { process: labProcess, exited }
}

/** How to tell a daemon is ready. */
export interface ReadyCheck {
  /** Resolves true when ready; a throw or false means "not yet" (the last error is reported). */
  probe: () => Promise<boolean>
  timeoutMs: number
  /** Extra log files whose tails help explain a failure (the daemon's own log is always shown). */
  extraLogs?: readonly string[]
}

/**
 * Polls `probe` until it succeeds. If the daemon exits or the timeout passes, the daemon is
 * stopped and a LabError naming the component with the tail of its log is thrown.
 *
 * @example
 * await waitUntilReady(daemon, { probe: () => canConnect(port), timeoutMs: 30_000 })
 */
export async function waitUntilReady(daemon: Daemon, check: ReadyCheck): Promise<void> {
  const deadline = Date.now() + check.timeoutMs
  let exit: string | undefined
  void daemon.exited.then((how) => (exit = how))
  let lastError = 'no answer yet'
  for (;;) {
    if (exit !== undefined) return fail(daemon, check, `${exit} before it was ready`)
    try {
      if (await check.probe()) return
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e)
    }
    if (Date.now() >= deadline) {
      return fail(daemon, check, `not ready after ${check.timeoutMs} ms (${lastError})`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function fail(daemon: Daemon, check: ReadyCheck, why: string): Promise<never> {
  await stopProcesses([daemon.process], 1_000)
  const logs = [daemon.process.log, ...(check.extraLogs ?? [])]
  const logTail = logs
    .map((log) => [log, readLogTail(log)] as const)
    .filter(([, tail]) => tail !== '')
    .map(([log, tail]) => (logs.length > 1 ? `${log}:\n${tail}` : tail))
    .join('\n')
  throw new LabError(daemon.process.component as LabComponent, `pid ${daemon.process.pid} ${why}`, {
    logTail,
    logPath: logs.length === 1 ? daemon.process.log : undefined,
  })
}
