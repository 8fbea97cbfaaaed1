// When copyAmi fails somewhere: all or nothing, except that a copy still running is healthy.
import { createEmitter, FerryError, TimeoutError } from '@ferry/core'
import type { CopyAmiInput } from './copy-input.js'
import type { AmiResult } from './create-ami.js'
import { deleteAmi } from './delete-ami.js'
import type { ImagesOptions } from './options.js'

/**
 * The error for a copy that failed in some region, after removing the copies it made, or
 * undefined when every region succeeded. A copy still running past `maxWaitTime` stays (tagged
 * and journaled) for a re-run to adopt, and so does every other copy, so that re-run converges.
 * @example
 * const failure = await copyFailure(input, settled, { made, options })
 */
export async function copyFailure(
  input: CopyAmiInput,
  settled: PromiseSettledResult<AmiResult>[],
  o: { made: Record<string, string>; options: ImagesOptions },
): Promise<FerryError | undefined> {
  const reasons = input.regions.flatMap((region, i) => {
    const s = settled[i]!
    return s.status === 'rejected' ? [{ region, reason: s.reason as unknown }] : []
  })
  if (!reasons.length) return undefined
  const inFlight = reasons.filter((r) => TimeoutError.is(r.reason))
  const hard = reasons.filter((r) => !TimeoutError.is(r.reason))
  const first = (hard[0] ?? reasons[0]!).reason
  const text = (e: unknown) => (e instanceof Error ? e.message : String(e))
  if (!inFlight.length) {
    await undoCopies(o.made, o.options)
    return new FerryError(
      'AWS',
      `Copying ${input.imageId} failed in ${hard.map((r) => r.region).join(', ')}; the copies made in other regions were removed. First error: ${text(first)}`,
      { cause: first, retryable: FerryError.is(first) && first.retryable },
    )
  }
  const still = inFlight.map((r) => r.region).join(', ')
  const kept = `the copies are kept, tagged ferry:source=${input.imageId}${o.options.runId ? `, for a re-run of ${o.options.runId} to adopt` : ''}`
  if (!hard.length) {
    const waited = inFlight[0]!.reason as TimeoutError
    return new TimeoutError({
      what: `${input.imageId}, still copying in ${still} (${kept})`,
      waitedMs: waited.waitedMs,
      lastState: waited.lastState,
      cause: waited,
    })
  }
  return new FerryError(
    'AWS',
    `Copying ${input.imageId} failed in ${hard.map((r) => r.region).join(', ')} and is still copying in ${still}; ${kept}. First error: ${text(first)}`,
    { cause: first, retryable: FerryError.is(first) && first.retryable },
  )
}

async function undoCopies(made: Record<string, string>, options: ImagesOptions): Promise<void> {
  const emit = createEmitter(options.onEvent)
  await Promise.all(
    Object.entries(made).map(async ([region, imageId]) => {
      try {
        await deleteAmi({ imageId, region, justCreated: true }, options)
        emit({
          type: 'info',
          message: `removed copy ${imageId} in ${region} after a failed copy elsewhere`,
        })
      } catch (error) {
        emit({
          type: 'warning',
          message: `could not remove copy ${imageId} in ${region}: ${error instanceof Error ? error.message : String(error)}`,
        })
      }
    }),
  )
}
