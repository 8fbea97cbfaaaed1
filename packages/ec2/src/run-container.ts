// runContainer: start a container on a host, or replace the one of the same name while it
// keeps serving as long as possible:
//   1. probe: the new spec runs beside the old one on random loopback ports until healthy
//      (a bad image, a command that exits or never listens fails here; the old one never stopped);
//   2. swap: old renamed and stopped → new started on the real ports → health check → old removed;
//      if the new one fails now, it is removed and the old one renamed back and started.
// The only downtime is the swap (stop → start → first healthy answer).
// A container that does not exist yet starts in one remote command (fast-run.ts); anything that
// command cannot settle (no engine, a swap marker, a taken port, a missing image, the name in
// use) takes the full path below.
import { randomBytes } from 'node:crypto'
import { cmd, createEmitter, Secret, ValidationError, type EventSink, type Host } from '@ferry/core'
import { ContainerError } from './container-error.js'
import { healthy, type RunContext } from './container-health.js'
import { checkContainer, type ContainerSpec } from './container-spec.js'
import {
  assertPortsFree,
  DockerCli,
  ensureEngine,
  ensureImage,
  startContainer,
  type DockerOptions,
} from './docker-cli.js'
import { dockerCommands as dc, dockerRun, envFileText, type PublishedPort } from './docker-argv.js'
import { fastRun } from './fast-run.js'
import { swapMarker } from './fast-run-script.js'

/** How runContainer works on the host. */
export interface RunContainerOptions extends DockerOptions {
  /** Install docker (dnf/apt) and start it (systemd) when missing; default true for 'docker'. */
  installEngine?: boolean
  /** Try a replacement beside the old container first; default true when ports are published. */
  probe?: boolean
  /** How long a new container may take to become healthy; default 60 s. */
  healthTimeoutMs?: number
  /** Grace period for stopping the old container; default 10 s. */
  stopTimeoutSec?: number
  /** Where the env file lives while `docker run` reads it; default /run/ferry (tmpfs). */
  envDir?: string
  /** Where a replacement marks itself in progress (kept across reboots); default /var/lib/ferry. */
  stateDir?: string
  onEvent?: EventSink
}

/** A running container. */
export interface ContainerInfo {
  name: string
  id: string
  image: string
  ports: PublishedPort[]
  /** The host it runs on. */
  host: string
  /** The id of the container it replaced, if any. */
  replaced?: string
}

/**
 * Runs a container (`docker run -d --restart unless-stopped`), environment via a 0600 env file,
 * ports published on loopback unless `publish: 'all'`; replaces a container of the same name
 * only once the new one is healthy. Returns its id and published ports.
 * @example
 * const api = await runContainer(server.host, {
 *   name: 'api', image: 'ghcr.io/acme/api:1.4', ports: { 8080: 3000 },
 *   env: { DATABASE_URL: new Secret(url) }, health: { http: '/healthz' },
 * })
 */
export async function runContainer(
  host: Host,
  spec: ContainerSpec,
  options: RunContainerOptions = {},
): Promise<ContainerInfo> {
  const c = checkContainer(spec)
  const d = new DockerCli(host, options)
  const emit = createEmitter(options.onEvent)
  const envDir = checkDir(options.envDir ?? '/run/ferry', 'envDir')
  const marker = `${checkDir(options.stateDir ?? '/var/lib/ferry', 'stateDir')}/${c.name}.swap`
  const x: RunContext = {
    d,
    c,
    envFile: undefined,
    secrets: c.env.flatMap(([, v]) => (Secret.is(v) ? [v.reveal()] : [])),
    timeoutSec: Math.ceil((options.healthTimeoutMs ?? 60_000) / 1000),
  }
  const running = (id: string) =>
    emit({ type: 'info', message: `${c.name} is running on ${host.name} (${id.slice(0, 12)}).` })
  const fast = await fastRun(x, { envDir, marker })
  if (fast.done) {
    running(fast.id)
    return { name: c.name, id: fast.id, image: c.image, ports: fast.ports, host: host.name }
  }
  await ensureEngine(d, { install: options.installEngine ?? d.bin === 'docker', container: c.name })
  const existing = await recoverInterruptedSwap(d, {
    name: c.name,
    marker: fast.why === 'swap-marker' ? marker : undefined,
  })
  await ensureImage(d, c)
  await assertPortsFree(d, c, existing ? await d.ports(c.name) : [])
  x.envFile = c.env.length ? `${envDir}/${c.name}.${randomBytes(6).toString('hex')}.env` : undefined
  try {
    if (x.envFile)
      await host.writeFile(x.envFile, envFileText(c.env), {
        sudo: d.options.sudo !== false,
        mode: 0o600,
        mkdirs: true,
      })
    if (existing && (options.probe ?? c.ports.length > 0)) {
      await probe(x)
      emit({
        type: 'info',
        message: `${c.name}: the new container answered beside the old one; swapping.`,
      })
    }
    const id = existing
      ? await swap(x, { existing, marker, stopTimeoutSec: options.stopTimeoutSec ?? 10 })
      : await fresh(x)
    running(id)
    return {
      name: c.name,
      id,
      image: c.image,
      ports: await d.ports(c.name),
      host: host.name,
      ...(existing ? { replaced: existing.id } : {}),
    }
  } finally {
    if (x.envFile) await d.run(cmd('rm', '-f', '--', x.envFile), { check: false, quiet: true })
  }
}

