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

// `ports_taken proto:port…` prints each one something listens on; shared with the fast run.
export const PORTS_FUNCTION = `ports_taken() {
  command -v ss >/dev/null 2>&1 || return 0
  for spec in "$@"; do
    proto=\${spec%%:*}; port=\${spec#*:}
    if [ "$proto" = udp ]; then flags=-Hlun; else flags=-Hltn; fi
    [ -z "$(ss $flags "sport = :$port" 2>/dev/null)" ] || echo "$spec"
  done
}`

const PORTS_SCRIPT = `${PORTS_FUNCTION}
ports_taken "$@"`

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

// `health NAME KIND ADDR PORT PATH TIMEOUT` (engine CLI in $docker): asks the probe first and
// inspects only when it failed more than twice (each engine call costs ~50 ms of Go start-up,
// which a busy host feels), polling 0.05 s doubling to 1 s. Shared by healthCommand and the fast run, so there is one loop.
export const HEALTH_FUNCTION = `health_state() { "$docker" container inspect --format '{{.State.Status}} {{.RestartCount}}' "$1" 2>/dev/null || echo missing 0; }
health() {
  local name=$1 kind=$2 addr=$3 port=$4 path=$5 timeout=$6 ms=50 end state=starting restarts=0 tries=0
  end=$(( $(date +%s) + timeout ))
  while :; do
    case $kind in
      tcp) (exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null && return 0 ;;
      http) curl -fsS -o /dev/null --max-time 5 "http://$addr:$port$path" 2>/dev/null && return 0 ;;
    esac
    # A process still starting gets two short retries before the engine is asked (0.15 s in all).
    tries=$((tries + 1))
    [ "$kind" != running ] && [ $tries -le 2 ] || read -r state restarts <<<"$(health_state "$name")"
    # A container that stopped or restarted (a crash loop under a restart policy) is not healthy.
    case $state in exited|dead|stopped|missing) echo "container $name is $state" >&2; return ${HEALTH_STOPPED};; esac
    if [ "\${restarts:-0}" -gt 0 ]; then echo "container $name restarted $restarts times" >&2; return ${HEALTH_STOPPED}; fi
    if [ "$kind" = running ] && [ "$state" = running ]; then
      sleep 3; [ "$(health_state "$name")" = "running 0" ] && return 0
    fi
    if [ "$(date +%s)" -ge "$end" ]; then echo "container $name did not answer within \${timeout}s (state $state)" >&2; return ${HEALTH_TIMEOUT}; fi
    sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
    ms=$(( ms * 2 > 1000 ? 1000 : ms * 2 ))
  done
}`

const HEALTH_SCRIPT = `docker=$1
${HEALTH_FUNCTION}
health "$2" "$3" "$4" "$5" "$6" "$7"`

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
