import {
  DescribeImagesCommand,
  DescribeRegionsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { afterAll, describe, expect, it } from 'vitest'
import { instanceAddress, labHost } from '../src/index'
import { labInfo } from '../src/vitest'
import { sshRun, sshToLab } from './helpers'

const lab = labInfo()
const ec2 = new EC2Client({
  endpoint: lab.aws.endpoint,
  region: lab.aws.region,
  credentials: lab.aws.credentials,
})
// Clean-up talks to moto itself: the instance is new, and through the strict layer its first
// use answers NotFound (eventual consistency), which this test is not about.
const motoItself = new EC2Client({
  endpoint: lab.aws.motoEndpoint,
  region: lab.aws.region,
  credentials: lab.aws.credentials,
})
afterAll(() => {
  ec2.destroy()
  motoItself.destroy()
})

describe('moto (the AWS APIs)', () => {
  it('answers EC2 DescribeRegions through the real SDK client', async () => {
    const { Regions } = await ec2.send(new DescribeRegionsCommand({}))
    expect(Regions?.map((r) => r.RegionName)).toContain('us-east-1')
  })

  it('launches an instance that resolveHost maps to its own lab address (sshd behind its security group)', async () => {
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
      const address = instanceAddress(lab, instance.InstanceId!)
      expect(host).toMatchObject({
        host: address.host,
        port: address.ports[22],
        username: 'ferry-deploy',
      })
      expect(address.host).toMatch(/^127\.10\.\d+\.\d+$/)
      const ssh = await sshToLab(lab)
      try {
        expect((await sshRun(ssh, 'whoami')).trim()).toBe('ferry-deploy')
      } finally {
        ssh.dispose()
      }
    } finally {
      await motoItself.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId!] }))
    }
  })
})