async function fresh(x: RunContext): Promise<string> {
  const id = await startContainer(x.d, x.c, {
    argv: dockerRun(x.d.bin, x.c, { name: x.c.name, envFile: x.envFile }),
    name: x.c.name,
  })
  try {
    await healthy(x, { name: x.c.name, port: x.c.health.port })
  } catch (error) {
    await x.d.remove(x.c.name)
    throw error
  }
  return id
}

async function probe(x: RunContext): Promise<void> {
  const name = `${x.c.name}-ferry-probe`
  await x.d.remove(name)
  await startContainer(x.d, x.c, {
    argv: dockerRun(x.d.bin, x.c, { name, envFile: x.envFile, probe: true }),
    name,
  })
  try {
    const target = x.c.ports.find((p) => p.host === x.c.health.port && p.protocol === 'tcp')
    const port =
      target &&
      (await x.d.ports(name)).find((p) => p.container === target.container && p.protocol === 'tcp')
        ?.host
    await healthy(x, { name, port, label: `${x.c.name} (probe, the old container is untouched)` })
  } finally {
    await x.d.remove(name)
  }
}

async function swap(
  x: RunContext,
  o: { existing: { status: string; id: string }; marker: string; stopTimeoutSec: number },
): Promise<string> {
  const { d, c } = x
  const old = `${c.name}-ferry-old`
  const wasRunning = ['running', 'restarting'].includes(o.existing.status)
  // Until the names are right again, the fast path of a later run must not start a fresh NAME.
  await d.run(swapMarker.set(o.marker))
  await d.remove(old)
  await d.run(dc.rename(d.bin, c.name, old))
  if (wasRunning) await d.run(dc.stop(d.bin, old, o.stopTimeoutSec))
  try {
    const id = await startContainer(d, c, {
      argv: dockerRun(d.bin, c, { name: c.name, envFile: x.envFile }),
      name: c.name,
    })
    await healthy(x, { name: c.name, port: c.health.port })
    await d.remove(old)
    await d.run(swapMarker.clear(o.marker))
    return id
  } catch (error) {
    // Put the old container back as it was.
    await d.remove(c.name)
    await d.run(dc.rename(d.bin, old, c.name))
    if (wasRunning) await d.run(dc.start(d.bin, c.name))
    await d.run(swapMarker.clear(o.marker))
    if (wasRunning) {
      // The error says the old container keeps serving: it is answering again before we return.
      await healthy(x, { name: c.name, port: c.health.port, label: `${c.name} (restored)` }).catch(
        (restoreError: unknown) => {
          throw new ContainerError({
            reason: 'unhealthy',
            container: c.name,
            host: d.host.name,
            image: c.image,
            message: `${(error as Error).message}\nThe previous container was started again but does not answer either: ${(restoreError as Error).message}`,
            cause: error,
          })
        },
      )
    }
    throw error
  }
}

/**
 * A swap cut short (the old container renamed, the new one not started) is undone first, and
 * its marker (when the fast path found one) removed. Returns the container's state after that
 * (one inspect when it exists, as before the swap).
 */
async function recoverInterruptedSwap(
  d: DockerCli,
  o: { name: string; marker: string | undefined },
): Promise<{ status: string; id: string } | undefined> {
  const old = `${o.name}-ferry-old`
  let current = await d.state(o.name)
  if (!current && (await d.state(old))) {
    await d.run(dc.rename(d.bin, old, o.name))
    await d.run(dc.start(d.bin, o.name), { check: false })
    current = await d.state(o.name)
  }
  if (o.marker) await d.run(swapMarker.clear(o.marker))
  return current
}

function checkDir(dir: string, field: string): string {
  if (!/^\/[A-Za-z0-9._/-]*[^/]$/.test(dir))
    throw new ValidationError({
      field,
      value: dir,
      allowed: 'an absolute directory path such as /run/ferry',
    })
  return dir
}
