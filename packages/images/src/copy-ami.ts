// copyAmi: copy an AMI to several regions in parallel; all or nothing.
import { randomUUID } from 'node:crypto'
import type { EC2Client, Image } from '@aws-sdk/client-ec2'
import { createEmitter, FerryError, idempotencyToken, TimeoutError, validate } from '@ferry/core'
import { clientIn, resolveRegion, sdk } from './clients.js'
import { checkCopyInput, copyEncryption, copyImageInput, type CopyAmiInput } from './copy-input.js'
import { findExistingImage, type AmiResult } from './create-ami.js'
import { copyFailure } from './copy-failure.js'
import { ec2Call, ec2CallFresh, NOT_FOUND } from './ec2-call.js'
import { imageFacts } from './image-facts.js'
import { tagImageAndSnapshots } from './image-tags.js'
import { DEFAULT_STEP, type ImagesOptions } from './options.js'
import { resourceTags, SOURCE_TAG } from './tags.js'
import { waitForImages } from './wait.js'

/** The copies, by destination region. */
export interface CopyAmiResult {
  sourceImageId: string
  sourceRegion: string
  /** Destination region → AMI id. */
  imageIds: Record<string, string>
  copies: Record<string, AmiResult>
}

/**
 * Copies an AMI to each region in parallel (one client per region, a ClientToken stable per
 * run + step + region), encrypted per the rule of `copyEncryption`, waits until each copy is
 * available, and tags it and its snapshots. If any region fails, the copies this call made are
 * deregistered again and the error names the failed regions, unless a copy is still running
 * when `maxWaitTime` ends: then every copy is kept (tagged, journaled) for a re-run to adopt.
 * @example
 * const { imageIds } = await copyAmi({ imageId: ami.imageId, regions: ['eu-west-1', 'ap-south-1'] }, { aws: { region: 'us-east-1' }, runId: 'r1' })
 */
export async function copyAmi(
  input: CopyAmiInput,
  options: ImagesOptions = {},
): Promise<CopyAmiResult> {
  checkCopyInput(input)
  const sourceRegion = await resolveRegion(input.sourceRegion, options)
  const source = await describeSource(await clientIn(sourceRegion, options), input.imageId, options)
  const facts = imageFacts(source)
  const encryption = copyEncryption(facts, input)
  const clients = await Promise.all(input.regions.map((r) => clientIn(r, options)))
  const step = options.step ?? DEFAULT_STEP
  const made: Record<string, string> = {}
  const settled = await Promise.allSettled(
    input.regions.map((region, i) =>
      copyOne(
        clients[i]!,
        { region, sourceRegion, facts, input, encryption: encryption[region]!, step, made },
        options,
      ),
    ),
  )
  const failure = await copyFailure(input, settled, { made, options })
  if (failure) throw failure
  const copies = Object.fromEntries(
    input.regions.map((r, i) => [r, (settled[i] as PromiseFulfilledResult<AmiResult>).value]),
  )
  return {
    sourceImageId: input.imageId,
    sourceRegion,
    imageIds: Object.fromEntries(Object.entries(copies).map(([r, c]) => [r, c.imageId])),
    copies,
  }
}

/** The journal key of a region's copy. */
export const copyJournalKey = (region: string) => `copy:${region}`

async function copyOne(
  client: EC2Client,
  o: {
    region: string
    sourceRegion: string
    facts: ReturnType<typeof imageFacts>
    input: CopyAmiInput
    encryption: { encrypted: boolean; kmsKeyId?: string }
    step: string
    made: Record<string, string>
  },
  options: ImagesOptions,
): Promise<AmiResult> {
  const name = o.input.name ?? o.facts.name ?? o.input.imageId
  const tags = resourceTags({
    runId: options.runId,
    step: o.step,
    name,
    tags: { ...o.input.tags, [SOURCE_TAG]: o.input.imageId },
  })
  const existing = await findExistingImage(client, options, {
    journalKey: copyJournalKey(o.region),
    filters: { [`tag:${SOURCE_TAG}`]: o.input.imageId },
  })
  let imageId = existing?.ImageId
  if (imageId) {
    createEmitter(options.onEvent)({
      type: 'info',
      message: `adopting copy ${imageId} in ${o.region} from an earlier attempt`,
    })
  } else {
    const { CopyImageCommand } = await sdk()
    // Stable per run + step + region; without a run id each call is a new copy.
    const token = options.runId
      ? idempotencyToken(options.runId, o.step, `copy:${o.region}`)
      : randomUUID()
    const params = copyImageInput({
      imageId: o.input.imageId,
      sourceRegion: o.sourceRegion,
      name,
      description: o.input.description,
      token,
      encryption: o.encryption,
      tags,
    })
    const out = await ec2Call('CopyImage', options, (abortSignal) =>
      client.send(new CopyImageCommand(params), { abortSignal }),
    )
    imageId = out.ImageId
    if (!imageId) throw new FerryError('AWS', `CopyImage to ${o.region} returned no image id.`)
    o.made[o.region] = imageId
    await options.record?.(copyJournalKey(o.region), imageId)
  }
  const [image] = await waitForImages(client, [imageId], options).catch(async (error: unknown) => {
    if (TimeoutError.is(error)) await keepTagged(client, { imageId, tags }, options)
    throw error
  })
  await tagImageAndSnapshots(client, { image: image!, tags }, options)
  const facts = imageFacts(image!)
  return {
    imageId,
    region: o.region,
    name: facts.name ?? name,
    snapshotIds: facts.snapshotIds,
    encrypted: facts.encrypted,
    adopted: existing !== undefined,
  }
}

// A copy still running when the wait ends is kept for a re-run, which finds it by these tags;
// CopyImage tags at birth on AWS, but make sure (moto drops them). Its timeout is what counts.
async function keepTagged(
  client: EC2Client,
  o: { imageId: string; tags: ReturnType<typeof resourceTags> },
  options: ImagesOptions,
): Promise<void> {
  await tagImageAndSnapshots(
    client,
    { image: { ImageId: o.imageId }, tags: o.tags },
    options,
  ).catch((error: unknown) =>
    createEmitter(options.onEvent)({
      type: 'warning',
      message: `could not tag copy ${o.imageId} still in flight: ${error instanceof Error ? error.message : String(error)}`,
    }),
  )
}

async function describeSource(
  client: EC2Client,
  imageId: string,
  options: ImagesOptions,
): Promise<Image> {
  const { DescribeImagesCommand } = await sdk()
  const ImageIds = [validate.amiId(imageId, 'imageId')]
  const out = await ec2CallFresh(
    { operation: 'DescribeImages', notFound: [NOT_FOUND.image] },
    options,
    (abortSignal) => client.send(new DescribeImagesCommand({ ImageIds }), { abortSignal }),
  )
  const image = out.Images?.[0]
  if (!image || image.State !== 'available')
    throw new FerryError(
      'PRECONDITION',
      `AMI ${imageId} is ${image?.State ?? 'not found'}; only an available AMI can be copied.`,
    )
  return image
}
