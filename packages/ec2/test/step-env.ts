// A StepEnv for driving steps in tests the way a pipeline would: core's own env, pointed at the
// lab's moto, hosts pooled through the lab's sshd, an in-memory journal.
import { createStepEnv, type FerryEvent, type StepEnv } from '@ferry/core'
import { labAws, labResolveHost } from './lab.js'

/** A StepEnv for one step of a run; `close()` closes its pooled SSH hosts. */
export function testStepEnv(o: { runId: string; step: string; events?: FerryEvent[] }): StepEnv & {
  close: () => Promise<void>
} {
  return createStepEnv({
    runId: o.runId,
    step: o.step,
    aws: labAws(),
    resolveHost: labResolveHost,
    onEvent: (e) => o.events?.push(e),
  })
}
