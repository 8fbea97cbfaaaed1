// Reading and stopping containers ferry started.
import { validate, type Host } from '@ferry/core'
import { DockerCli, type DockerOptions } from './docker-cli.js'
import { dockerCommands as dc } from './docker-argv.js'

/**
 * The last lines a container wrote (stdout and stderr separately).
 * @example
 * const { stdout } = await containerLogs(server.host, 'api', { tail: 50 })
 */
export async function containerLogs(
  host: Host,
  name: string,
  options: DockerOptions & { tail?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  validate.containerName(name, 'name')
  const tail = options.tail ?? 100
  if (!Number.isInteger(tail) || tail < 1) validate.port(-1, 'tail')
  const d = new DockerCli(host, options)
  const r = await d.run(dc.logs(d.bin, name, tail), { quiet: true })
  return { stdout: r.stdout, stderr: r.stderr }
}

/**
 * Stops a container (SIGTERM, then SIGKILL after `timeoutSec`); with `remove`, deletes it.
 * A missing container is not an error.
 * @example
 * await stopContainer(server.host, 'api', { remove: true })
 */
export async function stopContainer(
  host: Host,
  name: string,
  options: DockerOptions & { remove?: boolean; timeoutSec?: number } = {},
): Promise<{ stopped: boolean; removed: boolean }> {
  validate.containerName(name, 'name')
  const d = new DockerCli(host, options)
  if (!(await d.state(name))) return { stopped: false, removed: false }
  await d.run(dc.stop(d.bin, name, options.timeoutSec ?? 10))
  if (options.remove) await d.run(dc.remove(d.bin, name))
  return { stopped: true, removed: options.remove === true }
}
