// A model of Global Accelerator's rules, small enough to read: the state machine behind ga-fake.ts.
// - a new or changed accelerator is IN_PROGRESS and turns DEPLOYED on the Nth DescribeAccelerator;
// - an IdempotencyToken seen before returns the resource it created;
// - DeleteAccelerator is refused while enabled, while a disable is still IN_PROGRESS, or while
//   listeners exist; DeleteListener is refused while endpoint groups exist (deletes of endpoint
//   groups and listeners do not change the accelerator's status);
// - list calls page (1 item a page unless MaxResults says otherwise).
import { randomUUID } from 'node:crypto'
import * as GA from '@aws-sdk/client-global-accelerator'

export interface Acc {
  arn: string
  name: string
  enabled: boolean
  status: 'IN_PROGRESS' | 'DEPLOYED'
  pending: number
  ipAddressType: string
  ips: string[]
  dnsName: string
  created: Date
}
export interface Listener {
  arn: string
  acceleratorArn: string
  protocol: string
  portRanges: { FromPort: number; ToPort: number }[]
  clientAffinity: string
}
export interface Group {
  arn: string
  listenerArn: string
  region: string
  endpoints: GA.EndpointConfiguration[]
}

const meta = { $metadata: { httpStatusCode: 400, requestId: 'fake-request' } }
const hex = (n: number) => randomUUID().replaceAll('-', '').slice(0, n)

