// Issue 12 items 8 and 13: where a launch goes. A zone that does not offer the type is refused
// before anything is made (the strict lab refuses RunInstances there, as AWS does); a subnet
// that maps no public IP gets one asked for on the primary interface, since SSH dials it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CreateSubnetCommand,
  DeleteSubnetCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2'
import { ValidationError, type FerryEvent } from '@ferry/core'
import { afterAll, describe, expect, it } from 'vitest'
import { launchWebServer, terminateWebServer } from '../src/index.js'
import { lab, labAws, labResolveHost, readBackEc2, unique } from './lab.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-network-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ec2 = readBackEc2()
const fast = { waiterMinDelay: 1000, maxWaitTime: 60_000 }

const defaultSubnet = async (zone: string) =>
  (
    await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'availability-zone', Values: [zone] },
          { Name: 'default-for-az', Values: ['true'] },
        ],
      }),
    )
  ).Subnets![0]!

describe('launchWebServer: zone and subnet', () => {
  it('refuses a type the subnet’s zone does not offer before it creates anything', async () => {
    const subnet = await defaultSubnet('us-east-1e') // offers no t3, in moto's data as on AWS
    const events: FerryEvent[] = []
    const error = await launchWebServer(
      {
        name: 'web',
        instanceType: 't3.micro',
        subnetId: subnet.SubnetId,
        keyPair: { create: { path: join(dir, 'e.pem') } },
      },
      { aws: labAws(), runId: unique('run'), onEvent: (e) => events.push(e), ...fast },
    ).catch((e: unknown) => e)
    expect(ValidationError.is(error) && error.allowed).toBe(
      'an instance type offered in us-east-1e',
    )
    const calls = events.flatMap((e) => (e.type === 'aws:call' ? [e.operation] : []))
    expect(calls.filter((c) => /^(Create|Run|Import|Authorize)/.test(c))).toEqual([])
  })

  it('asks for a public address in a subnet that maps none, and SSH reaches the server', async () => {
    const vpcId = (await defaultSubnet('us-east-1a')).VpcId!
    const subnet = (
      await ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: '172.31.240.0/24',
          AvailabilityZone: 'us-east-1b',
        }),
      )
    ).Subnet!
    expect(subnet.MapPublicIpOnLaunch).toBe(false)
    const runId = unique('run')
    try {
      const { server } = await launchWebServer(
        {
          name: 'web',
          subnetId: subnet.SubnetId,
          keyPair: { create: { path: join(dir, `${runId}.pem`) } },
          hostKey: { fingerprint: lab().ssh.hostKeyFingerprint },
          ready: 'ssh',
        },
        { aws: labAws(), runId, resolveHost: labResolveHost, ...fast },
      )
      expect(server.publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
      await terminateWebServer(server, { aws: labAws(), cleanup: true, ...fast })
    } finally {
      await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId }))
    }
  })
})
