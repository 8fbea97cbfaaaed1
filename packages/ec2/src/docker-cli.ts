// The engine on one host: runs the argv builders with sudo, reads container state and ports,
// makes sure the engine and the image are there and the host ports are free.
import {
  CommandError,
  ValidationError,
  type Arg,
  type Host,
  type RunOptions,
  type RunResult,
} from '@ferry/core'
import { ContainerError } from './container-error.js'
import type { CheckedContainer } from './container-spec.js'
import {
  ENGINE_DID_NOT_START,
  ENGINE_MISSING,
  ENGINE_NO_INSTALLER,
  ENGINE_NO_SYSTEMD,
  engineCommand,
  portsTakenCommand,
} from './container-scripts.js'
import { dockerCommands as dc, parsePorts, type PublishedPort } from './docker-argv.js'

/** How to reach the engine on a host. */
export interface DockerOptions {
  /** The engine CLI: 'docker' (default) or an absolute path, e.g. the lab's podman wrapper. */
  docker?: string
  /** Run engine commands through `sudo -n` (default true). */
  sudo?: boolean
  signal?: AbortSignal
}

/**
 * A host's container engine.
 * @example
 * const d = new DockerCli(host, { docker: '/usr/bin/docker' })
 * await d.state('api') // { status: 'running', id: '…' }
 */
export class DockerCli {
  readonly bin: string
  constructor(
    readonly host: Host,
    readonly options: DockerOptions = {},
  ) {
    this.bin = checkBin(options.docker ?? 'docker')
  }

  /** Runs an argv (built with `this.bin`) as root unless `sudo: false`. */
  run(argv: readonly Arg[], options: RunOptions = {}): Promise<RunResult> {
    return this.host.run(argv, {
      sudo: this.options.sudo !== false,
      signal: this.options.signal,
      ...options,
    })
  }

  /** The container's status and id, or undefined when there is none. */
  async state(name: string): Promise<{ status: string; id: string } | undefined> {
    const r = await this.run(dc.state(this.bin, name), { check: false, quiet: true })
    if (r.exitCode !== 0) return undefined
    const [status = '', id = ''] = r.stdout.trim().split(/\s+/)
    return { status, id }
  }

  async ports(name: string): Promise<PublishedPort[]> {
    return parsePorts((await this.run(dc.ports(this.bin, name), { quiet: true })).stdout)
  }

  /** Removes a container if it exists, killing it first (podman's `rm -f` waits 10 s for SIGTERM). */
  async remove(name: string): Promise<void> {
    await this.run(dc.kill(this.bin, name), { check: false, quiet: true })
    await this.run(dc.remove(this.bin, name), { check: false, quiet: true })
  }

  /** The last lines of a container's output (stdout then stderr). */
  async logTail(name: string, lines = 20): Promise<string> {
    const r = await this.run(dc.logs(this.bin, name, lines), { check: false, quiet: true })
    return `${r.stdout}${r.stderr}`.trim()
  }
}

/**
 * Makes sure the engine answers: installs docker (dnf/apt) and starts it (systemd) when
 * allowed, else fails with a ContainerError saying what is missing.
 * @example
 * await ensureEngine(new DockerCli(host), { install: true, container: 'api' })
 */
export async function ensureEngine(
  d: DockerCli,
  o: { install: boolean; container: string },
): Promise<void> {
  const r = await d.host.run(engineCommand(d.bin, { install: o.install }), {
    sudo: d.options.sudo !== false,
    check: false,
    signal: d.options.signal,
    timeout: 600_000,
  })
  if (r.exitCode === 0) return
  const why: Record<number, string> = {
    [ENGINE_MISSING]: `${d.bin} is not installed (and installing it was not allowed: pass installEngine, or docker: '<path to an engine CLI>')`,
    [ENGINE_NO_INSTALLER]: 'docker is not installed and could not be installed with dnf or apt-get',
    [ENGINE_NO_SYSTEMD]:
      'the docker daemon is not running and there is no systemd to start it: start it, or pass docker: <path> of an engine that runs without a daemon (podman)',
    [ENGINE_DID_NOT_START]: 'systemd could not start docker (see journalctl -u docker)',
  }
  throw new ContainerError({
    reason: 'no-engine',
    container: o.container,
    host: d.host.name,
    message: `No container engine on ${d.host.name}: ${why[r.exitCode] ?? `${d.bin} version failed (exit ${r.exitCode}): ${r.stderr.trim()}`}.`,
  })
}

