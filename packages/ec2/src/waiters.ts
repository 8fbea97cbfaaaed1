// ferry's own instance waits, not the SDK's waiters: those poll every 15 s at best, retry every
// error (AccessDenied, expired credentials) until maxWaitTime and then report a timeout with no
// cause, and the terminated waiter gives up on a `pending` instance, so an early cleanup
// leaked. Here a poll reads DescribeInstances (or DescribeInstanceStatus), a NotFound for an id
// just made is "not visible yet" (eventual consistency), a state the target cannot be reached
// from fails at once with its reason, and any non-retryable error surfaces at once.
import type { Instance } from '@aws-sdk/client-ec2'
import { FerryError, isAwsCode, waitFor, type PollResult } from '@ferry/core'
import { ec2Call, type Ec2Context } from './sdk.js'
import { describeAllInstances } from './tagged.js'

/** An instance state ferry waits for. */
export type InstanceWait = 'running' | 'status-ok' | 'stopped' | 'terminated'

/** How long a wait may take and how often it polls. */
export interface WaitTimes {
  /** Give up after this many milliseconds; default 10 minutes. */
  maxWaitTime?: number
  /** Shortest delay between polls, ms; default 1 s (growing 1.5× to 5 s). */
  minDelay?: number
}

const WHAT: Record<InstanceWait, string> = {
  running: 'running',
  'status-ok': 'status checks ok',
  stopped: 'stopped',
  terminated: 'terminated',
}

// From each state, whether the target is reached, still to come, or out of reach.
const OUTLOOK: Record<
  Exclude<InstanceWait, 'status-ok'>,
  Record<string, 'done' | 'wait' | 'never'>
> = {
  running: {
    running: 'done',
    pending: 'wait',
    'shutting-down': 'never',
    terminated: 'never',
    stopping: 'never',
    stopped: 'never',
  },
  stopped: {
    stopped: 'done',
    stopping: 'wait',
    running: 'wait',
    pending: 'wait',
    'shutting-down': 'never',
    terminated: 'never',
  },
  terminated: {
    terminated: 'done',
    'shutting-down': 'wait',
    pending: 'wait',
    running: 'wait',
    stopping: 'wait',
    stopped: 'wait',
  },
}

/**
 * Polls until every instance reaches `state`; resolves with the instances as last described
 * (empty for status-ok).
 * @example
 * const [instance] = await waitForInstances(ctx, { state: 'running', instanceIds: ['i-0123456789abcdef0'], maxWaitTime: 300_000 })
 */
export async function waitForInstances(
  ctx: Ec2Context,
  o: WaitTimes & { state: InstanceWait; instanceIds: readonly string[] },
): Promise<Instance[]> {
  const { state, instanceIds } = o
  if (instanceIds.length === 0) return []
  const what = `instances ${instanceIds.join(', ')} ${WHAT[state]}`
  const minDelayMs = o.minDelay ?? 1000
  let notFound = 0
  const result = await waitFor(
    async (): Promise<PollResult<Instance[]>> => {
      try {
        const polled =
          state === 'status-ok'
            ? await statusOk(ctx, instanceIds)
            : await states(ctx, state, instanceIds)
        notFound = 0
        return polled
      } catch (error) {
        // Just made (not visible yet) or, when terminating, already gone from the list.
        if (!isAwsCode(error, 'InvalidInstanceID.NotFound')) throw error
        if (state === 'terminated' && ++notFound >= 5) return { done: true, value: [] }
        return { done: false, state: 'not visible yet' }
      }
    },
    {
      what,
      maxWaitTime: o.maxWaitTime ?? 600_000,
      backoff: { minDelayMs, maxDelayMs: Math.max(minDelayMs, 5000), factor: 1.5 },
      signal: ctx.signal,
      onEvent: ctx.emit,
      clock: ctx.clock,
    },
  )
  return result
}

async function states(
  ctx: Ec2Context,
  target: Exclude<InstanceWait, 'status-ok'>,
  ids: readonly string[],
): Promise<PollResult<Instance[]>> {
  const instances = await describeAllInstances(ctx, [], ids)
  const outlooks = instances.map((i) => ({
    i,
    outlook: OUTLOOK[target][i.State?.Name ?? ''] ?? 'wait',
  }))
  const lost = outlooks.find((x) => x.outlook === 'never')
  if (lost)
    throw new FerryError(
      'PRECONDITION',
      `Instance ${lost.i.InstanceId} is ${lost.i.State?.Name}${lost.i.StateReason?.Message ? ` (${lost.i.StateReason.Message})` : ''}: it cannot become ${WHAT[target]}.`,
    )
  const waiting = outlooks.filter((x) => x.outlook === 'wait')
  if (instances.length === ids.length && waiting.length === 0)
    return { done: true, value: instances }
  return {
    done: false,
    state:
      waiting.map((x) => `${x.i.InstanceId} ${x.i.State?.Name}`).join(', ') ||
      'not all visible yet',
    percent: Math.round((100 * (instances.length - waiting.length)) / ids.length),
  }
}

async function statusOk(ctx: Ec2Context, ids: readonly string[]): Promise<PollResult<Instance[]>> {
  const out = await ec2Call(ctx, 'DescribeInstanceStatus', (s, ec2) =>
    ec2.send(
      new s.DescribeInstanceStatusCommand({ InstanceIds: [...ids], IncludeAllInstances: true }),
    ),
  )
  const statuses = out.InstanceStatuses ?? []
  const ok = statuses.filter(
    (s) => s.InstanceStatus?.Status === 'ok' && s.SystemStatus?.Status === 'ok',
  )
  const gone = statuses.find((s) =>
    ['shutting-down', 'terminated', 'stopping', 'stopped'].includes(s.InstanceState?.Name ?? ''),
  )
  if (gone)
    throw new FerryError(
      'PRECONDITION',
      `Instance ${gone.InstanceId} is ${gone.InstanceState?.Name}: its status checks will never pass.`,
    )
  if (ok.length === ids.length) return { done: true, value: [] }
  return {
    done: false,
    state:
      statuses
        .filter((s) => !ok.includes(s))
        .map((s) => `${s.InstanceId} ${s.InstanceStatus?.Status ?? 'initializing'}`)
        .join(', ') || 'not visible yet',
    percent: Math.round((100 * ok.length) / ids.length),
  }
}
