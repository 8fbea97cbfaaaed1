// A StepEnv for driving steps in tests the way a pipeline would: the lab's moto, hosts pooled
// through the lab's sshd, an in-memory journal.
import {
  createEmitter,
  HostPool,
  idempotencyToken,
  systemClock,
  type FerryEvent,
  type StepEnv,
} from '@ferry/core'
import { labAws, labResolveHost } from './lab.js'

/** A StepEnv for one step of a run; `close()` closes its pooled SSH hosts. */
export function testStepEnv(o: { runId: string; step: string; events?: FerryEvent[] }): StepEnv & {
  close: () => Promise<void>
} {
  const pool = new HostPool({ resolveHost: labResolveHost })
  const clients = new Map<string, unknown>()
  const journal = new Map<string, string>()
  return {
    runId: o.runId,
    step: o.step,
    aws: labAws(),
    onEvent: createEmitter((e) => o.events?.push(e), { step: o.step }),
    signal: new AbortController().signal,
    clock: systemClock,
    host: (server) => pool.get(server),
    client: <T>(key: string, make: () => T): T => {
      if (!clients.has(key)) clients.set(key, make())
      return clients.get(key) as T
    },
    token: (purpose = '') => idempotencyToken(o.runId, o.step, purpose),
    record: (key, value) => Promise.resolve(void journal.set(key, value)),
    recorded: (key) => journal.get(key),
    close: () => pool.closeAll(),
  }
}
