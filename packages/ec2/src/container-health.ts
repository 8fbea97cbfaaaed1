// Judging a new container's health, and the error when it fails: shared by the fast run (whose
// one command includes the check) and the full path (probe, fresh, swap).
import { scrub } from '@ferry/core'
import { ContainerError } from './container-error.js'
import { healthCommand, HEALTH_STOPPED } from './container-scripts.js'
import type { CheckedContainer } from './container-spec.js'
import type { DockerCli } from './docker-cli.js'

/** What a runContainer attempt works with. */
export interface RunContext {
  d: DockerCli
  c: CheckedContainer
  envFile: string | undefined
  secrets: string[]
  timeoutSec: number
}

/**
 * Waits until the container answers (see healthCommand); a ContainerError 'unhealthy' if not.
 * @example
 * await healthy(x, { name: 'api-ferry-probe', port: 41234, label: 'api (probe)' })
 */
export async function healthy(
  x: RunContext,
  o: { name: string; port: number | undefined; label?: string },
): Promise<void> {
  const h = x.c.health
  const r = await x.d.run(
    healthCommand(x.d.bin, o.name, {
      kind: h.kind,
      port: o.port,
      path: h.path,
      timeoutSec: x.timeoutSec,
    }),
    { check: false, quiet: true, timeout: (x.timeoutSec + 30) * 1000 },
  )
  if (r.exitCode !== 0) throw await unhealthy(x, { ...o, exitCode: r.exitCode })
}

/**
 * The error for a failed health check (exit code of the health loop), quoting the container's
 * last output scrubbed of the spec's secrets.
 * @example
 * throw await unhealthy(x, { name: 'api', port: 8080, exitCode: HEALTH_TIMEOUT })
 */
export async function unhealthy(
  x: RunContext,
  o: { name: string; port: number | undefined; label?: string; exitCode: number },
): Promise<ContainerError> {
  const h = x.c.health
  const logs = scrub(await x.d.logTail(o.name), x.secrets)
  const what =
    h.kind === 'running'
      ? 'keep running'
      : `answer ${h.kind.toUpperCase()} on port ${o.port}${h.path && h.kind === 'http' ? ` ${h.path}` : ''}`
  return new ContainerError({
    reason: 'unhealthy',
    container: x.c.name,
    host: x.d.host.name,
    image: x.c.image,
    message: `${o.label ?? x.c.name} did not ${what} ${o.exitCode === HEALTH_STOPPED ? '(it stopped)' : `within ${x.timeoutSec} s`}. The previous container, if any, keeps serving.${logs ? `\nLast output:\n${logs}` : ''}`,
  })
}
