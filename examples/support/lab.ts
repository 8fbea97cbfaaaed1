// What every example needs to run against the lab instead of AWS: the lab itself (a running one
// named by FERRY_LAB_STATE, or one of its own), and ferry options that point at it. Against AWS
// you would drop all of this: default credentials, real DNS, nginx at its usual paths.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectLab, freePort, labHost, startLab, type Lab, type LabInfo } from '@ferry/lab'
import {
  createSshHost,
  Secret,
  type AwsOptions,
  type NginxOptions,
  type ResolveHost,
  type SshHost,
} from 'ferry'

/**
 * Runs `fn` with the lab named by $FERRY_LAB_STATE, or with a lab of its own that it stops after.
 * @example
 * await withLab(async (lab) => console.log(lab.aws.endpoint))
 */
export async function withLab<T>(fn: (lab: Lab) => Promise<T>): Promise<T> {
  const statePath = process.env.FERRY_LAB_STATE
  if (!statePath) console.log('FERRY_LAB_STATE is not set: starting a lab of our own (~3 s)')
  const lab = statePath ? connectLab(statePath) : await startLab()
  try {
    return await fn(lab)
  } finally {
    if (!statePath) await lab.stop()
  }
}

/** AWS options for the lab's moto (EC2 and CloudFront, every region). */
export const labAws = (lab: LabInfo): AwsOptions => ({
  region: lab.aws.region,
  endpoint: lab.aws.endpoint,
  credentials: lab.aws.credentials,
})

/** Every instance moto launches is "reached" at the lab's sshd, its host key pinned. */
export const labResolveHost =
  (lab: LabInfo): ResolveHost =>
  (server) => ({
    // The instance's own lab address: its port 22 answers only while its security group allows you.
    host: labHost(lab, { instanceId: server.instanceId }).host,
    port: labHost(lab, { instanceId: server.instanceId }).port,
    username: lab.ssh.username,
    privateKey: new Secret(lab.ssh.privateKey),
    hostKey: { fingerprint: lab.ssh.hostKeyFingerprint },
  })

/** An SSH host on the lab's "instance" (its sshd), for work outside a pipeline. */
export const labSshHost = (lab: LabInfo): SshHost =>
  createSshHost({
    host: lab.ssh.host,
    port: lab.ssh.port,
    username: lab.ssh.username,
    privateKey: new Secret(lab.ssh.privateKey),
    hostKey: { fingerprint: lab.ssh.hostKeyFingerprint },
  })

/** The launch input bits the lab needs: the key file somewhere writable, the sshd's host key. */
export const labLaunch = (lab: LabInfo, dir: string, name: string) => ({
  name,
  keyPair: { create: { path: join(dir, `${name}.pem`) } },
  // moto's console output has no host keys: pin the lab sshd's key as you would a baked AMI's.
  hostKey: { fingerprint: lab.ssh.hostKeyFingerprint },
})

/** The lab's nginx, which runs under its own prefix instead of /etc/nginx. */
export const labNginx = (lab: LabInfo): NginxOptions => ({
  bin: lab.nginx.bin,
  confDir: lab.nginx.confDir,
  webroot: lab.nginx.webroot,
  certDir: lab.nginx.certDir,
  httpPort: lab.nginx.httpPort,
  httpsPort: lab.nginx.httpsPort,
  listen: ['127.0.0.1'],
  testCommand: lab.nginx.testCommand,
  reloadCommand: lab.nginx.reloadCommand,
  pidPath: lab.nginx.pidPath,
})

/** ACME options for the lab's pebble (Let's Encrypt's test CA) with its own account key. */
export const labAcme = (lab: LabInfo, dir: string) => ({
  directoryUrl: lab.acme.directoryUrl,
  ca: lab.acme.listenerCa, // pebble's HTTPS listener is signed by the lab's own CA
  accountKeyPath: join(dir, 'acme-account.key'),
  email: 'ops@example.com',
  // The lab's nginx is at 127.0.0.1, and the lab's DNS (challtestsrv, which pebble validates
  // through) answers every name with 127.0.0.1; on AWS leave both out: the server's public IP
  // and your real DNS are checked.
  address: '127.0.0.1',
  resolve: () => Promise.resolve(['127.0.0.1']),
  backoff: { attempts: 30, minMs: 100, maxMs: 500 },
})

/** `preferred` when nothing listens on it on this machine (the lab's "instance"), else a free port. */
export async function hostPort(preferred: number): Promise<{ port: number; note?: string }> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(true)))
  })
  if (free) return { port: preferred }
  const port = await freePort()
  return { port, note: `port ${preferred} is taken on this machine; using ${port} instead` }
}

/** A private scratch directory (key files, journal, ACME account key), removed by `remove()`. */
export function scratchDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `ferry-${prefix}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
