// Pure inputs for moving a volume to another AZ or region through a snapshot.
import type {
  CopySnapshotCommandInput,
  CreateVolumeCommandInput,
  VolumeType,
} from '@aws-sdk/client-ec2'
import { type Tag, ValidationError, validate } from '@ferry/core'
import { kmsKeyIn } from './copy-input.js'
import { checkDescription } from './snapshot-input.js'
import { checkTags } from './tags.js'

/** Move a volume's data to a new volume in another AZ (same region) or another region. */
export interface MigrateVolumeInput {
  volumeId: string
  /** The source volume's region. Default: `aws.region`, else the injected client's. */
  region?: string
  to: {
    /** Default: the source region (an AZ move). */
    region?: string
    availabilityZone: string
  }
  /** Default `gp3`. */
  volumeType?: VolumeType
  /** Default true: the new volume is encrypted (with `kmsKeyId`, else the region's EBS key). */
  encrypted?: boolean
  kmsKeyId?: string
  iops?: number
  throughput?: number
  /** GiB; default the snapshot's size (it can only grow). */
  size?: number
  name?: string
  tags?: Record<string, string>
}

/**
 * Validates a migration; returns the target region.
 * @example
 * checkMigrateInput({ volumeId: 'vol-0123456789abcdef0', to: { region: 'eu-west-1', availabilityZone: 'eu-west-1b' } }, 'us-east-1')
 */
export function checkMigrateInput(input: MigrateVolumeInput, sourceRegion: string): string {
  validate.volumeId(input.volumeId)
  if (typeof input.to !== 'object' || input.to === null)
    throw new ValidationError({
      field: 'to',
      value: input.to,
      allowed: '{ region?, availabilityZone }',
    })
  const region =
    input.to.region === undefined ? sourceRegion : validate.region(input.to.region, 'to.region')
  const az = input.to.availabilityZone
  if (
    typeof az !== 'string' ||
    !az.startsWith(region) ||
    !/^[a-z0-9-]+[a-z]$/.test(az) ||
    az.length > region.length + 12
  )
    throw new ValidationError({
      field: 'to.availabilityZone',
      value: az,
      allowed: `an availability zone of ${region}, such as ${region}a`,
    })
  if (input.encrypted === false && input.kmsKeyId !== undefined)
    throw new ValidationError({
      field: 'kmsKeyId',
      value: input.kmsKeyId,
      allowed: 'no key when encrypted is false',
    })
  if (input.kmsKeyId !== undefined) kmsKeyIn(input.kmsKeyId, region, 'kmsKeyId')
  for (const [field, max] of [
    ['iops', 256_000],
    ['throughput', 4000],
    ['size', 65536],
  ] as const) {
    const v = input[field]
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > max))
      throw new ValidationError({ field, value: v, allowed: `an integer from 1 to ${max}` })
  }
  if (input.name !== undefined) checkDescription(input.name, 'name')
  checkTags(input.tags)
  return region
}

/**
 * The CopySnapshot input (sent to the destination region's endpoint).
 * @example
 * copySnapshotInput({ snapshotId: 'snap-1', sourceRegion: 'us-east-1', encrypted: true, tags })
 */
export function copySnapshotInput(o: {
  snapshotId: string
  sourceRegion: string
  encrypted: boolean
  kmsKeyId?: string
  tags: Tag[]
}): CopySnapshotCommandInput {
  return {
    SourceSnapshotId: o.snapshotId,
    SourceRegion: o.sourceRegion,
    Description: `ferry copy of ${o.snapshotId} from ${o.sourceRegion}`,
    ...(o.encrypted ? { Encrypted: true } : {}),
    ...(o.kmsKeyId ? { KmsKeyId: o.kmsKeyId } : {}),
    ...(o.tags.length ? { TagSpecifications: [{ ResourceType: 'snapshot', Tags: o.tags }] } : {}),
  }
}

/**
 * The CreateVolume input: gp3 and encrypted by default, tagged, with a stable ClientToken.
 * @example
 * createVolumeInput({ snapshotId: 'snap-1', availabilityZone: 'eu-west-1a', token: 't', tags: [] })
 */
export function createVolumeInput(
  o: Pick<
    MigrateVolumeInput,
    'volumeType' | 'encrypted' | 'kmsKeyId' | 'iops' | 'throughput' | 'size'
  > & {
    snapshotId: string
    availabilityZone: string
    token: string
    tags: Tag[]
  },
): CreateVolumeCommandInput {
  return {
    SnapshotId: o.snapshotId,
    AvailabilityZone: o.availabilityZone,
    VolumeType: o.volumeType ?? 'gp3',
    Encrypted: o.encrypted ?? true,
    ...(o.kmsKeyId ? { KmsKeyId: o.kmsKeyId } : {}),
    ...(o.iops ? { Iops: o.iops } : {}),
    ...(o.throughput ? { Throughput: o.throughput } : {}),
    ...(o.size ? { Size: o.size } : {}),
    ClientToken: o.token,
    ...(o.tags.length ? { TagSpecifications: [{ ResourceType: 'volume', Tags: o.tags }] } : {}),
  }
}
