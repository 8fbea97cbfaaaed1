import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NodeSSH } from 'node-ssh'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNginx, uniqueName, type NginxInstance } from '../src/index'
import { httpGet } from '../src/probes'
import { labInfo } from '../src/vitest'
import { sh, sshRun, sshToLab } from './helpers'

const lab = labInfo()
let ssh: NodeSSH

beforeAll(async () => {
  ssh = await sshToLab(lab)
})
afterAll(() => ssh?.dispose())

describe("the lab's nginx", () => {
  it('serves a file the deploy user wrote into the webroot with sudo', async () => {
    const name = uniqueName('token')
    const path = join(lab.nginx.webroot, '.well-known', 'acme-challenge', name)
    await sshRun(ssh, `printf %s ${sh(`key-auth-${name}`)} | sudo tee ${sh(path)} >/dev/null`)
    const answer = await httpGet(
      `http://127.0.0.1:${lab.nginx.httpPort}/.well-known/acme-challenge/${name}`,
      { headers: { host: 'any.example.test' } },
    )
    expect(answer).toEqual({ status: 200, body: `key-auth-${name}` })
    await sshRun(ssh, `sudo rm ${sh(path)}`)
  })

  it('takes a site in confDir: testCommand and reloadCommand work over SSH with sudo', async () => {
    const name = uniqueName('site')
    const site = join(lab.nginx.confDir, `${name}.conf`)
    const conf = `server {\n  listen 127.0.0.1:${lab.nginx.httpPort};\n  server_name ${name}.example.test;\n  location / { return 200 "site ${name}"; }\n}\n`
    await sshRun(ssh, `printf %s ${sh(conf)} | sudo tee ${sh(site)} >/dev/null`)
    try {
      const test = await ssh.execCommand(`sudo ${lab.nginx.testCommand.map(sh).join(' ')}`)
      expect(test.code, test.stderr).toBe(0)
      expect(test.stderr).toContain('test is successful')
      await sshRun(ssh, `sudo ${lab.nginx.reloadCommand.map(sh).join(' ')}`)
      await expect.poll(() => bodyFor(`${name}.example.test`)).toBe(`site ${name}`)
      // The deploy user can read what nginx wrote without sudo.
      expect(
        await sshRun(ssh, `tail -n 1 ${sh(join(lab.nginx.prefix, 'logs', 'error.log'))}`),
      ).toBeTypeOf('string')
    } finally {
      await sshRun(
        ssh,
        `sudo rm -f ${sh(site)} && sudo ${lab.nginx.reloadCommand.map(sh).join(' ')}`,
      )
    }
  })
})

describe('startNginx', () => {
  let own: NginxInstance
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-nginx-'))
    own = await startNginx({ dir })
  })
  afterAll(async () => {
    await own?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('is an independent instance: own prefix, own ports, own pid', () => {
    expect(own.prefix).toBe(dir)
    expect(own.httpPort).not.toBe(lab.nginx.httpPort)
    expect(own.httpsPort).not.toBe(lab.nginx.httpsPort)
    expect(Number(readFileSync(own.pidPath, 'utf8'))).toBe(own.process.pid)
  })

  it('breaking its config fails its nginx -t and leaves the lab nginx untouched', async () => {
    writeFileSync(join(own.confDir, 'broken.conf'), 'server { listen nonsense\n')
    const mine = await ssh.execCommand(`sudo ${own.testCommand.map(sh).join(' ')}`)
    expect(mine.code).not.toBe(0)
    expect(mine.stderr).toContain(own.confDir)
    const labs = await ssh.execCommand(`sudo ${lab.nginx.testCommand.map(sh).join(' ')}`)
    expect(labs.code, labs.stderr).toBe(0)
    rmSync(join(own.confDir, 'broken.conf'))
  })

  it('stops by pid, and a second stop is a no-op', async () => {
    const other = await startNginx({ dir: mkdtempSync(join(tmpdir(), 'ferry-nginx-')) })
    await other.stop()
    await other.stop()
    await expect(httpGet(`http://127.0.0.1:${other.httpPort}/`)).rejects.toThrow()
    rmSync(other.prefix, { recursive: true, force: true })
  })
})

async function bodyFor(host: string): Promise<string> {
  return (await httpGet(`http://127.0.0.1:${lab.nginx.httpPort}/`, { headers: { host } })).body
}
