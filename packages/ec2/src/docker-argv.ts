// The docker commands runContainer sends, as pure argv builders (the executor adds sudo).
// Environment goes through an env file, never the command line (visible in `ps`).
import { cmd, Secret, type Arg } from '@ferry/core'
import type { CheckedContainer } from './container-spec.js'

/** A published port as the engine reports it. */
export interface PublishedPort {
  hostIp: string
  host: number
  container: number
  protocol: 'tcp' | 'udp'
}

/**
 * The label ferry puts on every container it starts.
 * @example
 * cmd('docker', 'ps', '--filter', `label=${MANAGED_LABEL}`)
 */
export const MANAGED_LABEL = 'ferry.managed=true'

/**
 * `docker run -d` for a checked spec. A probe publishes on random loopback ports with no
 * restart policy, so it can run beside the container it would replace. `cidFile` makes the
 * engine write the new container's id there (so a failure removes only what this run created);
 * `pull: 'never'` fails on a missing image instead of pulling it.
 * @example
 * dockerRun('docker', spec, { name: 'api', envFile: '/run/ferry/api.env' })
 */
export function dockerRun(
  bin: string,
  c: CheckedContainer,
  o: { name: string; envFile?: string; probe?: boolean; cidFile?: string; pull?: 'never' },
): Arg[] {
  return cmd(
    bin,
    'run',
    '-d',
    '--name',
    o.name,
    o.cidFile && `--cidfile=${o.cidFile}`,
    o.pull && `--pull=${o.pull}`,
    '--restart',
    o.probe ? 'no' : c.restart,
    c.init && '--init',
    c.ports.flatMap((p) => [
      '-p',
      `${o.probe ? '127.0.0.1' : c.hostIp}:${o.probe ? '' : p.host}:${p.container}/${p.protocol}`,
    ]),
    o.envFile ? ['--env-file', o.envFile] : [],
    '--label',
    MANAGED_LABEL,
    c.labels.flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    c.image,
    c.command,
  )
}

/**
 * Pure builders for the other docker commands.
 * @example
 * dockerCommands.stop('docker', 'api', 10) // ['docker', 'stop', '-t', 10, 'api']
 */
export const dockerCommands = {
  /** Prints `<status> <id>`; exits non-zero when there is no such container. */
  state: (bin: string, name: string): Arg[] =>
    cmd(bin, 'container', 'inspect', '--format', '{{.State.Status}} {{.Id}}', name),
  ports: (bin: string, name: string): Arg[] => cmd(bin, 'port', name),
  rename: (bin: string, from: string, to: string): Arg[] => cmd(bin, 'rename', from, to),
  stop: (bin: string, name: string, seconds = 10): Arg[] => cmd(bin, 'stop', '-t', seconds, name),
  start: (bin: string, name: string): Arg[] => cmd(bin, 'start', name),
  kill: (bin: string, name: string): Arg[] => cmd(bin, 'kill', name),
  remove: (bin: string, name: string): Arg[] => cmd(bin, 'rm', '-f', name),
  imageId: (bin: string, image: string): Arg[] =>
    cmd(bin, 'image', 'inspect', '--format', '{{.Id}}', image),
  pull: (bin: string, image: string): Arg[] => cmd(bin, 'pull', image),
  logs: (bin: string, name: string, tail: number): Arg[] => cmd(bin, 'logs', '--tail', tail, name),
}

/**
 * The env file's text (`KEY=value` per line), always as a Secret: values may be sensitive.
 * @example
 * envFileText([['MESSAGE', 'hi'], ['TOKEN', new Secret('t')]]).reveal() // 'MESSAGE=hi\nTOKEN=t\n'
 */
export function envFileText(env: CheckedContainer['env']): Secret {
  return new Secret(env.map(([k, v]) => `${k}=${Secret.is(v) ? v.reveal() : v}\n`).join(''))
}

/**
 * Parses `docker port NAME` output (`80/tcp -> 127.0.0.1:8080`, one per line).
 * @example
 * parsePorts('80/tcp -> 127.0.0.1:8080\n') // [{ hostIp: '127.0.0.1', host: 8080, container: 80, protocol: 'tcp' }]
 */
export function parsePorts(text: string): PublishedPort[] {
  const ports: PublishedPort[] = []
  for (const line of text.split('\n')) {
    const m = /^(\d+)\/(tcp|udp) -> \[?([^\]]*?)\]?:(\d+)$/.exec(line.trim())
    if (m)
      ports.push({
        container: Number(m[1]),
        protocol: m[2] as 'tcp' | 'udp',
        hostIp: m[3]!,
        host: Number(m[4]),
      })
  }
  return ports
}
