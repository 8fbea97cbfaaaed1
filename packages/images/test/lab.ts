// The lab's moto endpoint for these tests, plus helpers to launch an instance and read back.
import { randomUUID } from 'node:crypto'
import {
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
  type Image,
} from '@aws-sdk/client-ec2'
import type { AwsOptions } from '@ferry/core'
import { labInfo } from '@ferry/lab/vitest'

/** The lab's AWS settings (moto), from the global setup. No lab = a failure, never a skip. */
export function labAws(): Required<Pick<AwsOptions, 'endpoint' | 'region' | 'credentials'>> {
  const { aws } = labInfo()
  return { endpoint: aws.endpoint, region: aws.region, credentials: { ...aws.credentials } }
}

/**
 * A separate client, never the one under test, to read results back and make fixtures: moto
 * itself, past the strict layer (an observer must not spend the NotFound answers of new ids).
 */
export function reader(region: string): EC2Client {
  const aws = labAws()
  return new EC2Client({
    region,
    endpoint: labInfo().aws.motoEndpoint,
    credentials: aws.credentials,
    maxAttempts: 2,
  })
}

/** A unique run id per test, so files running in parallel never see each other's resources. */
export const uniqueRun = (what: string) => `${what}-${randomUUID().slice(0, 8)}`

/**
 * Launches a moto instance with a root volume and a data volume at /dev/sdf (RunInstances
 * directly: @ferry/ec2 is written in parallel). `via` launches through another client, e.g. a
 * strict scope's, so the new instance id is fresh there as on AWS.
 */
export async function launchInstance(
  region = 'us-east-1',
  via?: EC2Client,
): Promise<{ instanceId: string; region: string }> {
  const images = await reader(region).send(new DescribeImagesCommand({ Owners: ['amazon'] }))
  const ec2 = via ?? reader(region)
  const ami = images.Images?.find((i: Image) => i.RootDeviceName === '/dev/sda1')
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: ami!.ImageId!,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      BlockDeviceMappings: [
        { DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8, VolumeType: 'gp3' } },
        { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 4, VolumeType: 'gp3', Encrypted: true } },
      ],
    }),
  )
  return { instanceId: out.Instances![0]!.InstanceId!, region }
}
