// Builds the StepEnv each step runs with: shared clients and hosts, tokens, journal records.
import { createEmitter, type EventSink } from './events.js'
import type { Journal } from './journal.js'
import type { PipelineOptions } from './pipeline.js'
import { HostPool } from './server.js'
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
    host: (server) => shared.hosts.get(server),
    client<T>(key: string, make: () => T): T {
      if (!shared.clients.has(key)) shared.clients.set(key, make())
      return shared.clients.get(key) as T
    },
    token: (purpose) => idempotencyToken(shared.runId, step, purpose),
    record: (key, value) => shared.journal.update(step, { records: { [key]: value } }),
    recorded: (key) => shared.journal.step(step)?.records[key],
  }
}
