// plan(): what each step would do, made by none of them; preflight(): EC2 DryRun checks.
import type { EventSink } from './events.js'
import { Journal } from './journal.js'
import type { PipelineOptions } from './pipeline.js'
import { placeholderContext } from './placeholder.js'
import { newRunId } from './run.js'
import { idempotencyToken, type AnyStep, type PlanEntry } from './step.js'
import { createRunShared, stepEnv } from './step-env.js'

/** One step's plan. */
export interface StepPlan {
  step: string
  entries: PlanEntry[]
}

/** Each step's AWS calls and remote commands with placeholders for values of earlier steps. */
export function planSteps(steps: readonly AnyStep[], options: PipelineOptions): StepPlan[] {
  const runId = options.runId ?? '{{runId}}'
  const ctx: unknown = placeholderContext()
  return steps.map((step) => ({
    step: step.name,
    entries: step.plan?.(ctx, {
      runId,
      step: step.name,
      aws: options.aws ?? {},
      token: (p) => idempotencyToken(runId, step.name, p),
    }) ?? [{ kind: 'note', text: 'custom step: runs your function; no plan available' }],
  }))
}

/** The result of a preflight: which steps may run and which lack permissions. */
export interface PreflightReport {
  ok: boolean
  steps: { step: string; ok: boolean; checked: boolean; error?: Error }[]
}

/** Runs every step's `preflight` (EC2 `DryRun=true` calls); nothing is created. */
export async function preflightSteps(
  steps: readonly AnyStep[],
  options: PipelineOptions,
  run: { onEvent?: EventSink; signal?: AbortSignal },
): Promise<PreflightReport> {
  const journal = await Journal.open(undefined, options.runId ?? newRunId())
  const shared = createRunShared({ runId: journal.data.runId, options, steps, journal, ...run })
  const ctx: unknown = placeholderContext()
  const results: PreflightReport['steps'] = []
  for (const step of steps) {
    if (!step.preflight) {
      results.push({ step: step.name, ok: true, checked: false })
      continue
    }
    try {
      await step.preflight(ctx, stepEnv(shared, step.name))
      results.push({ step: step.name, ok: true, checked: true })
    } catch (error) {
      results.push({
        step: step.name,
        ok: false,
        checked: true,
        error: error instanceof Error ? error : new Error(String(error)),
      })
    }
  }
  await shared.hosts.closeAll()
  return { ok: results.every((r) => r.ok), steps: results }
}
