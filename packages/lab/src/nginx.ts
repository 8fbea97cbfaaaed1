import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { spawnDaemon, waitUntilReady, type Daemon } from './daemon'
import { LabError } from './errors'
import { nginxArgv, nginxLayout, renderNginxConfig } from './nginx-config'
import { freePorts } from './ports'
import { httpGet } from './probes'
import type { LabProcess } from './proc'
import { stopProcesses } from './stop'
import type { LabNginx } from './types'

const NGINX_BIN = '/usr/sbin/nginx'

/** Options of {@link startNginx}. */
export interface StartNginxOptions {
  /** The prefix directory of this instance (created if missing). */
  dir: string
  /** Defaults to a free port. */
  httpPort?: number
  /** Defaults to a free port. */
  httpsPort?: number
  /** Defaults to `<dir>/logs/nginx.out` (nginx's own stdout/stderr). */
  log?: string
  timeoutMs?: number
  /** Called with each process as soon as it is spawned. */
  onSpawn?: (process: LabProcess) => void
}

/** An nginx you started: its paths and ports, its process, and how to stop it. */
export interface NginxInstance extends LabNginx {
  readonly process: LabProcess
  /** Stops this nginx by pid (SIGTERM, then SIGKILL); safe to call twice. */
  stop(): Promise<void>
}

/**
 * Starts an independent nginx under its own prefix on free loopback ports. Tests that break
 * nginx config on purpose use their own instance so parallel test files never collide.
 *
 * @example
 * const nginx = await startNginx({ dir: mkdtempSync(join(tmpdir(), 'nginx-')) })
 * try { ... } finally { await nginx.stop() }
 */
export async function startNginx(options: StartNginxOptions): Promise<NginxInstance> {
  const { daemon, nginx } = await launchNginx(options)
  return {
    ...nginx,
    process: daemon.process,
    stop: async () => {
      await stopProcesses([daemon.process])
    },
  }
}

/**
 * Lays out the prefix, writes the config and starts nginx; resolves when it answers HTTP.
 *
 * @example
 * const { daemon, nginx } = await launchNginx({ dir: `${labDir}/nginx`, httpPort })
 */
export async function launchNginx(
  options: StartNginxOptions,
): Promise<{ daemon: Daemon; nginx: LabNginx }> {
  const layout = nginxLayout(resolve(options.dir))
  const [httpPort, httpsPort] = await choosePorts(options)
  mkdirSync(layout.prefix, { recursive: true })
  // A prefix from mkdtemp is 0700: nginx workers and the deploy user could not read under it.
  chmodSync(layout.prefix, 0o755)
  for (const dir of [
    dirname(layout.confPath),
    layout.confDir,
    layout.logsDir,
    layout.tempDir,
    join(layout.webroot, '.well-known', 'acme-challenge'),
    layout.certDir,
  ]) {
    mkdirSync(dir, { recursive: true, mode: 0o755 })
  }
  assertWorkersCanRead(layout.webroot)
  const mimeTypes = existsSync('/etc/nginx/mime.types') ? '/etc/nginx/mime.types' : undefined
  writeFileSync(layout.confPath, renderNginxConfig(layout, { httpPort, mimeTypes }))

  const daemon = await spawnDaemon({
    component: 'nginx',
    command: NGINX_BIN,
    args: nginxArgv(NGINX_BIN, layout, []).slice(1),
    log: options.log ?? join(layout.logsDir, 'nginx.out'),
    onSpawn: options.onSpawn,
  })
  await waitUntilReady(daemon, {
    probe: async () => {
      await httpGet(`http://127.0.0.1:${httpPort}/`)
      return existsSync(layout.pidPath)
    },
    timeoutMs: options.timeoutMs ?? 30_000,
    extraLogs: [layout.errorLog],
  })
  const nginx: LabNginx = {
    prefix: layout.prefix,
    bin: NGINX_BIN,
    confPath: layout.confPath,
    confDir: layout.confDir,
    webroot: layout.webroot,
    certDir: layout.certDir,
    httpPort,
    httpsPort,
    pidPath: layout.pidPath,
    testCommand: nginxArgv(NGINX_BIN, layout, ['-t']),
    reloadCommand: nginxArgv(NGINX_BIN, layout, ['-s', 'reload']),
  }
  return { daemon, nginx }
}

async function choosePorts(options: StartNginxOptions): Promise<[number, number]> {
  const [a, b] = await freePorts(2)
  return [options.httpPort ?? a!, options.httpsPort ?? b!]
}

// nginx workers run as an unprivileged user: every directory above the webroot must let
// "others" through, or every request fails with 403/404 and a confusing error log.
function assertWorkersCanRead(webroot: string): void {
  for (let dir = webroot; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode
    if ((mode & 0o001) === 0) {
      throw new LabError(
        'nginx',
        `nginx workers cannot reach ${webroot}: ${dir} is mode ${(mode & 0o777).toString(8)}; ` +
          'put the lab directory under a world-traversable path (e.g. /tmp) or chmod o+x it',
      )
    }
    if (dirname(dir) === dir) return
  }
}
