import { execFile } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { connectLab, isRunning, LabError, readLabState, startLab, uniqueName } from '../src/index'
import { findMotoServer } from '../src/moto'
import { descendantsOf } from '../src/proc'
import { httpGet } from '../src/probes'
import { sshRun, sshToLab } from './helpers'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../bin/ferry-lab.mjs', import.meta.url))
const dirs: string[] = []
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-lab-test-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('a lab of its own', () => {
  it('stop() leaves no process alive, SSH sessions and containers included', async () => {
    const lab = await startLab() // in a directory of its own making, removed by stop()
    try {
      expect(lab.processes.map((p) => p.component).sort()).toEqual([
        'aws',
        'challtestsrv',
        'moto',
        'nginx',
        'pebble',
        'sshd',
      ])
      expect(lab.processes.every(isRunning)).toBe(true)
      // A second lab in the same directory is refused while this one runs.
      await expect(startLab({ dir: lab.dir })).rejects.toThrow(/already running/)

      // What a child process gets: env() → FERRY_LAB_STATE → connectLab.
      expect(lab.env()).toMatchObject({
        AWS_ENDPOINT_URL: lab.aws.endpoint,
        AWS_REGION: 'us-east-1',
        FERRY_LAB_STATE: lab.statePath,
      })
      expect(connectLab(lab.env().FERRY_LAB_STATE!).ssh).toEqual(lab.ssh)
      const status = await run(process.execPath, [bin, 'status'], {
        env: { ...process.env, ...lab.env() },
      })
      expect(status.stdout).toContain('up, 6/6 processes running')

      // Leave an SSH session and a container running: stop() must end both.
      const ssh = await sshToLab(lab)
      const name = uniqueName('stop')
      await sshRun(ssh, `sudo ${lab.docker.bin} run -d --name ${name} ${lab.docker.images.httpd}`)
      const sshd = lab.processes.find((p) => p.component === 'sshd')!
      const sessions = descendantsOf(sshd.pid)
      expect(sessions.length).toBeGreaterThan(0)
      expect(containerProcesses(name).length).toBeGreaterThan(0)

      await lab.stop()
      ssh.dispose()
      expect(lab.processes.filter(isRunning)).toEqual([])
      expect(sessions.filter(isRunning)).toEqual([])
      expect(containerProcesses(name)).toEqual([])
      expect(existsSync(lab.dir)).toBe(false)
      await expect(httpGet(`${lab.aws.endpoint}/`)).rejects.toThrow()
    } finally {
      await lab.stop() // idempotent
    }
  })

  it('ferry-lab up, then down from another process, stops by recorded pid', async () => {
    const dir = newDir()
    const up = await run(process.execPath, [bin, 'up', '--dir', dir])
    expect(up.stdout).toMatch(/\[lab\] moto up on 127\.0\.0\.1:\d+ \(pid \d+/)
    const lab = connectLab(join(dir, 'state.json'))
    expect(lab.processes.every(isRunning)).toBe(true)
    await run(process.execPath, [bin, 'down'], { env: { ...process.env, FERRY_LAB_DIR: dir } })
    expect(lab.processes.filter(isRunning)).toEqual([])
    const status = await run(process.execPath, [bin, 'status', '--dir', dir]).catch(
      (e: { stdout: string }) => e,
    )
    expect(status.stdout).toContain('stopped, 0/6 processes running')
  })

  it('a component that fails names itself with its log tail, and the rest are stopped', async () => {
    const dir = newDir()
    const fake = join(dir, 'broken-moto')
    writeFileSync(fake, '#!/bin/sh\necho "moto refuses: port exploded" >&2\nexit 3\n')
    chmodSync(fake, 0o755)
    const error: unknown = await startLab({ dir, motoServer: fake }).catch((e: unknown) => e)
    expect(LabError.is(error)).toBe(true)
    const labError = error as LabError
    expect(labError.component).toBe('moto')
    expect(labError.message).toContain('exited with code 3')
    expect(labError.logTail).toContain('moto refuses: port exploded')
    const state = readLabState(join(dir, 'state.json'))!
    expect(state.processes.length).toBeGreaterThan(1)
    expect(state.processes.filter(isRunning)).toEqual([])
  })

  it('chooses new ports when one was taken before its server could bind it', async () => {
    const dir = newDir()
    const flaky = join(dir, 'flaky-moto')
    // The first start loses its port race; the second runs the real moto.
    writeFileSync(
      flaky,
      `#!/bin/sh\nif [ ! -e "${dir}/tried" ]; then touch "${dir}/tried"; echo "OSError: [Errno 98] Address already in use" >&2; exit 1; fi\nexec ${findMotoServer()} "$@"\n`,
    )
    chmodSync(flaky, 0o755)
    const lab = await startLab({ dir, motoServer: flaky })
    try {
      expect(lab.processes.every(isRunning)).toBe(true)
      expect(lab.processes.filter((p) => p.component === 'moto')).toHaveLength(1)
    } finally {
      await lab.stop()
    }
  })
})

// Processes whose command line mentions the container (its conmon), found through /proc.
function containerProcesses(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name)
      } catch {
        return false
      }
    })
    .map(Number)
}
