// Each Global Accelerator rule of the lab, shown twice: with the rule off the lab lets the thing
// through (as its first, in-process stand-in did), with it on the lab refuses it as the Global
// Accelerator API Reference and Developer Guide say AWS does. Every test has a scope of its own.
import {
  CreateAcceleratorCommand,
  CreateEndpointGroupCommand,
  CreateListenerCommand,
  DeleteAcceleratorCommand,
  DeleteEndpointGroupCommand,
  DeleteListenerCommand,
  UpdateAcceleratorCommand,
  type GlobalAcceleratorClient,
} from '@aws-sdk/client-global-accelerator'
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  RunInstancesCommand,
  DescribeImagesCommand,
} from '@aws-sdk/client-ec2'
import { afterAll, describe, expect, it } from 'vitest'
import { labInfo } from '../src/vitest'
import { acceleratorWithGroup, deployed, gaScope, outcome, statusOf } from './ga-helpers'

const lab = labInfo()
const moto = new EC2Client({
  endpoint: lab.aws.motoEndpoint,
  region: 'eu-west-1',
  credentials: lab.aws.credentials,
})
afterAll(() => moto.destroy())

const update = (c: GlobalAcceleratorClient, arn: string, Enabled = false) =>
  outcome(c.send(new UpdateAcceleratorCommand({ AcceleratorArn: arn, Enabled })))
const deleteAcc = (c: GlobalAcceleratorClient, arn: string) =>
  outcome(c.send(new DeleteAcceleratorCommand({ AcceleratorArn: arn })))

describe('rule inProgress: every change is a deployment, deletes included', () => {
  it('deleting an endpoint group or a listener, and UpdateAccelerator, put the accelerator IN_PROGRESS', async () => {
    const { client: c } = await gaScope('in-progress', 400)
    const { arn, listenerArn, groupArn } = await acceleratorWithGroup(c)
    await c.send(new DeleteEndpointGroupCommand({ EndpointGroupArn: groupArn }))
    expect(await statusOf(c, arn)).toBe('IN_PROGRESS')
    await deployed(c, arn)
    await c.send(new DeleteListenerCommand({ ListenerArn: listenerArn }))
    expect(await statusOf(c, arn)).toBe('IN_PROGRESS')
    await deployed(c, arn)
    await c.send(new UpdateAcceleratorCommand({ AcceleratorArn: arn, Name: 'renamed' }))
    expect(await statusOf(c, arn)).toBe('IN_PROGRESS')
  })

  it('with the rule off, deletes leave it DEPLOYED', async () => {
    const ga = await gaScope('in-progress-off', 400)
    await ga.configure({ rules: { inProgress: false } })
    const { arn, groupArn } = await acceleratorWithGroup(ga.client)
    await ga.client.send(new DeleteEndpointGroupCommand({ EndpointGroupArn: groupArn }))
    expect(await statusOf(ga.client, arn)).toBe('DEPLOYED')
  })
})

describe('rule transaction: TransactionInProgressException while IN_PROGRESS', () => {
  it('refuses UpdateAccelerator and DeleteAccelerator, lets listener and group changes through', async () => {
    const { client: c } = await gaScope('transaction', 400)
    const { arn, groupArn, listenerArn } = await acceleratorWithGroup(c)
    await c.send(new DeleteEndpointGroupCommand({ EndpointGroupArn: groupArn }))
    expect(await update(c, arn)).toBe('TransactionInProgressException')
    // DeleteListener documents no TransactionInProgressException: it goes through.
    await c.send(new DeleteListenerCommand({ ListenerArn: listenerArn }))
    expect(await deleteAcc(c, arn)).toBe('TransactionInProgressException')
    await deployed(c, arn)
    expect(await update(c, arn)).toBe('ok')
    await deployed(c, arn)
    expect(await deleteAcc(c, arn)).toBe('ok')
  })

  it('with the rule off, UpdateAccelerator goes through while IN_PROGRESS', async () => {
    const ga = await gaScope('transaction-off', 400)
    await ga.configure({ rules: { transaction: false } })
    const { Accelerator } = await ga.client.send(new CreateAcceleratorCommand({ Name: 'web' }))
    expect(await update(ga.client, Accelerator!.AcceleratorArn!)).toBe('ok')
  })
})

describe('rule dependents: delete in the service order', () => {
  it('refuses an enabled accelerator, one with listeners, a listener with groups', async () => {
    const { client: c } = await gaScope('dependents', 50)
    const { arn, listenerArn } = await acceleratorWithGroup(c)
    expect(await deleteAcc(c, arn)).toBe('AcceleratorNotDisabledException')
    await c.send(new UpdateAcceleratorCommand({ AcceleratorArn: arn, Enabled: false }))
    await deployed(c, arn)
    expect(await deleteAcc(c, arn)).toBe('AssociatedListenerFoundException')
    expect(await outcome(c.send(new DeleteListenerCommand({ ListenerArn: listenerArn })))).toBe(
      'AssociatedEndpointGroupFoundException',
    )
  })

  it('with the rule off, deleting an enabled accelerator takes its listeners and groups along', async () => {
    const ga = await gaScope('dependents-off', 50)
    await ga.configure({ rules: { dependents: false } })
    const { arn } = await acceleratorWithGroup(ga.client)
    expect(await deleteAcc(ga.client, arn)).toBe('ok')
    expect(await ga.state()).toMatchObject({ accelerators: [], listeners: [], endpointGroups: [] })
  })
})

