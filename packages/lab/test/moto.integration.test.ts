import {
  DescribeImagesCommand,
  DescribeRegionsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { afterAll, describe, expect, it } from 'vitest'
import { labHost } from '../src/index'
import { labInfo } from '../src/vitest'
import { sshRun, sshToLab } from './helpers'

const lab = labInfo()
const ec2 = new EC2Client({
  endpoint: lab.aws.endpoint,
  region: lab.aws.region,
  credentials: lab.aws.credentials,
})
afterAll(() => ec2.destroy())

describe('moto (the AWS APIs)', () => {
  it('answers EC2 DescribeRegions through the real SDK client', async () => {
    const { Regions } = await ec2.send(new DescribeRegionsCommand({}))
    expect(Regions?.map((r) => r.RegionName)).toContain('us-east-1')
  })

  it('launches an instance that resolveHost maps to the lab sshd', async () => {
    const { Images } = await ec2.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        // Unfiltered, moto answers with ~1300 images in ~5 s.
        Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }],
      }),
    )
    const imageId = Images?.[0]?.ImageId
    expect(imageId).toMatch(/^ami-/)
    const { Instances } = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
      }),
    )
    const instance = Instances![0]!
    try {
      const host = labHost(lab, {
        instanceId: instance.InstanceId,
        publicIp: instance.PublicIpAddress,
        privateIp: instance.PrivateIpAddress,
      })
      expect(host).toMatchObject({
        host: '127.0.0.1',
        port: lab.ssh.port,
        username: 'ferry-deploy',
      })
      const ssh = await sshToLab(lab)
      try {
        expect((await sshRun(ssh, 'whoami')).trim()).toBe('ferry-deploy')
      } finally {
        ssh.dispose()
      }
    } finally {
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId!] }))
    }
  })
})
