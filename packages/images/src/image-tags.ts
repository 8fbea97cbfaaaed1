// Tags an image and its snapshots once they exist: CreateImage, RegisterImage and CopyImage
// tag the image at birth where AWS supports it; the snapshots get CreateTags afterwards.
import type { EC2Client, Image } from '@aws-sdk/client-ec2'
import type { Tag } from '@ferry/core'
import { sdk } from './clients.js'
import { ec2CallFresh, NOT_FOUND } from './ec2-call.js'
import { imageFacts } from './image-facts.js'
import type { ImagesOptions } from './options.js'
import { missingTags } from './tags.js'

/**
 * Puts `tags` on the image (when it lacks any) and on its snapshots, except `skipSnapshotIds`
 * (a source snapshot another step owns keeps its own tags).
 * @example
 * await tagImageAndSnapshots(ec2, image, tags, { skipSnapshotIds: ['snap-1'] })
 */
export async function tagImageAndSnapshots(
  client: EC2Client,
  target: { image: Image; tags: Tag[]; skipSnapshotIds?: string[] },
  options: ImagesOptions,
): Promise<string[]> {
  const facts = imageFacts(target.image)
  const snapshots = facts.snapshotIds.filter((id) => !target.skipSnapshotIds?.includes(id))
  const resources = [
    ...(missingTags(target.tags, target.image.Tags).length ? [facts.imageId] : []),
    ...snapshots,
  ]
  if (!resources.length || !target.tags.length) return []
  const { CreateTagsCommand } = await sdk()
  // The snapshots CreateImage / CopyImage made are as new as the image itself.
  await ec2CallFresh(
    { operation: 'CreateTags', notFound: [NOT_FOUND.image, NOT_FOUND.snapshot] },
    options,
    (abortSignal) =>
      client.send(new CreateTagsCommand({ Resources: resources, Tags: target.tags }), {
        abortSignal,
      }),
  )
  return resources
}
