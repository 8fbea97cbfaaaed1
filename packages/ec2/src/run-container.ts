// runContainer: start a container on a host, or replace the one of the same name while it
// keeps serving as long as possible:
//   1. probe: the new spec runs beside the old one on random loopback ports until healthy
//      (a bad image, a command that exits or never listens fails here; the old one never stopped);
//   2. swap: old renamed and stopped → new started on the real ports → health check → old removed;
//      if the new one fails now, it is removed and the old one renamed back and started.
// The only downtime is the swap (stop → start → first healthy answer).
import { randomBytes } from 'node:crypto'
import {
  cmd,
  createEmitter,
  scrub,
  Secret,
  ValidationError,
  type EventSink,
  type Host,
} from '@ferry/core'
import { ContainerError } from './container-error.js'
import { healthCommand, HEALTH_STOPPED } from './container-scripts.js'
import { checkContainer, type CheckedContainer, type ContainerSpec } from './container-spec.js'
import {
  assertPortsFree,
  DockerCli,
  ensureEngine,
  ensureImage,
  startContainer,
  type DockerOptions,
} from './docker-cli.js'
import { dockerCommands as dc, dockerRun, envFileText, type PublishedPort } from './docker-argv.js'

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
  const envDir = checkEnvDir(options.envDir ?? '/run/ferry')
  await ensureEngine(d, { install: options.installEngine ?? d.bin === 'docker', container: c.name })
  const existing = await recoverInterruptedSwap(d, c.name)
  await ensureImage(d, c)
  await assertPortsFree(d, c, existing ? await d.ports(c.name) : [])
  const envFile = c.env.length
    ? `${envDir}/${c.name}.${randomBytes(6).toString('hex')}.env`
    : undefined
  const secrets = c.env.flatMap(([, v]) => (Secret.is(v) ? [v.reveal()] : []))
  const ctx = {
    d,
    c,
    envFile,
    secrets,
    timeoutSec: Math.ceil((options.healthTimeoutMs ?? 60_000) / 1000),
  }
  try {
    if (envFile)
      await host.writeFile(envFile, envFileText(c.env), {
        sudo: d.options.sudo !== false,
        mode: 0o600,
        mkdirs: true,
      })
    if (existing && (options.probe ?? c.ports.length > 0)) {
      await probe(ctx)
      emit({
        type: 'info',
        message: `${c.name}: the new container answered beside the old one; swapping.`,
      })
    }
    const id = existing
      ? await swap(ctx, { existing, stopTimeoutSec: options.stopTimeoutSec ?? 10 })
      : await fresh(ctx)
    emit({ type: 'info', message: `${c.name} is running on ${host.name} (${id.slice(0, 12)}).` })
    return {
      name: c.name,
      id,
      image: c.image,
      ports: await d.ports(c.name),
      host: host.name,
      ...(existing ? { replaced: existing.id } : {}),
    }
  } finally {
    if (envFile) await d.run(cmd('rm', '-f', '--', envFile), { check: false, quiet: true })
  }
}

interface RunContext {
  d: DockerCli
  c: CheckedContainer
  envFile: string | undefined
  secrets: string[]
  timeoutSec: number
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
  o: { existing: { status: string; id: string }; stopTimeoutSec: number },
): Promise<string> {
  const { d, c } = x
  const old = `${c.name}-ferry-old`
  const wasRunning = ['running', 'restarting'].includes(o.existing.status)
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
    return id
  } catch (error) {
    // Put the old container back as it was.
    await d.remove(c.name)
    await d.run(dc.rename(d.bin, old, c.name))
    if (wasRunning) {
      await d.run(dc.start(d.bin, c.name))
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

async function healthy(
  x: RunContext,
  o: { name: string; port: number | undefined; label?: string },
): Promise<void> {
  const h = x.c.health
  const r = await x.d.run(
    healthCommand(x.d.bin, o.name, {
      kind: h.kind,
      port: o.port,
      path: h.path,
      timeoutSec: x.timeoutSec,
    }),
    { check: false, quiet: true, timeout: (x.timeoutSec + 30) * 1000 },
  )
  if (r.exitCode === 0) return
  const logs = scrub(await x.d.logTail(o.name), x.secrets)
  const what =
    h.kind === 'running'
      ? 'keep running'
      : `answer ${h.kind.toUpperCase()} on port ${o.port}${h.path && h.kind === 'http' ? ` ${h.path}` : ''}`
  throw new ContainerError({
    reason: 'unhealthy',
    container: x.c.name,
    host: x.d.host.name,
    image: x.c.image,
    message: `${o.label ?? x.c.name} did not ${what} ${r.exitCode === HEALTH_STOPPED ? '(it stopped)' : `within ${x.timeoutSec} s`}. The previous container, if any, keeps serving.${logs ? `\nLast output:\n${logs}` : ''}`,
  })
}

/**
 * A swap cut short (the old container renamed, the new one not started) is undone first.
 * Returns the container's state after that (one inspect when it exists, as before the swap).
 */
async function recoverInterruptedSwap(
  d: DockerCli,
  name: string,
): Promise<{ status: string; id: string } | undefined> {
  const old = `${name}-ferry-old`
  const current = await d.state(name)
  if (current || !(await d.state(old))) return current
  await d.run(dc.rename(d.bin, old, name))
  await d.run(dc.start(d.bin, name), { check: false })
  return d.state(name)
}

function checkEnvDir(dir: string): string {
  if (!/^\/[A-Za-z0-9._/-]*[^/]$/.test(dir))
    throw new ValidationError({
      field: 'envDir',
      value: dir,
      allowed: 'an absolute directory path such as /run/ferry',
    })
  return dir
}
