import { join } from 'node:path'
import { LabError, type LabComponent } from './errors'
import { launchNginx } from './nginx'
import { startMoto } from './moto'
import { startAcme } from './pebble'
import { startContainerEngine } from './podman'
import { freePorts } from './ports'
import type { LabProcess } from './proc'
import { startSshd } from './sshd'
import { startStrictAws } from './aws/start'
import type { LabInfo } from './types'

/** What every component start needs to know. */
export interface ComponentsPlan {
  dir: string
  timeoutMs: number
  motoServer?: string
  nonceReject?: boolean | number
  /** The lab's notion of "you": where connections into instances come from. */
  callerIp?: string
  /** Records each process the moment it exists. */
  onSpawn: (process: LabProcess) => void
}

/**
 * Where the lab says you connect from: an address of TEST-NET-2 (RFC 5737), never routed.
 * @example
 * await startLab({ callerIp: DEFAULT_CALLER_IP })
 */
export const DEFAULT_CALLER_IP = '198.51.100.10'

type Started = Pick<LabInfo, 'aws' | 'ssh' | 'nginx' | 'acme' | 'docker' | 'timings'>

/**
 * Starts the five components in parallel on free ports (pebble needs only nginx's port number,
 * not a running nginx). Rejects with every component that failed, each named with its log tail;
 * processes that did start are left for the caller to stop through its records.
 *
 * @example
 * const { aws, ssh } = await startComponents({ dir, timeoutMs: 60_000, onSpawn: record })
 */
export async function startComponents(plan: ComponentsPlan): Promise<Started> {
  const { dir, timeoutMs, onSpawn } = plan
  const logs = join(dir, 'logs')
  const [
    moto,
    ssh,
    http,
    https,
    acme,
    management,
    tls,
    dns,
    challManagement,
    layer,
    g22,
    g80,
    g443,
  ] = await freePorts(13)
  const timings: Record<string, number> = {}
  const timed = <T>(component: LabComponent, start: () => Promise<T>) =>
    named(component, start, timings)
  const settled = await Promise.allSettled([
    timed('moto', () =>
      startMoto({
        port: moto!,
        log: join(logs, 'moto.log'),
        motoServer: plan.motoServer,
        timeoutMs,
        onSpawn,
      }),
    ),
    timed('aws', () =>
      startStrictAws({
        layer: {
          port: layer!,
          motoEndpoint: `http://127.0.0.1:${moto!}`,
          callerIp: plan.callerIp ?? DEFAULT_CALLER_IP,
          hostKeyFile: join(dir, 'ssh', 'ssh_host_ed25519_key.pub'),
          gate: {
            listen: { 22: g22!, 80: g80!, 443: g443! },
            targets: { 22: ssh!, 80: http!, 443: https! },
            instancesFile: join(dir, 'instances.json'),
          },
        },
        log: join(logs, 'aws.log'),
        timeoutMs,
        onSpawn,
      }),
    ),
    timed('sshd', () =>
      startSshd({
        dir: join(dir, 'ssh'),
        port: ssh!,
        log: join(logs, 'sshd.log'),
        timeoutMs,
        onSpawn,
      }),
    ),
    timed('nginx', () =>
      launchNginx({
        dir: join(dir, 'nginx'),
        httpPort: http!,
        httpsPort: https!,
        log: join(logs, 'nginx.log'),
        timeoutMs,
        onSpawn,
      }),
    ),
    timed('pebble', () =>
      startAcme({
        dir: join(dir, 'pebble'),
        logsDir: logs,
        httpPort: http!,
        ports: {
          acme: acme!,
          management: management!,
          tls: tls!,
          dns: dns!,
          challManagement: challManagement!,
        },
        nonceReject: plan.nonceReject,
        timeoutMs,
        onSpawn,
      }),
    ),
    timed('podman', () =>
      startContainerEngine({
        dir: join(dir, 'podman'),
        binDir: join(dir, 'bin'),
        log: join(logs, 'podman.log'),
      }),
    ),
  ])
  const [m, strict, s, n, a, docker] = valuesOrThrow(settled)
  const aws = {
    ...m.aws,
    endpoint: strict.endpoint,
    motoEndpoint: m.aws.endpoint,
    callerIp: plan.callerIp ?? DEFAULT_CALLER_IP,
  }
  return { aws, ssh: s.ssh, nginx: n.nginx, acme: a.acme, docker, timings }
}

// Any failure while starting a component (keygen, openssl, a missing binary) names it.
async function named<T>(
  component: LabComponent,
  start: () => Promise<T>,
  timings: Record<string, number>,
): Promise<T> {
  const startedAt = Date.now()
  try {
    const result = await start()
    timings[component] = Date.now() - startedAt
    return result
  } catch (e) {
    if (LabError.is(e)) throw e
    throw new LabError(component, e instanceof Error ? e.message : String(e), { cause: e })
  }
}

type Values<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends PromiseSettledResult<infer V> ? V : never
}

function valuesOrThrow<T extends readonly PromiseSettledResult<unknown>[]>(settled: T): Values<T> {
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))
  if (failures.length === 1) throw failures[0]
  if (failures.length > 1) {
    const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)))
    throw new LabError(
      'lab',
      `${failures.length} components failed to start:\n\n${messages.join('\n\n')}`,
      {
        cause: new AggregateError(failures),
      },
    )
  }
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as Values<T>
}
