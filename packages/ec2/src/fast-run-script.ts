// The fast path of runContainer for a container that does not exist yet: engine check, swap
// marker check, free ports, env file, `docker run`, health and the id, in ONE remote command (each
// engine call costs ~50 ms of Go start-up, an SSH exec ~3 ms). Anything unusual exits with a code
// of its own and runContainer takes the full path, which knows how to handle it.
import { cmd, type Arg } from '@ferry/core'
import { HEALTH_FUNCTION, PORTS_FUNCTION } from './container-scripts.js'

// Exit codes of FAST_RUN_SCRIPT besides the health check's (HEALTH_STOPPED, HEALTH_TIMEOUT).
/** The engine CLI is not on the PATH: the full path checks (and may install) it. */
export const FAST_NO_ENGINE = 20
/** A swap marker exists: a replacement may have been cut short; the full path recovers it. */
export const FAST_SWAP_MARKER = 21
/** Something listens on a wanted host port (maybe the container being replaced). */
export const FAST_PORTS_TAKEN = 22
/** `docker run` failed; what this run created (by its cidfile) is already removed. */
export const FAST_RUN_FAILED = 23
/** The env file could not be written. */
export const FAST_NO_ENV_FILE = 24

// Arguments: docker marker cidfile envfile name kind port path timeout readback nports
// ports… then the `docker run` argv. The env file's text comes on stdin (never in argv).
const FAST_RUN_SCRIPT = `docker=$1 marker=$2 cidfile=$3 envfile=$4 name=$5 kind=$6 port=$7 path=$8 timeout=$9
readback=\${10} nports=\${11}
shift 11; ports=("\${@:1:nports}"); shift "$nports"
${PORTS_FUNCTION}
${HEALTH_FUNCTION}
command -v "$docker" >/dev/null 2>&1 || exit ${FAST_NO_ENGINE}
[ ! -e "$marker" ] || exit ${FAST_SWAP_MARKER}
taken=$(ports_taken "\${ports[@]}")
if [ -n "$taken" ]; then echo "$taken"; exit ${FAST_PORTS_TAKEN}; fi
cleanup() { rm -f -- "$cidfile" \${envfile:+"$envfile"}; }
trap cleanup EXIT; trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
umask 077
mkdir -p -- "\${cidfile%/*}" || exit ${FAST_NO_ENV_FILE}
if [ -n "$envfile" ]; then cat > "$envfile" || exit ${FAST_NO_ENV_FILE}; fi
if ! id=$("$@"); then
  # Only what THIS run created (its cidfile), never a container that was there before.
  cid=$(cat -- "$cidfile" 2>/dev/null)
  if [ -n "$cid" ]; then "$docker" kill "$cid" >/dev/null 2>&1; "$docker" rm -f "$cid" >/dev/null 2>&1; fi
  exit ${FAST_RUN_FAILED}
fi
cleanup
id=\${id##*$'\\n'}
echo "$id"
health "$name" "$kind" 127.0.0.1 "$port" "$path" "$timeout" || exit
[ "$readback" != 1 ] || "$docker" port "$id"`

/**
 * The fast run as one `bash -c` with arguments (run it with sudo): exits 0 and prints the new
 * container's id (then `docker port` lines when `readback`), or exits with a FAST_* or HEALTH_*
 * code. `run` is the `docker run` argv, with `--cidfile` `cidFile` and `--pull=never`.
 * @example
 * fastRunCommand({ bin: 'docker', name: 'api', marker: '/var/lib/ferry/api.swap',
 *   cidFile: '/run/ferry/api.1a2b.cid', health: { kind: 'tcp', port: 8080 }, timeoutSec: 60,
 *   ports: [{ protocol: 'tcp', port: 8080 }], run: dockerRun('docker', spec, { … }) })
 */
export function fastRunCommand(o: {
  bin: string
  name: string
  marker: string
  cidFile: string
  envFile?: string
  health: { kind: 'tcp' | 'http' | 'running'; port?: number; path?: string }
  timeoutSec: number
  readback?: boolean
  ports: readonly { protocol: string; port: number }[]
  run: readonly Arg[]
}): Arg[] {
  return cmd(
    'bash',
    '-c',
    FAST_RUN_SCRIPT,
    'ferry-run',
    o.bin,
    o.marker,
    o.cidFile,
    o.envFile ?? '',
    o.name,
    o.health.kind,
    o.health.port ?? 0,
    o.health.path ?? '/',
    o.timeoutSec,
    o.readback ? '1' : '0',
    o.ports.length,
    o.ports.map((p) => `${p.protocol}:${p.port}`),
    [...o.run],
  )
}

/**
 * The swap marker: set (a root-only empty file, its directory created 0700) before a
 * replacement renames the old container, cleared once the names are right again. While it
 * exists the fast path leaves the run to the full path, which undoes a swap cut short.
 * @example
 * await host.run(swapMarker.set('/var/lib/ferry/api.swap'), { sudo: true })
 */
export const swapMarker = {
  set: (path: string): Arg[] =>
    cmd('sh', '-c', 'umask 077 && mkdir -p -- "${1%/*}" && : > "$1"', 'ferry-swap-marker', path),
  clear: (path: string): Arg[] => cmd('rm', '-f', '--', path),
}
