// Deregistering AMIs and deleting snapshots: what undo and teardown use. Missing = done.
import type { EC2Client } from '@aws-sdk/client-ec2'
import { createEmitter, retry, validate, type RetryPolicy } from '@ferry/core'
import { clientIn, resolveRegion, sdk } from './clients.js'
import { isAwsCode } from '@ferry/core'
import { ec2Call, ec2CallFresh, NOT_FOUND } from './ec2-call.js'
import { imageFacts } from './image-facts.js'
import type { ImagesOptions } from './options.js'

/** What `deleteAmi` removed. */
export interface DeleteAmiResult {
  imageId: string
  region: string
  /** False when the AMI was already gone. */
  deregistered: boolean
  deletedSnapshotIds: string[]
}

/** Which AMI `deleteAmi` removes. */
export interface DeleteAmiInput {
  imageId: string
  region?: string
  keepSnapshotIds?: string[]
  /** Made moments ago (an undo): a NotFound is retried as eventual consistency before it means gone. */
  justCreated?: boolean
}

/**
 * Deregisters an AMI, then deletes the EBS snapshots behind it (AWS keeps them, and bills
 * them, otherwise), except `keepSnapshotIds`. An AMI or snapshot already gone counts as done;
 * a snapshot still in use after {@link SNAPSHOT_IN_USE_RETRY} is kept, with a warning.
 * @example
 * await deleteAmi({ imageId: 'ami-0123456789abcdef0', region: 'eu-west-1' }, { aws })
 */
export async function deleteAmi(
  input: DeleteAmiInput,
  options: ImagesOptions = {},
): Promise<DeleteAmiResult> {
  validate.amiId(input.imageId, 'imageId')
  input.keepSnapshotIds?.forEach((id, i) => validate.snapshotId(id, `keepSnapshotIds[${i}]`))
  const region = await resolveRegion(input.region, options)
  const client = await clientIn(region, options)
  const { DescribeImagesCommand, DeregisterImageCommand } = await sdk()
  let snapshotIds: string[] = []
  try {
    const describe = (abortSignal: AbortSignal | undefined) =>
      client.send(new DescribeImagesCommand({ ImageIds: [input.imageId] }), { abortSignal })
    const out = input.justCreated
      ? await ec2CallFresh(
          { operation: 'DescribeImages', notFound: [NOT_FOUND.image] },
          options,
          describe,
        )
      : await ec2Call('DescribeImages', options, describe)
    const image = out.Images?.[0]
    if (!image)
      return { imageId: input.imageId, region, deregistered: false, deletedSnapshotIds: [] }
    snapshotIds = imageFacts(image).snapshotIds.filter((id) => !input.keepSnapshotIds?.includes(id))
    await ec2Call('DeregisterImage', options, (abortSignal) =>
      client.send(new DeregisterImageCommand({ ImageId: input.imageId }), { abortSignal }),
    )
  } catch (error) {
    if (isAwsCode(error, 'NotFound', 'InvalidAMIID.Unavailable'))
      return { imageId: input.imageId, region, deregistered: false, deletedSnapshotIds: [] }
    throw error
  }
  const deleted: string[] = []
  for (const snapshotId of snapshotIds) {
    if (await removeFreedSnapshot(client, snapshotId, options)) deleted.push(snapshotId)
  }
  return { imageId: input.imageId, region, deregistered: true, deletedSnapshotIds: deleted }
}

/**
 * How long a snapshot may answer `InvalidSnapshot.InUse` right after its AMI was deregistered
 * (about 30 s), before ferry takes it as backing another AMI too, which DeregisterImage never
 * deletes (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeregisterImage.html).
 * @example
 * await retry(() => removeSnapshot(ec2, id, o), SNAPSHOT_IN_USE_RETRY)
 */
export const SNAPSHOT_IN_USE_RETRY: RetryPolicy = {
  attempts: 6,
  minDelayMs: 1000,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: true,
  retryable: (error) => isAwsCode(error, 'InvalidSnapshot.InUse'),
}

// A snapshot of an AMI just deregistered: retried while still InUse, then kept with a warning.
async function removeFreedSnapshot(
  client: EC2Client,
  snapshotId: string,
  options: ImagesOptions,
): Promise<boolean> {
  try {
    return await retry(() => removeSnapshot(client, snapshotId, options), SNAPSHOT_IN_USE_RETRY, {
      signal: options.signal,
      clock: options.clock,
    })
  } catch (error) {
    if (!isAwsCode(error, 'InvalidSnapshot.InUse')) throw error
    createEmitter(options.onEvent)({
      type: 'warning',
      message: `kept snapshot ${snapshotId}: still in use after its AMI was deregistered (another AMI uses it?); delete it once free`,
    })
    return false
  }
}

/**
 * Deletes one snapshot; false when it was already gone.
 * @example
 * await deleteSnapshot({ snapshotId: 'snap-0123456789abcdef0', region: 'eu-west-1' }, { aws })
 */
export async function deleteSnapshot(
  input: { snapshotId: string; region?: string },
  options: ImagesOptions = {},
): Promise<boolean> {
  validate.snapshotId(input.snapshotId, 'snapshotId')
  const region = await resolveRegion(input.region, options)
  return removeSnapshot(await clientIn(region, options), input.snapshotId, options)
}

/**
 * Deletes one snapshot with a given client; false when it was already gone.
 * @example
 * await removeSnapshot(ec2, 'snap-0123456789abcdef0', {})
 */
export async function removeSnapshot(
  client: EC2Client,
  snapshotId: string,
  options: ImagesOptions,
): Promise<boolean> {
  const { DeleteSnapshotCommand } = await sdk()
  try {
    await ec2Call('DeleteSnapshot', options, (abortSignal) =>
      client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }), { abortSignal }),
    )
    return true
  } catch (error) {
    if (isAwsCode(error, 'NotFound')) return false
    throw error
  }
}
