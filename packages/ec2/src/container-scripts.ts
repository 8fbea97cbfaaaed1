// Small shell programs runContainer ships to the host (as `sh -c`/`bash -c` with arguments,
// never string-built): engine check/install, free-port check, and the health loop.
import { cmd, type Arg } from '@ferry/core'

// Exit codes of ENGINE_SCRIPT, mapped to messages by the executor, e.g.
// `if (r.exitCode === ENGINE_MISSING) …`.
/** The engine CLI is missing and installing was not allowed. */
export const ENGINE_MISSING = 10
/** No dnf or apt-get to install docker with. */
export const ENGINE_NO_INSTALLER = 11
/** The daemon is down and there is no systemd to start it. */
export const ENGINE_NO_SYSTEMD = 12
/** systemd started docker but it still does not answer. */
export const ENGINE_DID_NOT_START = 13

// "Does the engine answer" is asked with `version` (fails when docker's daemon is unreachable):
// `info` also gathers storage and container statistics, ~0.3 s on the lab's podman vs ~0.03 s.
const ENGINE_SCRIPT = `bin=$1; install=$2
if ! command -v "$bin" >/dev/null 2>&1; then
  [ "$install" = 1 ] || exit ${ENGINE_MISSING}
  if command -v dnf >/dev/null 2>&1; then dnf install -y docker >&2 || exit ${ENGINE_NO_INSTALLER}
  elif command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -y && apt-get install -y --no-install-recommends docker.io; } >&2 || exit ${ENGINE_NO_INSTALLER}
  else exit ${ENGINE_NO_INSTALLER}; fi
fi
"$bin" version >/dev/null 2>&1 && exit 0
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemctl enable --now docker >&2 && "$bin" version >/dev/null 2>&1 && exit 0
  exit ${ENGINE_DID_NOT_START}
fi
exit ${ENGINE_NO_SYSTEMD}`

/**
 * Checks the engine answers; installs docker (dnf/apt) and starts it (systemd) when allowed.
 * Run with sudo.
 * @example
 * engineCommand('docker', { install: true })
 */
export function engineCommand(bin: string, o: { install: boolean }): Arg[] {
  return cmd('sh', '-c', ENGINE_SCRIPT, 'ferry-engine', bin, o.install ? '1' : '0')
}

const PORTS_SCRIPT = `command -v ss >/dev/null 2>&1 || exit 0
for spec in "$@"; do
  proto=\${spec%%:*}; port=\${spec#*:}
  if [ "$proto" = udp ]; then flags=-Hlun; else flags=-Hltn; fi
  [ -z "$(ss $flags "sport = :$port" 2>/dev/null)" ] || echo "$spec"
done`

/**
 * Prints each `proto:port` that something already listens on (nothing when `ss` is missing).
 * @example
 * portsTakenCommand([{ protocol: 'tcp', port: 8080 }]) // sh -c … tcp:8080
 */
export function portsTakenCommand(ports: readonly { protocol: string; port: number }[]): Arg[] {
  return cmd(
    'sh',
    '-c',
    PORTS_SCRIPT,
    'ferry-ports',
    ports.map((p) => `${p.protocol}:${p.port}`),
  )
}

// Exit codes of HEALTH_SCRIPT, e.g. `r.exitCode === HEALTH_STOPPED` (it stopped or restarted).
/** The container stopped (exited, dead or gone) or restarted during the check. */
export const HEALTH_STOPPED = 3
/** It kept running but did not answer before the timeout. */
export const HEALTH_TIMEOUT = 4

const HEALTH_SCRIPT = `docker=$1; name=$2; kind=$3; addr=$4; port=$5; path=$6; timeout=$7
end=$(( $(date +%s) + timeout ))
status() { "$docker" container inspect --format '{{.State.Status}} {{.RestartCount}}' "$name" 2>/dev/null || echo missing 0; }
while :; do
  set -- $(status); state=$1; restarts=$2
  # A container that stopped or restarted (a crash loop under a restart policy) is not healthy.
  case $state in exited|dead|stopped|missing) echo "container $name is $state" >&2; exit ${HEALTH_STOPPED};; esac
  if [ "\${restarts:-0}" -gt 0 ]; then echo "container $name restarted $restarts times" >&2; exit ${HEALTH_STOPPED}; fi
  if [ "$state" = running ]; then
    case $kind in
      tcp) (exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null && exit 0 ;;
      http) curl -fsS -o /dev/null --max-time 5 "http://$addr:$port$path" 2>/dev/null && exit 0 ;;
      running) sleep 3; [ "$(status)" = "running 0" ] && exit 0 ;;
    esac
  fi
  if [ "$(date +%s)" -ge "$end" ]; then echo "container $name did not answer within \${timeout}s (state $state)" >&2; exit ${HEALTH_TIMEOUT}; fi
  sleep 1
done`

/**
 * Polls the container until it answers (TCP connect or HTTP 2xx/3xx on the host, or keeps
 * running), up to `timeoutSec`; fails fast when it stops. Run with sudo (it inspects).
 * @example
 * healthCommand('docker', 'api', { kind: 'http', port: 8080, path: '/healthz', timeoutSec: 60 })
 */
export function healthCommand(
  bin: string,
  name: string,
  o: { kind: 'tcp' | 'http' | 'running'; port?: number; path?: string; timeoutSec: number },
): Arg[] {
  return cmd(
    'bash',
    '-c',
    HEALTH_SCRIPT,
    'ferry-health',
    bin,
    name,
    o.kind,
    '127.0.0.1',
    o.port ?? 0,
    o.path ?? '/',
    o.timeoutSec,
  )
}
