// argv builders for everything ferry runs on the host around nginx: pure, no I/O.
import { cmd, type Arg } from '@ferry/core'
import { sitePaths, type NginxSettings } from './nginx-options.js'
import { ACME_PATH } from './routes.js'

const INSTALL_SCRIPT = [
  'set -e',
  'if command -v dnf >/dev/null 2>&1; then dnf install -y nginx',
  'elif command -v yum >/dev/null 2>&1; then yum install -y nginx',
  'elif command -v apt-get >/dev/null 2>&1; then',
  '  export DEBIAN_FRONTEND=noninteractive',
  '  apt-get update -q && apt-get install -y -q --no-install-recommends nginx',
  'else echo "ferry: no dnf, yum or apt-get on this host; install nginx and pass nginx.bin" >&2; exit 127',
  'fi',
  'if command -v systemctl >/dev/null 2>&1; then systemctl enable --now nginx; fi',
].join('\n')

/** `inspectSite`'s exit code when nginx is not installed. */
export const NGINX_MISSING = 20

// nginx without a configured binary: on root's PATH, or where the distros put it.
const NGINX_ON_HOST = 'command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]'

const INSPECT_SITE = [
  'bin=$1; layout=$2; available=$3; enabled=$4; webroot=$5; sites_conf=$6; sites_link=$7; confd_conf=$8',
  `if [ -n "$bin" ]; then [ -x "$bin" ] || exit ${NGINX_MISSING}; else { ${NGINX_ON_HOST}; } || exit ${NGINX_MISSING}; fi`,
  'if [ -z "$layout" ]; then if [ -d "$available" ] && [ -d "$enabled" ]; then layout=sites; else layout=conf.d; fi; fi',
  'mkdir -p -m 755 -- "$webroot" || exit 1',
  'echo "$layout"',
  'if [ "$layout" = sites ]; then conf=$sites_conf; link=$sites_link; else conf=$confd_conf; link=; fi',
  'if [ -n "$link" ] && target=$(readlink -- "$link"); then echo "link $target"; else echo nolink; fi',
  'if [ -e "$conf" ]; then echo text; exec cat -- "$conf"; else echo notext; fi',
].join('\n')

/**
 * Commands that shape nginx on a host.
 * @example
 * await host.run(nginxCommands.present(settings), { sudo: true, check: false })
 */
export const nginxCommands = {
  /** Exits 0 when nginx is installed (the configured binary, else `nginx` on root's PATH). */
  present: (nginx: NginxSettings): Arg[] =>
    nginx.bin ? cmd('test', '-x', nginx.bin) : cmd('sh', '-c', NGINX_ON_HOST),
  /** Installs nginx with the host's package manager and starts it (systemd hosts). */
  install: (): Arg[] => cmd('sh', '-c', INSTALL_SCRIPT),
  /** Creates the ACME webroot (world-readable: nginx workers serve it). */
  prepareWebroot: (nginx: NginxSettings): Arg[] =>
    cmd('mkdir', '-p', '-m', '755', '--', `${nginx.webroot}${ACME_PATH.slice(0, -1)}`),
  /** The configured config test (`nginx -t`). */
  test: (nginx: NginxSettings): Arg[] => [...nginx.testCommand],
  /** The configured reload. */
  reload: (nginx: NginxSettings): Arg[] => [...nginx.reloadCommand],
  /**
   * Everything ferry reads before it changes a site, in one command: exits 20 when nginx is
   * missing; else creates the ACME webroot and prints the layout (`sites`/`conf.d`), `link
   * <target>` or `nolink`, then `text` and the site file, or `notext`.
   */
  inspectSite: (nginx: NginxSettings, name: string): Arg[] => {
    const sites = sitePaths(nginx, 'sites', name)
    return cmd(
      'sh',
      '-c',
      INSPECT_SITE,
      'ferry-site',
      nginx.bin ?? '',
      nginx.layout ?? '',
      nginx.sitesAvailable,
      nginx.sitesEnabled,
      `${nginx.webroot}${ACME_PATH.slice(0, -1)}`,
      sites.configPath,
      sites.enabledPath ?? '',
      sitePaths(nginx, 'conf.d', name).configPath,
    )
  },
  /** Removes files (or links); missing ones are fine. */
  remove: (paths: readonly string[]): Arg[] => cmd('rm', '-f', '--', [...paths]),
}
