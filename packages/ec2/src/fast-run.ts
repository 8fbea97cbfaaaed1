// runContainer's fast path: a container that does not exist yet, on a host whose engine is there
// and whose image is present, starts in ONE remote command (fast-run-script.ts). Whatever that
// command cannot settle on its own comes back as 'slow' and runContainer takes the full path.
import { randomBytes } from 'node:crypto'
import { CommandError, describeCommand, type Arg } from '@ferry/core'
import { unhealthy, type RunContext } from './container-health.js'
import { HEALTH_STOPPED, HEALTH_TIMEOUT } from './container-scripts.js'
import { isBindFailure, portInUse } from './docker-cli.js'
import { dockerRun, envFileText, parsePorts, type PublishedPort } from './docker-argv.js'
import {
  FAST_NO_ENGINE,
  FAST_NO_ENV_FILE,
  FAST_PORTS_TAKEN,
  FAST_RUN_FAILED,
  FAST_SWAP_MARKER,
  fastRunCommand,
} from './fast-run-script.js'

/** What the fast path did: started the container, or left everything to the full path. */
export type FastRun =
  | { done: true; id: string; ports: PublishedPort[] }
  | { done: false; why: 'no-engine' | 'swap-marker' | 'ports-taken' | 'run-failed' | 'other' }

const SLOW: Record<number, Exclude<FastRun, { done: true }>['why']> = {
  [FAST_NO_ENGINE]: 'no-engine',
  [FAST_SWAP_MARKER]: 'swap-marker',
  [FAST_PORTS_TAKEN]: 'ports-taken',
  [FAST_RUN_FAILED]: 'run-failed',
  [FAST_NO_ENV_FILE]: 'other',
}

/**
 * Tries the one-command start. A health failure is the full path's ContainerError 'unhealthy'
 * (the new container removed), a bind failure its 'port-in-use' (nothing left behind).
 * @example
 * const fast = await fastRun(x, { envDir: '/run/ferry', marker: '/var/lib/ferry/api.swap' })
 * if (!fast.done) await fullPath()
 */
export async function fastRun(
  x: RunContext,
  o: { envDir: string; marker: string },
): Promise<FastRun> {
  const { d, c } = x
  const attempt = `${o.envDir}/${c.name}.${randomBytes(6).toString('hex')}`
  const envFile = c.env.length ? `${attempt}.env` : undefined
  const cidFile = `${attempt}.cid`
  // Loopback ports are reported exactly as asked; 'all' may add an IPv6 line: read those back.
  const readback = c.hostIp !== '127.0.0.1' && c.ports.length > 0
  const run = dockerRun(d.bin, c, { name: c.name, envFile, cidFile, pull: 'never' })
  const argv = fastRunCommand({
    bin: d.bin,
    name: c.name,
    marker: o.marker,
    cidFile,
    envFile,
    health: c.health,
    timeoutSec: x.timeoutSec,
    readback,
    ports: c.ports.map((p) => ({ protocol: p.protocol, port: p.host })),
    run,
  })
  const r = await d.run(argv, {
    check: false,
    timeout: (x.timeoutSec + 120) * 1000,
    ...(envFile ? { stdin: envFileText(c.env) } : {}),
  })
  const [id = '', ...rest] = r.stdout.split('\n').filter(Boolean)
  if (r.exitCode === 0)
    return { done: true, id, ports: readback ? parsePorts(rest.join('\n')) : declared(c) }
  if (r.exitCode === HEALTH_STOPPED || r.exitCode === HEALTH_TIMEOUT) {
    const error = await unhealthy(x, { name: c.name, port: c.health.port, exitCode: r.exitCode })
    await d.remove(id || c.name)
    throw error
  }
  if (r.exitCode === FAST_RUN_FAILED && isBindFailure(r.stderr))
    throw portInUse(d, c, { stderr: r.stderr, cause: failed(d.host.name, run, r) })
  const why = SLOW[r.exitCode]
  if (why || !/^[0-9a-f]{12,64}$/.test(id)) return { done: false, why: why ?? 'other' }
  // The container started but the command broke off (killed?): remove it, say what happened.
  await d.remove(id)
  throw failed(d.host.name, argv, r)
}

function declared(c: RunContext['c']): PublishedPort[] {
  return c.ports.map((p) => ({
    hostIp: c.hostIp,
    host: p.host,
    container: p.container,
    protocol: p.protocol,
  }))
}

function failed(
  host: string,
  argv: readonly Arg[],
  r: { exitCode: number; stderr: string },
): CommandError {
  return new CommandError({
    host,
    command: describeCommand(argv),
    exitCode: r.exitCode,
    stderr: r.stderr,
  })
}
