// The waiters against the lab: an AMI that can never become available, and AWS refusing the
// caller mid-wait, both end the wait at once (the SDK's waiters poll both until maxWaitTime).
import {
  CreateImageCommand,
  CreateVolumeCommand,
  DisableImageCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import { AwsError } from '@ferry/core'
import { strictAwsScope } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { waitForImages, waitForVolume } from '../src/wait.js'
import { launchInstance, reader, uniqueRun } from './lab.js'

const strict = strictAwsScope(labInfo().aws, 'images-waiters')
const ec2 = new EC2Client({ ...strict.aws, maxAttempts: 1 })
const read = reader('us-east-1')
afterAll(() => ec2.destroy())

let imageId: string
beforeAll(async () => {
  const { instanceId } = await launchInstance()
  const name = uniqueRun('waiters')
  imageId = (await read.send(new CreateImageCommand({ InstanceId: instanceId, Name: name })))
    .ImageId!
})

test('a disabled AMI never becomes available: the wait fails at once, naming the state', async () => {
  await read.send(new DisableImageCommand({ ImageId: imageId }))
  const error = await waitForImages(ec2, [imageId], { maxWaitTime: 20_000 }).catch(
    (e: unknown) => e,
  )
  expect(AwsError.is(error) && error.message).toContain(`${imageId} is disabled`)
  const polls = (await strict.calls()).filter((c) => c.operation === 'DescribeImages')
  expect(polls).toHaveLength(1)
})

test('AuthFailure mid-wait surfaces at once with its cause, for images and volumes', async () => {
  const fault = {
    code: 'AuthFailure',
    message: 'AWS was not able to validate the credentials',
    status: 401,
  }
  await strict.inject({ operation: 'DescribeImages', fault, times: 50 })
  await strict.inject({ operation: 'DescribeVolumes', fault, times: 50 })
  const volumeId = (
    await read.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }))
  ).VolumeId!
  for (const wait of [
    waitForImages(ec2, [imageId], { maxWaitTime: 20_000 }),
    waitForVolume(ec2, volumeId, { maxWaitTime: 20_000 }),
  ]) {
    const error = await wait.catch((e: unknown) => e)
    expect(error).toMatchObject({ awsCode: 'AuthFailure', httpStatus: 401 })
    expect((error as Error).cause).toMatchObject({ name: 'AuthFailure' })
  }
  await strict.reset()
})