/** The model: its state, and one handler per operation (input → output, or a thrown SDK error). */
export function gaModel(deployAfter: number) {
  const accelerators = new Map<string, Acc>()
  const listeners = new Map<string, Listener>()
  const groups = new Map<string, Group>()
  const tags = new Map<string, GA.Tag[]>()
  const tokens = new Map<string, string>()
  let count = 0

  const acc = (arn: unknown) => {
    const a = accelerators.get(String(arn))
    if (!a)
      throw new GA.AcceleratorNotFoundException({
        message: `Accelerator ${String(arn)} not found`,
        ...meta,
      })
    return a
  }
  const change = (a: Acc) => {
    a.status = 'IN_PROGRESS'
    a.pending = deployAfter
  }
  const view = (a: Acc): GA.Accelerator => ({
    AcceleratorArn: a.arn,
    Name: a.name,
    Enabled: a.enabled,
    Status: a.status,
    IpAddressType: a.ipAddressType as GA.IpAddressType,
    IpSets: [{ IpAddressFamily: 'IPv4', IpAddresses: [...a.ips] }],
    DnsName: a.dnsName,
    CreatedTime: a.created,
  })
  const page = <T>(items: T[], input: { MaxResults?: number; NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0)
    const size = input.MaxResults ?? 1
    const next = start + size < items.length ? String(start + size) : undefined
    return { items: items.slice(start, start + size), NextToken: next }
  }
  const idempotent = <T>(
    kind: string,
    token: string | undefined,
    exists: (arn: string) => T | undefined,
    make: () => [string, T],
  ): T => {
    const known = token ? tokens.get(`${kind}:${token}`) : undefined
    const found = known ? exists(known) : undefined
    if (found) return found
    const [arn, value] = make()
    if (token) tokens.set(`${kind}:${token}`, arn)
    return value
  }

  const handlers: Record<string, (input: never) => unknown> = {
    CreateAccelerator: (input: GA.CreateAcceleratorRequest) => ({
      Accelerator: idempotent(
        'acc',
        input.IdempotencyToken,
        (arn) => accelerators.get(arn) && view(acc(arn)),
        () => {
          const n = ++count
          const a: Acc = {
            arn: `arn:aws:globalaccelerator::123456789012:accelerator/${randomUUID()}`,
            name: input.Name!,
            enabled: input.Enabled ?? true,
            status: 'IN_PROGRESS',
            pending: deployAfter,
            ipAddressType: input.IpAddressType ?? 'IPV4',
            ips: [`75.2.${n}.1`, `99.83.${n}.1`],
            dnsName: `a${hex(16)}.awsglobalaccelerator.com`,
            created: new Date(),
          }
          accelerators.set(a.arn, a)
          tags.set(a.arn, input.Tags ?? [])
          return [a.arn, view(a)]
        },
      ),
    }),
    DescribeAccelerator: (input: GA.DescribeAcceleratorRequest) => {
      const a = acc(input.AcceleratorArn)
      if (a.status === 'IN_PROGRESS' && --a.pending <= 0) a.status = 'DEPLOYED'
      return { Accelerator: view(a) }
    },
    UpdateAccelerator: (input: GA.UpdateAcceleratorRequest) => {
      const a = acc(input.AcceleratorArn)
      if (input.Enabled !== undefined) a.enabled = input.Enabled
      change(a)
      return { Accelerator: view(a) }
    },
    ListAccelerators: (input: GA.ListAcceleratorsRequest) => {
      const { items, NextToken } = page([...accelerators.values()], input)
      return { Accelerators: items.map(view), NextToken }
    },
    ListTagsForResource: (input: GA.ListTagsForResourceRequest) => {
      acc(input.ResourceArn)
      return { Tags: tags.get(input.ResourceArn!) ?? [] }
    },
    CreateListener: (input: GA.CreateListenerRequest) => ({
      Listener: idempotent(
        'listener',
        input.IdempotencyToken,
        (arn) => listenerView(listeners.get(arn)),
        () => {
          const a = acc(input.AcceleratorArn)
          for (const other of listeners.values())
            if (
              other.acceleratorArn === a.arn &&
              other.protocol === input.Protocol &&
              overlaps(other.portRanges, input.PortRanges as never)
            )
              throw new GA.InvalidPortRangeException({ message: 'port ranges overlap', ...meta })
          const l: Listener = {
            arn: `${a.arn}/listener/${hex(8)}`,
            acceleratorArn: a.arn,
            protocol: input.Protocol!,
            portRanges: input.PortRanges as Listener['portRanges'],
            clientAffinity: input.ClientAffinity ?? 'NONE',
          }
          listeners.set(l.arn, l)
          change(a)
          return [l.arn, listenerView(l)!]
        },
      ),
    }),
    CreateEndpointGroup: (input: GA.CreateEndpointGroupRequest) => ({
      EndpointGroup: idempotent(
        'group',
        input.IdempotencyToken,
        (arn) => groups.get(arn) && { EndpointGroupArn: arn },
        () => {
          const l = listeners.get(input.ListenerArn!)
          if (!l) throw new GA.ListenerNotFoundException({ message: 'listener not found', ...meta })
          if (
            [...groups.values()].some(
              (g) => g.listenerArn === l.arn && g.region === input.EndpointGroupRegion,
            )
          )
            throw new GA.EndpointGroupAlreadyExistsException({ message: 'region taken', ...meta })
          if (
            (input.EndpointConfigurations ?? []).some(
              (e) => (e.Weight ?? 128) < 0 || (e.Weight ?? 128) > 255,
            )
          )
            throw new GA.InvalidArgumentException({ message: 'weight out of range', ...meta })
          const g: Group = {
            arn: `${l.arn}/endpoint-group/${hex(12)}`,
            listenerArn: l.arn,
            region: input.EndpointGroupRegion!,
            endpoints: input.EndpointConfigurations ?? [],
          }
          groups.set(g.arn, g)
          change(acc(l.acceleratorArn))
          return [g.arn, { EndpointGroupArn: g.arn, EndpointGroupRegion: g.region }]
        },
      ),
    }),
    ListListeners: (input: GA.ListListenersRequest) => {
      acc(input.AcceleratorArn)
      const mine = [...listeners.values()].filter((l) => l.acceleratorArn === input.AcceleratorArn)
      const { items, NextToken } = page(mine, input)
      return {
        Listeners: items.map((l) => ({
          ListenerArn: l.arn,
          Protocol: l.protocol,
          PortRanges: l.portRanges,
        })),
        NextToken,
      }
    },
    ListEndpointGroups: (input: GA.ListEndpointGroupsRequest) => {
      if (!listeners.has(input.ListenerArn!))
        throw new GA.ListenerNotFoundException({ message: 'listener not found', ...meta })
      const mine = [...groups.values()].filter((g) => g.listenerArn === input.ListenerArn)
      const { items, NextToken } = page(mine, input)
      return {
        EndpointGroups: items.map((g) => ({
          EndpointGroupArn: g.arn,
          EndpointGroupRegion: g.region,
        })),
        NextToken,
      }
    },
    DeleteEndpointGroup: (input: GA.DeleteEndpointGroupRequest) => {
      if (!groups.delete(input.EndpointGroupArn!))
        throw new GA.EndpointGroupNotFoundException({
          message: 'endpoint group not found',
          ...meta,
        })
      return {}
    },
    DeleteListener: (input: GA.DeleteListenerRequest) => {
      if (!listeners.has(input.ListenerArn!))
        throw new GA.ListenerNotFoundException({ message: 'listener not found', ...meta })
      if ([...groups.values()].some((g) => g.listenerArn === input.ListenerArn))
        throw new GA.AssociatedEndpointGroupFoundException({
          message: 'delete its endpoint groups first',
          ...meta,
        })
      listeners.delete(input.ListenerArn!)
      return {}
    },
    DeleteAccelerator: (input: GA.DeleteAcceleratorRequest) => {
      const a = acc(input.AcceleratorArn)
      if (a.enabled || a.status !== 'DEPLOYED')
        throw new GA.AcceleratorNotDisabledException({
          message: 'disable the accelerator and wait until DEPLOYED',
          ...meta,
        })
      if ([...listeners.values()].some((l) => l.acceleratorArn === a.arn))
        throw new GA.AssociatedListenerFoundException({
          message: 'delete its listeners first',
          ...meta,
        })
      accelerators.delete(a.arn)
      tags.delete(a.arn)
      return {}
    },
  }

  return { accelerators, listeners, groups, tags, handlers }
}

function listenerView(l: Listener | undefined): GA.Listener | undefined {
  if (!l) return undefined
  return {
    ListenerArn: l.arn,
    Protocol: l.protocol as GA.Protocol,
    PortRanges: l.portRanges,
    ClientAffinity: l.clientAffinity as GA.ClientAffinity,
  }
}

function overlaps(
  a: { FromPort: number; ToPort: number }[],
  b: { FromPort: number; ToPort: number }[],
) {
  return a.some((x) => b.some((y) => x.FromPort <= y.ToPort && y.FromPort <= x.ToPort))
}
