// Runs one piece of host work on every server of a fleet with bounded concurrency.
import { FerryError, FleetError } from './errors.js'
import type { Host } from './host.js'
import { serverLabel, type ServerRef } from './server.js'

/**
 * Runs `fn` on each server, at most `concurrency` at a time. When some fail, throws a
 * FleetError naming each failing host and keeping the results of the others.
 * @example
 * const ids = await onEachServer(ctx.servers, (server, host) => startContainer(host, spec), { host: env.host, what: 'runContainer' })
 */
export async function onEachServer<T>(
  servers: readonly ServerRef[],
  fn: (server: ServerRef, host: Host) => Promise<T>,
  options: { host: (server: ServerRef) => Promise<Host>; concurrency?: number; what?: string },
): Promise<T[]> {
  const limit = Math.max(1, options.concurrency ?? 8)
  const settled: ({ ok: true; value: T } | { ok: false; error: Error })[] = []
  let next = 0
  const worker = async () => {
    while (next < servers.length) {
      const i = next++
      const server = servers[i]!
      try {
        settled[i] = { ok: true, value: await fn(server, await options.host(server)) }
      } catch (error) {
        settled[i] = {
          ok: false,
          error: error instanceof Error ? error : new FerryError('STEP', String(error)),
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, servers.length) }, worker))
  const label = (i: number) => serverLabel(servers[i]!, `server ${i}`)
  const failures = settled.flatMap((s, i) => (s.ok ? [] : [{ host: label(i), error: s.error }]))
  if (failures.length === 0) return settled.map((s) => (s as { value: T }).value)
  if (servers.length === 1) throw failures[0]!.error
  const results = settled.flatMap((s, i) => (s.ok ? [{ host: label(i), value: s.value }] : []))
  throw new FleetError({ what: options.what ?? 'A step', failures, results })
}

/** The servers a context holds: `servers` when present, else `[server]`. @example serversOf(ctx).map((s) => s.instanceId) */
export function serversOf(ctx: {
  server?: ServerRef
  servers?: readonly ServerRef[]
}): readonly ServerRef[] {
  // A plan's placeholder context is not an array: plan for the one `server` then.
  const servers: unknown = ctx.servers
  if (ctx.servers && Array.isArray(servers) && ctx.servers.length) return ctx.servers
  if (ctx.server) return [ctx.server]
  throw new FerryError(
    'PRECONDITION',
    'This step needs a server in the context: add launchWebServer (or a custom step that adds `server`) before it.',
  )
}
