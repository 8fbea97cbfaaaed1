// The contract between the pipeline and a module: a step declares what it needs from the
// context and what it adds; the pipeline hands it a StepEnv with everything else.
import { createHash } from 'node:crypto'
import type { AwsOptions } from './aws.js'
import type { EventSink } from './events.js'
import type { Host, SshTarget } from './host.js'
import type { ServerRef } from './server.js'
import type { Clock } from './wait.js'

/** What a running step gets besides its context. */
export interface StepEnv {
  readonly runId: string
  /** The step's name (unique within a pipeline). */
  readonly step: string
  readonly aws: AwsOptions
  /** Emits events tagged with this step. */
  readonly onEvent: EventSink
  readonly signal: AbortSignal
  readonly clock: Clock
  /** The pooled SSH host of a server (the run's `resolveHost` hook applies). */
  host(server: ServerRef): Promise<Host>
  /** Where the run dials a server: its `resolveHost` mapping (the lab's sshd), else the server's address. */
  target(server: ServerRef): Promise<SshTarget>
  /** One client per key for the whole run, e.g. `env.client('ec2:us-east-1', () => new EC2Client(...))`. */
  client<T>(key: string, make: () => T): T
  /** A stable idempotency token for this run and step: the same on every re-run of the run id. */
  token(purpose?: string): string
  /** Records a value in the journal as soon as it exists (e.g. an id), so a crashed step can adopt it. */
  record(key: string, value: string): Promise<void>
  /** A value this step recorded in an earlier, interrupted attempt of the same run. */
  recorded(key: string): string | undefined
}

/** One entry of a plan: an AWS call, a remote command, or a note. Placeholders look like `{{server.publicIp}}`. */
export type PlanEntry =
  | { kind: 'aws'; service: string; operation: string; input: unknown }
  | { kind: 'remote'; host: string; command: string }
  | { kind: 'note'; text: string }

/** What `plan` gets: the run's settings, with no clients and no hosts. */
export interface PlanEnv {
  readonly runId: string
  readonly step: string
  readonly aws: AwsOptions
  token(purpose?: string): string
}

/**
 * A pipeline step: `run` adds `TAdds` to a context that has at least `TNeeds`.
 * `undo` reverses it for rollback; `plan` lists its calls without making them;
 * `preflight` checks permissions (EC2 `DryRun`) before anything is created.
 */
export interface Step<TNeeds extends object, TAdds extends object> {
  readonly name: string
  run(ctx: TNeeds, env: StepEnv): Promise<TAdds>
  undo?(ctx: TNeeds & TAdds, env: StepEnv): Promise<string | void>
  plan?(ctx: TNeeds, env: PlanEnv): PlanEntry[]
  preflight?(ctx: TNeeds, env: StepEnv): Promise<void>
}

/** Any step, whatever it needs and adds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStep = Step<any, any>

/**
 * Defines a step with its types inferred from `run`.
 * @example
 * const hello = defineStep({ name: 'hello', run: async (ctx: { server: ServerRef }) => ({ greeted: true }) })
 */
export function defineStep<TNeeds extends object, TAdds extends object>(
  step: Step<TNeeds, TAdds>,
): Step<TNeeds, TAdds> {
  return step
}

/**
 * A deterministic idempotency token (≤ 64 characters, as EC2 ClientToken allows).
 * @example
 * idempotencyToken('run-1', 'launch', 'instances') // same value on every call
 */
export function idempotencyToken(runId: string, step: string, purpose = ''): string {
  return `ferry-${createHash('sha256').update(`${runId}\0${step}\0${purpose}`).digest('hex').slice(0, 40)}`
}
