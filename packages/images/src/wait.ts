// Waiting for snapshots (with percent progress), images and volumes: ferry's own polls on core's
// waitFor. A state that can never turn ready and a non-retryable error (AccessDenied, AuthFailure,
// expired credentials) end the wait at once with their cause; the SDK's waiters retry every
// error until maxWaitTime and then report a timeout without one.
import type { EC2Client, Image, Snapshot, Volume } from '@aws-sdk/client-ec2'
import {
  AwsError,
  createEmitter,
  FerryError,
  TimeoutError,
  waitFor,
  type BackoffPolicy,
  type PollResult,
} from '@ferry/core'
import { sdk } from './clients.js'
import { ec2Call, ec2CallFresh, NOT_FOUND } from './ec2-call.js'
import { DEFAULT_MAX_WAIT_MS, type ImagesOptions } from './options.js'

/**
 * Polls DescribeSnapshots until the snapshot is `completed`, emitting `wait:progress` with the
 * percent AWS reports; a snapshot in `error` fails with an AwsError.
 * @example
 * const snap = await waitForSnapshot(ec2, 'snap-0123456789abcdef0', { maxWaitTime: 600_000 })
 */
export async function waitForSnapshot(
  client: EC2Client,
  snapshotId: string,
  options: ImagesOptions,
): Promise<Snapshot> {
  const { DescribeSnapshotsCommand } = await sdk()
  const snapshot = await poll<Snapshot>(
    {
      what: `snapshot ${snapshotId} completed`,
      operation: 'DescribeSnapshots',
      notFound: NOT_FOUND.snapshot,
      backoff: { minDelayMs: 2000, maxDelayMs: 15_000 },
      describe: async (abortSignal) =>
        (
          await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }), {
            abortSignal,
          })
        ).Snapshots,
      judge: ([snap]) => {
        if (snap?.State === 'completed') return { done: true, value: snap }
        if (snap?.State === 'error')
          throw notReady(`snapshot ${snapshotId}`, { state: 'error', reason: snap.StateMessage })
        return { done: false, state: snap?.State, percent: parseProgress(snap?.Progress) }
      },
    },
    options,
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

// AMI states that never turn into `available` by waiting (API_Image.html, State).
const IMAGE_DEAD = new Set(['failed', 'error', 'invalid', 'deregistered', 'disabled'])

/**
 * Polls DescribeImages until every image is `available`, and returns them in order. An image
 * in `failed`, `error`, `invalid`, `deregistered` or `disabled` fails at once with its
 * StateReason (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html).
 * @example
 * const [image] = await waitForImages(ec2, ['ami-0123456789abcdef0'], { maxWaitTime: 3_600_000 })
 */
export async function waitForImages(
  client: EC2Client,
  imageIds: string[],
  options: ImagesOptions,
): Promise<Image[]> {
  const { DescribeImagesCommand } = await sdk()
  const what = `image ${imageIds.join(', ')} available`
  createEmitter(options.onEvent)({ type: 'info', message: `waiting for ${what}` })
  return poll<Image[], Image>(
    {
      what,
      operation: 'DescribeImages',
      notFound: NOT_FOUND.image,
      backoff: { minDelayMs: 2000, maxDelayMs: 30_000 },
      describe: async (abortSignal) =>
        (await client.send(new DescribeImagesCommand({ ImageIds: imageIds }), { abortSignal }))
          .Images,
      judge: (found) => {
        const images = imageIds.map((id) => found.find((i) => i.ImageId === id))
        for (const image of images)
          if (image?.State && IMAGE_DEAD.has(image.State))
            throw notReady(`image ${image.ImageId}`, {
              state: image.State,
              reason: image.StateReason?.Message,
              code: image.StateReason?.Code,
            })
        if (images.every((i) => i?.State === 'available'))
          return { done: true, value: images as Image[] }
        return { done: false, state: images.map((i) => i?.State ?? 'not visible').join(', ') }
      },
    },
    options,
  )
}

/**
 * Polls DescribeVolumes until the volume is `available`; `error`, `deleting`, `deleted` or
 * `in-use` fail at once.
 * @example
 * await waitForVolume(ec2, 'vol-0123456789abcdef0', {})
 */
export async function waitForVolume(
  client: EC2Client,
  volumeId: string,
  options: ImagesOptions,
): Promise<void> {
  const { DescribeVolumesCommand } = await sdk()
  await poll<Volume>(
    {
      what: `volume ${volumeId} available`,
      operation: 'DescribeVolumes',
      notFound: NOT_FOUND.volume,
      backoff: { minDelayMs: 2000, maxDelayMs: 15_000 },
      describe: async (abortSignal) =>
        (await client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }), { abortSignal }))
          .Volumes,
      judge: ([volume]) => {
        if (volume?.State === 'available') return { done: true, value: volume }
        if (volume?.State && volume.State !== 'creating')
          throw notReady(`volume ${volumeId}`, { state: volume.State })
        return { done: false, state: volume?.State }
      },
    },
    options,
  )
}

/** One wait: what to describe and how to judge what came back. */
interface Poll<TValue, TItem> {
  what: string
  operation: string
  /** The id's NotFound code: retried until the first answer (a new id), never after. */
  notFound: string
  backoff: Partial<BackoffPolicy>
  describe: (abortSignal: AbortSignal | undefined) => Promise<TItem[] | undefined>
  judge: (items: TItem[]) => PollResult<TValue>
}

// core's waitFor, plus: a NotFound before the first sighting is eventual consistency (the id is
// new), and a timeout keeps the retryable error that kept the wait going as its cause.
async function poll<TValue, TItem = TValue>(
  p: Poll<TValue, TItem>,
  options: ImagesOptions,
): Promise<TValue> {
  let seen = false
  let lastError: unknown
  // An answer that leaves the id out says what its NotFound says.
  const send = async (abortSignal: AbortSignal | undefined) => {
    const items = await p.describe(abortSignal)
    if (items?.length) return items
    throw new AwsError({
      service: 'EC2',
      operation: p.operation,
      awsCode: p.notFound,
      message: `the answer for ${p.what} named nothing`,
    })
  }
  const describe = () =>
    seen
      ? ec2Call(p.operation, options, send)
      : ec2CallFresh({ operation: p.operation, notFound: [p.notFound] }, options, send)
  try {
    return await waitFor(
      async () => {
        try {
          const items = await describe()
          seen = true
          lastError = undefined
          return p.judge(items)
        } catch (error) {
          if (FerryError.is(error) && error.retryable) lastError = error
          throw error
        }
      },
      {
        what: p.what,
        maxWaitTime: options.maxWaitTime ?? DEFAULT_MAX_WAIT_MS,
        signal: options.signal,
        onEvent: options.onEvent,
        clock: options.clock,
        backoff: p.backoff,
      },
    )
  } catch (error) {
    if (!TimeoutError.is(error) || lastError === undefined) throw error
    throw new TimeoutError({ ...error, cause: lastError })
  }
}

function notReady(what: string, o: { state: string; reason?: string; code?: string }): AwsError {
  return new AwsError({
    service: 'EC2',
    operation: `wait for ${what}`,
    awsCode: o.code ?? `State.${o.state}`,
    message: `${what} is ${o.state}: ${o.reason ?? 'no reason given'}; it will not become ready by waiting`,
  })
}
