// What a reverse proxy routes where, as the caller writes it and as ferry normalises it:
// host name → (path prefix →) upstream port. Every value is validated here, before any command.
import { isIP } from 'node:net'
import { validate, ValidationError } from '@ferry/core'

/**
 * Where nginx serves ACME http-01 challenge files from the webroot, on the HTTP port.
 * @example
 * const url = `http://${domain}${ACME_PATH}${token}`
 */
export const ACME_PATH = '/.well-known/acme-challenge/'

/** An upstream server: a port on the host itself unless `host` says otherwise. */
export interface Upstream {
  port: number
  /** Default `127.0.0.1`. */
  host?: string
  /** Pass WebSocket upgrades through (Upgrade/Connection headers, HTTP/1.1). */
  websocket?: boolean
  /** Forward `/api/x` as `/x` instead of `/api/x`. Default false. */
  stripPrefix?: boolean
}

/** A port number, or an upstream with options. */
export type RouteTarget = number | Upstream

/**
 * One upstream for the whole host, or path prefixes (`'/'`, `'/api/'`) to upstreams. `{}` serves
 * only ACME challenges (and 404) for the name.
 */
export type HostRoutes = RouteTarget | { readonly [path: string]: RouteTarget }

/** Host names (or `'*'` for any other name) to what they route to. */
export type Routes = { readonly [host: string]: HostRoutes }

/** One path prefix of a site, normalised. */
export interface ProxyRoute {
  path: string
  host: string
  port: number
  websocket: boolean
  stripPrefix: boolean
}

/** One server name and its routes, normalised. `serverName` `'*'` is the catch-all. */
export interface ProxySite {
  serverName: string
  routes: ProxyRoute[]
}

/** Limits applied to every site of the proxy. */
export interface ProxyLimits {
  /** nginx size syntax, e.g. `'10m'`. */
  clientMaxBodySize: string
  /** Seconds. */
  timeouts: { connect: number; read: number; send: number }
}

/** The routing part of `configureReverseProxy`'s input. */
export interface RoutesInput {
  routes: Routes
  /** Default for every route without its own `websocket`. Default false. */
  websocket?: boolean
  /** Largest request body, nginx syntax (`'10m'`) or bytes. Default `'10m'`. */
  clientMaxBodySize?: string | number
  /** Seconds. Defaults: connect 10, read 60, send 60. */
  timeouts?: { connect?: number; read?: number; send?: number }
}

/**
 * Validates and normalises routes: lower-cased names, paths checked, ports checked.
 * @example
 * proxySites({ routes: { 'api.example.com': 8080 } })
 * // [{ serverName: 'api.example.com', routes: [{ path: '/', host: '127.0.0.1', port: 8080, websocket: false, stripPrefix: false }] }]
 */
export function proxySites(input: RoutesInput): ProxySite[] {
  const routes: unknown = input?.routes
  if (typeof routes !== 'object' || routes === null || Object.keys(routes).length === 0)
    throw new ValidationError({
      field: 'routes',
      value: routes,
      allowed: "an object of host names to ports, e.g. { 'api.example.com': 8080 }",
    })
  const websocket = input.websocket ?? false
  const seen = new Set<string>()
  return Object.entries(routes as Routes).map(([name, target]) => {
    const serverName =
      name === '*' ? '*' : validate.dnsName(name, { field: 'routes', wildcard: true })
    if (seen.has(serverName))
      throw new ValidationError({ field: 'routes', value: name, allowed: 'each host name once' })
    seen.add(serverName)
    const field = `routes["${name}"]`
    const paths: [string, RouteTarget][] = isPathMap(target)
      ? Object.entries(target)
      : [['/', target]]
    return {
      serverName,
      routes: paths.map(([path, t]) =>
        route(validate.urlPath(path, field), t, { field, websocket }),
      ),
    }
  })
}

/**
 * Validates the body size and timeouts, filling in defaults.
 * @example
 * proxyLimits({ routes: {}, clientMaxBodySize: '50m' }) // { clientMaxBodySize: '50m', timeouts: { connect: 10, read: 60, send: 60 } }
 */
export function proxyLimits(input: Omit<RoutesInput, 'routes'>): ProxyLimits {
  const size = input.clientMaxBodySize ?? '10m'
  const sizeText = typeof size === 'number' ? String(size) : size
  if (typeof sizeText !== 'string' || !/^\d{1,12}[kKmMgG]?$/.test(sizeText))
    throw new ValidationError({
      field: 'clientMaxBodySize',
      value: size,
      allowed: 'bytes, or nginx size syntax such as "512k", "10m" or "1g"',
    })
  const t = input.timeouts ?? {}
  return {
    clientMaxBodySize: sizeText,
    timeouts: {
      connect: seconds(t.connect ?? 10, 'timeouts.connect'),
      read: seconds(t.read ?? 60, 'timeouts.read'),
      send: seconds(t.send ?? 60, 'timeouts.send'),
    },
  }
}

function route(
  path: string,
  target: RouteTarget,
  o: { field: string; websocket: boolean },
): ProxyRoute {
  const up: Upstream = typeof target === 'number' ? { port: target } : target
  if (typeof up !== 'object' || up === null)
    throw new ValidationError({
      field: `${o.field}["${path}"]`,
      value: target,
      allowed: 'a port number or { port, host?, websocket?, stripPrefix? }',
    })
  if (path.startsWith(ACME_PATH.slice(0, -1)))
    throw new ValidationError({
      field: o.field,
      value: path,
      allowed: `a path outside ${ACME_PATH}, which serves ACME challenges`,
    })
  if (up.stripPrefix && !path.endsWith('/'))
    throw new ValidationError({
      field: `${o.field}["${path}"].stripPrefix`,
      value: path,
      allowed: 'a path ending in "/" when stripPrefix is set',
    })
  return {
    path,
    host: upstreamHost(up.host ?? '127.0.0.1', `${o.field}["${path}"].host`),
    port: validate.port(up.port, `${o.field}["${path}"].port`),
    websocket: up.websocket ?? o.websocket,
    stripPrefix: up.stripPrefix ?? false,
  }
}

function isPathMap(target: HostRoutes): target is { readonly [path: string]: RouteTarget } {
  return typeof target === 'object' && target !== null && !('port' in target)
}

function upstreamHost(value: string, field: string): string {
  if (isIP(value) !== 0 || value === 'localhost') return value
  return validate.dnsName(value, { field })
}

function seconds(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 86_400)
    throw new ValidationError({ field, value, allowed: 'whole seconds from 1 to 86400' })
  return value
}
