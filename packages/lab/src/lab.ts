import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startComponents } from './components'
import { createLab, stopLabState } from './connect'
import { LabError } from './errors'
import { isRunning, type LabProcess } from './proc'
import { readLabState, writeLabState, type LabState } from './state'
import type { Lab } from './types'

/** Options of {@link startLab}. */
export interface LabOptions {
  /**
   * The lab's directory (created; reused if it exists; kept after stop, logs included).
   * Default: a new directory in os.tmpdir(), removed by stop().
   */
  dir?: string
  /** Path to moto_server. Default: `$FERRY_LAB_MOTO`, then `.lab/venv/bin/moto_server` upwards, then PATH. */
  motoServer?: string
  /** pebble's injected badNonce errors: false (default) none, true pebble's 5%, or a percentage. */
  nonceReject?: boolean | number
  /** How long each component may take to become ready. Default 60 s. */
  timeoutMs?: number
  /** The address the lab treats as yours for security groups. Default DEFAULT_CALLER_IP. */
  callerIp?: string
}

/**
 * Starts the lab: moto, sshd, nginx, pebble (+ challtestsrv) and podman, each on free loopback
 * ports, every file under one directory. Resolves when every component answers; if one fails,
 * the others are stopped and the LabError names it with the tail of its log.
 *
 * @example
 * const lab = await startLab()
 * const ec2 = new EC2Client({ endpoint: lab.aws.endpoint, region: lab.aws.region, credentials: lab.aws.credentials })
 * await lab.stop()
 */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const startedAt = Date.now()
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), 'ferry-lab-')))
  mkdirSync(join(dir, 'logs'), { recursive: true })
  // nginx workers and the deploy user read files under the lab directory (mkdtemp makes 0700).
  chmodSync(dir, 0o755)
  const statePath = join(dir, 'state.json')
  assertNotRunning(statePath)

  // The state file lists each process as soon as it exists, and the docker wrapper up front,
  // so a failed start, or `ferry-lab down` after a crash, can still clean up.
  const state: LabState = {
    version: 1,
    status: 'starting',
    dir,
    processes: [],
    dockerBin: join(dir, 'bin', 'docker'),
    updatedAt: '',
  }
  const save = () => writeLabState(statePath, { ...state, updatedAt: new Date().toISOString() })
  const onSpawn = (p: LabProcess) => {
    state.processes.push(p)
    save()
  }
  save()

  let started
  for (let attempt = 1; ; attempt++) {
    try {
      started = await startComponents({
        dir,
        timeoutMs: options.timeoutMs ?? 60_000,
        motoServer: options.motoServer,
        nonceReject: options.nonceReject,
        callerIp: options.callerIp,
        onSpawn,
      })
      break
    } catch (e) {
      await stopLabState(statePath).catch(() => undefined)
      // A port free when chosen can be taken before the server binds it (another lab, an
      // outgoing connection): choose new ports and try again.
      if (attempt >= 3 || !portTaken(e)) throw e
      state.processes = []
      save()
    }
  }
  const info = {
    dir,
    statePath,
    ...started,
    processes: [...state.processes],
    timings: { ...started.timings, total: Date.now() - startedAt },
  }
  state.status = 'up'
  state.lab = info
  // Only a lab that came up removes its temporary directory on stop: a failed start keeps its logs.
  state.temporary = options.dir === undefined
  save()
  return createLab(info)
}

function portTaken(error: unknown): boolean {
  return LabError.is(error) && /address already in use/i.test(error.message)
}

function assertNotRunning(statePath: string): void {
  const previous = readLabState(statePath)
  const alive = previous?.processes.filter(isRunning) ?? []
  if (alive.length > 0) {
    throw new LabError(
      'lab',
      `a lab is already running in ${previous!.dir} (pids ${alive.map((p) => p.pid).join(', ')}): ` +
        'stop it first (`ferry-lab down` or connectLab(statePath).stop())',
    )
  }
}
