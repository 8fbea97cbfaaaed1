// Test helpers for the lab's own tests: SSH as the deploy user with the host key pinned.
import { createHash } from 'node:crypto'
import { NodeSSH } from 'node-ssh'
import type { LabInfo } from '../src/index'

/** Connects to the lab's sshd as the deploy user, refusing any host key but the lab's. */
export async function sshToLab(lab: LabInfo): Promise<NodeSSH> {
  const ssh = new NodeSSH()
  await ssh.connect({
    host: lab.ssh.host,
    port: lab.ssh.port,
    username: lab.ssh.username,
    privateKey: lab.ssh.privateKey,
    hostVerifier: (key: Buffer) => fingerprintOf(key) === lab.ssh.hostKeyFingerprint,
  })
  return ssh
}

/** 'SHA256:…' of a raw SSH public key blob, as ssh2 hands it to hostVerifier. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/** Runs a command over SSH and fails with its output unless it exits 0. */
export async function sshRun(ssh: NodeSSH, command: string): Promise<string> {
  const result = await ssh.execCommand(command)
  if (result.code !== 0) {
    throw new Error(`${command} exited ${result.code}: ${result.stderr || result.stdout}`)
  }
  return result.stdout
}

/** Single-quotes a string for sh. */
export const sh = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`
