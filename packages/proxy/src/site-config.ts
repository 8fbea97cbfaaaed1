// The nginx text of a site, built in memory with nginx-conf and rendered: pure and synchronous.
// Per server name: plain HTTP with the routes, or (with a certificate) HTTPS with the routes plus
// an HTTP server that still answers ACME challenges and redirects everything else.
import type { NginxSettings } from './nginx-options.js'
import { ACME_PATH, type ProxyRoute, type ProxySite } from './routes.js'
import { certificateFor, specLine, type InstalledCertificate, type SiteSpec } from './site-spec.js'
import { emptyConf, type ConfBlock } from './nginx-conf.js'

/**
 * Renders a site file: a header, the spec line, an upgrade map when a route needs WebSockets,
 * and the server blocks.
 * @example
 * renderSiteConfig({ name: 'web', sites: proxySites({ routes: { 'a.example.com': 8080 } }),
 *   limits: proxyLimits({}), certificates: [] }, nginxSettings())
 */
export function renderSiteConfig(spec: SiteSpec, nginx: NginxSettings): string {
  const conf = emptyConf()
  if (spec.sites.some((s) => s.routes.some((r) => r.websocket))) {
    const map = conf.add('map', `$http_upgrade ${upgradeVariable(spec.name)}`)
    map.set('default', 'upgrade')
    map.set("''", 'close')
  }
  for (const site of spec.sites) {
    const cert =
      site.serverName === '*' ? undefined : certificateFor(site.serverName, spec.certificates)
    if (cert) {
      httpsServer(conf.add('server'), { site, cert, spec, nginx })
      redirectServer(conf.add('server'), { site, nginx })
    } else {
      plainServer(conf.add('server'), { site, spec, nginx })
    }
  }
  const header = [
    `# Managed by ferry (@ferry/proxy): site "${spec.name}". Edits here are replaced on the next deploy.`,
    specLine(spec),
  ]
  return `${header.join('\n')}\n${conf.render()}`
}

/**
 * The per-site variable the upgrade map sets (unique, so several site files can coexist).
 * @example
 * upgradeVariable('my-site') // '$ferry_my_site_connection_upgrade'
 */
export function upgradeVariable(name: string): string {
  return `$ferry_${name.replaceAll('-', '_')}_connection_upgrade`
}

// '*' takes every name no exact or wildcard name takes (a regex is matched after those), and
// requests without a Host (""). Not `default_server`: the host's nginx (the distro's default
// site, the lab's) already has one on the port, and two make `nginx -t` fail.
const CATCH_ALL = '~. ""'

interface ServerParts {
  site: ProxySite
  spec: SiteSpec
  nginx: NginxSettings
}

function plainServer(server: ConfBlock, { site, spec, nginx }: ServerParts): void {
  listen(server, nginx, { port: nginx.httpPort, site })
  common(server, site, spec)
  acmeLocation(server, nginx)
  routeLocations(server, site, spec.name)
}

function httpsServer(
  server: ConfBlock,
  { site, spec, nginx, cert }: ServerParts & { cert: InstalledCertificate },
): void {
  listen(server, nginx, { port: nginx.httpsPort, site, tls: true })
  common(server, site, spec)
  server.set('ssl_certificate', cert.certPath)
  server.set('ssl_certificate_key', cert.keyPath)
  server.set('ssl_protocols', 'TLSv1.2 TLSv1.3')
  server.set('ssl_prefer_server_ciphers', 'off')
  server.set('ssl_session_timeout', '1d')
  server.set('ssl_session_tickets', 'off')
  routeLocations(server, site, spec.name)
}

function redirectServer(server: ConfBlock, { site, nginx }: Omit<ServerParts, 'spec'>): void {
  listen(server, nginx, { port: nginx.httpPort, site })
  server.set('server_name', site.serverName)
  server.set('server_tokens', 'off')
  acmeLocation(server, nginx)
  const port = nginx.httpsPort === 443 ? '' : `:${nginx.httpsPort}`
  server.add('location', '/').set('return', `301 https://$host${port}$request_uri`)
}

function listen(
  server: ConfBlock,
  nginx: NginxSettings,
  o: { port: number; site: ProxySite; tls?: boolean },
): void {
  const flags = o.tls ? ' ssl http2' : ''
  const addresses = nginx.listen.length ? nginx.listen : ['']
  for (const address of addresses)
    server.set('listen', `${address && address !== '*' ? `${address}:` : ''}${o.port}${flags}`)
}

function common(server: ConfBlock, site: ProxySite, spec: SiteSpec): void {
  server.set('server_name', site.serverName === '*' ? CATCH_ALL : site.serverName)
  server.set('server_tokens', 'off')
  server.set('client_max_body_size', spec.limits.clientMaxBodySize)
  server.set('proxy_connect_timeout', `${spec.limits.timeouts.connect}s`)
  server.set('proxy_read_timeout', `${spec.limits.timeouts.read}s`)
  server.set('proxy_send_timeout', `${spec.limits.timeouts.send}s`)
}

function acmeLocation(server: ConfBlock, nginx: NginxSettings): void {
  const acme = server.add('location', `^~ ${ACME_PATH}`)
  acme.set('root', nginx.webroot)
  acme.set('default_type', 'text/plain')
  acme.set('try_files', '$uri =404')
}

function routeLocations(server: ConfBlock, site: ProxySite, name: string): void {
  for (const route of site.routes) proxyLocation(server.add('location', route.path), route, name)
  // Without a route for "/", nginx would serve its default html directory.
  if (!site.routes.some((r) => r.path === '/')) server.add('location', '/').set('return', '404')
}

function proxyLocation(location: ConfBlock, route: ProxyRoute, name: string): void {
  const host = route.host.includes(':') ? `[${route.host}]` : route.host
  location.set('proxy_pass', `http://${host}:${route.port}${route.stripPrefix ? '/' : ''}`)
  location.set('proxy_http_version', '1.1')
  location.set('proxy_set_header', 'Host $host')
  location.set('proxy_set_header', 'X-Real-IP $remote_addr')
  location.set('proxy_set_header', 'X-Forwarded-For $proxy_add_x_forwarded_for')
  location.set('proxy_set_header', 'X-Forwarded-Proto $scheme')
  location.set('proxy_set_header', 'X-Forwarded-Host $host')
  location.set('proxy_set_header', 'X-Forwarded-Port $server_port')
  if (route.websocket) {
    location.set('proxy_set_header', 'Upgrade $http_upgrade')
    location.set('proxy_set_header', `Connection ${upgradeVariable(name)}`)
  }
}
