// argv builders for everything ferry runs on the host around nginx: pure, no I/O.
import { cmd, type Arg } from '@ferry/core'
import type { NginxSettings } from './nginx-options.js'
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

// `nginx -s reload` only signals the master: it returns before new workers serve the new config.
// This runs the reload, then waits until the master has a new worker and every old one is gone
// or shutting down, so "reloaded" means "serving". A master that keeps its old workers did not
// take the config (exit 75); without a pid file the reload is run but cannot be checked.
const RELOAD_AND_WAIT = [
  'pidfile=$1; shift',
  'master=$(cat -- "$pidfile" 2>/dev/null || true)',
  'case $master in ""|*[!0-9]*) master= ;; esac',
  '[ -n "$master" ] && kill -0 "$master" 2>/dev/null || master=',
  'before=" "; [ -z "$master" ] || before=" $(ps -o pid= --ppid "$master" | tr -s " \n" "  ") "',
  '"$@" || exit $?',
  '[ -n "$master" ] || { echo "ferry: reload not verified: no nginx master in $pidfile"; exit 0; }',
  'i=0',
  'while [ $i -lt 200 ]; do',
  '  kill -0 "$master" 2>/dev/null || exit 0',
  '  fresh=0; stale=0',
  '  for p in $(ps -o pid= --ppid "$master"); do',
  '    case "$before" in',
  '      *" $p "*) case "$(ps -o args= -p "$p")" in *"shutting down"*) ;; *) stale=1 ;; esac ;;',
  '      *) fresh=1 ;;',
  '    esac',
  '  done',
  '  [ $fresh = 1 ] && [ $stale = 0 ] && exit 0',
  '  sleep 0.05; i=$((i+1))',
  'done',
  'echo "ferry: nginx kept its old workers 10 s after the reload: the new configuration was not applied (see the nginx error log)" >&2',
  'exit 75',
].join('\n')

/**
 * Commands that shape nginx on a host.
 * @example
 * await host.run(nginxCommands.present(settings), { sudo: true, check: false })
 */
export const nginxCommands = {
  /** Exits 0 when nginx is installed (the configured binary, else `nginx` on root's PATH). */
  present: (nginx: NginxSettings): Arg[] =>
    nginx.bin
      ? cmd('test', '-x', nginx.bin)
      : cmd('sh', '-c', 'command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]'),
  /** Installs nginx with the host's package manager and starts it (systemd hosts). */
  install: (): Arg[] => cmd('sh', '-c', INSTALL_SCRIPT),
  /** Prints `sites` when the host has sites-available and sites-enabled, else `conf.d`. */
  detectLayout: (nginx: NginxSettings): Arg[] =>
    cmd(
      'sh',
      '-c',
      'if [ -d "$1" ] && [ -d "$2" ]; then echo sites; else echo conf.d; fi',
      'ferry-layout',
      nginx.sitesAvailable,
      nginx.sitesEnabled,
    ),
  /** Creates the ACME webroot (world-readable: nginx workers serve it). */
  prepareWebroot: (nginx: NginxSettings): Arg[] =>
    cmd('mkdir', '-p', '-m', '755', '--', `${nginx.webroot}${ACME_PATH.slice(0, -1)}`),
  /** The configured config test (`nginx -t`). */
  test: (nginx: NginxSettings): Arg[] => [...nginx.testCommand],
  /** The configured reload. */
  reload: (nginx: NginxSettings): Arg[] => [...nginx.reloadCommand],
  /** The configured reload, then a wait until new workers serve (checked via `pidPath`). */
  reloadAndWait: (nginx: NginxSettings): Arg[] =>
    cmd('sh', '-c', RELOAD_AND_WAIT, 'ferry-reload', nginx.pidPath, [...nginx.reloadCommand]),
  /** Prints a symlink's target; fails when `path` is not a symlink. */
  readLink: (path: string): Arg[] => cmd('readlink', '--', path),
  /** Points `path` at `target` by renaming a fresh link over it (atomic). */
  link: (target: string, path: string): Arg[] =>
    cmd(
      'sh',
      '-c',
      'set -e; t="$(dirname -- "$2")/.$(basename -- "$2").ferry-$$"; ln -sfn -- "$1" "$t"; mv -Tf -- "$t" "$2"',
      'ferry-link',
      target,
      path,
    ),
  /** Removes files (or links); missing ones are fine. */
  remove: (paths: readonly string[]): Arg[] => cmd('rm', '-f', '--', [...paths]),
}
