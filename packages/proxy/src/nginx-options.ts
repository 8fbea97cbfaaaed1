// Where nginx keeps its files on a host and how to test and reload it: distro defaults, or the
// caller's own prefix (the lab passes its confDir, ports and argv). Validated before any command.
import { isIP } from 'node:net'
import { remotePath, validate, ValidationError } from '@ferry/core'
import { DEFAULT_BUCKET_SIZE } from './server-names.js'

/** How site files are laid out: one file in `conf.d`, or `sites-available` + a `sites-enabled` link. */
export type NginxLayout = 'conf.d' | 'sites'

/** Where nginx lives on the host and how to drive it. Every field has a distro default. */
export interface NginxOptions {
  /** The nginx binary. When it exists on the host, installation is skipped. */
  bin?: string
  /** Install nginx (dnf, yum or apt-get, whichever the host has) when missing. Default true. */
  install?: boolean
  /** Default: `conf.d` when `confDir` is given, else `sites` when the host has sites-available. */
  layout?: NginxLayout
  /** Default `/etc/nginx/conf.d`. */
  confDir?: string
  /** Default `/etc/nginx/sites-available`. */
  sitesAvailable?: string
  /** Default `/etc/nginx/sites-enabled`. */
  sitesEnabled?: string
  /** Served at `/.well-known/acme-challenge/` on the HTTP port. Default `/var/www/ferry-acme`. */
  webroot?: string
  /** Certificates go in `<certDir>/<first domain>/`. Default `/etc/ssl/ferry`. */
  certDir?: string
  /** Default 80. */
  httpPort?: number
  /** Default 443. */
  httpsPort?: number
  /** Addresses to listen on (`127.0.0.1`, `[::]`); default all IPv4 addresses. */
  listen?: readonly string[]
  /** argv of the config test. Default `[bin ?? 'nginx', '-t']`. */
  testCommand?: readonly string[]
  /** argv of the reload. Default `[bin, '-s', 'reload']` with `bin`, else `systemctl reload-or-restart nginx`. */
  reloadCommand?: readonly string[]
  /** nginx's pid file, to check that a reload took effect. Default `/run/nginx.pid`. */
  pidPath?: string
  /** Run nginx commands and write its files as root via `sudo -n`. Default true. */
  sudo?: boolean
  /**
   * The `server_names_hash_bucket_size` the host's nginx runs with (ferry never sets it: it is
   * one per nginx). Default 64; longer host names than it holds are refused before any command.
   */
  serverNamesHashBucketSize?: number
  /**
   * Where each change records its outcome, so a dropped session can read it back. Default
   * `.ferry-txn` beside `confDir` (else beside a given `sitesAvailable`): `/etc/nginx/.ferry-txn`.
   */
  stateDir?: string
}

/** NginxOptions with every default filled in and every value checked. */
export interface NginxSettings {
  bin: string | undefined
  install: boolean
  layout: NginxLayout | undefined
  confDir: string
  sitesAvailable: string
  sitesEnabled: string
  webroot: string
  certDir: string
  httpPort: number
  httpsPort: number
  listen: readonly string[]
  testCommand: readonly string[]
  reloadCommand: readonly string[]
  pidPath: string
  sudo: boolean
  serverNamesHashBucketSize: number
  stateDir: string
}

/**
 * Fills in defaults and validates every path, port, address and command.
 * @example
 * nginxSettings({ confDir: '/srv/nginx/conf.d', httpPort: 8080 }).layout // 'conf.d'
 */
