// The site as data, embedded as one comment line at the top of the file ferry writes: the host's
// own file is the record of what it serves, so issuing a certificate later re-renders the same
// routes with TLS, and re-applying routes keeps a certificate already installed.
import { validate, ValidationError } from '@ferry/core'
import { configSafePath } from './nginx-options.js'
import {
  proxyLimits,
  proxySites,
  type ProxyLimits,
  type ProxySite,
  type Routes,
  type Upstream,
} from './routes.js'

/** A certificate nginx serves for some of the site's names. */
export interface InstalledCertificate {
  domains: string[]
  certPath: string
  keyPath: string
}

/** Everything a site file is rendered from. */
export interface SiteSpec {
  /** The file name (without `.conf`). */
  name: string
  sites: ProxySite[]
  limits: ProxyLimits
  certificates: InstalledCertificate[]
}

const MARK = '# ferry-spec: '

/**
 * A site name: lower-case letters, digits and `-` (it names a file and an nginx variable).
 * @example
 * siteName('web') // 'web'
 */
export function siteName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(value))
    throw new ValidationError({
      field,
      value,
      allowed: 'lower-case letters, digits and "-", at most 63, e.g. "web"',
    })
  return value
}

/**
 * The comment line that records a spec in the rendered file.
 * @example
 * specLine(spec) // '# ferry-spec: {"v":1,"name":"web",...}'
 */
export function specLine(spec: SiteSpec): string {
  const routes: Record<string, Record<string, Required<Upstream>>> = {}
  for (const site of spec.sites)
    routes[site.serverName] = Object.fromEntries(
      site.routes.map((r) => [
        r.path,
        { port: r.port, host: r.host, websocket: r.websocket, stripPrefix: r.stripPrefix },
      ]),
    )
  const data = {
    v: 1,
    name: spec.name,
    routes,
    limits: spec.limits,
    certificates: spec.certificates,
  }
  return `${MARK}${JSON.stringify(data)}`
}

/**
 * Reads the spec back from a file ferry wrote, validating it again; undefined for any other file.
 * @example
 * const spec = parseSpec(await host.readFile(path).then(String))
 */
export function parseSpec(text: string): SiteSpec | undefined {
  const line = text.split('\n').find((l) => l.startsWith(MARK))
  if (!line) return undefined
  let data: {
    v?: unknown
    name?: unknown
    routes?: Routes
    limits?: ProxyLimits
    certificates?: InstalledCertificate[]
  }
  try {
    data = JSON.parse(line.slice(MARK.length)) as typeof data
  } catch {
    return undefined
  }
  if (data?.v !== 1 || !data.routes || !data.limits) return undefined
  return {
    name: siteName(data.name),
    sites: proxySites({ routes: data.routes }),
    limits: proxyLimits(data.limits),
    certificates: (data.certificates ?? []).map((c) => installedCertificate(c)),
  }
}

/**
 * Validates a certificate reference.
 * @example
 * installedCertificate({ domains: ['a.example.com'], certPath: '/etc/ssl/a/fullchain.pem', keyPath: '/etc/ssl/a/privkey.pem' })
 */
export function installedCertificate(value: InstalledCertificate): InstalledCertificate {
  if (!Array.isArray(value?.domains) || value.domains.length === 0)
    throw new ValidationError({
      field: 'certificate.domains',
      value: value?.domains,
      allowed: 'at least one domain',
    })
  return {
    domains: value.domains.map((d) => validate.dnsName(d, { field: 'certificate.domains' })),
    certPath: configSafePath(value.certPath, 'certificate.certPath'),
    keyPath: configSafePath(value.keyPath, 'certificate.keyPath'),
  }
}

/**
 * The certificate that covers a server name, if any (the last one installed wins).
 * @example
 * certificateFor('a.example.com', spec.certificates)?.certPath
 */
export function certificateFor(
  serverName: string,
  certificates: readonly InstalledCertificate[],
): InstalledCertificate | undefined {
  return [...certificates].reverse().find((c) => c.domains.includes(serverName))
}

/**
 * Adds (or replaces, by certificate path) a certificate in a spec.
 * @example
 * const next = withCertificate(spec, { domains, certPath, keyPath })
 */
export function withCertificate(spec: SiteSpec, cert: InstalledCertificate): SiteSpec {
  return {
    ...spec,
    certificates: [...spec.certificates.filter((c) => c.certPath !== cert.certPath), cert],
  }
}
