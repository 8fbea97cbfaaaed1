// migrateVolume: volume → snapshot → (copy to another region) → new volume in the target AZ.
import { randomUUID } from 'node:crypto'
import type { EC2Client, Filter } from '@aws-sdk/client-ec2'
import { createEmitter, FerryError, idempotencyToken, validate } from '@ferry/core'
import { clientIn, resolveRegion, sdk } from './clients.js'
import { createOnce, singleAttempt } from './create-once.js'
import { ec2Call, ec2CallFresh, NOT_FOUND } from './ec2-call.js'
import {
  checkMigrateInput,
  copySnapshotInput,
  createVolumeInput,
  type MigrateVolumeInput,
} from './migrate-input.js'
import { DEFAULT_STEP, type ImagesOptions } from './options.js'
import { snapshotVolume } from './snapshot-volume.js'
import { runFilters } from '@ferry/core'
import { resourceTags, SOURCE_TAG } from './tags.js'
import { waitForSnapshot, waitForVolume } from './wait.js'

/** The new volume and the snapshots it came through (kept as a backup; teardown removes them). */
export interface MigrateVolumeResult {
  volumeId: string
  region: string
  availabilityZone: string
  /** The snapshot of the source volume, in the source region. */
  sourceSnapshotId: string
  /** The snapshot the new volume was made from (a copy when the region changed). */
  snapshotId: string
}

/**
 * Moves a volume's data to a new volume in another AZ or region: snapshot, CopySnapshot to the
 * target region when it differs, CreateVolume (gp3, encrypted, tagged), wait until available.
 * The source volume is left untouched. Each stage adopts what a re-run of the same run made.
 * @example
 * const moved = await migrateVolume({ volumeId: 'vol-0123456789abcdef0', to: { region: 'eu-west-1', availabilityZone: 'eu-west-1b' } }, { aws, runId: 'r1' })
 */
export async function migrateVolume(
  input: MigrateVolumeInput,
  options: ImagesOptions = {},
): Promise<MigrateVolumeResult> {
  validate.volumeId(input.volumeId)
  const sourceRegion = await resolveRegion(input.region, options)
  const region = checkMigrateInput(input, sourceRegion)
  const target = await clientIn(region, options)
  const step = options.step ?? DEFAULT_STEP
  const tags = (source: string) =>
    resourceTags({
      runId: options.runId,
      step,
      name: input.name,
      tags: { ...input.tags, [SOURCE_TAG]: source },
    })
  const snap = await snapshotVolume(
    { volumeId: input.volumeId, region: sourceRegion, name: input.name, tags: input.tags },
    options,
  )
  const snapshotId =
    region === sourceRegion
      ? snap.snapshotId
      : await copySnapshot(
          target,
          { snapshotId: snap.snapshotId, sourceRegion, region, input, tags: tags(snap.snapshotId) },
          options,
        )
  const volumeId = await createVolume(
    target,
    { snapshotId, input, tags: tags(snapshotId) },
    options,
  )
  await waitForVolume(target, volumeId, options)
  return {
    volumeId,
    region,
    availabilityZone: input.to.availabilityZone,
    sourceSnapshotId: snap.snapshotId,
    snapshotId,
  }
}

async function copySnapshot(
  client: EC2Client,
  o: {
    snapshotId: string
    sourceRegion: string
    region: string
    input: MigrateVolumeInput
    tags: ReturnType<typeof resourceTags>
  },
  options: ImagesOptions,
): Promise<string> {
  const { CopySnapshotCommand, DescribeSnapshotsCommand } = await sdk()
  const key = `migrate:snapshot:${o.snapshotId}`
  const find = () =>
    adopt({ key, source: o.snapshotId }, options, async (filters) => {
      const out = await ec2Call('DescribeSnapshots', options, (abortSignal) =>
        client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filters }), {
          abortSignal,
        }),
      )
      return out.Snapshots?.find((s) => s.State !== 'error')?.SnapshotId
    })
  let id = await find()
  if (!id) {
    const params = copySnapshotInput({
      snapshotId: o.snapshotId,
      sourceRegion: o.sourceRegion,
      encrypted: o.input.encrypted ?? true,
      kmsKeyId: o.input.kmsKeyId,
      tags: o.tags,
    })
    id = await createOnce(
      {
        operation: 'CopySnapshot',
        notFound: [NOT_FOUND.snapshot],
        send: async (abortSignal) =>
          (await client.send(singleAttempt(new CopySnapshotCommand(params)), { abortSignal }))
            .SnapshotId,
        find: options.runId ? find : undefined,
      },
      options,
    )
    if (!id)
      throw new FerryError(
        'AWS',
        `CopySnapshot of ${o.snapshotId} to ${o.region} returned no snapshot id.`,
      )
    await options.record?.(key, id)
  }
  await waitForSnapshot(client, id, options)
  return id
}

async function createVolume(
  client: EC2Client,
  o: { snapshotId: string; input: MigrateVolumeInput; tags: ReturnType<typeof resourceTags> },
  options: ImagesOptions,
): Promise<string> {
  const { CreateVolumeCommand, DescribeVolumesCommand } = await sdk()
  const key = `migrate:volume:${o.snapshotId}`
  const existing = await adopt({ key, source: o.snapshotId }, options, async (filters) => {
    const out = await ec2Call('DescribeVolumes', options, (abortSignal) =>
      client.send(new DescribeVolumesCommand({ Filters: filters }), { abortSignal }),
    )
    return out.Volumes?.find((v) => v.State === 'available' || v.State === 'creating')?.VolumeId
  })
  if (existing) return existing
  const token = options.runId
    ? idempotencyToken(options.runId, options.step ?? DEFAULT_STEP, key)
    : randomUUID()
  const params = createVolumeInput({
    ...o.input,
    snapshotId: o.snapshotId,
    availabilityZone: o.input.to.availabilityZone,
    token,
    tags: o.tags,
  })
  const out = await ec2CallFresh(
    { operation: 'CreateVolume', notFound: [NOT_FOUND.snapshot] },
    options,
    (abortSignal) => client.send(new CreateVolumeCommand(params), { abortSignal }),
  )
  if (!out.VolumeId)
    throw new FerryError('AWS', `CreateVolume from ${o.snapshotId} returned no volume id.`)
  await options.record?.(key, out.VolumeId)
  return out.VolumeId
}

// The journal's id wins; else this run's and step's resource made from `source`, found by tags.
async function adopt(
  { key, source }: { key: string; source: string },
  options: ImagesOptions,
  find: (filters: Filter[]) => Promise<string | undefined>,
): Promise<string | undefined> {
  const recorded = options.recorded?.(key)
  const idFilter = recorded?.startsWith('vol-') ? 'volume-id' : 'snapshot-id'
  const filters = recorded
    ? [{ Name: idFilter, Values: [recorded] }]
    : options.runId
      ? runFilters(
          { runId: options.runId, step: options.step ?? DEFAULT_STEP },
          { [`tag:${SOURCE_TAG}`]: source },
        )
      : undefined
  const found = filters ? await find(filters) : undefined
  if (found)
    createEmitter(options.onEvent)({
      type: 'info',
      message: `adopting ${found} from an earlier attempt`,
    })
  return found
}