describe('rule endpoints: dual-stack endpoints and endpoint Regions', () => {
  const group = (
    c: GlobalAcceleratorClient,
    listenerArn: string,
    o: { region?: string; id: string; preserve?: boolean },
  ) =>
    outcome(
      c.send(
        new CreateEndpointGroupCommand({
          ListenerArn: listenerArn,
          EndpointGroupRegion: o.region ?? 'eu-west-1',
          EndpointConfigurations: [
            {
              EndpointId: o.id,
              ...(o.preserve === undefined ? {} : { ClientIPPreservationEnabled: o.preserve }),
            },
          ],
        }),
      ),
    )
  const listener = async (c: GlobalAcceleratorClient, IpAddressType: 'IPV4' | 'DUAL_STACK') => {
    const { Accelerator } = await c.send(
      new CreateAcceleratorCommand({ Name: 'web', IpAddressType }),
    )
    const { Listener } = await c.send(
      new CreateListenerCommand({
        AcceleratorArn: Accelerator!.AcceleratorArn,
        Protocol: 'TCP',
        PortRanges: [{ FromPort: 80, ToPort: 80 }],
      }),
    )
    return Listener!.ListenerArn!
  }

  it('refuses an IPv4-only EC2 instance (or an Elastic IP) on a dual-stack accelerator, takes it on IPv4', async () => {
    const { client: c } = await gaScope('dual-stack')
    const ipv4Only = await instance({ ipv6: false })
    expect(await group(c, await listener(c, 'DUAL_STACK'), { id: ipv4Only })).toBe(
      'InvalidArgumentException',
    )
    expect(
      await group(c, await listener(c, 'DUAL_STACK'), { id: 'eipalloc-0123456789abcdef0' }),
    ).toBe('InvalidArgumentException')
    expect(await group(c, await listener(c, 'IPV4'), { id: ipv4Only })).toBe('ok')
  })

  it('takes a dual-stack EC2 instance on a dual-stack accelerator, only with client IP preservation', async () => {
    const { client: c } = await gaScope('dual-stack-ipv6')
    const dual = await instance({ ipv6: true })
    expect(await group(c, await listener(c, 'DUAL_STACK'), { id: dual, preserve: false })).toBe(
      'InvalidArgumentException',
    )
    expect(await group(c, await listener(c, 'DUAL_STACK'), { id: dual })).toBe('ok')
  })

  it('refuses an endpoint group in a Region Global Accelerator does not support', async () => {
    const { client: c } = await gaScope('regions')
    const l = await listener(c, 'IPV4')
    expect(await group(c, l, { region: 'cn-north-1', id: 'i-0123456789abcdef0' })).toBe(
      'InvalidArgumentException',
    )
    expect(await group(c, l, { region: 'ap-southeast-5', id: 'i-0123456789abcdef0' })).toBe('ok')
  })

  it('with the rule off, takes both', async () => {
    const ga = await gaScope('endpoints-off')
    await ga.configure({ rules: { endpoints: false } })
    const c = ga.client
    expect(await group(c, await listener(c, 'DUAL_STACK'), { id: 'i-0123456789abcdef0' })).toBe(
      'ok',
    )
    expect(
      await group(c, await listener(c, 'IPV4'), {
        region: 'cn-north-1',
        id: 'i-0123456789abcdef0',
      }),
    ).toBe('ok')
  })
})

describe('rule idempotency: IdempotencyToken', () => {
  it('returns the original for the same token and parameters, refuses other parameters', async () => {
    const ga = await gaScope('idempotency')
    const create = (Name: string) =>
      ga.client.send(new CreateAcceleratorCommand({ Name, IdempotencyToken: 'token-1' }))
    const first = await create('web')
    expect((await create('web')).Accelerator!.AcceleratorArn).toBe(
      first.Accelerator!.AcceleratorArn,
    )
    expect(await outcome(create('other'))).toBe('InvalidArgumentException')
    expect((await ga.state()).accelerators).toHaveLength(1)
  })

  it('with the rule off, returns the original whatever the parameters', async () => {
    const ga = await gaScope('idempotency-off')
    await ga.configure({ rules: { idempotency: false } })
    const create = (Name: string) =>
      ga.client.send(new CreateAcceleratorCommand({ Name, IdempotencyToken: 'token-1' }))
    const first = await create('web')
    expect((await create('other')).Accelerator!.AcceleratorArn).toBe(
      first.Accelerator!.AcceleratorArn,
    )
  })
})

// An instance in moto (eu-west-1), IPv4 only, or in a dual-stack subnet with an IPv6 address.
async function instance(o: { ipv6: boolean }): Promise<string> {
  const image = (
    await moto.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }],
      }),
    )
  ).Images![0]!.ImageId!
  let subnet: { SubnetId?: string; Ipv6AddressCount?: number } = {}
  if (o.ipv6) {
    const { Vpc } = await moto.send(
      new CreateVpcCommand({ CidrBlock: '10.20.0.0/16', AmazonProvidedIpv6CidrBlock: true }),
    )
    const v6 = Vpc!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!.replace('/56', '/64')
    const { Subnet } = await moto.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.20.1.0/24', Ipv6CidrBlock: v6 }),
    )
    subnet = { SubnetId: Subnet!.SubnetId, Ipv6AddressCount: 1 }
  }
  const out = await moto.send(
    new RunInstancesCommand({
      ImageId: image,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      ...subnet,
    }),
  )
  return out.Instances![0]!.InstanceId!
}
