// The lab's Global Accelerator through the real SDK client: the state machine's rules, exactly,
// and which clients it serves.
import {
  AcceleratorNotDisabledException,
  AssociatedEndpointGroupFoundException,
  AssociatedListenerFoundException,
  CreateAcceleratorCommand,
  CreateEndpointGroupCommand,
  CreateListenerCommand,
  DeleteAcceleratorCommand,
  DeleteEndpointGroupCommand,
  DeleteListenerCommand,
  DescribeAcceleratorCommand,
  DescribeEndpointGroupCommand,
  GlobalAcceleratorClient,
  InvalidPortRangeException,
  LimitExceededException,
  ListAcceleratorsCommand,
  ListCustomRoutingAcceleratorsCommand,
  ListListenersCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAcceleratorCommand,
} from '@aws-sdk/client-global-accelerator'
import { afterEach, describe, expect, it } from 'vitest'
import { createLabGlobalAccelerator, LabError, type LabGlobalAccelerator } from '../src/index'

let ga: LabGlobalAccelerator | undefined
afterEach(() => ga?.restore())

// A client that is NOT the lab's: with nothing listening at its endpoint, an unserved call fails fast.
const outsider = (region = 'us-west-2') =>
  new GlobalAcceleratorClient({
    region,
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  })

describe('createLabGlobalAccelerator', () => {
  it('walks an accelerator through its life with the service rules, tags included', async () => {
    ga = await createLabGlobalAccelerator({ describesUntilDeployed: 3 })
    const c = ga.client
    expect(await c.config.region()).toBe('us-west-2')
    const { Accelerator: created } = await c.send(
      new CreateAcceleratorCommand({
        Name: 'web',
        IdempotencyToken: 'tok-1',
        Tags: [{ Key: 'ferry:run', Value: 'run-1' }],
      }),
    )
    expect(created).toMatchObject({ Name: 'web', Enabled: true, Status: 'IN_PROGRESS' })
    expect(created!.DnsName).toMatch(/^a[0-9a-f]{16}\.awsglobalaccelerator\.com$/)
    expect(created!.IpSets![0]!.IpAddresses).toEqual(['75.2.1.1', '99.83.1.1'])
    const arn = created!.AcceleratorArn!
    const again = await c.send(
      new CreateAcceleratorCommand({ Name: 'web', IdempotencyToken: 'tok-1' }),
    )
    expect(again.Accelerator!.AcceleratorArn).toBe(arn)
    expect(ga.accelerators.size).toBe(1)

    const status = async () =>
      (await c.send(new DescribeAcceleratorCommand({ AcceleratorArn: arn }))).Accelerator!.Status
    expect([await status(), await status(), await status(), await status()]).toEqual([
      'IN_PROGRESS',
      'IN_PROGRESS',
      'DEPLOYED',
      'DEPLOYED',
    ])

    await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'a' }] }))
    await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'b' }] }))
    await c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['nothing'] }))
    expect((await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'ferry:run', Value: 'run-1' },
      { Key: 'team', Value: 'b' },
    ])
    await c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }))
    expect((await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'ferry:run', Value: 'run-1' },
    ])

    const { Listener } = await c.send(
      new CreateListenerCommand({
        AcceleratorArn: arn,
        Protocol: 'TCP',
        PortRanges: [{ FromPort: 80, ToPort: 80 }],
        IdempotencyToken: 'l-1',
      }),
    )
    expect(Listener).toMatchObject({ Protocol: 'TCP', PortRanges: [{ FromPort: 80, ToPort: 80 }] })
    expect(await status()).toBe('IN_PROGRESS') // a new listener is a change
    const overlap = await c
      .send(
        new CreateListenerCommand({
          AcceleratorArn: arn,
          Protocol: 'TCP',
          PortRanges: [{ FromPort: 79, ToPort: 81 }],
          IdempotencyToken: 'l-2',
        }),
      )
      .catch((e: unknown) => e)
    expect(overlap).toBeInstanceOf(InvalidPortRangeException)
    const { EndpointGroup } = await c.send(
      new CreateEndpointGroupCommand({
        ListenerArn: Listener!.ListenerArn,
        EndpointGroupRegion: 'eu-west-1',
        EndpointConfigurations: [{ EndpointId: 'i-0123456789abcdef0', Weight: 200 }],
        TrafficDialPercentage: 50,
        IdempotencyToken: 'g-1',
      }),
    )
    const groupArn = EndpointGroup!.EndpointGroupArn!
    expect(
      (await c.send(new DescribeEndpointGroupCommand({ EndpointGroupArn: groupArn })))
        .EndpointGroup,
    ).toMatchObject({
      EndpointGroupRegion: 'eu-west-1',
      TrafficDialPercentage: 50,
      EndpointDescriptions: [{ EndpointId: 'i-0123456789abcdef0', Weight: 200 }],
    })

    // Deletes only in the service's order: disable, wait DEPLOYED, groups, listeners, accelerator.
    const del = () => c.send(new DeleteAcceleratorCommand({ AcceleratorArn: arn })).catch((e) => e)
    expect(await del()).toBeInstanceOf(AcceleratorNotDisabledException)
    await c.send(new UpdateAcceleratorCommand({ AcceleratorArn: arn, Enabled: false }))
    expect(await del()).toBeInstanceOf(AcceleratorNotDisabledException) // still IN_PROGRESS
    while ((await status()) !== 'DEPLOYED');
    expect(await del()).toBeInstanceOf(AssociatedListenerFoundException)
    const delListener = () =>
      c.send(new DeleteListenerCommand({ ListenerArn: Listener!.ListenerArn })).catch((e) => e)
    expect(await delListener()).toBeInstanceOf(AssociatedEndpointGroupFoundException)
    await c.send(new DeleteEndpointGroupCommand({ EndpointGroupArn: groupArn }))
    expect(await delListener()).toEqual({})
    expect(await del()).toEqual({})
    expect((await c.send(new ListAcceleratorsCommand({}))).Accelerators).toEqual([])
    expect(ga.mutations()).toEqual([
      'CreateAccelerator',
      'CreateAccelerator',
      'TagResource',
      'TagResource',
      'UntagResource',
      'UntagResource',
      'CreateListener',
      'CreateListener',
      'CreateEndpointGroup',
      'DeleteAccelerator',
      'UpdateAccelerator',
      'DeleteAccelerator',
      'DeleteAccelerator',
      'DeleteListener',
      'DeleteEndpointGroup',
      'DeleteListener',
      'DeleteAccelerator',
    ])
  })

  it('pages lists one item at a time unless MaxResults says otherwise', async () => {
    ga = await createLabGlobalAccelerator()
    for (const name of ['a', 'b', 'c'])
      await ga.client.send(new CreateAcceleratorCommand({ Name: name }))
    const first = await ga.client.send(new ListAcceleratorsCommand({}))
    expect([first.Accelerators!.map((a) => a.Name), first.NextToken]).toEqual([['a'], '1'])
    const rest = await ga.client.send(
      new ListAcceleratorsCommand({ NextToken: '1', MaxResults: 10 }),
    )
    expect([rest.Accelerators!.map((a) => a.Name), rest.NextToken]).toEqual([['b', 'c'], undefined])
    const arn = first.Accelerators![0]!.AcceleratorArn!
    expect(
      (await ga.client.send(new ListListenersCommand({ AcceleratorArn: arn }))).Listeners,
    ).toEqual([])
  })

  it('fails an operation it does not model, and a call given to failOnce, once', async () => {
    ga = await createLabGlobalAccelerator()
    const unmodelled = await ga.client
      .send(new ListCustomRoutingAcceleratorsCommand({}))
      .catch((e) => e)
    expect(LabError.is(unmodelled) && unmodelled.component).toBe('global-accelerator')
    const limit = new LimitExceededException({ message: 'too many', $metadata: {} })
    ga.failOnce('CreateAccelerator', limit)
    expect(await ga.client.send(new CreateAcceleratorCommand({ Name: 'x' })).catch((e) => e)).toBe(
      limit,
    )
    await ga.client.send(new CreateAcceleratorCommand({ Name: 'x' }))
    expect(ga.accelerators.size).toBe(1)
  })

  it('serves only its own client by default, every client with everyClient, none after restore', async () => {
    ga = await createLabGlobalAccelerator()
    const other = outsider()
    expect(LabError.is(await other.send(new ListAcceleratorsCommand({})).catch((e) => e))).toBe(
      false,
    )
    expect(ga.calls).toEqual([])
    ga.restore()

    ga = await createLabGlobalAccelerator({ everyClient: true })
    await outsider().send(new CreateAcceleratorCommand({ Name: 'a' }))
    await outsider('eu-west-1').send(new ListAcceleratorsCommand({}))
    expect(ga.calls.map((c) => [c.operation, c.region])).toEqual([
      ['CreateAccelerator', 'us-west-2'],
      ['ListAccelerators', 'eu-west-1'],
    ])
    ga.restore()
    const after = await outsider()
      .send(new ListAcceleratorsCommand({}))
      .catch((e) => e)
    expect(after).toBeInstanceOf(Error)
    expect(ga.calls).toHaveLength(2)
  })
})
