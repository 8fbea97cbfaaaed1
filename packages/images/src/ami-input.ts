// Pure builders for AMIs: CreateImage (from an instance) and RegisterImage (from a snapshot).
import type {
  CreateImageCommandInput,
  DescribeImagesCommandInput,
  RegisterImageCommandInput,
} from '@aws-sdk/client-ec2'
import { type Tag, ValidationError, validate } from '@ferry/core'
import { amiName } from './image-facts.js'
import { checkDescription, checkDevice } from './snapshot-input.js'
import { runFilters } from '@ferry/core'
import { checkTags } from './tags.js'

/** Settings every AMI takes. */
interface AmiCommon {
  /** Default: `ferry-<runId>-<step>`, else `ferry-<source>-<time>`. Unique per region. */
  name?: string
  description?: string
  region?: string
  tags?: Record<string, string>
}

/** An AMI from a running or stopped instance (CreateImage). */
export interface AmiFromInstance extends AmiCommon {
  instanceId: string
  /** Skip the reboot AWS does for a consistent file system. Default false. */
  noReboot?: boolean
}

/**
 * The architectures RegisterImage takes.
 * @example
 * AMI_ARCHITECTURES.includes('arm64') // true
 */
export const AMI_ARCHITECTURES = ['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac'] as const

/** An architecture RegisterImage takes. */
export type AmiArchitecture = (typeof AMI_ARCHITECTURES)[number]

/** An AMI from an EBS snapshot of a root volume (RegisterImage). */
export interface AmiFromSnapshot extends AmiCommon {
  snapshotId: string
  /** Default: the architecture of the server whose volume was snapshotted; refused if unknown. */
  architecture?: AmiArchitecture
  /** ENA networking, needed by every current instance type. Default true. */
  ena?: boolean
  /** Default `uefi-preferred` (UEFI where the instance type supports it, else BIOS). */
  bootMode?: 'uefi' | 'legacy-bios' | 'uefi-preferred'
  /** Default `/dev/xvda`. */
  rootDeviceName?: string
  /** Default `gp3`. */
  volumeType?: 'gp3' | 'gp2' | 'io1' | 'io2' | 'st1' | 'sc1' | 'standard'
  /** GiB; default the snapshot's size. */
  volumeSize?: number
  /** Instances launched from it require IMDSv2. Default true. */
  requireImdsV2?: boolean
}

/** Either source. */
export type CreateAmiInput = AmiFromInstance | AmiFromSnapshot

/**
 * Validates an AMI request (exactly one of `instanceId` / `snapshotId`).
 * @example
 * checkAmiInput({ snapshotId: 'snap-0123456789abcdef0', architecture: 'arm64' })
 */
export function checkAmiInput(input: CreateAmiInput): CreateAmiInput {
  const i = input as Partial<AmiFromInstance & AmiFromSnapshot>
  if ((i.instanceId === undefined) === (i.snapshotId === undefined))
    throw new ValidationError({
      field: 'instanceId',
      value: { instanceId: i.instanceId, snapshotId: i.snapshotId },
      allowed: 'exactly one of instanceId or snapshotId',
    })
  if (i.name !== undefined) amiName(i.name)
  if (i.description !== undefined) checkDescription(i.description)
  if (i.region !== undefined) validate.region(i.region)
  checkTags(i.tags)
  if (i.instanceId !== undefined) {
    validate.instanceId(i.instanceId)
    if (i.noReboot !== undefined) bool(i.noReboot, 'noReboot')
    return input
  }
  validate.snapshotId(i.snapshotId)
  oneOf(i.architecture, 'architecture', AMI_ARCHITECTURES)
  oneOf(i.bootMode, 'bootMode', ['uefi', 'legacy-bios', 'uefi-preferred'])
  oneOf(i.volumeType, 'volumeType', ['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'])
  if (i.rootDeviceName !== undefined && checkDevice(i.rootDeviceName, 'rootDeviceName') === 'root')
    throw new ValidationError({
      field: 'rootDeviceName',
      value: 'root',
      allowed: 'a device name such as /dev/xvda',
    })
  if (
    i.volumeSize !== undefined &&
    (!Number.isInteger(i.volumeSize) || i.volumeSize < 1 || i.volumeSize > 65536)
  )
    throw new ValidationError({
      field: 'volumeSize',
      value: i.volumeSize,
      allowed: 'an integer GiB from 1 to 65536',
    })
  if (i.ena !== undefined) bool(i.ena, 'ena')
  if (i.requireImdsV2 !== undefined) bool(i.requireImdsV2, 'requireImdsV2')
  return input
}

/**
 * The CreateImage input; the image is tagged at birth (its snapshots are tagged once known).
 * @example
 * createImageInput({ instanceId: 'i-1', name: 'web', noReboot: true }, tags)
 */
export function createImageInput(
  input: AmiFromInstance & { name: string },
  tags: Tag[],
): CreateImageCommandInput {
  return {
    InstanceId: input.instanceId,
    Name: input.name,
    ...(input.description ? { Description: input.description } : {}),
    NoReboot: input.noReboot ?? false,
    ...(tags.length ? { TagSpecifications: [{ ResourceType: 'image', Tags: tags }] } : {}),
  }
}

/**
 * The RegisterImage input for a root-volume snapshot: hvm, ENA, boot mode, gp3 root, IMDSv2.
 * The architecture is always explicit: AWS's own default is i386.
 * @example
 * registerImageInput({ snapshotId: 'snap-1', name: 'web', architecture: 'arm64' }, tags)
 */
export function registerImageInput(
  input: AmiFromSnapshot & { name: string; architecture: AmiArchitecture },
  tags: Tag[],
): RegisterImageCommandInput {
  const root = input.rootDeviceName ?? '/dev/xvda'
  return {
    Name: input.name,
    ...(input.description ? { Description: input.description } : {}),
    Architecture: input.architecture,
    VirtualizationType: 'hvm',
    EnaSupport: input.ena ?? true,
    BootMode: input.bootMode ?? 'uefi-preferred',
    RootDeviceName: root,
    BlockDeviceMappings: [
      {
        DeviceName: root,
        Ebs: {
          SnapshotId: input.snapshotId,
          VolumeType: input.volumeType ?? 'gp3',
          DeleteOnTermination: true,
          ...(input.volumeSize ? { VolumeSize: input.volumeSize } : {}),
        },
      },
    ],
    ...((input.requireImdsV2 ?? true) ? { ImdsSupport: 'v2.0' as const } : {}),
    ...(tags.length ? { TagSpecifications: [{ ResourceType: 'image', Tags: tags }] } : {}),
  }
}

/**
 * The DescribeImages query for this run's and step's image (pending or available).
 * @example
 * findImageInput({ runId: 'r1', step: 'bake' })
 */
export function findImageInput(
  o: { runId: string; step: string },
  extra: Record<string, string> = {},
): DescribeImagesCommandInput {
  return {
    Owners: ['self'],
    Filters: [...runFilters(o, extra), { Name: 'state', Values: ['pending', 'available'] }],
  }
}

function bool(value: unknown, field: string): void {
  if (typeof value !== 'boolean')
    throw new ValidationError({ field, value, allowed: 'true or false' })
}

function oneOf(value: unknown, field: string, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string))
    throw new ValidationError({ field, value, allowed: `one of ${allowed.join(', ')}` })
}
