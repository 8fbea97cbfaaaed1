import { readFileSync, readdirSync } from 'node:fs'

/** A process the lab started, identified by pid AND kernel start time so a reused pid is never killed. */
export interface LabProcess {
  /** Which component this is, e.g. 'sshd'. */
  readonly component: string
  readonly pid: number
  /** Start time in clock ticks since boot (/proc/PID/stat field 22). */
  readonly startTime: number
  /** The file its stdout and stderr go to. */
  readonly log: string
}

interface ProcStat {
  state: string
  ppid: number
  startTime: number
}

/**
 * Reads /proc/PID/stat; undefined when the process is gone.
 *
 * @example
 * readProcStat(process.pid)?.state   // 'R'
 */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { state: fields[0] ?? '?', ppid: Number(fields[1]), startTime: Number(fields[19]) }
}

/**
 * True while the recorded process still runs: same pid, same start time, not a zombie.
 *
 * @example
 * lab.processes.filter(isRunning)   // [] after lab.stop()
 */
export function isRunning(proc: Pick<LabProcess, 'pid' | 'startTime'>): boolean {
  const stat = readProcStat(proc.pid)
  return stat !== undefined && stat.startTime === proc.startTime && stat.state !== 'Z'
}

/**
 * Every live descendant of `pid` (children, grandchildren…), found through /proc. sshd's
 * per-connection children call setsid(), so a process-group kill alone would miss them.
 *
 * @example
 * descendantsOf(sshd.pid)   // the session processes of open SSH connections
 */
export function descendantsOf(pid: number): Array<Pick<LabProcess, 'pid' | 'startTime'>> {
  const children = new Map<number, Array<{ pid: number; startTime: number }>>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readProcStat(Number(entry))
    if (!stat || stat.state === 'Z') continue
    const list = children.get(stat.ppid) ?? []
    list.push({ pid: Number(entry), startTime: stat.startTime })
    children.set(stat.ppid, list)
  }
  const found: Array<{ pid: number; startTime: number }> = []
  const queue = [pid]
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child)
      queue.push(child.pid)
    }
  }
  return found
}
