import { execFile } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { promisify } from 'node:util'
import { NodeSSH } from 'node-ssh'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labInfo } from '../src/vitest'
import { fingerprintOf, sshRun, sshToLab } from './helpers'

const run = promisify(execFile)
const lab = labInfo()
let ssh: NodeSSH

beforeAll(async () => {
  ssh = await sshToLab(lab)
})
afterAll(() => ssh?.dispose())

describe('sshd (the instance)', () => {
  it('logs in ferry-deploy with the lab key, and sudo needs no password', async () => {
    expect((await sshRun(ssh, 'id -un')).trim()).toBe('ferry-deploy')
    expect((await ssh.execCommand('sudo -n true')).code).toBe(0)
    expect((await sshRun(ssh, 'sudo -n id -u')).trim()).toBe('0')
  })

  it('presents the host key whose fingerprint the lab exposes', async () => {
    const seen: string[] = []
    const probe = new NodeSSH()
    await probe.connect({
      host: lab.ssh.host,
      port: lab.ssh.port,
      username: lab.ssh.username,
      privateKey: lab.ssh.privateKey,
      hostVerifier: (key: Buffer) => {
        seen.push(fingerprintOf(key))
        return true
      },
    })
    probe.dispose()
    expect(seen).toEqual([lab.ssh.hostKeyFingerprint])
    const { stdout } = await run('ssh-keygen', ['-lf', lab.ssh.knownHostsPath])
    expect(stdout).toContain(lab.ssh.hostKeyFingerprint)
    expect(readFileSync(lab.ssh.knownHostsPath, 'utf8')).toBe(
      `[127.0.0.1]:${lab.ssh.port} ${lab.ssh.hostPublicKey}\n`,
    )
  })

  it('refuses a connection whose host key does not match the pin', async () => {
    const probe = new NodeSSH()
    await expect(
      probe.connect({
        host: lab.ssh.host,
        port: lab.ssh.port,
        username: lab.ssh.username,
        privateKey: lab.ssh.privateKey,
        hostVerifier: () => false,
      }),
    ).rejects.toThrow()
    probe.dispose()
  })

  it('works with the OpenSSH client, strict host key checking against knownHostsPath', async () => {
    expect(statSync(lab.ssh.privateKeyPath).mode & 0o777).toBe(0o600)
    const { stdout } = await run('ssh', [
      '-i',
      lab.ssh.privateKeyPath,
      '-o',
      `UserKnownHostsFile=${lab.ssh.knownHostsPath}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-p',
      String(lab.ssh.port),
      `${lab.ssh.username}@${lab.ssh.host}`,
      'echo over-openssh',
    ])
    expect(stdout.trim()).toBe('over-openssh')
  })

  it('serves sftp', async () => {
    const remote = `/tmp/ferry-lab-sftp-${process.pid}.txt`
    const sftp = await ssh.requestSFTP()
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(remote, 'via sftp', (e) => (e ? reject(e) : resolve())),
    )
    sftp.end()
    expect(await sshRun(ssh, `cat ${remote} && rm ${remote}`)).toBe('via sftp')
  })
})
