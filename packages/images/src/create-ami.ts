// createAmi: an AMI from an instance (CreateImage) or a snapshot (RegisterImage), adopted on re-run.
import type { EC2Client, Image } from '@aws-sdk/client-ec2'
import { createEmitter, FerryError, systemClock } from '@ferry/core'
import {
  checkAmiInput,
  createImageInput,
  findImageInput,
  registerImageInput,
  type CreateAmiInput,
} from './ami-input.js'
import { snapshotArchitecture } from './ami-architecture.js'
import { clientIn, resolveRegion, sdk } from './clients.js'
import { isAwsCode } from '@ferry/core'
import { createOnce, singleAttempt } from './create-once.js'
import { ec2Call, NOT_FOUND } from './ec2-call.js'
import { defaultAmiName, imageFacts } from './image-facts.js'
import { tagImageAndSnapshots } from './image-tags.js'
import { DEFAULT_STEP, type ImagesOptions } from './options.js'
import { resourceTags } from './tags.js'
import { waitForImages } from './wait.js'

/** An available AMI. */
export interface AmiResult {
  imageId: string
  region: string
  name: string
  /** The EBS snapshots behind it. */
  snapshotIds: string[]
  encrypted: boolean
  /** True when an earlier attempt of the same run and step had made it already. */
  adopted: boolean
}

/** The journal key of a step's AMI. */
export const AMI_JOURNAL_KEY = 'image'

/**
 * Makes an AMI from an instance (CreateImage, optional `noReboot`) or from a root-volume
 * snapshot (RegisterImage: hvm, ENA, boot mode, gp3 root, IMDSv2), waits until it is
 * available (an image that failed ends the wait at once), and tags the image and the snapshots it created. CreateImage has no
 * client token, so with `runId` a re-run adopts the image it finds (journal id, else tags).
 * @example
 * const ami = await createAmi({ snapshotId: snap.snapshotId, architecture: 'arm64' }, { aws: { region: 'eu-west-1' }, runId: 'r1' })
 */
export async function createAmi(
  input: CreateAmiInput,
  options: ImagesOptions = {},
): Promise<AmiResult> {
  checkAmiInput(input)
  const region = await resolveRegion(input.region, options)
  const client = await clientIn(region, options)
  const step = options.step ?? DEFAULT_STEP
  const sourceId = 'instanceId' in input ? input.instanceId : input.snapshotId
  const name =
    input.name ??
    defaultAmiName({
      runId: options.runId,
      step,
      sourceId,
      now: (options.clock ?? systemClock).now(),
    })
  const tags = resourceTags({
    runId: options.runId,
    step,
    name: input.name ?? name,
    tags: input.tags,
  })
  const existing = await findExistingImage(client, options)
  let imageId = existing?.ImageId
  if (imageId) {
    createEmitter(options.onEvent)({
      type: 'info',
      message: `adopting AMI ${imageId} from an earlier attempt`,
    })
  } else {
    imageId = await makeImage(client, { input, name, tags }, options)
    await options.record?.(AMI_JOURNAL_KEY, imageId)
  }
  const [image] = await waitForImages(client, [imageId], options)
  const skip = 'snapshotId' in input ? [input.snapshotId] : []
  await tagImageAndSnapshots(client, { image: image!, tags, skipSnapshotIds: skip }, options)
  const facts = imageFacts(image!)
  return {
    imageId,
    region,
    name: facts.name ?? name,
    snapshotIds: facts.snapshotIds,
    encrypted: facts.encrypted,
    adopted: existing !== undefined,
  }
}

async function makeImage(
  client: EC2Client,
  o: { input: CreateAmiInput; name: string; tags: ReturnType<typeof resourceTags> },
  options: ImagesOptions,
): Promise<string> {
  const { CreateImageCommand, RegisterImageCommand } = await sdk()
  const { input, name, tags } = o
  const architecture =
    'snapshotId' in input
      ? (input.architecture ?? (await snapshotArchitecture(client, input.snapshotId, options)))
      : undefined
  // AMI names are unique per region ("InvalidAMIName.Duplicate"), so after an answer was lost
  // an image of this name is the one that attempt made.
  const find = () => imageNamed(client, name, options)
  const imageId =
    'instanceId' in input
      ? await createOnce(
          {
            operation: 'CreateImage',
            notFound: [NOT_FOUND.instance],
            find,
            send: async (abortSignal) =>
              (
                await client.send(
                  singleAttempt(new CreateImageCommand(createImageInput({ ...input, name }, tags))),
                  { abortSignal },
                )
              ).ImageId,
          },
          options,
        )
      : await createOnce(
          {
            operation: 'RegisterImage',
            notFound: [NOT_FOUND.snapshot],
            find,
            send: async (abortSignal) =>
              (
                await client.send(
                  singleAttempt(
                    new RegisterImageCommand(
                      registerImageInput({ ...input, name, architecture: architecture! }, tags),
                    ),
                  ),
                  { abortSignal },
                )
              ).ImageId,
          },
          options,
        )
  if (!imageId) throw new FerryError('AWS', `Making AMI ${name} returned no image id.`)
  return imageId
}

async function imageNamed(
  client: EC2Client,
  name: string,
  options: ImagesOptions,
): Promise<string | undefined> {
  const { DescribeImagesCommand } = await sdk()
  const out = await ec2Call('DescribeImages', options, (abortSignal) =>
    client.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [
          { Name: 'name', Values: [name] },
          { Name: 'state', Values: ['pending', 'available'] },
        ],
      }),
      { abortSignal },
    ),
  )
  return out.Images?.[0]?.ImageId
}

/**
 * The image an earlier attempt of this run and step made: the journal's id, else by tags.
 * @example
 * const image = await findExistingImage(ec2, { runId: 'r1', step: 'bake' })
 */
export async function findExistingImage(
  client: EC2Client,
  options: ImagesOptions,
  extra: { journalKey?: string; filters?: Record<string, string> } = {},
): Promise<Image | undefined> {
  const { DescribeImagesCommand } = await sdk()
  const recorded = options.recorded?.(extra.journalKey ?? AMI_JOURNAL_KEY)
  if (recorded) {
    try {
      const out = await ec2Call('DescribeImages', options, (abortSignal) =>
        client.send(new DescribeImagesCommand({ ImageIds: [recorded] }), { abortSignal }),
      )
      const image = out.Images?.[0]
      if (image && (image.State === 'available' || image.State === 'pending')) return image
    } catch (error) {
      if (!isAwsCode(error, 'NotFound')) throw error
    }
  }
  if (!options.runId) return undefined
  const query = findImageInput(
    { runId: options.runId, step: options.step ?? DEFAULT_STEP },
    extra.filters,
  )
  const out = await ec2Call('DescribeImages', options, (abortSignal) =>
    client.send(new DescribeImagesCommand(query), { abortSignal }),
  )
  return out.Images?.[0]
}
