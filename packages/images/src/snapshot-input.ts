// Pure builders for snapshots: the CreateSnapshot input, the adoption query, the device pick.
import type {
  CreateSnapshotCommandInput,
  DescribeSnapshotsCommandInput,
  Instance,
} from '@aws-sdk/client-ec2'
import { FerryError, ValidationError, validate } from '@ferry/core'
import { runFilters } from '@ferry/core'
import { checkTags, resourceTags } from './tags.js'

/** What to snapshot: a volume id, or an instance and one of its devices. */
export interface SnapshotVolumeInput {
  /** The EBS volume to snapshot. Give this or `instanceId`. */
  volumeId?: string
  /** The instance whose volume to snapshot. */
  instanceId?: string
  /** With `instanceId`: `'root'` (default) or a device name such as `/dev/sdf`. */
  device?: string
  /** Default: `aws.region`, else the injected client's region. */
  region?: string
  description?: string
  /** The `Name` tag. */
  name?: string
  tags?: Record<string, string>
}

/** A checked SnapshotVolumeInput. */
export type CheckedSnapshotInput = SnapshotVolumeInput &
  ({ volumeId: string; instanceId?: undefined } | { instanceId: string; device: string })

/**
 * Validates a snapshot request; exactly one of `volumeId` / `instanceId`.
 * @example
 * checkSnapshotInput({ instanceId: 'i-0123456789abcdef0', device: '/dev/sdf' })
 */
export function checkSnapshotInput(input: SnapshotVolumeInput): CheckedSnapshotInput {
  if ((input.volumeId === undefined) === (input.instanceId === undefined))
    throw new ValidationError({
      field: 'volumeId',
      value: { volumeId: input.volumeId, instanceId: input.instanceId },
      allowed: 'exactly one of volumeId or instanceId',
    })
  if (input.region !== undefined) validate.region(input.region)
  if (input.description !== undefined) checkDescription(input.description)
  if (input.name !== undefined) checkDescription(input.name, 'name')
  checkTags(input.tags)
  if (input.volumeId !== undefined) {
    if (input.device !== undefined)
      throw new ValidationError({
        field: 'device',
        value: input.device,
        allowed: 'no device when a volumeId is given',
      })
    return { ...input, volumeId: validate.volumeId(input.volumeId), instanceId: undefined }
  }
  return {
    ...input,
    instanceId: validate.instanceId(input.instanceId),
    device: checkDevice(input.device ?? 'root'),
  }
}

/**
 * A device name: `root`, or `/dev/sd[f-p]`, `/dev/xvdf`, `/dev/nvme1n1` and the like.
 * @example
 * checkDevice('/dev/sdf') // '/dev/sdf'
 */
export function checkDevice(device: unknown, field = 'device'): string {
  if (device === 'root') return device
  if (typeof device !== 'string' || !/^\/dev\/[a-z][a-z0-9]{1,15}$/.test(device))
    throw new ValidationError({
      field,
      value: device,
      allowed: '"root" or a device name such as /dev/sdf or /dev/xvda',
    })
  return device
}

/**
 * A description: at most 255 printable characters.
 * @example
 * checkDescription('nightly backup')
 */
export function checkDescription(value: unknown, field = 'description'): string {
  // eslint-disable-next-line no-control-regex
  if (typeof value !== 'string' || value.length > 255 || /[\u0000-\u001f\u007f]/.test(value))
    throw new ValidationError({ field, value, allowed: 'at most 255 printable characters' })
  return value
}

/**
 * The CreateSnapshot input: description and tags on the snapshot from the start.
 * @example
 * createSnapshotInput({ volumeId: 'vol-1', description: 'd', runId: 'r1', step: 'snap' })
 */
export function createSnapshotInput(o: {
  volumeId: string
  description: string
  runId?: string
  step?: string
  name?: string
  tags?: Record<string, string>
}): CreateSnapshotCommandInput {
  return {
    VolumeId: o.volumeId,
    Description: o.description,
    TagSpecifications: [{ ResourceType: 'snapshot', Tags: resourceTags(o) }],
  }
}

/**
 * The DescribeSnapshots query that finds this run's and step's snapshot of a volume.
 * @example
 * findSnapshotInput({ runId: 'r1', step: 'snap', volumeId: 'vol-1' })
 */
export function findSnapshotInput(o: {
  runId: string
  step: string
  volumeId: string
}): DescribeSnapshotsCommandInput {
  return { OwnerIds: ['self'], Filters: runFilters(o, { 'volume-id': o.volumeId }) }
}

/**
 * The volume behind an instance's device (`root` = its RootDeviceName). `sdX` and `xvdX`
 * name the same device, as AWS renames them on some AMIs.
 * @example
 * volumeOfDevice(instance, '/dev/sdf') // 'vol-…'
 */
export function volumeOfDevice(instance: Instance, device: string): string {
  const wanted = device === 'root' ? instance.RootDeviceName : device
  const alias = (d: string | undefined) => d?.replace(/^\/dev\/xvd/, '/dev/sd')
  const mapping = instance.BlockDeviceMappings?.find(
    (m) => m.DeviceName === wanted || (wanted && alias(m.DeviceName) === alias(wanted)),
  )
  const volumeId = mapping?.Ebs?.VolumeId
  if (!volumeId) {
    const have = instance.BlockDeviceMappings?.map((m) => m.DeviceName).join(', ') || 'none'
    throw new FerryError(
      'NOT_FOUND',
      `Instance ${instance.InstanceId} has no EBS volume at ${device === 'root' ? `its root device ${wanted ?? '(unknown)'}` : device} (devices: ${have}). Pass device: one of those, or a volumeId.`,
    )
  }
  return volumeId
}
