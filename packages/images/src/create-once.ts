// Create calls that have no client token: one request per attempt, and an attempt that may have
// worked is looked for before another is sent, so a lost response never makes a second resource.
import { createEmitter, FerryError, isAwsCode, retry, type RetryPolicy } from '@ferry/core'
import { ec2CallFresh } from './ec2-call.js'
import type { ImagesOptions } from './options.js'

/**
 * How often ferry sends a create again after a retryable failure (the SDK's own retry is off
 * for these calls): 5 attempts, 0.5 s doubling to 20 s, with jitter.
 * @example
 * await createOnce({ operation: 'CreateSnapshot', send, find }, { ...options })
 */
export const CREATE_RETRY: RetryPolicy = {
  attempts: 5,
  minDelayMs: 500,
  maxDelayMs: 20_000,
  factor: 2,
  jitter: true,
}

/**
 * Sends a create that has no client token (CreateSnapshot, CopySnapshot, CreateImage,
 * RegisterImage) once per attempt. After a failure whose outcome is unknown (HTTP 5xx, a cut
 * connection: AWS may have done it), `find` looks for what that attempt made (by the run's
 * tags, or an AMI's unique name) and adopts it; only if nothing is found is it sent again. Without `find` (no run id to look by) only a throttled request,
 * which AWS refused before doing anything, is sent again
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html lists the calls that
 * take a token; https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).
 * @example
 * const id = await createOnce({ operation: 'CreateSnapshot', notFound: [NOT_FOUND.volume], send, find }, options)
 */
export async function createOnce<T>(
  o: {
    operation: string
    /** NotFound codes of the ids the call names, retried as eventual consistency. */
    notFound?: string[]
    send: (abortSignal: AbortSignal | undefined) => Promise<T>
    find?: () => Promise<T | undefined>
  },
  options: ImagesOptions,
): Promise<T> {
  let unsure = false
  const again = (error: unknown) =>
    FerryError.is(error) &&
    error.retryable &&
    (o.find !== undefined || isAwsCode(error, 'RequestLimitExceeded'))
  return retry(
    async () => {
      const found = unsure ? await o.find?.() : undefined
      if (found !== undefined) {
        createEmitter(options.onEvent)({
          type: 'info',
          message: `${o.operation}: the attempt whose answer was lost had made it; adopting that`,
        })
        return found
      }
      try {
        return await ec2CallFresh(
          { operation: o.operation, notFound: o.notFound ?? [] },
          options,
          o.send,
        )
      } catch (error) {
        unsure ||= !isAwsCode(error, 'RequestLimitExceeded')
        throw error
      }
    },
    { ...CREATE_RETRY, retryable: again },
    { signal: options.signal, clock: options.clock },
  )
}

// The part of an SDK command's middleware stack used here; each command types it by its own
// input and output, so it is named structurally rather than per command.
interface RetryStack {
  add(
    middleware: (next: unknown) => unknown,
    options: { name: string; step: string; priority: string; tags: string[]; override: boolean },
  ): void
}

/**
 * The command with the client's retry middleware replaced by a pass-through, for this command
 * only: the SDK would otherwise send a create again after a lost response and make a second
 * resource. `createOnce` retries it instead, adopting what the first attempt made.
 * @example
 * await ec2.send(singleAttempt(new CreateSnapshotCommand(input)))
 */
export function singleAttempt<T extends { middlewareStack: object }>(command: T): T {
  // Same name, step and priority as the SDK's retryMiddleware, so `override` replaces it.
  ;(command.middlewareStack as RetryStack).add((next) => next, {
    name: 'retryMiddleware',
    step: 'finalizeRequest',
    priority: 'high',
    tags: ['RETRY'],
    override: true,
  })
  return command
}
