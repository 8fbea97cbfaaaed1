// Global Accelerator against the lab's, on the wire (via ga-lab.ts): request shapes, us-west-2
// for every call, the wait until DEPLOYED, idempotent re-runs, failures that clean up.
import {
  AwsError,
  idempotencyToken,
  TimeoutError,
  type AwsOptions,
  type FerryEvent,
} from '@ferry/core'
import type { LabGlobalAccelerator } from '@ferry/lab'
import { beforeEach, describe, expect, it } from 'vitest'
import { createAccelerator, deleteAccelerator, type CreateAcceleratorInput } from '../src/index.js'
import { fakeClock, labGlobalAccelerator, quickClock } from './ga-lab.js'

const I1 = 'i-0123456789abcdef0'
const I2 = 'i-0123456789abcdef1'
const I3 = 'i-0123456789abcdef2'

let ga: LabGlobalAccelerator
// The deploy's region is ap-south-1; Global Accelerator must still be called in us-west-2.
let aws: AwsOptions
beforeEach(async () => {
  ga = await labGlobalAccelerator('create')
  aws = { ...ga.aws, region: 'ap-south-1' }
})
const inputOf = async (operation: string, nth = 0) =>
  (await ga.calls()).filter((c) => c.operation === operation)[nth]!.input

const input: CreateAcceleratorInput = {
  name: 'web',
  listeners: [
    { ports: [80, '8000-8010'] },
    { protocol: 'UDP', ports: [{ from: 53, to: 53 }], clientAffinity: 'SOURCE_IP' },
  ],
  endpoints: [
    { instanceId: I1, region: 'ap-south-1', weight: 200 },
    { instanceId: I2, region: 'ap-south-1' },
    { instanceId: I3, region: 'eu-west-1', clientIpPreservation: false },
  ],
  endpointGroups: {
    'eu-west-1': {
      trafficDialPercentage: 50,
      healthCheck: {
        protocol: 'HTTP',
        port: 80,
        path: '/healthz',
        intervalSeconds: 10,
        thresholdCount: 3,
      },
    },
  },
  tags: { team: 'web' },
}

