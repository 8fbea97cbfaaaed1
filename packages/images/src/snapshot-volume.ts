// snapshotVolume: snapshot one EBS volume (by id or by instance device), adopting a re-run's.
import type { EC2Client, Snapshot } from '@aws-sdk/client-ec2'
import { createEmitter, FerryError } from '@ferry/core'
import { clientIn, resolveRegion, sdk } from './clients.js'
import { isAwsCode } from '@ferry/core'
import { createOnce, singleAttempt } from './create-once.js'
import { ec2Call, ec2CallFresh, NOT_FOUND } from './ec2-call.js'
import { DEFAULT_STEP, type ImagesOptions } from './options.js'
import {
  checkSnapshotInput,
  createSnapshotInput,
  findSnapshotInput,
  volumeOfDevice,
  type SnapshotVolumeInput,
} from './snapshot-input.js'
import { waitForSnapshot } from './wait.js'

/** A completed snapshot. */
export interface SnapshotResult {
  snapshotId: string
  volumeId: string
  region: string
  encrypted: boolean
  /** Size of the source volume in GiB (a snapshot bills only the blocks that changed). */
  volumeSize: number | undefined
  /** True when an earlier attempt of the same run and step had made it already. */
  adopted: boolean
}

/**
 * Snapshots an EBS volume and waits until it is `completed`, with `wait:progress` events
 * carrying the percent AWS reports. With `runId`, a re-run of the same step adopts the
 * snapshot it already made (journal id, else the `ferry:run` / `ferry:step` tags).
 * @example
 * const snap = await snapshotVolume({ instanceId: 'i-0123456789abcdef0', device: 'root' }, { aws: { region: 'eu-west-1' }, runId: 'r1' })
 */
export async function snapshotVolume(
  input: SnapshotVolumeInput,
  options: ImagesOptions = {},
): Promise<SnapshotResult> {
  const checked = checkSnapshotInput(input)
  const region = await resolveRegion(checked.region, options)
  const client = await clientIn(region, options)
  const volumeId =
    checked.instanceId === undefined
      ? checked.volumeId
      : await volumeOfInstance(client, checked, options)
  const step = options.step ?? DEFAULT_STEP
  const existing = await findExisting(client, volumeId, options)
  let snapshotId = existing?.SnapshotId
  if (snapshotId) {
    createEmitter(options.onEvent)({
      type: 'info',
      message: `adopting snapshot ${snapshotId} of ${volumeId} from an earlier attempt`,
    })
  } else {
    const { CreateSnapshotCommand } = await sdk()
    const description =
      checked.description ??
      `ferry ${step}: ${volumeId}${checked.instanceId ? ` (${checked.instanceId} ${checked.device})` : ''}`
    const params = createSnapshotInput({
      volumeId,
      description,
      runId: options.runId,
      step,
      name: checked.name,
      tags: checked.tags,
    })
    snapshotId = await createOnce(
      {
        operation: 'CreateSnapshot',
        notFound: [NOT_FOUND.volume],
        send: async (abortSignal) =>
          (
            await client.send(singleAttempt(new CreateSnapshotCommand(params)), {
              abortSignal,
            })
          ).SnapshotId,
        // The run's tags (given at birth) find what an attempt whose answer was lost made.
        find: options.runId
          ? async () => (await findExisting(client, volumeId, options))?.SnapshotId
          : undefined,
      },
      options,
    )
    if (!snapshotId)
      throw new FerryError('AWS', `CreateSnapshot of ${volumeId} returned no snapshot id.`)
    await options.record?.(journalKey(volumeId), snapshotId)
  }
  const done = await waitForSnapshot(client, snapshotId, options)
  return {
    snapshotId,
    volumeId,
    region,
    encrypted: done.Encrypted ?? false,
    volumeSize: done.VolumeSize,
    adopted: existing !== undefined,
  }
}

/** The journal key of a volume's snapshot. */
export const journalKey = (volumeId: string) => `snapshot:${volumeId}`

async function volumeOfInstance(
  client: EC2Client,
  { instanceId, device }: { instanceId: string; device: string },
  options: ImagesOptions,
): Promise<string> {
  const { DescribeInstancesCommand } = await sdk()
  const out = await ec2CallFresh(
    { operation: 'DescribeInstances', notFound: [NOT_FOUND.instance] },
    options,
    (abortSignal) =>
      client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal }),
  )
  const instance = out.Reservations?.[0]?.Instances?.[0]
  if (!instance) throw new FerryError('NOT_FOUND', `Instance ${instanceId} was not found.`)
  return volumeOfDevice(instance, device)
}

async function findExisting(
  client: EC2Client,
  volumeId: string,
  options: ImagesOptions,
): Promise<Snapshot | undefined> {
  const { DescribeSnapshotsCommand } = await sdk()
  const recorded = options.recorded?.(journalKey(volumeId))
  if (recorded) {
    try {
      const out = await ec2Call('DescribeSnapshots', options, (abortSignal) =>
        client.send(new DescribeSnapshotsCommand({ SnapshotIds: [recorded] }), { abortSignal }),
      )
      const snap = out.Snapshots?.[0]
      if (snap && snap.State !== 'error') return snap
    } catch (error) {
      if (!isAwsCode(error, 'NotFound')) throw error
    }
  }
  if (!options.runId) return undefined
  const query = findSnapshotInput({
    runId: options.runId,
    step: options.step ?? DEFAULT_STEP,
    volumeId,
  })
  const out = await ec2Call('DescribeSnapshots', options, (abortSignal) =>
    client.send(new DescribeSnapshotsCommand(query), { abortSignal }),
  )
  return newest((out.Snapshots ?? []).filter((s) => s.State !== 'error'))
}

function newest(snapshots: Snapshot[]): Snapshot | undefined {
  return [...snapshots].sort(
    (a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0),
  )[0]
}
