// Deleting, listing and tearing down accelerators against the lab's state-machine stand-in
// (via ga-fake.ts).
import {
  DeleteAcceleratorCommand,
  DeleteListenerCommand,
  GlobalAcceleratorClient,
  UpdateAcceleratorCommand,
} from '@aws-sdk/client-global-accelerator'
import { type FerryEvent } from '@ferry/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createAccelerator,
  deleteAccelerator,
  deleteAcceleratorsByRun,
  listAccelerators,
  type CreateAcceleratorInput,
} from '../src/index.js'
import type { LabGlobalAccelerator } from '@ferry/lab'
import { fakeClock, fakeGlobalAccelerator } from './ga-fake.js'

const aws = { region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }
const input: CreateAcceleratorInput = {
  name: 'web',
  listeners: [{ ports: [80] }, { ports: [443] }],
  endpoints: [
    { instanceId: 'i-0123456789abcdef0', region: 'eu-central-1' },
    { instanceId: 'i-0123456789abcdef1', region: 'us-east-1' },
  ],
}

let ga: LabGlobalAccelerator
beforeEach(async () => {
  ga = await fakeGlobalAccelerator({ describesUntilDeployed: 2 })
})
afterEach(() => ga.restore())

const create = (runId: string, name = 'web') =>
  createAccelerator({ ...input, name }, { aws, runId, clock: fakeClock() })

describe('deleteAccelerator (Global Accelerator, mocked)', () => {
  it('disables, waits until DEPLOYED, then deletes endpoint groups, listeners, accelerator, in that order', async () => {
    const acc = await create('run-d1')
    ga.calls.length = 0
    const events: FerryEvent[] = []
    const result = await deleteAccelerator(acc.arn, {
      aws,
      clock: fakeClock(),
      pageSize: 1,
      onEvent: (e) => events.push(e),
    })

    expect(ga.calls.map((c) => c.operation)).toEqual([
      'DescribeAccelerator',
      'UpdateAccelerator',
      'DescribeAccelerator',
      'DescribeAccelerator',
      'ListListeners',
      'ListListeners',
      'ListEndpointGroups',
      'ListEndpointGroups',
      'ListEndpointGroups',
      'ListEndpointGroups',
      'DeleteEndpointGroup',
      'DeleteEndpointGroup',
      'DeleteEndpointGroup',
      'DeleteEndpointGroup',
      'DeleteListener',
      'DeleteListener',
      'DeleteAccelerator',
    ])
    expect(ga.calls.every((c) => c.region === 'us-west-2')).toBe(true)
    expect(ga.calls[1]!.input).toEqual({ AcceleratorArn: acc.arn, Enabled: false })
    expect(result.endpointGroups).toEqual(acc.endpointGroups.map((g) => g.arn))
    expect(result.listeners).toEqual(acc.listeners.map((l) => l.arn))
    expect([ga.accelerators.size, ga.listeners.size, ga.groups.size]).toEqual([0, 0, 0])

    // It says the static IPs are lost, in the result and as a warning event.
    expect(result).toMatchObject({
      arn: acc.arn,
      deleted: true,
      releasedIpAddresses: acc.ipAddresses,
    })
    for (const ip of acc.ipAddresses) expect(result.warning).toContain(ip)
    expect(events).toContainEqual({ type: 'warning', message: result.warning })
  })

  it('the fake refuses any other order, as the service does', async () => {
    const acc = await create('run-d2')
    const client = new GlobalAcceleratorClient({
      region: 'us-west-2',
      credentials: aws.credentials,
    })
    const name = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: Error) => e.name,
      )
    expect(await name(client.send(new DeleteAcceleratorCommand({ AcceleratorArn: acc.arn })))).toBe(
      'AcceleratorNotDisabledException',
    )
    expect(
      await name(client.send(new DeleteListenerCommand({ ListenerArn: acc.listeners[0]!.arn }))),
    ).toBe('AssociatedEndpointGroupFoundException')
    await client.send(new UpdateAcceleratorCommand({ AcceleratorArn: acc.arn, Enabled: false }))
    // Disabled but still IN_PROGRESS: not yet.
    expect(await name(client.send(new DeleteAcceleratorCommand({ AcceleratorArn: acc.arn })))).toBe(
      'AcceleratorNotDisabledException',
    )
    ga.accelerators.get(acc.arn)!.status = 'DEPLOYED'
    expect(await name(client.send(new DeleteAcceleratorCommand({ AcceleratorArn: acc.arn })))).toBe(
      'AssociatedListenerFoundException',
    )
  })

  it('skips the disable of an accelerator that is already disabled', async () => {
    const acc = await createAccelerator({ ...input, enabled: false }, { aws, clock: fakeClock() })
    ga.calls.length = 0
    await deleteAccelerator(acc.arn, { aws, clock: fakeClock() })
    expect(ga.mutations()).toEqual([
      'DeleteEndpointGroup',
      'DeleteEndpointGroup',
      'DeleteEndpointGroup',
      'DeleteEndpointGroup',
      'DeleteListener',
      'DeleteListener',
      'DeleteAccelerator',
    ])
  })

  it('reports an accelerator that is already gone with deleted: false', async () => {
    const acc = await create('run-d3')
    await deleteAccelerator(acc.arn, { aws, clock: fakeClock() })
    const again = await deleteAccelerator(acc.arn, { aws, clock: fakeClock() })
    expect(again).toEqual({
      arn: acc.arn,
      deleted: false,
      releasedIpAddresses: [],
      warning: undefined,
      endpointGroups: [],
      listeners: [],
    })
  })
})

describe('listAccelerators / deleteAcceleratorsByRun', () => {
  it('lists every accelerator across pages', async () => {
    const made = [
      await create('run-l1', 'a1'),
      await create('run-l1', 'a2'),
      await create('run-l2', 'a3'),
    ]
    const listed = await listAccelerators({ aws, pageSize: 1 })
    expect(ga.calls.filter((c) => c.operation === 'ListAccelerators')).toHaveLength(3)
    expect(listed.map((a) => [a.arn, a.name, a.status, a.enabled])).toEqual(
      made.map((m) => [m.arn, m.name, 'DEPLOYED', true]),
    )
    expect(listed[0]!.ipAddresses).toEqual(made[0]!.ipAddresses)
  })

  it("deletes only the accelerators tagged with the run's id", async () => {
    const keep = await create('run-keep', 'keep')
    const drop = [await create('run-drop', 'drop1'), await create('run-drop', 'drop2')]
    const results = await deleteAcceleratorsByRun(
      { runId: 'run-drop' },
      { aws, clock: fakeClock() },
    )
    expect(results.map((r) => [r.arn, r.deleted])).toEqual(drop.map((d) => [d.arn, true]))
    expect([...ga.accelerators.keys()]).toEqual([keep.arn])
    expect(ga.calls.filter((c) => c.operation === 'ListTagsForResource')).toHaveLength(3)
  })
})
