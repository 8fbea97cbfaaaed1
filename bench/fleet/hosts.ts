// The fleet of the benchmark: N lab "hosts", each a ServerRef with its own instance id (so ferry's
// HostPool opens one SSH connection per host, all to the lab's one sshd), its own nginx, its own
// container name and host port, and its own certificate directory.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { freePorts, startNginx, type Lab, type NginxInstance } from '@ferry/lab'
import { Secret, type ServerRef, type SshTarget } from '../../packages/core/src/index.js'

/** What every host serves: the site's name, the certificate's name. */
export const DOMAIN = 'bench.example'

/** One host of the fleet and everything that is its own. */
export interface BenchHost {
  index: number
  server: ServerRef
  nginx: NginxInstance
  /** The container's name and the loopback port it is published on. */
  container: { name: string; port: number }
  cert: { dir: string; certPath: string; keyPath: string }
}

/**
 * Starts `count` hosts' worth of nginx (one independent instance each) and picks their ports.
 * @example
 * const hosts = await startHosts(lab, { count: 20, dir, tag: 'b123' })
 */
export async function startHosts(
  lab: Lab,
  o: { count: number; dir: string; tag: string },
): Promise<BenchHost[]> {
  // One call, so no port is handed out twice (nginx http/https, container).
  const ports = await freePorts(o.count * 3)
  const started: NginxInstance[] = []
  try {
    const hosts: BenchHost[] = []
    for (let i = 0; i < o.count; i++) {
      const dir = join(o.dir, `host-${pad(i + 1)}`)
      mkdirSync(dir, { recursive: true, mode: 0o755 })
      const nginx = await startNginx({ dir, httpPort: ports[3 * i]!, httpsPort: ports[3 * i + 1]! })
      started.push(nginx)
      const certDir = `${nginx.certDir}/${DOMAIN}`
      hosts.push({
        index: i,
        server: serverRef(lab, i),
        nginx,
        container: { name: `${o.tag}-web-${pad(i + 1)}`, port: ports[3 * i + 2]! },
        cert: {
          dir: certDir,
          certPath: `${certDir}/fullchain.pem`,
          keyPath: `${certDir}/privkey.pem`,
        },
      })
    }
    return hosts
  } catch (error) {
    await Promise.all(started.map((n) => n.stop()))
    throw error
  }
}

/**
 * Every server resolves to the lab's sshd, host key pinned.
 * @example
 * pipeline({ resolveHost: labTarget(lab) })
 */
export const labTarget =
  (lab: Lab) =>
  (server: ServerRef): SshTarget => ({
    host: lab.ssh.host,
    port: lab.ssh.port,
    username: lab.ssh.username,
    privateKey: new Secret(lab.ssh.privateKey),
    hostKey: { fingerprint: lab.ssh.hostKeyFingerprint },
    name: server.name,
  })

function serverRef(lab: Lab, i: number): ServerRef {
  return {
    name: `web-${pad(i + 1)}`,
    // Distinct ids: core's HostPool keys connections by instance id.
    instanceId: `i-0${(i + 1).toString(16).padStart(16, '0')}`,
    region: lab.aws.region,
    publicIp: lab.ssh.host,
    ssh: {
      username: lab.ssh.username,
      port: lab.ssh.port,
      privateKey: new Secret(lab.ssh.privateKey),
      hostKey: { fingerprint: lab.ssh.hostKeyFingerprint },
    },
  }
}

const pad = (n: number) => String(n).padStart(2, '0')
