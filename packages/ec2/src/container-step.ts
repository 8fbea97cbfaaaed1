// runContainerStep: runContainer on every server of the context (core's fleet runner),
// adding { containers: { ...ctx.containers, [name]: info } }. Undo removes the container.
import {
  defineStep,
  onEachServer,
  render,
  serversOf,
  type PlanEntry,
  type ServerRef,
  type Step,
} from '@ferry/core'
import { checkContainer, type ContainerSpec } from './container-spec.js'
import { dockerRun } from './docker-argv.js'
import { DockerCli } from './docker-cli.js'
import { runContainer, type ContainerInfo, type RunContainerOptions } from './run-container.js'

/** A container as deployed by the step: the first server's, plus every server's. */
export type ContainerDeployment = ContainerInfo & { perServer: ContainerInfo[] }

/** What the step needs. */
export type ContainerContext = {
  server: ServerRef
  servers?: readonly ServerRef[]
  containers?: Record<string, ContainerDeployment>
}

/**
 * A step that runs a container on each server (see runContainer).
 * @example
 * pipeline.use(runContainerStep({ name: 'api', image: 'ghcr.io/acme/api:1.4', ports: { 8080: 3000 } }))
 */
export function runContainerStep(
  spec: ContainerSpec,
  options: Omit<RunContainerOptions, 'onEvent' | 'signal'> & {
    name?: string
    concurrency?: number
  } = {},
): Step<ContainerContext, { containers: Record<string, ContainerDeployment> }> {
  const c = checkContainer(spec)
  const { name: stepName, concurrency, ...runOptions } = options
  return defineStep({
    name: stepName ?? `runContainer:${c.name}`,
    async run(ctx: ContainerContext, env) {
      const infos = await onEachServer(
        serversOf(ctx),
        (_server, host) =>
          runContainer(host, spec, { ...runOptions, onEvent: env.onEvent, signal: env.signal }),
        { host: (s) => env.host(s), concurrency, what: `runContainer ${c.name}` },
      )
      const deployment: ContainerDeployment = { ...infos[0]!, perServer: infos }
      return { containers: { ...ctx.containers, [c.name]: deployment } }
    },
    async undo(ctx, env) {
      await onEachServer(
        serversOf(ctx),
        (_server, host) => new DockerCli(host, runOptions).remove(c.name),
        { host: (s) => env.host(s), concurrency, what: `remove container ${c.name}` },
      )
      return `removed container ${c.name}`
    },
    plan(ctx): PlanEntry[] {
      const bin = options.docker ?? 'docker'
      return serversOf(ctx).map((s) => ({
        kind: 'remote',
        host: s.name ?? s.instanceId ?? s.publicIp ?? '{{server}}',
        command: `sudo -n -- ${render(dockerRun(bin, c, { name: c.name, envFile: c.env.length ? `${options.envDir ?? '/run/ferry'}/${c.name}.<random>.env` : undefined }))}`,
      }))
    },
  })
}
