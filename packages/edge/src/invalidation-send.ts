// Sends one CreateInvalidation. CloudFront allows 3,000 paths (15 of them wildcards) in progress
// per distribution, so a later batch of a large request may be refused until earlier ones finish:
// then it waits for this call's own pending batches and sends once more.
import type { CloudFrontClient, CreateInvalidationCommandInput } from '@aws-sdk/client-cloudfront'
import { AwsError, callAws, createEmitter, type EventSink } from '@ferry/core'
import { cloudFrontSdk } from './clients.js'

/** An invalidation this call made or found, and its last known status. */
export interface SentInvalidation {
  id: string
  status: string
}

/**
 * Creates one invalidation; on TooManyInvalidationsInProgress, waits for `earlier` (this call's
 * own batches that are not Completed) and retries once. Without earlier batches the error is
 * passed on: the limit is taken by someone else's invalidations.
 * @example
 * const sent = await sendInvalidation(cf, { request, label: 'batch 2/3', earlier, waitFor, onEvent })
 */
export async function sendInvalidation(
  cf: CloudFrontClient,
  o: {
    request: CreateInvalidationCommandInput
    label: string
    earlier: SentInvalidation[]
    waitFor: (id: string) => Promise<void>
    onEvent?: EventSink
    signal?: AbortSignal
  },
): Promise<SentInvalidation> {
  const { CreateInvalidationCommand } = await cloudFrontSdk()
  const send = () =>
    callAws({ service: 'CloudFront', operation: 'CreateInvalidation', onEvent: o.onEvent }, () =>
      cf.send(new CreateInvalidationCommand(o.request), { abortSignal: o.signal }),
    )
  const out = await send().catch(async (error: unknown) => {
    const pending = o.earlier.filter((b) => !isCompleted(b.status))
    const limited = AwsError.is(error) && error.awsCode === 'TooManyInvalidationsInProgress'
    if (!limited || pending.length === 0) throw error
    createEmitter(o.onEvent)({
      type: 'info',
      message: `CloudFront's in-progress limit reached: waiting for ${pending.map((b) => b.id).join(', ')} before ${o.label}.`,
    })
    for (const b of pending) {
      await o.waitFor(b.id)
      b.status = 'Completed'
    }
    return send()
  })
  return { id: out.Invalidation?.Id ?? '', status: out.Invalidation?.Status ?? '' }
}

/**
 * True for a finished invalidation: CloudFront says `Completed`, moto says `COMPLETED`.
 * @example
 * isCompleted('Completed') // true
 */
export function isCompleted(status: string): boolean {
  return status.toLowerCase() === 'completed'
}
