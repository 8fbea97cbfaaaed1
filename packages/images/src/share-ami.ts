// shareAmi / unshareAmi: launch permissions for accounts or the public, plus snapshot access.
import type { EC2Client, LaunchPermission } from '@aws-sdk/client-ec2'
import { createEmitter, FerryError } from '@ferry/core'
import { clientIn, resolveRegion, sdk } from './clients.js'
import { ec2Call, ec2CallFresh, NOT_FOUND } from './ec2-call.js'
import { imageFacts, type ImageFacts } from './image-facts.js'
import type { ImagesOptions } from './options.js'
import {
  checkPublicAllowed,
  checkShareInput,
  launchPermissionInput,
  volumePermissionInputs,
  type ShareAmiInput,
} from './share-input.js'

/** What a share (or unshare) changed. */
export interface ShareAmiResult {
  imageId: string
  region: string
  accountIds: string[]
  public: boolean
  /** Snapshots whose createVolumePermission changed. */
  snapshotIds: string[]
}

/**
 * Lets accounts (and, only with `public: true`, everyone) launch an AMI; accounts also get
 * createVolumePermission on its snapshots. Encrypted AMIs are never made public. If granting
 * snapshot access fails, the launch permissions just added are taken back.
 * @example
 * await shareAmi({ imageId: 'ami-0123456789abcdef0', accountIds: ['123456789012'] }, { aws })
 */
export async function shareAmi(
  input: ShareAmiInput,
  options: ImagesOptions = {},
): Promise<ShareAmiResult> {
  const { who, region, client, facts } = await shareTarget(input, options)
  checkPublicAllowed(facts, who.public)
  if (facts.encrypted && who.accountIds.length)
    createEmitter(options.onEvent)({
      type: 'warning',
      message: `${input.imageId} is encrypted: the accounts also need use of its KMS key (kms:Decrypt, kms:CreateGrant…), which ferry does not change`,
    })
  const { ModifyImageAttributeCommand, ModifySnapshotAttributeCommand } = await sdk()
  const before = await launchPermissions(client, input.imageId, options)
  // Only what this call adds is taken back if a later grant fails.
  const added = {
    accountIds: who.accountIds.filter((id) => !before.some((p) => p.UserId === id)),
    public: who.public && !before.some((p) => p.Group === 'all'),
  }
  await ec2Call('ModifyImageAttribute', options, (abortSignal) =>
    client.send(new ModifyImageAttributeCommand(launchPermissionInput(input.imageId, who, 'Add')), {
      abortSignal,
    }),
  )
  const snapshotIds = input.snapshots === false ? [] : facts.snapshotIds
  const granted: string[] = []
  try {
    for (const params of volumePermissionInputs(snapshotIds, who.accountIds, 'Add')) {
      // A copy's snapshots are as new as the copy: never named before this call.
      await ec2CallFresh(
        { operation: 'ModifySnapshotAttribute', notFound: [NOT_FOUND.snapshot] },
        options,
        (abortSignal) => client.send(new ModifySnapshotAttributeCommand(params), { abortSignal }),
      )
      granted.push(params.SnapshotId!)
    }
  } catch (error) {
    const revert = {
      image: launchPermissionInput(input.imageId, added, 'Remove'),
      snapshots: volumePermissionInputs(granted, added.accountIds, 'Remove'),
    }
    // Best effort: the original error is what the caller needs to see.
    await ec2Call('ModifyImageAttribute', options, (abortSignal) =>
      client.send(new ModifyImageAttributeCommand(revert.image), { abortSignal }),
    ).catch(() => undefined)
    for (const params of revert.snapshots)
      await ec2Call('ModifySnapshotAttribute', options, (abortSignal) =>
        client.send(new ModifySnapshotAttributeCommand(params), { abortSignal }),
      ).catch(() => undefined)
    throw error
  }
  return {
    imageId: input.imageId,
    region,
    ...who,
    snapshotIds: who.accountIds.length ? snapshotIds : [],
  }
}

/**
 * Takes back what `shareAmi` granted: launch permissions and the accounts' snapshot access.
 * @example
 * await unshareAmi({ imageId: 'ami-0123456789abcdef0', accountIds: ['123456789012'] }, { aws })
 */
export async function unshareAmi(
  input: ShareAmiInput,
  options: ImagesOptions = {},
): Promise<ShareAmiResult> {
  const { who, region, client, facts } = await shareTarget(input, options)
  const { ModifyImageAttributeCommand, ModifySnapshotAttributeCommand } = await sdk()
  await ec2Call('ModifyImageAttribute', options, (abortSignal) =>
    client.send(
      new ModifyImageAttributeCommand(launchPermissionInput(input.imageId, who, 'Remove')),
      { abortSignal },
    ),
  )
  const snapshotIds = input.snapshots === false ? [] : facts.snapshotIds
  for (const params of volumePermissionInputs(snapshotIds, who.accountIds, 'Remove'))
    await ec2Call('ModifySnapshotAttribute', options, (abortSignal) =>
      client.send(new ModifySnapshotAttributeCommand(params), { abortSignal }),
    )
  return {
    imageId: input.imageId,
    region,
    ...who,
    snapshotIds: who.accountIds.length ? snapshotIds : [],
  }
}

// Both directions start the same way: checked input (no call before it), region, client, image.
async function shareTarget(input: ShareAmiInput, options: ImagesOptions) {
  const who = checkShareInput(input)
  const region = await resolveRegion(input.region, options)
  const client = await clientIn(region, options)
  return { who, region, client, facts: await describeImage(client, input.imageId, options) }
}

async function describeImage(
  client: EC2Client,
  imageId: string,
  options: ImagesOptions,
): Promise<ImageFacts> {
  const { DescribeImagesCommand } = await sdk()
  const out = await ec2CallFresh(
    { operation: 'DescribeImages', notFound: [NOT_FOUND.image] },
    options,
    (abortSignal) =>
      client.send(new DescribeImagesCommand({ ImageIds: [imageId] }), { abortSignal }),
  )
  const image = out.Images?.[0]
  if (!image) throw new FerryError('NOT_FOUND', `AMI ${imageId} was not found.`)
  return imageFacts(image)
}

async function launchPermissions(
  client: EC2Client,
  imageId: string,
  options: ImagesOptions,
): Promise<LaunchPermission[]> {
  const { DescribeImageAttributeCommand } = await sdk()
  const out = await ec2Call('DescribeImageAttribute', options, (abortSignal) =>
    client.send(
      new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }),
      { abortSignal },
    ),
  )
  return out.LaunchPermissions ?? []
}
