import { descendantsOf, isRunning, type LabProcess } from './proc'

type Target = Pick<LabProcess, 'pid' | 'startTime'>

/**
 * Stops processes and all their descendants: SIGTERM, then SIGKILL to whatever still runs after
 * `graceMs`. Pids whose start time changed belong to someone else now and are left alone.
 * Resolves with the processes that survived even SIGKILL (normally none).
 *
 * @example
 * await stopProcesses(lab.processes, 5_000)
 */
export async function stopProcesses(procs: readonly Target[], graceMs = 5_000): Promise<Target[]> {
  const targets = procs.filter(isRunning).flatMap((p) => [p, ...descendantsOf(p.pid)])
  signalAll(targets, 'SIGTERM')
  if (await waitUntilGone(targets, graceMs)) return []
  signalAll(targets, 'SIGKILL')
  await waitUntilGone(targets, 2_000)
  return targets.filter(isRunning)
}

function signalAll(targets: readonly Target[], signal: NodeJS.Signals): void {
  for (const t of targets) {
    if (!isRunning(t)) continue
    try {
      process.kill(t.pid, signal)
    } catch {
      // Gone between the check and the kill: that is what we wanted.
    }
  }
}

async function waitUntilGone(targets: readonly Target[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (targets.some(isRunning)) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return true
}
