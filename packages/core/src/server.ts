// A server as ferry's modules see it, whoever launched it; and one pooled SSH host per server.
import { createEmitter, type EventSink } from './events.js'
import type { HostKeyPolicy } from './host-key.js'
import { createSshHost, type Host, type SshHostOptions, type SshTarget } from './host.js'
import { FerryError } from './errors.js'
import type { Secret } from './secret.js'

/** How to log in to a server. */
export interface ServerLogin {
  username: string
  port?: number
  privateKey: Secret
  hostKey: HostKeyPolicy
}

/** A server: enough to find it in AWS and to reach it over SSH. `@ferry/ec2`'s WebServer is one. */
export interface ServerRef {
  /** A readable name for events and errors. */
  name?: string
  instanceId?: string
  region?: string
  publicIp?: string
  publicDns?: string
  privateIp?: string
  ssh: ServerLogin
}

/** Maps a server to the SSH target to dial; the lab maps every moto instance to its sshd. */
export type ResolveHost = (server: ServerRef) => SshTarget | Promise<SshTarget>

/**
 * A server's name for events, errors and journal keys (plan placeholders pass through).
 * @example
 * serverLabel(server) // 'web-1', else its instance id or address
 */
export function serverLabel(server: ServerRef, fallback = 'server'): string {
  return String(
    server.name ??
      server.instanceId ??
      server.publicIp ??
      server.publicDns ??
      server.privateIp ??
      fallback,
  )
}

/**
 * The SSH target of a server: its public IP (else public DNS, else private IP) on port 22.
 * @example
 * createSshHost(sshTargetOf(server))
 */
export function sshTargetOf(server: ServerRef): SshTarget {
  const address = server.publicIp ?? server.publicDns ?? server.privateIp
  if (!address)
    throw new FerryError(
      'PRECONDITION',
      `Server ${server.name ?? server.instanceId ?? '?'} has no address to SSH to (no public IP, DNS name or private IP).`,
    )
  return {
    host: address,
    port: server.ssh.port ?? 22,
    username: server.ssh.username,
    privateKey: server.ssh.privateKey,
    hostKey: server.ssh.hostKey,
    name: server.name ?? server.instanceId,
  }
}

/**
 * One reusable SSH host per server, so every step of a run shares a connection.
 * @example
 * const hosts = new HostPool({ resolveHost: lab.resolveHost })
 * const host = await hosts.get(server)
 * await hosts.closeAll()
 */
export class HostPool {
  readonly #hosts = new Map<string, Promise<Host>>()
  readonly #resolve: ResolveHost
  readonly #options: SshHostOptions

  constructor(
    options: {
      resolveHost?: ResolveHost
      onEvent?: EventSink
      host?: Omit<SshHostOptions, 'onEvent'>
    } = {},
  ) {
    this.#resolve = options.resolveHost ?? sshTargetOf
    this.#options = { ...options.host, onEvent: createEmitter(options.onEvent) }
  }

  /** The pooled host for a server (created on first use). */
  get(server: ServerRef): Promise<Host> {
    const key =
      server.instanceId ??
      `${server.ssh.username}@${server.publicIp ?? server.publicDns ?? server.privateIp}`
    let host = this.#hosts.get(key)
    if (!host) {
      host = Promise.resolve(this.#resolve(server)).then((target) =>
        createSshHost(
          { ...target, name: target.name ?? server.name ?? server.instanceId },
          this.#options,
        ),
      )
      this.#hosts.set(key, host)
      host.catch(() => this.#hosts.delete(key))
    }
    return host
  }

  /** Closes every connection the pool opened. */
  async closeAll(): Promise<void> {
    const hosts = [...this.#hosts.values()]
    this.#hosts.clear()
    await Promise.all(hosts.map(async (h) => (await h.catch(() => undefined))?.close()))
  }
}

/**
 * A view of a (pooled) host whose events go to `onEvent` — a step's sink, so every remote
 * command, output line and connect carries the step's name. It shares the host's connection.
 * @example
 * const host = withEvents(await pool.get(server), env.onEvent)
 */
export function withEvents(host: Host, onEvent: EventSink): Host {
  return {
    name: host.name,
    run: (command, options) => host.run(command, { onEvent, ...options }),
    writeFile: (path, data, options) => host.writeFile(path, data, { onEvent, ...options }),
    writeFiles: (files, options) => host.writeFiles(files, { onEvent, ...options }),
    readFile: (path, options) => host.readFile(path, options),
    exists: (path, options) => host.exists(path, options),
    close: () => host.close(),
  }
}