describe("createAccelerator (the lab's Global Accelerator)", () => {
  it('creates accelerator, listeners and endpoint groups with exact requests, all in us-west-2, then waits until DEPLOYED', async () => {
    const events: FerryEvent[] = []
    const token = (p: string) => idempotencyToken('run-1', 'createAccelerator', p)
    const acc = await createAccelerator(input, {
      aws,
      runId: 'run-1',
      clock: quickClock,
      onEvent: (e) => events.push(e),
    })

    const calls = await ga.calls()
    expect(new Set(calls.map((c) => c.region))).toEqual(new Set(['us-west-2']))
    expect(await ga.mutations()).toEqual([
      'CreateAccelerator',
      'CreateListener',
      'CreateEndpointGroup',
      'CreateEndpointGroup',
      'CreateListener',
      'CreateEndpointGroup',
      'CreateEndpointGroup',
    ])
    const [createAcc, listener0, group00, group01, listener1] = calls
    expect(createAcc!.input).toEqual({
      Name: 'web',
      IpAddressType: 'IPV4',
      Enabled: true,
      IdempotencyToken: token('accelerator:web'),
      Tags: [
        { Key: 'Name', Value: 'web' },
        { Key: 'ferry:run', Value: 'run-1' },
        { Key: 'ferry:step', Value: 'createAccelerator' },
        { Key: 'team', Value: 'web' },
      ],
    })
    expect(listener0!.input).toEqual({
      AcceleratorArn: acc.arn,
      Protocol: 'TCP',
      PortRanges: [
        { FromPort: 80, ToPort: 80 },
        { FromPort: 8000, ToPort: 8010 },
      ],
      ClientAffinity: 'NONE',
      IdempotencyToken: token('accelerator:web:listener:0'),
    })
    expect(group00!.input).toEqual({
      ListenerArn: acc.listeners[0]!.arn,
      EndpointGroupRegion: 'ap-south-1',
      EndpointConfigurations: [
        { EndpointId: I1, Weight: 200, ClientIPPreservationEnabled: true },
        { EndpointId: I2, Weight: 128, ClientIPPreservationEnabled: true },
      ],
      IdempotencyToken: token('accelerator:web:listener:0:endpoint-group:ap-south-1'),
    })
    expect(group01!.input).toEqual({
      ListenerArn: acc.listeners[0]!.arn,
      EndpointGroupRegion: 'eu-west-1',
      EndpointConfigurations: [{ EndpointId: I3, Weight: 128, ClientIPPreservationEnabled: false }],
      TrafficDialPercentage: 50,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 80,
      HealthCheckPath: '/healthz',
      HealthCheckIntervalSeconds: 10,
      ThresholdCount: 3,
      IdempotencyToken: token('accelerator:web:listener:0:endpoint-group:eu-west-1'),
    })
    expect(listener1!.input).toMatchObject({
      Protocol: 'UDP',
      PortRanges: [{ FromPort: 53, ToPort: 53 }],
      ClientAffinity: 'SOURCE_IP',
    })

    // Polled until DEPLOYED by the lab's clock: each IN_PROGRESS answer reported as progress.
    const progress = events.filter((e) => e.type === 'wait:progress')
    expect(progress.length).toBeGreaterThan(0)
    expect(new Set(progress.map((e) => e.type === 'wait:progress' && e.state))).toEqual(
      new Set(['IN_PROGRESS']),
    )
    const state = await ga.state()
    const stored = state.accelerators.find((a) => a.arn === acc.arn)!
    expect(acc).toMatchObject({
      name: 'web',
      status: 'DEPLOYED',
      dnsName: stored.dnsName,
      ipAddresses: stored.ips,
    })
    expect(acc.endpointGroups.map((g) => [g.listenerArn, g.region])).toEqual([
      [acc.listeners[0]!.arn, 'ap-south-1'],
      [acc.listeners[0]!.arn, 'eu-west-1'],
      [acc.listeners[1]!.arn, 'ap-south-1'],
      [acc.listeners[1]!.arn, 'eu-west-1'],
    ])
    expect(state.endpointGroups.map((g) => g.region).sort()).toEqual([
      'ap-south-1',
      'ap-south-1',
      'eu-west-1',
      'eu-west-1',
    ])
  })

  it('defaults to one TCP listener on port 80, weight 128, client IP preservation on', async () => {
    await createAccelerator(
      { name: 'plain', endpoints: [{ instanceId: I1, region: 'us-east-1' }] },
      { aws, clock: quickClock },
    )
    expect(await inputOf('CreateListener')).toMatchObject({
      Protocol: 'TCP',
      PortRanges: [{ FromPort: 80, ToPort: 80 }],
      ClientAffinity: 'NONE',
    })
    expect(await inputOf('CreateEndpointGroup')).toMatchObject({
      EndpointGroupRegion: 'us-east-1',
      EndpointConfigurations: [{ EndpointId: I1, Weight: 128, ClientIPPreservationEnabled: true }],
    })
  })

  it('a re-run with the same run id adopts what exists instead of creating a second accelerator', async () => {
    const first = await createAccelerator(input, { aws, runId: 'run-2', clock: quickClock })
    const again = await createAccelerator(input, { aws, runId: 'run-2', clock: quickClock })
    expect(again.arn).toBe(first.arn)
    expect(again.listeners.map((l) => l.arn)).toEqual(first.listeners.map((l) => l.arn))
    expect(await counts()).toEqual([1, 2, 4])
    await createAccelerator(input, { aws, runId: 'run-3', clock: quickClock })
    expect((await counts())[0]).toBe(2)
  })

  it('a failure while creating deletes what was created and rethrows the cause', async () => {
    const events: FerryEvent[] = []
    // Not LimitExceededException: the SDK retries that one as throttling, and the retry succeeds.
    await ga.strict.inject({
      operation: 'CreateEndpointGroup',
      fault: { code: 'AccessDeniedException', message: 'not allowed to create endpoint groups' },
    })
    const error = await createAccelerator(input, {
      aws,
      runId: 'run-4',
      clock: quickClock,
      onEvent: (e) => events.push(e),
    }).catch((e) => e)
    expect(AwsError.is(error) && error.awsCode).toBe('AccessDeniedException')
    expect(await counts()).toEqual([0, 0, 0])
    // The refused CreateEndpointGroup never reached Global Accelerator (the layer answered it).
    expect(await ga.mutations()).toEqual([
      'CreateAccelerator',
      'CreateListener',
      'UpdateAccelerator',
      'DeleteListener',
      'DeleteAccelerator',
    ])
    expect(
      events.some((e) => e.type === 'warning' && e.message.includes('deleting what was created')),
    ).toBe(true)
  })

  it('a wait that runs out leaves the accelerator, throws TimeoutError and says how to remove it', async () => {
    await ga.configure({ deployMs: 3_600_000 })
    const events: FerryEvent[] = []
    const error = await createAccelerator(
      { ...input, maxWaitTime: 60_000 },
      { aws, runId: 'run-5', clock: fakeClock(), onEvent: (e) => events.push(e) },
    ).catch((e) => e)
    expect(TimeoutError.is(error)).toBe(true)
    expect(error.lastState).toBe('IN_PROGRESS')
    expect((await counts())[0]).toBe(1)
    expect(
      events.some((e) => e.type === 'warning' && e.message.includes('deleteAccelerator')),
    ).toBe(true)
  })

  it('does not wait when asked not to', async () => {
    const acc = await createAccelerator({ ...input, wait: false }, { aws, clock: quickClock })
    expect(acc.status).toBe('IN_PROGRESS')
    expect((await ga.calls()).some((c) => c.operation === 'DescribeAccelerator')).toBe(false)
  })

  it('uses an injected us-west-2 client as is', async () => {
    const acc = await createAccelerator({ ...input, wait: false }, { globalAccelerator: ga.client })
    const calls = await ga.calls()
    expect(calls.length).toBeGreaterThan(0)
    expect(calls.every((c) => c.region === 'us-west-2')).toBe(true)
    await deleteAccelerator(acc.arn, { globalAccelerator: ga.client, clock: quickClock })
    expect((await counts())[0]).toBe(0)
  })
})

/** Accelerators, listeners and endpoint groups in the test's scope, as the lab holds them. */
async function counts(): Promise<[number, number, number]> {
  const s = await ga.state()
  return [s.accelerators.length, s.listeners.length, s.endpointGroups.length]
}
