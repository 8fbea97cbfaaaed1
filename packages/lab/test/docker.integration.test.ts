import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { NodeSSH } from 'node-ssh'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, uniqueName } from '../src/index'
import { httpGet } from '../src/probes'
import { labInfo } from '../src/vitest'
import { sh, sshRun, sshToLab } from './helpers'

const run = promisify(execFile)
const lab = labInfo()
const docker = `sudo ${sh(lab.docker.bin)}`
let ssh: NodeSSH
const names: string[] = []

beforeAll(async () => {
  ssh = await sshToLab(lab)
})
afterAll(async () => {
  if (names.length > 0) await ssh.execCommand(`${docker} rm -f ${names.join(' ')}`)
  ssh?.dispose()
})

describe('the container engine (docker CLI over SSH)', () => {
  it('publishes -p HOST:80 so the host gets the container MESSAGE on 127.0.0.1', async () => {
    const name = uniqueName('web')
    names.push(name)
    const port = await freePort()
    await sshRun(
      ssh,
      `${docker} run -d --name ${name} -e MESSAGE=${sh(`hello ${name}`)} -p ${port}:80 ${lab.docker.images.httpd}`,
    )
    await expect
      .poll(() =>
        httpGet(`http://127.0.0.1:${port}/`).then(
          (r) => r.body,
          (e: Error) => e.message,
        ),
      )
      .toBe(`hello ${name}\n`)
    // The lab listens on loopback only, even for a port published without an address.
    const { stdout } = await run('ss', ['-Htln', `sport = :${port}`])
    expect(stdout).toContain(`127.0.0.1:${port}`)
    expect(stdout).not.toContain(`0.0.0.0:${port}`)
  })

  it('serves the default message, runs with --init, and stops on SIGTERM', async () => {
    const name = uniqueName('init')
    names.push(name)
    const port = await freePort()
    await sshRun(
      ssh,
      `${docker} run -d --init --name ${name} -p 127.0.0.1:${port}:80 ${lab.docker.images.httpd}`,
    )
    await expect
      .poll(() =>
        httpGet(`http://127.0.0.1:${port}/`).then(
          (r) => r.body,
          (e: Error) => e.message,
        ),
      )
      .toBe('hello from ferry-lab\n')
    // A 1 s stop timeout: the container must exit on SIGTERM, not wait for SIGKILL (exit 137).
    await sshRun(ssh, `${docker} stop -t 1 ${name}`)
    const code = await sshRun(ssh, `${docker} inspect -f '{{.State.ExitCode}}' ${name}`)
    expect(code.trim()).toBe('0')
  })

  it('runs a one-off command in the image', async () => {
    const out = await sshRun(
      ssh,
      `${docker} run --rm ${lab.docker.images.httpd} sh -c 'echo $((6 * 7))'`,
    )
    expect(out.trim()).toBe('42')
  })
})
