// Teardown: everything this package made for a run, found by its `ferry:run` tag, per region.
import type { EC2Client, Filter } from '@aws-sdk/client-ec2'
import { createEmitter, ValidationError, validate } from '@ferry/core'
import { clientIn, sdk } from './clients.js'
import { deleteAmi, removeSnapshot } from './delete-ami.js'
import { isAwsCode } from '@ferry/core'
import { ec2Call } from './ec2-call.js'
import type { ImagesOptions } from './options.js'
import { runFilters } from '@ferry/core'
import { MODULE_TAG } from './tags.js'

/** What was deleted in one region. */
export interface RegionTeardown {
  imageIds: string[]
  snapshotIds: string[]
  volumeIds: string[]
}

/**
 * Deletes, in every given region, the AMIs (with their snapshots), snapshots and unattached
 * volumes tagged `ferry:run = runId` (volumes only when @ferry/images made them). A snapshot
 * still backing some other AMI is kept and reported as a warning.
 * @example
 * await deleteImagesByRun({ runId: 'r1', regions: ['us-east-1', 'eu-west-1'] }, { aws })
 */
export async function deleteImagesByRun(
  input: { runId: string; regions: string[] },
  options: ImagesOptions = {},
): Promise<Record<string, RegionTeardown>> {
  if (typeof input.runId !== 'string' || input.runId.length === 0 || input.runId.length > 256)
    throw new ValidationError({
      field: 'runId',
      value: input.runId,
      allowed: 'a run id of 1–256 characters',
    })
  if (!Array.isArray(input.regions) || input.regions.length === 0)
    throw new ValidationError({
      field: 'regions',
      value: input.regions,
      allowed: 'at least one region',
    })
  input.regions.forEach((r, i) => validate.region(r, `regions[${i}]`))
  const regions = [...new Set(input.regions)]
  const clients = await Promise.all(regions.map((r) => clientIn(r, options)))
  const results = await Promise.all(
    regions.map((r, i) => teardownRegion(clients[i]!, { runId: input.runId, region: r }, options)),
  )
  return Object.fromEntries(regions.map((r, i) => [r, results[i]!]))
}

async function teardownRegion(
  client: EC2Client,
  o: { runId: string; region: string },
  options: ImagesOptions,
): Promise<RegionTeardown> {
  const s = await sdk()
  const emit = createEmitter(options.onEvent)
  const filters = runFilters({ runId: o.runId })
  const images = await ec2Call('DescribeImages', options, (abortSignal) =>
    client.send(new s.DescribeImagesCommand({ Owners: ['self'], Filters: filters }), {
      abortSignal,
    }),
  )
  const done: RegionTeardown = { imageIds: [], snapshotIds: [], volumeIds: [] }
  const perRegion = { ...options, clientFor: () => client }
  for (const image of images.Images ?? []) {
    const r = await deleteAmi({ imageId: image.ImageId!, region: o.region }, perRegion)
    if (r.deregistered) done.imageIds.push(r.imageId)
    done.snapshotIds.push(...r.deletedSnapshotIds)
  }
  for (const snap of await runSnapshots(client, filters, options)) {
    try {
      if (await removeSnapshot(client, snap, options)) done.snapshotIds.push(snap)
    } catch (error) {
      if (!isAwsCode(error, 'InvalidSnapshot.InUse')) throw error
      emit({
        type: 'warning',
        message: `kept snapshot ${snap} in ${o.region}: it backs an AMI this run did not make`,
      })
    }
  }
  const volumes = await ec2Call('DescribeVolumes', options, (abortSignal) =>
    client.send(
      new s.DescribeVolumesCommand({
        Filters: runFilters(
          { runId: o.runId },
          { [`tag:${MODULE_TAG}`]: 'images', status: 'available' },
        ),
      }),
      { abortSignal },
    ),
  )
  for (const volume of volumes.Volumes ?? []) {
    try {
      await ec2Call('DeleteVolume', options, (abortSignal) =>
        client.send(new s.DeleteVolumeCommand({ VolumeId: volume.VolumeId! }), { abortSignal }),
      )
      done.volumeIds.push(volume.VolumeId!)
    } catch (error) {
      if (!isAwsCode(error, 'NotFound')) throw error
    }
  }
  return done
}

async function runSnapshots(
  client: EC2Client,
  filters: Filter[],
  options: ImagesOptions,
): Promise<string[]> {
  const { DescribeSnapshotsCommand } = await sdk()
  const ids: string[] = []
  let NextToken: string | undefined
  do {
    const page = await ec2Call('DescribeSnapshots', options, (abortSignal) =>
      client.send(
        new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filters, NextToken }),
        { abortSignal },
      ),
    )
    ids.push(
      ...(page.Snapshots ?? []).flatMap((snap) => (snap.SnapshotId ? [snap.SnapshotId] : [])),
    )
    NextToken = page.NextToken
  } while (NextToken)
  return ids
}