/**
 * Makes sure the image is on the host, pulling it if not; a missing image is a ContainerError.
 * @example
 * await ensureImage(d, spec)
 */
export async function ensureImage(d: DockerCli, c: CheckedContainer): Promise<void> {
  if ((await d.run(dc.imageId(d.bin, c.image), { check: false, quiet: true })).exitCode === 0)
    return
  const pulled = await d.run(dc.pull(d.bin, c.image), {
    check: false,
    quiet: true,
    timeout: 900_000,
  })
  if (pulled.exitCode !== 0)
    throw new ContainerError({
      reason: 'image-not-found',
      container: c.name,
      host: d.host.name,
      image: c.image,
      message: `Image ${c.image} is not on ${d.host.name} and could not be pulled: ${lastLine(pulled.stderr)}`,
    })
}

/**
 * Refuses host ports something else listens on (ports `held` by the container being replaced
 * are fine: it is stopped first).
 * @example
 * await assertPortsFree(d, spec, await d.ports(spec.name))
 */
export async function assertPortsFree(
  d: DockerCli,
  c: CheckedContainer,
  held: readonly PublishedPort[],
): Promise<void> {
  const wanted = c.ports
    .filter((p) => !held.some((h) => h.host === p.host && h.protocol === p.protocol))
    .map((p) => ({ protocol: p.protocol, port: p.host }))
  if (wanted.length === 0) return
  const r = await d.host.run(portsTakenCommand(wanted), {
    check: false,
    quiet: true,
    signal: d.options.signal,
  })
  const taken = r.stdout.split('\n').filter(Boolean)[0]
  if (taken) throw portInUse(d, c, { port: Number(taken.split(':')[1]) })
}

/**
 * Runs `docker run`; a bind failure becomes a port-in-use ContainerError and the half-created
 * container is removed.
 * @example
 * const id = await startContainer(d, spec, dockerRun(d.bin, spec, { name: spec.name }), spec.name)
 */
export async function startContainer(
  d: DockerCli,
  c: CheckedContainer,
  o: { argv: Arg[]; name: string },
): Promise<string> {
  try {
    return (await d.run(o.argv)).stdout.trim().split('\n').pop() ?? ''
  } catch (error) {
    await d.remove(o.name)
    if (CommandError.is(error) && isBindFailure(error.stderrTail))
      throw portInUse(d, c, { stderr: error.stderrTail, cause: error })
    throw error
  }
}

/**
 * Whether `docker run` failed to bind a host port. The engine's own words are all there is to
 * tell a bind failure by.
 * @example
 * isBindFailure('listen tcp4 127.0.0.1:8080: bind: address already in use') // true
 */
export function isBindFailure(stderr: string): boolean {
  return /address already in use|port is already allocated/i.test(stderr)
}

/**
 * The port-in-use ContainerError, naming the port (given, or the one the engine's message names).
 * @example
 * throw portInUse(d, spec, { port: 8080 })
 */
export function portInUse(
  d: DockerCli,
  c: CheckedContainer,
  o: { port?: number; stderr?: string; cause?: unknown },
): ContainerError {
  const port =
    o.port ?? c.ports.find((p) => new RegExp(`:${p.host}(?!\\d)`).test(o.stderr ?? ''))?.host
  return new ContainerError({
    reason: 'port-in-use',
    container: c.name,
    host: d.host.name,
    ...(port === undefined ? {} : { port }),
    message: `Host port ${port ?? '(one of the published ports)'} on ${d.host.name} is already in use: choose another host port for ${c.name}, or stop what listens there.`,
    cause: o.cause,
  })
}

function checkBin(bin: string): string {
  if (bin !== 'docker' && bin !== 'podman' && !/^\/[A-Za-z0-9._/-]+$/.test(bin))
    throw new ValidationError({
      field: 'docker',
      value: bin,
      allowed: "'docker', 'podman' or an absolute path to the CLI",
    })
  return bin
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? ''
}
