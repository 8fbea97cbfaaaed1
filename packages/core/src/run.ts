// Runs a pipeline's steps in order, journaling each; resumes finished steps from the journal;
// on failure rolls back (undo in reverse) or keeps what was made, as the pipeline says.
import { randomBytes } from 'node:crypto'
import { FerryError, StepError, type RollbackReport } from './errors.js'
import { defaultJournalPath, Journal } from './journal.js'
import type { PipelineOptions, PipelineRunOptions } from './pipeline.js'
import type { AnyStep } from './step.js'
import { createRunShared, stepEnv, type RunShared } from './step-env.js'

/** What a step did in a run. */
export interface StepReport {
  name: string
  status: 'done' | 'skipped' | 'failed'
  durationMs: number
}

/** The result of a successful run. */
export interface RunReport<TCtx> {
  runId: string
  context: TCtx
  steps: StepReport[]
  journalPath: string | undefined
}

/**
 * A new run id: sortable by time, unique enough to tag resources with.
 * @example
 * newRunId() // 'run-20261122031500-4f2a9c'
 */
export const newRunId = (): string =>
  `run-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`

/**
 * Runs steps (see `Pipeline.run`). Throws a StepError carrying `rollback` when a step fails.
 * @example
 * const report = await runSteps(steps, { journal: '.ferry/runs/r1.json' }, { runId: 'r1' })
 */
export async function runSteps<TCtx>(
  steps: readonly AnyStep[],
  options: PipelineOptions,
  run: PipelineRunOptions,
): Promise<RunReport<TCtx>> {
  const runId = run.runId ?? options.runId ?? newRunId()
  const path =
    options.journal === false ? undefined : (options.journal ?? defaultJournalPath(runId))
  const journal = await Journal.open(path, runId)
  const shared = createRunShared({
    runId,
    options,
    steps,
    journal,
    signal: run.signal,
    onEvent: run.onEvent,
  })
  let ctx: Record<string, unknown> = {}
  const reports: StepReport[] = []
  try {
    for (const step of steps) {
      const entry = journal.step(step.name)
      if (entry?.status === 'done' && entry.output) {
        ctx = { ...ctx, ...entry.output }
        reports.push({ name: step.name, status: 'skipped', durationMs: 0 })
        shared.onEvent({ type: 'step:done', step: step.name, durationMs: 0, skipped: true })
        continue
      }
      ctx = await runOne(step, ctx, { shared, reports })
    }
    await journal.setStatus('done')
    return { runId, context: ctx as TCtx, steps: reports, journalPath: path }
  } finally {
    await shared.hosts.closeAll()
  }
}

async function runOne(
  step: AnyStep,
  ctx: Record<string, unknown>,
  { shared, reports }: { shared: RunShared; reports: StepReport[] },
): Promise<Record<string, unknown>> {
  const started = Date.now()
  shared.onEvent({ type: 'step:start', step: step.name, runId: shared.runId })
  await shared.journal.update(step.name, {
    status: 'running',
    startedAt: new Date(started).toISOString(),
  })
  try {
    if (shared.signal.aborted)
      throw new FerryError('ABORTED', 'The run was aborted before this step.', {
        cause: shared.signal.reason,
      })
    const adds = (await step.run(ctx, stepEnv(shared, step.name))) as Record<string, unknown>
    const durationMs = Date.now() - started
    await shared.journal.update(step.name, {
      status: 'done',
      finishedAt: new Date().toISOString(),
      output: adds,
    })
    reports.push({ name: step.name, status: 'done', durationMs })
    shared.onEvent({ type: 'step:done', step: step.name, durationMs })
    return { ...ctx, ...adds }
  } catch (cause) {
    const durationMs = Date.now() - started
    const error = new StepError({ step: step.name, runId: shared.runId, cause })
    reports.push({ name: step.name, status: 'failed', durationMs })
    await shared.journal.update(step.name, {
      status: 'failed',
      finishedAt: new Date().toISOString(),
      error: error.message,
    })
    shared.onEvent({ type: 'step:fail', step: step.name, error, durationMs })
    await shared.journal.setStatus('failed')
    if (shared.options.onFailure === 'rollback') {
      error.rollback = await rollback(shared)
      await shared.journal.setStatus('rolled-back')
    }
    throw error
  }
}

/** Undoes every finished step of the run in reverse order, continuing past failures. */
async function rollback(shared: RunShared): Promise<RollbackReport> {
  const report: RollbackReport = { undone: [], failed: [], notUndoable: [] }
  const finished = Object.entries(shared.journal.data.steps).filter(([, s]) => s.status === 'done')
  // Each undo sees the context as it was when its step finished: all earlier outputs plus its own.
  const contexts = new Map<string, Record<string, unknown>>()
  let acc: Record<string, unknown> = {}
  for (const [name, s] of finished) contexts.set(name, (acc = { ...acc, ...s.output }))
  for (const [name] of finished.reverse()) {
    const step = shared.steps.get(name)
    if (!step?.undo) {
      report.notUndoable.push(name)
      continue
    }
    try {
      const message =
        (await step.undo(contexts.get(name), stepEnv(shared, name))) ?? `undid ${name}`
      report.undone.push({ step: name, message })
      await shared.journal.update(name, { status: 'undone' })
      shared.onEvent({ type: 'step:undo', step: name, ok: true, message })
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error))
      report.failed.push({ step: name, error: e })
      shared.onEvent({ type: 'step:undo', step: name, ok: false, message: e.message })
    }
  }
  return report
}
