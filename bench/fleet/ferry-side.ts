// The ferry side: one pipeline over ctx.servers — runContainer, configureReverseProxy, and a
// certificate upload with host.writeFile — each step on every server, `concurrency` at a time.
// The stock fleet steps (runContainerStep, configureReverseProxyStep) take one spec for every
// server; the lab's hosts share one machine, so each needs its own container name, port and nginx
// prefix: these steps call the same module functions per server through core's onEachServer,
// which is exactly what the stock steps do inside.
import { join } from 'node:path'
import type { Lab } from '@ferry/lab'
import {
  onEachServer,
  pipeline,
  Secret,
  serversOf,
  type EventSink,
  type Host,
  type ServerRef,
  type StepEnv,
} from '../../packages/core/src/index.js'
import { runContainer } from '../../packages/ec2/src/index.js'
import { configureReverseProxy } from '../../packages/proxy/src/index.js'
import { DOMAIN, labTarget, type BenchHost } from './hosts.js'
import type { CertMaterial } from './cert.js'
import type { SideResult } from './hand-side.js'

/** Site file name on every host (`<confDir>/bench.conf`), the same on both sides. */
export const SITE = 'bench'

/**
 * Deploys container, reverse proxy and certificate to every host with one ferry pipeline.
 * @example
 * const { totalMs, stepsMs } = await runFerry(lab, hosts, { concurrency: 8, cert, dir })
 */
export async function runFerry(
  lab: Lab,
  hosts: readonly BenchHost[],
  o: { concurrency: number; cert: CertMaterial; dir: string; onEvent?: EventSink },
): Promise<SideResult> {
  const byId = new Map(hosts.map((h) => [h.server.instanceId, h]))
  const own = (server: ServerRef) => byId.get(server.instanceId)!
  const fleet = hosts.map((h) => h.server)
  const each =
    (what: string, fn: (h: BenchHost, host: Host, env: StepEnv) => Promise<unknown>) =>
    async (ctx: { servers: readonly ServerRef[] }, env: StepEnv) => {
      await onEachServer(serversOf(ctx), (server, host) => fn(own(server), host, env), {
        host: (s) => env.host(s),
        concurrency: o.concurrency,
        what,
      })
      return {}
    }
  const reloadsMs: number[] = []
  const onEvent: EventSink = (e) => {
    const reload =
      e.type === 'info' && /serves the new configuration \(reload (\d+) ms\)/.exec(e.message)
    if (reload) reloadsMs.push(Number(reload[1]))
    o.onEvent?.(e)
  }
  const started = performance.now()
  const report = await pipeline({
    resolveHost: labTarget(lab),
    journal: join(o.dir, `ferry-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.json`),
  })
    .step('fleet', () => ({ server: fleet[0]!, servers: fleet }))
    .step(
      'runContainer',
      each('runContainer', (h, host, env) =>
        runContainer(
          host,
          {
            name: h.container.name,
            image: lab.docker.images.httpd,
            ports: { [h.container.port]: 80 },
          },
          { docker: lab.docker.bin, onEvent: env.onEvent, signal: env.signal },
        ),
      ),
    )
    .step(
      'configureReverseProxy',
      each('configureReverseProxy', (h, host, env) =>
        configureReverseProxy(
          host,
          {
            name: SITE,
            nginx: {
              bin: h.nginx.bin,
              confDir: h.nginx.confDir,
              webroot: h.nginx.webroot,
              certDir: h.nginx.certDir,
              httpPort: h.nginx.httpPort,
              httpsPort: h.nginx.httpsPort,
              listen: ['127.0.0.1'],
              testCommand: h.nginx.testCommand,
              reloadCommand: h.nginx.reloadCommand,
              pidPath: h.nginx.pidPath,
            },
            routes: { [DOMAIN]: h.container.port },
          },
          { onEvent: env.onEvent, signal: env.signal },
        ),
      ),
    )
    .step(
      'uploadCertificate',
      each('uploadCertificate', (h, host, env) =>
        host.writeFiles(
          [
            { path: h.cert.certPath, data: o.cert.cert, mode: 0o644, mkdirs: true },
            { path: h.cert.keyPath, data: new Secret(o.cert.key), mode: 0o600, mkdirs: true },
          ],
          { sudo: true, signal: env.signal },
        ),
      ),
    )
    .run({ onEvent })
  const totalMs = performance.now() - started
  const stepsMs = Object.fromEntries(
    report.steps.filter((s) => s.name !== 'fleet').map((s) => [s.name, s.durationMs]),
  )
  return { totalMs, stepsMs, reloadsMs }
}
