import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnDaemon, waitUntilReady, type Daemon } from './daemon'
import { ensureListenerCerts } from './pebble-certs'
import { httpGet } from './probes'
import { stopProcesses } from './stop'
import type { LabProcess } from './proc'
import type { LabAcme } from './types'

/** Ports and files of the ACME CA. */
export interface AcmeOptions {
  /** Directory for certificates and config. */
  dir: string
  logsDir: string
  /** The port pebble validates http-01 challenges on: the lab nginx's HTTP port. */
  httpPort: number
  ports: { acme: number; management: number; tls: number; dns: number; challManagement: number }
  /** false (default): no injected badNonce errors; true: pebble's default 5%; a number: that %. */
  nonceReject?: boolean | number
  timeoutMs: number
  /** Called with each process as soon as it is spawned. */
  onSpawn?: (process: LabProcess) => void
}

/**
 * Starts pebble-challtestsrv (a DNS server that answers every name with 127.0.0.1) and pebble
 * (the ACME CA) resolving through it, so http-01 validation really fetches from the lab nginx.
 *
 * @example
 * const { daemons, acme } = await startAcme({ dir, logsDir, httpPort, ports, timeoutMs: 30_000 })
 */
export async function startAcme(
  options: AcmeOptions,
): Promise<{ daemons: Daemon[]; acme: LabAcme }> {
  const { ports } = options
  mkdirSync(options.dir, { recursive: true, mode: 0o755 })
  const certs = await ensureListenerCerts(options.dir)
  const listenerCa = readFileSync(certs.caPath, 'utf8')
  const dns = await spawnDaemon({
    component: 'challtestsrv',
    command: 'pebble-challtestsrv',
    args: [
      '-dns01',
      `127.0.0.1:${ports.dns}`,
      '-http01',
      '',
      '-https01',
      '',
      '-tlsalpn01',
      '',
      '-management',
      `127.0.0.1:${ports.challManagement}`,
      '-defaultIPv4',
      '127.0.0.1',
      '-defaultIPv6',
      '',
    ],
    log: join(options.logsDir, 'challtestsrv.log'),
    onSpawn: options.onSpawn,
  })
  await waitUntilReady(dns, {
    probe: async () => (await httpGet(`http://127.0.0.1:${ports.challManagement}/`)).status > 0,
    timeoutMs: options.timeoutMs,
  })

  const configPath = join(options.dir, 'pebble-config.json')
  writeFileSync(configPath, renderPebbleConfig(options, certs))
  let pebble: Daemon
  try {
    pebble = await spawnDaemon({
      component: 'pebble',
      command: 'pebble',
      args: ['-config', configPath, '-dnsserver', `127.0.0.1:${ports.dns}`],
      log: join(options.logsDir, 'pebble.log'),
      env: pebbleEnv(options.nonceReject),
      onSpawn: options.onSpawn,
    })
  } catch (e) {
    await stopDaemon(dns)
    throw e
  }
  const managementUrl = `https://127.0.0.1:${ports.management}`
  let rootCa = ''
  try {
    await waitUntilReady(pebble, {
      probe: async () => {
        const dir = await httpGet(`https://127.0.0.1:${ports.acme}/dir`, { ca: listenerCa })
        // Pebble makes a new root at every start: fetch the one issued certificates chain to.
        const root = await httpGet(`${managementUrl}/roots/0`, { ca: listenerCa })
        rootCa = root.body
        return dir.status === 200 && root.status === 200 && rootCa.includes('BEGIN CERTIFICATE')
      },
      timeoutMs: options.timeoutMs,
    })
  } catch (e) {
    await stopDaemon(dns)
    throw e
  }
  const acme: LabAcme = {
    directoryUrl: `https://127.0.0.1:${ports.acme}/dir`,
    listenerCaPath: certs.caPath,
    listenerCa,
    rootCa,
    managementUrl,
  }
  return { daemons: [dns, pebble], acme }
}

function renderPebbleConfig(
  options: AcmeOptions,
  certs: { certPath: string; keyPath: string },
): string {
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${options.ports.acme}`,
      managementListenAddress: `127.0.0.1:${options.ports.management}`,
      certificate: certs.certPath,
      privateKey: certs.keyPath,
      httpPort: options.httpPort,
      tlsPort: options.ports.tls,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  }
  return `${JSON.stringify(config, null, 2)}\n`
}

/**
 * pebble's environment: no validation sleeps, never PEBBLE_VA_ALWAYS_VALID, and the badNonce
 * injection rate chosen by `nonceReject` (false → 0, true → pebble's default 5%, n → n%).
 *
 * @example
 * pebbleEnv(false, process.env).PEBBLE_WFE_NONCEREJECT   // '0'
 */
export function pebbleEnv(
  nonceReject: boolean | number | undefined,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  // Real validation always: an inherited PEBBLE_VA_ALWAYS_VALID would make every test pass.
  const { PEBBLE_VA_ALWAYS_VALID: _ignored, PEBBLE_WFE_NONCEREJECT: _default, ...env } = base
  const reject =
    nonceReject === true
      ? undefined
      : nonceReject === false || nonceReject === undefined
        ? 0
        : nonceReject
  return {
    ...env,
    PEBBLE_VA_NOSLEEP: '1',
    ...(reject === undefined ? {} : { PEBBLE_WFE_NONCEREJECT: String(reject) }),
  }
}

async function stopDaemon(daemon: Daemon): Promise<void> {
  await stopProcesses([daemon.process], 1_000)
}
