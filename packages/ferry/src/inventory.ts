// inventory(runId): what of a run still exists, found by its ferry:run tag — the summary a
// deploy script prints after a run, and again after teardown to show nothing is left.
import type { EC2Client } from '@aws-sdk/client-ec2'
import { awsClientConfig, callAws, runFilters, type AwsOptions, type EventSink } from '@ferry/core'
import { acceleratorsByRun } from '@ferry/edge'
import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator'
import { teardownRegions } from './teardown.js'

/** What a run has in one region. */
export interface RegionInventory {
  instances: string[]
  securityGroups: string[]
  keyPairs: string[]
  images: string[]
  snapshots: string[]
  volumes: string[]
}

/** What a run has, per region, plus its accelerators. */
export interface RunInventory {
  runId: string
  regions: Record<string, RegionInventory>
  accelerators: string[]
  /** The number of resources found in all. */
  total: number
}

/**
 * Lists what a run created and still exists, by tags, in every region it touched.
 * @example
 * const left = await inventory('run-42', { aws, regions: ['us-west-1'] })
 * if (left.total > 0) console.table(left.regions)
 */
export async function inventory(
  runId: string,
  options: {
    aws?: AwsOptions
    regions?: string[]
    journal?: string | false
    globalAccelerator?: GlobalAcceleratorClient | false
    onEvent?: EventSink
  } = {},
): Promise<RunInventory> {
  const regions = await teardownRegions(runId, options)
  const { EC2Client } = await import('@aws-sdk/client-ec2')
  const found = await Promise.all(
    regions.map((region) =>
      regionInventory(new EC2Client(awsClientConfig(options.aws, region)), runId, options.onEvent),
    ),
  )
  const accelerators =
    options.globalAccelerator === false
      ? []
      : (
          await acceleratorsByRun(
            { runId },
            {
              aws: options.aws,
              onEvent: options.onEvent,
              ...(options.globalAccelerator
                ? { globalAccelerator: options.globalAccelerator }
                : {}),
            },
          )
        ).map((a) => a.arn)
  const total =
    accelerators.length +
    found.reduce(
      (n, r) => n + (Object.values(r) as string[][]).reduce((m, ids) => m + ids.length, 0),
      0,
    )
  return {
    runId,
    regions: Object.fromEntries(regions.map((r, i) => [r, found[i]!])),
    accelerators,
    total,
  }
}

async function regionInventory(
  ec2: EC2Client,
  runId: string,
  onEvent?: EventSink,
): Promise<RegionInventory> {
  const s = await import('@aws-sdk/client-ec2')
  const Filters = runFilters({ runId })
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    callAws({ service: 'EC2', operation, onEvent }, fn)
  const [instances, groups, keys, images, snapshots, volumes] = await Promise.all([
    call('DescribeInstances', () =>
      ec2.send(
        new s.DescribeInstancesCommand({
          Filters: [
            ...Filters,
            {
              Name: 'instance-state-name',
              Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'],
            },
          ],
        }),
      ),
    ),
    call('DescribeSecurityGroups', () =>
      ec2.send(new s.DescribeSecurityGroupsCommand({ Filters })),
    ),
    call('DescribeKeyPairs', () => ec2.send(new s.DescribeKeyPairsCommand({ Filters }))),
    call('DescribeImages', () =>
      ec2.send(new s.DescribeImagesCommand({ Owners: ['self'], Filters })),
    ),
    call('DescribeSnapshots', () =>
      ec2.send(new s.DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters })),
    ),
    call('DescribeVolumes', () => ec2.send(new s.DescribeVolumesCommand({ Filters }))),
  ])
  const ids = <T>(items: T[] | undefined, id: (item: T) => string | undefined) =>
    (items ?? []).flatMap((i) => id(i) ?? [])
  return {
    instances: (instances.Reservations ?? []).flatMap((r) => ids(r.Instances, (i) => i.InstanceId)),
    securityGroups: ids(groups.SecurityGroups, (g) => g.GroupId),
    keyPairs: ids(keys.KeyPairs, (k) => k.KeyName),
    images: ids(images.Images, (i) => i.ImageId),
    snapshots: ids(snapshots.Snapshots, (x) => x.SnapshotId),
    volumes: ids(volumes.Volumes, (v) => v.VolumeId),
  }
}
