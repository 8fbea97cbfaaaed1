// The typed, immutable pipeline builder: each `use` returns a new pipeline whose context type
// has grown by what the step adds; a step whose needs are not met does not compile.
import type { AwsOptions } from './aws.js'
import type { EventSink } from './events.js'
import { planSteps, preflightSteps, type PreflightReport, type StepPlan } from './plan.js'
import { runSteps, type RunReport } from './run.js'
import type { ResolveHost } from './server.js'
import { defineStep, type AnyStep, type Step, type StepEnv } from './step.js'
import type { Clock } from './wait.js'

/** Flattens an intersection for readable hover types. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** The context after a step: what it adds replaces keys of the same name. */
export type Merge<TCtx, TAdds> = Simplify<Omit<TCtx, keyof TAdds> & TAdds>

/** Compiles only when `TCtx` has what a step needs; otherwise names what is missing. */
export type NeedsMet<TCtx, TNeeds> = TCtx extends TNeeds
  ? unknown
  : {
      'ferry: an earlier step must add this context first': {
        missing: Exclude<keyof TNeeds, keyof TCtx>
        needs: TNeeds
      }
    }

/** The context before any step. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type EmptyContext = {}

/** Settings of a pipeline. */
export interface PipelineOptions {
  /** The run id: tags every resource, keys the journal. Default: a new id per `run()`. */
  runId?: string
  aws?: AwsOptions
  /** Journal file; default `.ferry/runs/<runId>.json`; `false` keeps it in memory only. */
  journal?: string | false
  /** What to do when a step fails: undo finished steps in reverse (`rollback`) or leave them (`keep`, default). */
  onFailure?: 'rollback' | 'keep'
  /** Maps a server to the SSH target to dial (the lab maps moto instances to its sshd). */
  resolveHost?: ResolveHost
  clock?: Clock
}

/** Per-call settings of `run()`. */
export interface PipelineRunOptions {
  onEvent?: EventSink
  signal?: AbortSignal
  /** Overrides the pipeline's run id (to resume a run). */
  runId?: string
}

/**
 * Starts a pipeline.
 * @example
 * const result = await pipeline({ aws: { region: 'ap-south-1' }, onFailure: 'rollback' })
 *   .use(launchWebServerStep({ instanceType: 't3.micro' }))
 *   .use(openPortsStep({}))
 *   .step('hello', async (ctx, env) => ({ greeting: `hi ${ctx.server.publicIp}` }))
 *   .run({ onEvent: createReporter() })
 */
export function pipeline(options: PipelineOptions = {}): Pipeline<EmptyContext> {
  return new Pipeline<EmptyContext>(options, [])
}

/**
 * An immutable pipeline whose context type is `TCtx`.
 * @example
 * const p: Pipeline<{ server: ServerRef }> = pipeline().step('launch', () => ({ server }))
 */
export class Pipeline<TCtx extends object> {
  constructor(
    readonly options: PipelineOptions,
    readonly steps: readonly AnyStep[],
  ) {}

  /** Adds a step; a compile error names the context it needs when an earlier step does not add it. */
  use<TNeeds extends object, TAdds extends object>(
    step: Step<TNeeds, TAdds> & NeedsMet<TCtx, TNeeds>,
  ): Pipeline<Merge<TCtx, TAdds>> {
    return new Pipeline<Merge<TCtx, TAdds>>(this.options, [
      ...this.steps,
      uniqueName(step as AnyStep, this.steps),
    ])
  }

  /** Adds a custom step from a function of the context so far. */
  step<TAdds extends object>(
    name: string,
    run: (ctx: TCtx, env: StepEnv) => Promise<TAdds> | TAdds,
    extra: { undo?: (ctx: TCtx & TAdds, env: StepEnv) => Promise<string | void> } = {},
  ): Pipeline<Merge<TCtx, TAdds>> {
    const step = defineStep<TCtx, TAdds>({ name, run: async (ctx, env) => run(ctx, env), ...extra })
    return new Pipeline<Merge<TCtx, TAdds>>(this.options, [
      ...this.steps,
      uniqueName(step, this.steps),
    ])
  }

  /** A copy with other options (e.g. a fixed run id for resuming). */
  with(options: Partial<PipelineOptions>): Pipeline<TCtx> {
    return new Pipeline<TCtx>({ ...this.options, ...options }, this.steps)
  }

  /** Every step's AWS calls and remote commands, made by none of them. */
  plan(): StepPlan[] {
    return planSteps(this.steps, this.options)
  }

  /** Sends each step's EC2 calls with `DryRun=true`, reporting missing permissions before anything is created. */
  preflight(options: Omit<PipelineRunOptions, 'runId'> = {}): Promise<PreflightReport> {
    return preflightSteps(this.steps, this.options, options)
  }

  /** Runs the steps; resumes a run whose journal shows finished steps. */
  run(options: PipelineRunOptions = {}): Promise<RunReport<TCtx>> {
    return runSteps<TCtx>(this.steps, this.options, options)
  }
}

// Step names key the journal and idempotency tokens, so they must be unique and stable.
function uniqueName(step: AnyStep, before: readonly AnyStep[]): AnyStep {
  const taken = new Set(before.map((s) => s.name))
  if (!taken.has(step.name)) return step
  let n = 2
  while (taken.has(`${step.name}#${n}`)) n++
  return {
    ...step,
    name: `${step.name}#${n}`,
    run: step.run.bind(step),
    undo: step.undo?.bind(step),
    plan: step.plan?.bind(step),
    preflight: step.preflight?.bind(step),
  }
}
