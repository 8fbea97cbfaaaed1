// A StepEnv for driving steps in tests: core's own env (in-memory journal, shared clients,
// stable tokens) with every event collected and the step's journal records exposed.
import { createStepEnv, type AwsOptions, type FerryEvent, type StepEnv } from '@ferry/core'

export interface TestEnv extends StepEnv {
  events: FerryEvent[]
  /** This step's journal records. */
  journal: { get: (key: string) => string | undefined; values: () => string[] }
}

export function testEnv(o: { runId: string; step: string; aws?: AwsOptions }): TestEnv {
  const events: FerryEvent[] = []
  const env = createStepEnv({
    runId: o.runId,
    step: o.step,
    aws: o.aws,
    onEvent: (e) => events.push(e),
  })
  const records = () => env.journal.step(o.step)?.records ?? {}
  return {
    ...env,
    events,
    journal: { get: (key) => records()[key], values: () => Object.values(records()) },
  }
}
