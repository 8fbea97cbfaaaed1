// Waits for an invalidation with the SDK's own waiter, adding what it lacks: a progress event per
// poll, ferry's TimeoutError / ABORTED errors, and milliseconds like every other ferry wait.
import type { CloudFrontClient, GetInvalidationCommand } from '@aws-sdk/client-cloudfront'
import {
  aborted,
  createEmitter,
  FerryError,
  TimeoutError,
  toAwsError,
  type EventSink,
} from '@ferry/core'
import { cloudFrontSdk } from './clients.js'

/** How often the waiter polls: the SDK's defaults are 20 s growing to 600 s. */
export interface PollDelays {
  minDelayMs?: number
  maxDelayMs?: number
}

/**
 * Resolves when the invalidation's status is Completed (`waitUntilInvalidationCompleted`),
 * emitting `wait:progress` after each poll; throws TimeoutError after `maxWaitTime` ms.
 * @example
 * await waitForInvalidation(cf, { distributionId, id, maxWaitTime: 600_000, onEvent })
 */
export async function waitForInvalidation(
  cf: CloudFrontClient,
  o: {
    distributionId: string
    id: string
    maxWaitTime: number
    poll?: PollDelays
    signal?: AbortSignal
    onEvent?: EventSink
  },
): Promise<void> {
  const { waitUntilInvalidationCompleted } = await cloudFrontSdk()
  const what = `CloudFront invalidation ${o.id} Completed`
  const emit = createEmitter(o.onEvent)
  const start = Date.now()
  let attempt = 0
  let lastState: string | undefined
  // The waiter only calls `send`; this client reports each answer before handing it back.
  const reporting = Object.create(cf, {
    send: {
      value: async (command: GetInvalidationCommand) => {
        attempt++
        const report = (state: string | undefined) =>
          emit({ type: 'wait:progress', what, attempt, elapsedMs: Date.now() - start, state })
        try {
          const out = await cf.send(command)
          report((lastState = out.Invalidation?.Status))
          return out
        } catch (error) {
          // The waiter retries on errors; say what happened instead of staying silent.
          report(`error ${(error as { name?: string }).name ?? 'unknown'}`)
          throw error
        }
      },
    },
  }) as CloudFrontClient
  const minDelay = (o.poll?.minDelayMs ?? 20_000) / 1000
  const maxDelay = Math.max(minDelay, (o.poll?.maxDelayMs ?? 120_000) / 1000)
  const maxWaitTime = Math.max(o.maxWaitTime / 1000, minDelay + 0.001)
  try {
    await waitUntilInvalidationCompleted(
      {
        client: reporting,
        maxWaitTime,
        minDelay,
        maxDelay,
        ...(o.signal ? { abortSignal: o.signal } : {}),
      },
      { DistributionId: o.distributionId, Id: o.id },
    )
  } catch (error) {
    const name = (error as { name?: string }).name
    if (name === 'AbortError' && o.signal) throw aborted(o.signal)
    if (name === 'TimeoutError')
      throw new TimeoutError({ what, waitedMs: Date.now() - start, lastState, cause: error })
    if (FerryError.is(error)) throw error
    throw toAwsError(error, { service: 'CloudFront', operation: 'GetInvalidation' })
  }
}
