// Thin wrappers over `client.send`: every call is evented, abortable and mapped to AwsError.
import { AwsError, callAws, createEmitter, FerryError } from '@ferry/core'
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
 * True when `error` is an AwsError whose AWS code is one of `codes` (or ends with `.NotFound`
 * when `'NotFound'` is listed).
 * @example
 * if (isAwsCode(e, 'NotFound')) return // already gone
 */
export function isAwsCode(error: unknown, ...codes: string[]): boolean {
  if (!AwsError.is(error)) return false
  return codes.some(
    (c) => error.awsCode === c || (c === 'NotFound' && /NotFound$/.test(error.awsCode)),
  )
}

/**
 * Runs a DryRun call: `DryRunOperation` means allowed; `UnauthorizedOperation` becomes an
 * AwsError naming the missing IAM permission; other answers (e.g. a placeholder id not found)
 * leave the permission unproven and are reported as a warning event.
 * @example
 * await dryRun('CreateSnapshot', o, (s) => ec2.send(new CreateSnapshotCommand({ VolumeId, DryRun: true }), { abortSignal: s }))
 */
export async function dryRun(
  operation: string,
  options: ImagesOptions,
  send: (abortSignal: AbortSignal | undefined) => Promise<unknown>,
): Promise<void> {
  try {
    await ec2Call(operation, options, send)
  } catch (error) {
    if (isAwsCode(error, 'DryRunOperation')) return
    if (isAwsCode(error, 'UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException')) {
      const e = error as AwsError
      throw new AwsError({
        service: 'EC2',
        operation,
        awsCode: e.awsCode,
        message: `the caller lacks the IAM permission ec2:${operation}; grant it (and ec2:CreateTags for tagging) before running`,
        requestId: e.requestId,
        httpStatus: e.httpStatus,
        cause: error,
      })
    }
    if (FerryError.is(error) && error.code === 'ABORTED') throw error
    createEmitter(options.onEvent)({
      type: 'warning',
      message: `preflight could not prove ec2:${operation} is allowed: ${error instanceof Error ? error.message : String(error)}`,
    })
  }
}
