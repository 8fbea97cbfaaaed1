import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DescribeInstancesCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ValidationError, type FerryEvent } from '@ferry/core'
import {
  launchWebServer,
  resizeInstance,
  terminateWebServer,
  type WebServer,
} from '../src/index.js'
import { lab, labAws, noCallEc2, readBackEc2, unique } from './lab.js'
import { strictAwsScope } from '@ferry/lab'

const ec2 = readBackEc2()
const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-resize-'))
const fast = { waiterMinDelay: 1000, maxWaitTime: 60_000 }
let server: WebServer

async function instanceNow() {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [server.instanceId] }))
  const i = out.Reservations?.[0]?.Instances?.[0]
  return { type: i?.InstanceType, state: i?.State?.Name }
}

beforeAll(async () => {
  // In us-east-1a, which (in moto's offering data) has t3.small but not trn1.2xlarge.
  const subnets = await ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: 'availability-zone', Values: ['us-east-1a'] },
        { Name: 'default-for-az', Values: ['true'] },
      ],
    }),
  )
  ;({ server } = await launchWebServer(
    {
      name: 'resize',
      subnetId: subnets.Subnets?.[0]?.SubnetId,
      keyPair: { create: { path: join(dir, 'k.pem') } },
      hostKey: { fingerprint: lab().ssh.hostKeyFingerprint },
      ready: 'running',
    },
    { aws: labAws(), runId: unique('run'), ...fast },
  ))
})
afterAll(async () => {
  await terminateWebServer(server, { aws: labAws(), cleanup: true, ...fast })
  rmSync(dir, { recursive: true, force: true })
})

describe('resizeInstance on moto', () => {
  it('stops, changes the type and starts again, reporting each wait', async () => {
    const events: FerryEvent[] = []
    const result = await resizeInstance(
      { instanceId: server.instanceId, instanceType: 't3.small' },
      { aws: labAws(), onEvent: (e) => events.push(e), ...fast },
    )
    expect(result).toMatchObject({
      instanceId: server.instanceId,
      from: 't3.micro',
      to: 't3.small',
      changed: true,
      state: 'running',
    })
    expect(await instanceNow()).toEqual({ type: 't3.small', state: 'running' })
    const calls = events.flatMap((e) => (e.type === 'aws:call' ? [e.operation] : []))
    expect(
      calls.filter((c) => /Instances$|Attribute$/.test(c) && c !== 'DescribeInstances'),
    ).toEqual(['StopInstances', 'ModifyInstanceAttribute', 'StartInstances'])
  })

  it('does nothing when the type is already right', async () => {
    const result = await resizeInstance(
      { instanceId: server.instanceId, instanceType: 't3.small' },
      { aws: labAws(), ...fast },
    )
    expect(result.changed).toBe(false)
  })

  it('refuses a type the zone does not offer without stopping the instance', async () => {
    const events: FerryEvent[] = []
    const error = await resizeInstance(
      { instanceId: server.instanceId, instanceType: 'trn1.2xlarge' },
      { aws: labAws(), onEvent: (e) => events.push(e), ...fast },
    ).catch((e: unknown) => e)
    expect(ValidationError.is(error) && error.allowed).toBe(
      'an instance type offered in us-east-1a',
    )
    expect(events.some((e) => e.type === 'aws:call' && e.operation === 'StopInstances')).toBe(false)
    expect(await instanceNow()).toEqual({ type: 't3.small', state: 'running' })
  })

  it('refuses a type of another architecture without stopping the instance', async () => {
    const error = await resizeInstance(
      { instanceId: server.instanceId, instanceType: 't4g.small' },
      { aws: labAws(), ...fast },
    ).catch((e: unknown) => e)
    expect(ValidationError.is(error) && error.field).toBe('instanceType')
    expect(await instanceNow()).toEqual({ type: 't3.small', state: 'running' })
  })

  it('when the new type cannot start (no capacity), goes back to the old type and starts that, saying both', async () => {
    const strict = strictAwsScope(lab().aws, unique('resize-capacity'))
    await strict.inject({
      operation: 'StartInstances',
      fault: {
        code: 'InsufficientInstanceCapacity',
        message:
          'We currently do not have sufficient t3.medium capacity in the Availability Zone you requested (us-east-1a).',
        status: 500,
      },
    })
    const events: FerryEvent[] = []
    const error = await resizeInstance(
      { instanceId: server.instanceId, instanceType: 't3.medium' },
      { aws: { ...strict.aws, maxAttempts: 1 }, onEvent: (e) => events.push(e), ...fast },
    ).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(
      /to t3\.medium failed at start \(.*sufficient t3\.medium capacity.*\): it was changed back to t3\.small and runs again/,
    )
    expect(await instanceNow()).toEqual({ type: 't3.small', state: 'running' })
    expect(
      events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message),
    ).toContainEqual(
      `${server.instanceId} could not start as t3.medium; it runs as t3.small again.`,
    )
  })

  it('says so when the public IP changed across the restart, and returns the new one', async () => {
    const before = (
      await ec2.send(new DescribeInstancesCommand({ InstanceIds: [server.instanceId] }))
    ).Reservations?.[0]?.Instances?.[0]?.PublicIpAddress
    const events: FerryEvent[] = []
    const result = await resizeInstance(
      { instanceId: server.instanceId, instanceType: 't3.micro' },
      { aws: labAws(), onEvent: (e) => events.push(e), ...fast },
    )
    expect(before).toBeTruthy()
    expect(result.publicIp).toBeTruthy()
    expect(result.publicIp).not.toBe(before)
    expect(
      events.some(
        (e) => e.type === 'warning' && e.message.includes(`(${before} → ${result.publicIp})`),
      ),
    ).toBe(true)
  })

  it('refuses bad ids and types before any call', async () => {
    for (const input of [
      { instanceId: 'i-1', instanceType: 't3.small' },
      { instanceId: 'i-0123456789abcdef0', instanceType: 'T3.SMALL' },
    ]) {
      const error = await resizeInstance(input, { ec2: noCallEc2() }).catch((e: unknown) => e)
      expect(ValidationError.is(error)).toBe(true)
    }
  })
})
