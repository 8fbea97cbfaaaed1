// A StepEnv for driving steps in tests, until core's pipeline runner provides one: a journal in
// memory, shared clients, stable tokens, collected events.
import {
  idempotencyToken,
  systemClock,
  type AwsOptions,
  type FerryEvent,
  type StepEnv,
} from '@ferry/core'

export interface TestEnv extends StepEnv {
  events: FerryEvent[]
  journal: Map<string, string>
}

export function testEnv(o: { runId: string; step: string; aws?: AwsOptions }): TestEnv {
  const clients = new Map<string, unknown>()
  const journal = new Map<string, string>()
  const events: FerryEvent[] = []
  return {
    runId: o.runId,
    step: o.step,
    aws: o.aws ?? {},
    events,
    journal,
    onEvent: (e) => events.push('step' in e && e.step ? e : { ...e, step: o.step }),
    signal: new AbortController().signal,
    clock: systemClock,
    host: () => Promise.reject(new Error('no hosts in edge tests')),
    client<T>(key: string, make: () => T): T {
      if (!clients.has(key)) clients.set(key, make())
      return clients.get(key) as T
    },
    token: (purpose) => idempotencyToken(o.runId, o.step, purpose),
    record: async (key, value) => void journal.set(key, value),
    recorded: (key) => journal.get(key),
  }
}
