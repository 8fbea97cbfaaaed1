// The RunInstances input of a web server, as a pure builder: IMDSv2 required, an encrypted gp3
// root volume, tags on the instance and its volumes, and a ClientToken for idempotency.
import type { RunInstancesCommandInput } from '@aws-sdk/client-ec2'
import { ferryTags } from '@ferry/core'
import { encodeUserData } from './user-data.js'
import type { TagContext } from './key-pair.js'

/** The root EBS volume. It is always encrypted gp3. */
export interface RootVolume {
  /** GiB; default 16 (room for container images). */
  sizeGiB?: number
  /** A KMS key for the encryption; default the account's EBS default key. */
  kmsKeyId?: string
  /** gp3 IOPS (3000–16000) and throughput (125–1000 MiB/s); default gp3's baseline. */
  iops?: number
  throughputMiBps?: number
}

/** Everything RunInstances needs, already resolved and validated. */
export interface LaunchPlan {
  name: string
  imageId: string
  instanceType: string
  count: number
  keyName: string
  securityGroupId: string
  subnetId?: string
  /** Give the primary interface a public IPv4 address (for a subnet that maps none). */
  associatePublicIp?: boolean
  rootDeviceName: string
  rootVolume?: RootVolume
  /** The bootstrap script (plain text); omitted when undefined. */
  userData?: string
  clientToken: string
  tags?: Record<string, string>
}

/**
 * Default root volume size, GiB.
 * @example
 * runInstancesInput(plan).BlockDeviceMappings?.[0]?.Ebs?.VolumeSize // DEFAULT_ROOT_GIB
 */
export const DEFAULT_ROOT_GIB = 16

/**
 * The RunInstances input for a launch plan.
 * @example
 * runInstancesInput({ name: 'web', imageId: 'ami-…', instanceType: 't3.micro', count: 1, keyName: 'web', securityGroupId: 'sg-…', rootDeviceName: '/dev/xvda', clientToken: 't' }, { runId: 'r1', step: 'launch' })
 */
export function runInstancesInput(
  plan: LaunchPlan,
  tags: TagContext = {},
): RunInstancesCommandInput {
  const resourceTags = ferryTags({ ...tags, name: plan.name, extra: plan.tags })
  const root = plan.rootVolume ?? {}
  return {
    ImageId: plan.imageId,
    InstanceType: plan.instanceType as RunInstancesCommandInput['InstanceType'],
    MinCount: plan.count,
    MaxCount: plan.count,
    KeyName: plan.keyName,
    // A subnet that maps no public IP gets one through the primary interface (SSH needs it).
    ...(plan.associatePublicIp
      ? {
          NetworkInterfaces: [
            {
              DeviceIndex: 0,
              AssociatePublicIpAddress: true,
              Groups: [plan.securityGroupId],
              ...(plan.subnetId ? { SubnetId: plan.subnetId } : {}),
            },
          ],
        }
      : {
          SecurityGroupIds: [plan.securityGroupId],
          ...(plan.subnetId ? { SubnetId: plan.subnetId } : {}),
        }),
    ClientToken: plan.clientToken,
    MetadataOptions: {
      HttpTokens: 'required',
      HttpEndpoint: 'enabled',
      // 2 hops so containers on the docker bridge can reach IMDSv2 too.
      HttpPutResponseHopLimit: 2,
    },
    BlockDeviceMappings: [
      {
        DeviceName: plan.rootDeviceName,
        Ebs: {
          VolumeSize: root.sizeGiB ?? DEFAULT_ROOT_GIB,
          VolumeType: 'gp3',
          Encrypted: true,
          DeleteOnTermination: true,
          ...(root.kmsKeyId ? { KmsKeyId: root.kmsKeyId } : {}),
          ...(root.iops ? { Iops: root.iops } : {}),
          ...(root.throughputMiBps ? { Throughput: root.throughputMiBps } : {}),
        },
      },
    ],
    ...(plan.userData === undefined ? {} : { UserData: encodeUserData(plan.userData) }),
    TagSpecifications: [
      { ResourceType: 'instance', Tags: resourceTags },
      { ResourceType: 'volume', Tags: resourceTags },
    ],
  }
}
