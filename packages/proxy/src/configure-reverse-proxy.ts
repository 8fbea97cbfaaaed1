// configureReverseProxy: validate → render the site → compare with the host → write, nginx -t,
// reload (or restore the previous files when nginx refuses). Same routes twice: no write, no reload.
import { createEmitter, type EventSink, type Host } from '@ferry/core'
import {
  nginxSettings,
  type NginxOptions,
  type NginxSettings,
  type SitePaths,
} from './nginx-options.js'
import { proxyLimits, proxySites, type ProxySite, type RoutesInput } from './routes.js'
import { checkServerName } from './server-names.js'
import { renderSiteConfig } from './site-config.js'
import { openSite, ownSpec, sameState, writeSiteState, type SiteState } from './site-files.js'
import { siteName, type SiteSpec } from './site-spec.js'

/** What to route, and where nginx lives. */
export interface ReverseProxyInput extends RoutesInput {
  /** Names the site file (`<name>.conf`). Default `'ferry'`. */
  name?: string
  nginx?: NginxOptions
}

/** Side-effect options: events and cancellation. */
export interface ProxyOptions {
  onEvent?: EventSink
  signal?: AbortSignal
}

/** What `configureReverseProxy` did. */
export interface ReverseProxyResult {
  name: string
  sites: ProxySite[]
  configPath: string
  /** The sites-enabled link, in `sites` layout. */
  enabledPath: string | undefined
  /** False when the host already served exactly these routes (nothing written, no reload). */
  changed: boolean
}

/**
 * Routes host names and path prefixes to upstream ports through nginx on a host: installs nginx
 * when missing, writes the site atomically, tests and reloads, restores the old site on failure.
 * @example
 * const host = createSshHost({ host: ip, username: 'ec2-user', privateKey, hostKey: { fingerprint } })
 * await configureReverseProxy(host, { routes: { 'api.example.com': 8080, 'example.com': { '/': 8081, '/api/': 8080 } } })
 */
export async function configureReverseProxy(
  host: Host,
  input: ReverseProxyInput,
  options: ProxyOptions = {},
): Promise<ReverseProxyResult> {
  return (await applyReverseProxy(host, reverseProxyPlan(input), options)).result
}

/** Validated input: everything `configureReverseProxy` needs before it touches the host. */
export interface ReverseProxyPlan {
  name: string
  nginx: NginxSettings
  spec: Omit<SiteSpec, 'certificates'>
}

/**
 * Validates the input (throws ValidationError naming the field) without touching any host.
 * @example
 * reverseProxyPlan({ routes: { 'api.example.com': 8080 } }).name // 'ferry'
 */
export function reverseProxyPlan(input: ReverseProxyInput): ReverseProxyPlan {
  const name = siteName(input?.name ?? 'ferry')
  const nginx = nginxSettings(input.nginx)
  const sites = proxySites(input)
  for (const { serverName } of sites)
    if (serverName !== '*')
      checkServerName(serverName, {
        bucketSize: nginx.serverNamesHashBucketSize,
        field: `routes["${serverName}"]`,
      })
  return { name, nginx, spec: { name, sites, limits: proxyLimits(input) } }
}

/**
 * Applies a validated plan; also returns the previous state so a pipeline can undo it.
 * @example
 * const { result, previous } = await applyReverseProxy(host, reverseProxyPlan(input))
 */
export async function applyReverseProxy(
  host: Host,
  plan: ReverseProxyPlan,
  options: ProxyOptions = {},
): Promise<{ result: ReverseProxyResult; previous: SiteState; paths: SitePaths }> {
  const { nginx, signal } = { ...plan, signal: options.signal }
  const emit = createEmitter(options.onEvent)
  const { paths, current } = await openSite(host, nginx, { site: plan.name, emit, signal })
  // Keep certificates already installed for names that are still routed.
  const names = new Set(plan.spec.sites.map((s) => s.serverName))
  const certificates = (ownSpec(current, paths)?.certificates ?? []).filter((c) =>
    c.domains.some((d) => names.has(d)),
  )
  const wanted: SiteState = {
    text: renderSiteConfig({ ...plan.spec, certificates }, nginx),
    link: paths.enabledPath ? paths.configPath : null,
  }
  const changed = !sameState(current, wanted)
  if (changed) {
    emit({ type: 'info', message: `writing ${paths.configPath} on ${host.name}` })
    await writeSiteState(host, { paths, state: wanted }, { nginx, signal, emit })
  } else {
    emit({ type: 'info', message: `${paths.configPath} on ${host.name} is up to date` })
  }
  const result: ReverseProxyResult = {
    name: plan.name,
    sites: plan.spec.sites,
    configPath: paths.configPath,
    enabledPath: paths.enabledPath,
    changed,
  }
  return { result, previous: current, paths }
}
