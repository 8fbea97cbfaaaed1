import { existsSync, rmSync } from 'node:fs'
import { LabError } from './errors'
import { labEnv, labHost } from './host'
import { removeLabContainers } from './podman'
import { readLabState, writeLabState } from './state'
import { stopProcesses } from './stop'
import type { Lab, LabInfo } from './types'

/**
 * A handle on a lab another process started, read from its state file (`lab.statePath`, or
 * `$FERRY_LAB_STATE` in a child given `lab.env()`). Starts nothing.
 *
 * @example
 * const lab = connectLab(process.env.FERRY_LAB_STATE!)
 * const host = lab.resolveHost({ instanceId })
 */
export function connectLab(statePath: string): Lab {
  const state = readLabState(statePath)
  if (!state) throw new LabError('lab', `no lab state at ${statePath}`)
  if (!state.lab) throw new LabError('lab', `the lab in ${state.dir} is ${state.status}, not up`)
  return createLab(state.lab)
}

/**
 * Wraps lab data with its methods: stop (once), env, resolveHost.
 *
 * @example
 * const lab = createLab(inject('lab'))
 */
export function createLab(info: LabInfo): Lab {
  let stopping: Promise<void> | undefined
  return {
    ...info,
    stop: () => (stopping ??= stopLabState(info.statePath, info)),
    env: () => labEnv(info),
    resolveHost: (target) => labHost(info, target),
  }
}

/**
 * Stops whatever a state file records, even a lab that never finished starting: removes the
 * containers, stops every process by pid (SIGTERM, then SIGKILL), then marks the state stopped,
 * or removes the directory of a lab that made its own in os.tmpdir().
 *
 * @example
 * await stopLabState('.ferry-lab/state.json')
 */
export async function stopLabState(statePath: string, info?: LabInfo): Promise<void> {
  const state = readLabState(statePath)
  const processes = state?.processes ?? info?.processes ?? []
  const dockerBin = state?.dockerBin ?? info?.docker.bin
  const problems: string[] = []
  if (dockerBin && existsSync(dockerBin)) {
    await removeLabContainers(dockerBin).catch((e: unknown) => {
      problems.push(`removing containers: ${e instanceof Error ? e.message : String(e)}`)
    })
  }
  const survivors = await stopProcesses(processes)
  if (survivors.length > 0) {
    problems.push(`still running after SIGKILL: pids ${survivors.map((p) => p.pid).join(', ')}`)
  }
  // Incomplete: keep the state as it is, so `ferry-lab down` can try again.
  if (problems.length > 0) throw new LabError('lab', `stop was incomplete: ${problems.join('; ')}`)
  if (!state) return
  if (state.temporary) rmSync(state.dir, { recursive: true, force: true })
  else
    writeLabState(statePath, { ...state, status: 'stopped', updatedAt: new Date().toISOString() })
}
