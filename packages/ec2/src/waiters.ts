// The SDK's own EC2 waiters, with ferry's errors and progress events around them.
import { aborted, FerryError, TimeoutError, toAwsError } from '@ferry/core'
import type { Ec2Context } from './sdk.js'

/** An instance state ferry waits for. */
export type InstanceWait = 'running' | 'status-ok' | 'stopped' | 'terminated'

/** How long a wait may take and how often it polls. */
export interface WaitTimes {
  /** Give up after this many milliseconds; default 10 minutes. */
  maxWaitTime?: number
  /** Shortest delay between polls, ms; default the SDK's (15 s for instances). */
  minDelay?: number
}

const WHAT: Record<InstanceWait, string> = {
  running: 'running',
  'status-ok': 'status checks ok',
  stopped: 'stopped',
  terminated: 'terminated',
}

/**
 * Waits with the SDK waiter until every instance reaches `state`.
 * @example
 * await waitForInstances(ctx, { state: 'running', instanceIds: ['i-0123456789abcdef0'], maxWaitTime: 300_000 })
 */
export async function waitForInstances(
  ctx: Ec2Context,
  o: WaitTimes & { state: InstanceWait; instanceIds: readonly string[] },
): Promise<void> {
  const { state, instanceIds, ...times } = o
  if (instanceIds.length === 0) return
  const what = `instances ${instanceIds.join(', ')} ${WHAT[state]}`
  const maxWaitTime = times.maxWaitTime ?? 600_000
  const started = ctx.clock.now()
  ctx.emit({ type: 'wait:progress', what, attempt: 1, elapsedMs: 0 })
  const waiter = {
    running: ctx.sdk.waitUntilInstanceRunning,
    'status-ok': ctx.sdk.waitUntilInstanceStatusOk,
    stopped: ctx.sdk.waitUntilInstanceStopped,
    terminated: ctx.sdk.waitUntilInstanceTerminated,
  }[state]
  const config = {
    client: ctx.ec2,
    maxWaitTime: Math.max(1, Math.ceil(maxWaitTime / 1000)),
    ...(times.minDelay ? { minDelay: Math.max(1, Math.round(times.minDelay / 1000)) } : {}),
    ...(ctx.signal ? { abortSignal: ctx.signal } : {}),
  }
  try {
    await waiter(config, { InstanceIds: [...instanceIds] })
  } catch (error) {
    throw waiterError(error, { what, waitedMs: ctx.clock.now() - started, ctx, state })
  }
  ctx.emit({
    type: 'wait:progress',
    what,
    attempt: 2,
    elapsedMs: ctx.clock.now() - started,
    state: WHAT[state],
    percent: 100,
  })
}

function waiterError(
  error: unknown,
  o: { what: string; waitedMs: number; ctx: Ec2Context; state: InstanceWait },
): FerryError {
  if (FerryError.is(error)) return error
  const name = (error as { name?: string } | null)?.name
  if (name === 'AbortError' || o.ctx.signal?.aborted)
    return aborted(o.ctx.signal ?? AbortSignal.abort())
  if (name === 'TimeoutError')
    return new TimeoutError({ what: o.what, waitedMs: o.waitedMs, cause: error })
  // The SDK waiter reports its outcome as JSON in the message: { state: 'FAILURE', reason }.
  if (waiterState(error) === 'FAILURE')
    return new FerryError(
      'PRECONDITION',
      `Gave up waiting for ${o.what}: an instance reached a state from which it cannot get there (for example terminated).`,
      { cause: error },
    )
  return toAwsError(error, { service: 'EC2', operation: `wait ${o.state}` })
}

function waiterState(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.message.startsWith('{')) return undefined
  try {
    return (JSON.parse(error.message) as { state?: string }).state
  } catch {
    return undefined
  }
}
