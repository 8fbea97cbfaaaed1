// Builds the StepEnv each step runs with: shared clients and hosts, tokens, journal records.
import { createEmitter, type EventSink } from './events.js'
import { Journal } from './journal.js'
import type { AwsOptions } from './aws.js'
import type { ResolveHost } from './server.js'
import type { Clock } from './wait.js'
import type { PipelineOptions } from './pipeline.js'
import { HostPool, sshTargetOf, withEvents } from './server.js'
import { idempotencyToken, type AnyStep, type StepEnv } from './step.js'
import { systemClock } from './wait.js'

/** What every step of one run shares. */
export interface RunShared {
  runId: string
  options: PipelineOptions
  journal: Journal
  hosts: HostPool
  clients: Map<string, unknown>
  steps: Map<string, AnyStep>
  signal: AbortSignal
  onEvent: EventSink
}

/** Creates the shared state of a run. */
export function createRunShared(o: {
  runId: string
  options: PipelineOptions
  steps: readonly AnyStep[]
  journal: Journal
  signal?: AbortSignal
  onEvent?: EventSink
}): RunShared {
  const onEvent = createEmitter(o.onEvent)
  return {
    runId: o.runId,
    options: o.options,
    journal: o.journal,
    hosts: new HostPool({ resolveHost: o.options.resolveHost, onEvent }),
    clients: new Map(),
    steps: new Map(o.steps.map((s) => [s.name, s])),
    signal: o.signal ?? new AbortController().signal,
    onEvent,
  }
}

/** The env of one step in a run. */
export function stepEnv(shared: RunShared, step: string): StepEnv {
  const onEvent = createEmitter(shared.onEvent, { step })
  return {
    runId: shared.runId,
    step,
    aws: shared.options.aws ?? {},
    onEvent,
    signal: shared.signal,
    clock: shared.options.clock ?? systemClock,
    host: async (server) => withEvents(await shared.hosts.get(server), onEvent),
    target: async (server) => (shared.options.resolveHost ?? sshTargetOf)(server),
    client<T>(key: string, make: () => T): T {
      if (!shared.clients.has(key)) shared.clients.set(key, make())
      return shared.clients.get(key) as T
    },
    token: (purpose) => idempotencyToken(shared.runId, step, purpose),
    record: (key, value) => shared.journal.update(step, { records: { [key]: value } }),
    recorded: (key) => shared.journal.step(step)?.records[key],
  }
}

/**
 * A StepEnv outside a pipeline run, to drive one step by hand (tests, tools): the same clients,
 * host pool, tokens and journal records a run gives. `close()` closes its SSH hosts.
 * @example
 * const env = createStepEnv({ runId: 'r1', step: 'openPorts', aws, resolveHost: () => sshTarget })
 * const out = await openPortsStep({}).run(ctx, env)
 * await env.close()
 */
export function createStepEnv(o: {
  runId: string
  step: string
  aws?: AwsOptions
  resolveHost?: ResolveHost
  onEvent?: EventSink
  signal?: AbortSignal
  clock?: Clock
  /** Share one journal between several envs of the same run; default a new in-memory one. */
  journal?: Journal
}): StepEnv & { journal: Journal; close: () => Promise<void> } {
  const journal = o.journal ?? Journal.memory(o.runId)
  const options = { aws: o.aws, resolveHost: o.resolveHost, clock: o.clock }
  const shared = createRunShared({
    runId: o.runId,
    options,
    steps: [],
    journal,
    signal: o.signal,
    onEvent: o.onEvent,
  })
  return { ...stepEnv(shared, o.step), journal, close: () => shared.hosts.closeAll() }
}
