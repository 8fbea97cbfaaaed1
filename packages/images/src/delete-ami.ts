// Deregistering AMIs and deleting snapshots: what undo and teardown use. Missing = done.
import type { EC2Client } from '@aws-sdk/client-ec2'
import { validate } from '@ferry/core'
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
 * them, otherwise), except `keepSnapshotIds`. An AMI or snapshot already gone counts as done.
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
    if (await removeSnapshot(client, snapshotId, options)) deleted.push(snapshotId)
  }
  return { imageId: input.imageId, region, deregistered: true, deletedSnapshotIds: deleted }
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
