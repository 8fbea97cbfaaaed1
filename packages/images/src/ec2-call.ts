// Thin wrappers over `client.send`: every call is evented, abortable and mapped to AwsError.
import { callAws, dryRun as coreDryRun } from '@ferry/core'
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
