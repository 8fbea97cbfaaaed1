// Waiting for snapshots (with percent progress), images and volumes to be ready.
import type { EC2Client, Image, Snapshot } from '@aws-sdk/client-ec2'
import { AwsError, createEmitter, FerryError, TimeoutError, toAwsError, waitFor } from '@ferry/core'
import { sdk } from './clients.js'
import { ec2Call, ec2CallFresh, NOT_FOUND } from './ec2-call.js'
import { DEFAULT_MAX_WAIT_MS, type ImagesOptions } from './options.js'

/**
 * Polls DescribeSnapshots until the snapshot is `completed`, emitting `wait:progress` with the
 * percent AWS reports; a snapshot in `error` fails with an AwsError. Until it is first seen, a
 * NotFound is eventual consistency for a snapshot just made, and retried.
 * @example
 * const snap = await waitForSnapshot(ec2, 'snap-0123456789abcdef0', { maxWaitTime: 600_000 })
 */
export async function waitForSnapshot(
  client: EC2Client,
  snapshotId: string,
  options: ImagesOptions,
): Promise<Snapshot> {
  const { DescribeSnapshotsCommand } = await sdk()
  const describe = firstSeen(NOT_FOUND.snapshot, options, (abortSignal) =>
    client.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }), { abortSignal }),
  )
  const snapshot = await waitFor<Snapshot>(
    async () => {
      const out = await describe('DescribeSnapshots')
      const snap = out.Snapshots?.[0]
      if (snap?.State === 'completed') return { done: true, value: snap }
      if (snap?.State === 'error') throw snapshotFailed(snapshotId, snap)
      return { done: false, state: snap?.State, percent: parseProgress(snap?.Progress) }
    },
    {
      what: `snapshot ${snapshotId} completed`,
      maxWaitTime: options.maxWaitTime ?? DEFAULT_MAX_WAIT_MS,
      signal: options.signal,
      onEvent: options.onEvent,
      clock: options.clock,
      backoff: { minDelayMs: 2000, maxDelayMs: 15_000 },
    },
  )
  createEmitter(options.onEvent)({
    type: 'info',
    message: `snapshot ${snapshotId} completed (${snapshot.Progress ?? '100%'})`,
  })
  return snapshot
}

/**
 * The percent in a DescribeSnapshots `Progress` string such as `"42%"`; undefined if absent.
 * @example
 * parseProgress('42%') // 42
 */
export function parseProgress(progress: string | undefined): number | undefined {
  const match = /^\s*(\d{1,3}(?:\.\d+)?)\s*%?\s*$/.exec(progress ?? '')
  return match ? Math.min(100, Number(match[1])) : undefined
}

/**
 * Waits with the SDK's `waitUntilImageAvailable` and returns the described images in order.
 * @example
 * const [image] = await waitForImages(ec2, ['ami-0123456789abcdef0'], { maxWaitTime: 1_800_000 })
 */
export async function waitForImages(
  client: EC2Client,
  imageIds: string[],
  options: ImagesOptions,
): Promise<Image[]> {
  const { waitUntilImageAvailable, DescribeImagesCommand } = await sdk()
  const maxWaitTime = options.maxWaitTime ?? DEFAULT_MAX_WAIT_MS
  const what = `image ${imageIds.join(', ')} available`
  createEmitter(options.onEvent)({ type: 'info', message: `waiting for ${what}` })
  await sdkWait(what, maxWaitTime, () =>
    waitUntilImageAvailable(waiterConfig(client, maxWaitTime, options), { ImageIds: imageIds }),
  )
  const out = await ec2Call('DescribeImages', options, (abortSignal) =>
    client.send(new DescribeImagesCommand({ ImageIds: imageIds }), { abortSignal }),
  )
  return imageIds.map((id) => out.Images?.find((i) => i.ImageId === id) ?? { ImageId: id })
}

/**
 * Waits with the SDK's `waitUntilVolumeAvailable`.
 * @example
 * await waitForVolume(ec2, 'vol-0123456789abcdef0', {})
 */
export async function waitForVolume(
  client: EC2Client,
  volumeId: string,
  options: ImagesOptions,
): Promise<void> {
  const { waitUntilVolumeAvailable } = await sdk()
  const maxWaitTime = options.maxWaitTime ?? DEFAULT_MAX_WAIT_MS
  await sdkWait(`volume ${volumeId} available`, maxWaitTime, () =>
    waitUntilVolumeAvailable(waiterConfig(client, maxWaitTime, options), {
      VolumeIds: [volumeId],
    }),
  )
}

// A describe that retries the id's NotFound until its first answer, and never after: once seen,
// NotFound means the resource is gone.
function firstSeen<T>(
  notFound: string,
  options: ImagesOptions,
  send: (abortSignal: AbortSignal | undefined) => Promise<T>,
): (operation: string) => Promise<T> {
  let seen = false
  return async (operation) => {
    const out = seen
      ? await ec2Call(operation, options, send)
      : await ec2CallFresh({ operation, notFound: [notFound] }, options, send)
    seen = true
    return out
  }
}

function waiterConfig(client: EC2Client, maxWaitTimeMs: number, options: ImagesOptions) {
  // SDK waiters count seconds; at least 1 s, and the SDK's minimum delay is 15 s by default.
  return {
    client,
    maxWaitTime: Math.max(1, Math.ceil(maxWaitTimeMs / 1000)),
    minDelay: 2,
    maxDelay: 30,
    abortSignal: options.signal,
  }
}

async function sdkWait(
  what: string,
  maxWaitTime: number,
  wait: () => Promise<{ state: string; reason?: unknown }>,
): Promise<void> {
  try {
    await wait()
  } catch (error) {
    const e = error as { name?: string; message?: string }
    // The SDK's waiter errors carry the final result as JSON in the message.
    if (e.name === 'TimeoutError')
      throw new TimeoutError({ what, waitedMs: maxWaitTime, cause: error })
    if (e.name === 'AbortError')
      throw new FerryError('ABORTED', `Stopped waiting for ${what}: aborted.`, { cause: error })
    throw toAwsError(error, { service: 'EC2', operation: `wait for ${what}` })
  }
}

function snapshotFailed(snapshotId: string, snap: Snapshot): AwsError {
  return new AwsError({
    service: 'EC2',
    operation: 'CreateSnapshot',
    awsCode: 'SnapshotError',
    message: `snapshot ${snapshotId} is in state error: ${snap.StateMessage ?? 'no message'}`,
  })
}
