// The pipeline step for configureReverseProxy: runs on every server of the context, journals each
// server's previous site so `undo` can put it back, and plans without touching a host.
import {
  defineStep,
  onEachServer,
  render,
  serversOf,
  serverLabel,
  sudo,
  type PlanEntry,
  type ServerRef,
  type Step,
} from '@ferry/core'
import {
  applyReverseProxy,
  reverseProxyPlan,
  type ReverseProxyInput,
} from './configure-reverse-proxy.js'
import { nginxCommands } from './nginx-commands.js'
import { sitePaths } from './nginx-options.js'
import type { ProxySite } from './routes.js'
import { writeSiteState, type SiteState } from './site-files.js'

/** What the step adds to the context. */
export interface ProxyContext {
  proxy: { name: string; sites: ProxySite[]; configPath: string }
}

/** What the step needs: a server, or a fleet of them. */
export interface ServerContext {
  server: ServerRef
  servers?: readonly ServerRef[]
}

/**
 * A pipeline step that configures the reverse proxy on each server (`concurrency` at a time,
 * default 8); `undo` restores each server's previous site file (or removes the new one).
 * @example
 * pipeline(...).use(configureReverseProxyStep({ routes: { 'api.example.com': 8080 } }, { concurrency: 4 }))
 */
export function configureReverseProxyStep(
  input: ReverseProxyInput,
  options: { concurrency?: number } = {},
): Step<ServerContext, ProxyContext> {
  const plan = reverseProxyPlan(input)
  const { concurrency } = options
  return defineStep({
    name: 'configureReverseProxy',
    async run(ctx: ServerContext, env) {
      const results = await onEachServer(
        serversOf(ctx),
        async (server, host) => {
          const applied = await applyReverseProxy(host, plan, {
            onEvent: env.onEvent,
            signal: env.signal,
          })
          const saved = { previous: applied.previous, paths: applied.paths }
          await env.record(`previous:${label(server)}`, JSON.stringify(saved))
          return applied.result
        },
        { host: (s) => env.host(s), concurrency, what: 'configureReverseProxy' },
      )
      const first = results[0]!
      return { proxy: { name: first.name, sites: first.sites, configPath: first.configPath } }
    },
    async undo(ctx, env) {
      const restored = await onEachServer(
        serversOf(ctx),
        async (server, host) => {
          const saved = env.recorded(`previous:${label(server)}`)
          if (!saved) return `${label(server)}: nothing recorded`
          const { previous, paths } = JSON.parse(saved) as {
            previous: SiteState
            paths: ReturnType<typeof sitePaths>
          }
          await writeSiteState(
            host,
            { paths, state: previous },
            { nginx: plan.nginx, signal: env.signal },
          )
          return `${label(server)}: ${previous.text === null ? 'removed' : 'restored'} ${paths.configPath}`
        },
        { host: (s) => env.host(s), concurrency, what: 'undo configureReverseProxy' },
      )
      return restored.join('; ')
    },
    plan(ctx) {
      // In a plan, ctx may hold placeholders (proxies that render as {{server.name}}).
      const servers: readonly ServerRef[] =
        Array.isArray(ctx.servers) && ctx.servers.length ? ctx.servers : [ctx.server]
      const layout = plan.nginx.layout
      const paths = layout ? sitePaths(plan.nginx, layout, plan.name) : undefined
      return servers.flatMap((server): PlanEntry[] => {
        const host = label(server)
        const shown = (argv: Parameters<typeof render>[0]) =>
          render(plan.nginx.sudo ? sudo(argv) : argv)
        return [
          { kind: 'remote', host, command: shown(nginxCommands.present(plan.nginx)) },
          {
            kind: 'note',
            text: `install nginx with dnf/yum/apt-get when missing${plan.nginx.install ? '' : ' (disabled)'}`,
          },
          { kind: 'remote', host, command: shown(nginxCommands.prepareWebroot(plan.nginx)) },
          {
            kind: 'note',
            text: `write ${paths?.configPath ?? `${plan.name}.conf in conf.d or sites-available (by host)`} atomically when it differs; ${plan.spec.sites.map((s) => s.serverName).join(', ')}`,
          },
          { kind: 'remote', host, command: shown(nginxCommands.test(plan.nginx)) },
          { kind: 'remote', host, command: shown(nginxCommands.reload(plan.nginx)) },
        ]
      })
    },
  })
}

/** A server's name in events, journal keys and plans (core's serverLabel). */
export const label = (server: ServerRef): string => serverLabel(server)
