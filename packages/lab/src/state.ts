import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { LabError } from './errors'
import type { LabProcess } from './proc'
import type { LabInfo } from './types'

/** What the lab's state file holds: enough for another process to reach or stop the lab. */
export interface LabState {
  version: 1
  status: 'starting' | 'up' | 'stopped'
  dir: string
  /** Every process started so far, recorded as soon as it was spawned. */
  processes: LabProcess[]
  /** The lab's docker wrapper, once the container engine is set up (to remove containers). */
  dockerBin?: string
  /** The lab made its own directory in os.tmpdir(): stopping it removes the directory. */
  temporary?: boolean
  /** The full lab, once every component is ready. */
  lab?: LabInfo
  updatedAt: string
}

/**
 * Writes the state file atomically (temp file + rename) and readable by root only: it holds the
 * lab's SSH client key.
 *
 * @example
 * writeLabState(statePath, { version: 1, status: 'starting', dir, processes: [], updatedAt })
 */
export function writeLabState(path: string, state: LabState): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
  renameSync(tmp, path)
}

/**
 * Reads a lab's state file; undefined when there is none.
 *
 * @example
 * readLabState('.ferry-lab/state.json')?.status   // 'up'
 */
export function readLabState(path: string): LabState | undefined {
  if (!existsSync(path)) return undefined
  let state: unknown
  try {
    state = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new LabError('lab', `cannot read lab state ${path}`, { cause: e })
  }
  if (typeof state !== 'object' || state === null || (state as LabState).version !== 1) {
    throw new LabError('lab', `${path} is not a ferry lab state file (version 1)`)
  }
  return state as LabState
}
