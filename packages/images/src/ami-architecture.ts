// The architecture to register a snapshot's AMI with: the server's whose volume was snapshotted.
import type { EC2Client } from '@aws-sdk/client-ec2'
import { isAwsCode, ValidationError } from '@ferry/core'
import { AMI_ARCHITECTURES, type AmiArchitecture } from './ami-input.js'
import { sdk } from './clients.js'
import { ec2Call, ec2CallFresh, NOT_FOUND } from './ec2-call.js'
import type { ImagesOptions } from './options.js'

/**
 * The architecture of the instance the snapshot's volume is attached to. RegisterImage takes
 * it on trust, and its own default is i386 for EBS-backed AMIs
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RegisterImage.html), so a wrong
 * guess makes an AMI that never boots: unknown (volume gone or detached) is refused.
 * @example
 * const architecture = await snapshotArchitecture(ec2, 'snap-0123456789abcdef0', {})
 */
export async function snapshotArchitecture(
  client: EC2Client,
  snapshotId: string,
  options: ImagesOptions,
): Promise<AmiArchitecture> {
  const s = await sdk()
  const snaps = await ec2CallFresh(
    { operation: 'DescribeSnapshots', notFound: [NOT_FOUND.snapshot] },
    options,
    (abortSignal) =>
      client.send(new s.DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }), { abortSignal }),
  )
  const volumeId = snaps.Snapshots?.[0]?.VolumeId
  const instanceId = volumeId ? await attachedTo(client, volumeId, options) : undefined
  const out = instanceId
    ? await ec2Call('DescribeInstances', options, (abortSignal) =>
        client.send(new s.DescribeInstancesCommand({ InstanceIds: [instanceId] }), {
          abortSignal,
        }),
      )
    : undefined
  const architecture = out?.Reservations?.[0]?.Instances?.[0]?.Architecture
  const known = AMI_ARCHITECTURES.find((a) => a === architecture)
  if (known) return known
  throw new ValidationError({
    field: 'architecture',
    value: undefined,
    allowed: `the AMI's architecture (x86_64, arm64, …): ${snapshotId}'s volume ${volumeId ?? '(unknown)'} is attached to no instance, so ferry cannot tell`,
  })
}

async function attachedTo(
  client: EC2Client,
  volumeId: string,
  options: ImagesOptions,
): Promise<string | undefined> {
  const { DescribeVolumesCommand } = await sdk()
  try {
    const out = await ec2Call('DescribeVolumes', options, (abortSignal) =>
      client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }), { abortSignal }),
    )
    return out.Volumes?.[0]?.Attachments?.find((a) => a.InstanceId)?.InstanceId
  } catch (error) {
    // A copied snapshot names vol-ffffffff; a volume deleted since is as unknown.
    if (isAwsCode(error, NOT_FOUND.volume)) return undefined
    throw error
  }
}
