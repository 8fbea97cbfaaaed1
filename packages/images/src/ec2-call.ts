// Thin wrappers over `client.send`: every call is evented, abortable and mapped to AwsError.
import { callAws, dryRun as coreDryRun, retryFresh } from '@ferry/core'
import type { ImagesOptions } from './options.js'

/**
 * Runs one EC2 call through core's `callAws` (event + error mapping).
 * @example
 * const out = await ec2Call('CreateSnapshot', o, (abortSignal) => ec2.send(new CreateSnapshotCommand(input), { abortSignal }))
 */
export function ec2Call<T>(
  operation: string,
  options: ImagesOptions,
  send: (abortSignal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  return callAws({ service: 'EC2', operation, onEvent: options.onEvent }, () =>
    send(options.signal),
  )
}

/**
 * The NotFound code EC2 answers for each kind of id, e.g. while a new id is not yet visible.
 * @example
 * await ec2CallFresh({ operation: 'CreateImage', notFound: [NOT_FOUND.instance] }, o, send)
 */
export const NOT_FOUND = {
  instance: 'InvalidInstanceID.NotFound',
  image: 'InvalidAMIID.NotFound',
  snapshot: 'InvalidSnapshot.NotFound',
  volume: 'InvalidVolume.NotFound',
} as const

/**
 * An EC2 call naming ids that may have been made moments ago (by this run or the caller):
 * retried with core's `retryFresh` while EC2 answers one of `notFound`, as AWS advises for
 * eventual consistency (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html).
 * @example
 * await ec2CallFresh({ operation: 'CreateImage', notFound: [NOT_FOUND.instance] }, o, (s) => ec2.send(cmd, { abortSignal: s }))
 */
export function ec2CallFresh<T>(
  call: { operation: string; notFound: string[] },
  options: ImagesOptions,
  send: (abortSignal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  return retryFresh(() => ec2Call(call.operation, options, send), {
    codes: call.notFound,
    signal: options.signal,
    clock: options.clock,
    onEvent: options.onEvent,
  })
}

/**
 * Runs a DryRun call through core's `dryRun` (allowed, missing permission, or unproven).
 * @example
 * await dryRun('CreateSnapshot', o, (s) => ec2.send(new CreateSnapshotCommand({ VolumeId, DryRun: true }), { abortSignal: s }))
 */
export function dryRun(
  operation: string,
  options: ImagesOptions,
  send: (abortSignal: AbortSignal | undefined) => Promise<unknown>,
): Promise<void> {
  return coreDryRun(() => ec2Call(operation, options, send), {
    operation,
    onEvent: options.onEvent,
  })
}