export function nginxSettings(options: NginxOptions = {}): NginxSettings {
  const bin = options.bin === undefined ? undefined : remotePath(options.bin, 'nginx.bin')
  const path = (value: string | undefined, fallback: string, field: string) =>
    remotePath(value ?? fallback, `nginx.${field}`)
  if (options.layout !== undefined && options.layout !== 'conf.d' && options.layout !== 'sites')
    throw new ValidationError({
      field: 'nginx.layout',
      value: options.layout,
      allowed: '"conf.d" or "sites"',
    })
  const httpPort = validate.port(options.httpPort ?? 80, 'nginx.httpPort')
  const httpsPort = validate.port(options.httpsPort ?? 443, 'nginx.httpsPort')
  if (httpPort === httpsPort)
    throw new ValidationError({
      field: 'nginx.httpsPort',
      value: httpsPort,
      allowed: 'a port other than nginx.httpPort',
    })
  const confDir = path(options.confDir, '/etc/nginx/conf.d', 'confDir')
  return {
    bin,
    install: options.install ?? true,
    layout: options.layout ?? (options.confDir === undefined ? undefined : 'conf.d'),
    confDir,
    sitesAvailable: path(options.sitesAvailable, '/etc/nginx/sites-available', 'sitesAvailable'),
    sitesEnabled: path(options.sitesEnabled, '/etc/nginx/sites-enabled', 'sitesEnabled'),
    webroot: configSafePath(options.webroot ?? '/var/www/ferry-acme', 'nginx.webroot'),
    certDir: configSafePath(options.certDir ?? '/etc/ssl/ferry', 'nginx.certDir'),
    httpPort,
    httpsPort,
    listen: (options.listen ?? []).map((a) => listenAddress(a)),
    testCommand: argv(options.testCommand ?? [bin ?? 'nginx', '-t'], 'nginx.testCommand'),
    reloadCommand: argv(
      options.reloadCommand ??
        (bin ? [bin, '-s', 'reload'] : ['systemctl', 'reload-or-restart', 'nginx']),
      'nginx.reloadCommand',
    ),
    pidPath: path(options.pidPath, '/run/nginx.pid', 'pidPath'),
    sudo: options.sudo ?? true,
    serverNamesHashBucketSize: bucketSize(options.serverNamesHashBucketSize),
    stateDir: path(options.stateDir, defaultStateDir(options, confDir), 'stateDir'),
  }
}

/**
 * A path that is written into nginx config text: absolute, and free of spaces, quotes, `;`,
 * braces and `$` (nginx would read a variable), so it needs no quoting.
 * @example
 * configSafePath('/etc/ssl/ferry/a.example.com/fullchain.pem', 'certPath')
 */
export function configSafePath(value: unknown, field: string): string {
  const path = remotePath(value, field)
  if (!/^\/[A-Za-z0-9._/@+=,-]+$/.test(path) || path.split('/').includes('..'))
    throw new ValidationError({
      field,
      value,
      allowed: 'an absolute path of letters, digits and "._/@+=,-" (it goes into nginx config)',
    })
  return path
}

/** The site's files for a layout: the config file, and the enabling symlink in `sites` layout. */
export interface SitePaths {
  configPath: string
  enabledPath: string | undefined
}

/**
 * Where a site's file (and its sites-enabled link) go.
 * @example
 * sitePaths(nginxSettings(), 'sites', 'web') // { configPath: '/etc/nginx/sites-available/web.conf', enabledPath: '/etc/nginx/sites-enabled/web.conf' }
 */
export function sitePaths(settings: NginxSettings, layout: NginxLayout, name: string): SitePaths {
  return layout === 'conf.d'
    ? { configPath: `${settings.confDir}/${name}.conf`, enabledPath: undefined }
    : {
        configPath: `${settings.sitesAvailable}/${name}.conf`,
        enabledPath: `${settings.sitesEnabled}/${name}.conf`,
      }
}

// Beside the directory the site files go in: the one given (confDir, else sitesAvailable), so a
// prefix install (or the lab) keeps it under its own prefix; else /etc/nginx/.ferry-txn.
function defaultStateDir(options: NginxOptions, confDir: string): string {
  const dir =
    options.confDir === undefined && options.sitesAvailable !== undefined
      ? remotePath(options.sitesAvailable, 'nginx.sitesAvailable')
      : confDir
  return `${dir.replace(/\/[^/]*$/, '')}/.ferry-txn`
}

// nginx rounds the bucket up to its cache line (32, 64 or 128 bytes): a multiple of 32.
function bucketSize(value: unknown): number {
  if (value === undefined) return DEFAULT_BUCKET_SIZE
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value % 32 !== 0 ||
    value < 32 ||
    value > 32_768
  )
    throw new ValidationError({
      field: 'nginx.serverNamesHashBucketSize',
      value,
      allowed: "a multiple of 32 from 32 to 32768, as the host's nginx.conf sets it",
    })
  return value
}

function listenAddress(value: unknown): string {
  const text = typeof value === 'string' ? value : ''
  const v6 = /^\[(.+)\]$/.exec(text)?.[1]
  if (text === '*' || isIP(text) === 4 || (v6 !== undefined && isIP(v6) === 6)) return text
  throw new ValidationError({
    field: 'nginx.listen',
    value,
    allowed: 'an IPv4 address, "*", or a bracketed IPv6 address such as "[::]"',
  })
}

function argv(value: unknown, field: string): readonly string[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((a) => typeof a === 'string' && a !== '' && !/[\0\n]/.test(a))
  )
    throw new ValidationError({
      field,
      value,
      allowed: 'a non-empty argv array of strings, e.g. ["nginx", "-t"]',
    })
  return value as string[]
}
