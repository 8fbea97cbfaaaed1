// Where ferry's time goes: while on, every command an SshHost sends is timed and counted by kind
// (the `sh -c` script's name, the docker subcommand, nginx -t / reload). Instrumentation for the benchmark only; it wraps the class's methods and puts them back.
import { basename } from 'node:path'
import { SshHost, type Arg } from '../../packages/core/src/index.js'

interface Sample {
  kind: string
  ms: number
}

/**
 * A profiler of SshHost commands.
 * @example
 * const p = createProfiler(); p.start(); await runFerry(...); p.stop(); console.log(p.report(20).join('\n'))
 */
export function createProfiler() {
  const samples: Sample[] = []
  const run = SshHost.prototype.run
  let hosts = new Set<string>()
  return {
    start() {
      samples.length = 0
      hosts = new Set()
      SshHost.prototype.run = async function (this: SshHost, command, options) {
        hosts.add(this.name)
        const t = performance.now()
        try {
          return await run.call(this, command, options)
        } finally {
          samples.push({ kind: kindOf(command), ms: performance.now() - t })
        }
      }
    },
    stop() {
      SshHost.prototype.run = run
    },
    /** One line per kind of command: count per host, median and total time. */
    report(size: number): string[] {
      const kinds = new Map<string, number[]>()
      for (const s of samples) kinds.set(s.kind, [...(kinds.get(s.kind) ?? []), s.ms])
      const perHost = samples.length / Math.max(1, hosts.size)
      return [
        `    profile of one more ferry round on ${size} host(s): ${perHost.toFixed(1)} remote commands per host ` +
          `(the first command on a host includes its SSH connect)`,
        ...[...kinds]
          .sort((a, b) => sum(b[1]) - sum(a[1]))
          .map(
            ([kind, ms]) =>
              `      ${kind.padEnd(28)} ${(ms.length / Math.max(1, hosts.size)).toFixed(1).padStart(4)}× per host  median ${median(ms).toFixed(0).padStart(4)} ms  sum ${sum(ms).toFixed(0).padStart(6)} ms`,
          ),
      ]
    },
  }
}

/** A short name for a command: `ferry-health`, `docker run`, `nginx -t`, `cat`. */
function kindOf(command: readonly Arg[]): string {
  let argv = command.map((a) => (typeof a === 'string' ? a : String(a)))
  while (['sudo', '-n', '--'].includes(argv[0] ?? '')) argv = argv.slice(1)
  const [bin = '', ...rest] = argv
  if ((bin === 'sh' || bin === 'bash') && rest[0] === '-c') return rest[2] ?? 'sh -c'
  if (basename(bin) === 'docker')
    return `docker ${rest.slice(0, ['container', 'image'].includes(rest[0] ?? '') ? 2 : 1).join(' ')}`
  if (basename(bin) === 'nginx')
    return `nginx ${rest.includes('-t') ? '-t' : rest.slice(-2).join(' ')}`
  return basename(bin)
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
