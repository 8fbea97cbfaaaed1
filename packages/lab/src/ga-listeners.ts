// The lab's Global Accelerator: listeners and endpoint groups. Creating either puts the
// accelerator IN_PROGRESS again; DeleteListener is refused while the listener has endpoint
// groups; deleting groups and listeners does not change the accelerator's status.
import type * as Sdk from '@aws-sdk/client-global-accelerator'
import type { GaHandler } from './ga-accelerators'
import {
  groupView,
  hex,
  listenerView,
  meta,
  page,
  type GaContext,
  type LabEndpointGroup,
  type LabListener,
} from './ga-state'

type Range = { FromPort: number; ToPort: number }

/**
 * Handlers of the listener and endpoint-group operations, keyed by operation name.
 * @example
 * const out = listenerHandlers(ctx).CreateListener!({ AcceleratorArn: arn, Protocol: 'TCP', PortRanges } as never)
 */
export function listenerHandlers(ctx: GaContext): Record<string, GaHandler> {
  const { sdk, listeners, groups } = ctx
  const group = (arn: unknown) => {
    const g = groups.get(String(arn))
    if (!g)
      throw new sdk.EndpointGroupNotFoundException({
        message: `Endpoint group ${String(arn)} not found`,
        ...meta,
      })
    return g
  }
  return {
    CreateListener: (input: Sdk.CreateListenerRequest) => ({
      Listener: ctx.idempotent({
        kind: 'listener',
        token: input.IdempotencyToken,
        found: (arn) => (listeners.has(arn) ? listenerView(ctx.listener(arn)) : undefined),
        make: () => {
          const a = ctx.acc(input.AcceleratorArn)
          const ranges = (input.PortRanges ?? []) as Range[]
          for (const other of listeners.values())
            if (
              other.acceleratorArn === a.arn &&
              other.protocol === input.Protocol &&
              overlaps(other.portRanges, ranges)
            )
              throw new sdk.InvalidPortRangeException({ message: 'port ranges overlap', ...meta })
          const l: LabListener = {
            arn: `${a.arn}/listener/${hex(8)}`,
            acceleratorArn: a.arn,
            protocol: input.Protocol!,
            portRanges: ranges,
            clientAffinity: input.ClientAffinity ?? 'NONE',
          }
          listeners.set(l.arn, l)
          ctx.change(a)
          return [l.arn, listenerView(l)]
        },
      }),
    }),
    DescribeListener: (input: Sdk.DescribeListenerRequest) => ({
      Listener: listenerView(ctx.listener(input.ListenerArn)),
    }),
    ListListeners: (input: Sdk.ListListenersRequest) => {
      ctx.acc(input.AcceleratorArn)
      const mine = [...listeners.values()].filter((l) => l.acceleratorArn === input.AcceleratorArn)
      const { items, NextToken } = page(mine, input)
      return { Listeners: items.map(listenerView), NextToken }
    },
    DeleteListener: (input: Sdk.DeleteListenerRequest) => {
      const l = ctx.listener(input.ListenerArn)
      if ([...groups.values()].some((g) => g.listenerArn === l.arn))
        throw new sdk.AssociatedEndpointGroupFoundException({
          message: 'delete its endpoint groups first',
          ...meta,
        })
      listeners.delete(l.arn)
      return {}
    },
    CreateEndpointGroup: (input: Sdk.CreateEndpointGroupRequest) => ({
      EndpointGroup: ctx.idempotent({
        kind: 'group',
        token: input.IdempotencyToken,
        found: (arn) => (groups.has(arn) ? groupView(group(arn)) : undefined),
        make: () => {
          const l = ctx.listener(input.ListenerArn)
          if (
            [...groups.values()].some(
              (g) => g.listenerArn === l.arn && g.region === input.EndpointGroupRegion,
            )
          )
            throw new sdk.EndpointGroupAlreadyExistsException({
              message: `listener already has an endpoint group in ${input.EndpointGroupRegion}`,
              ...meta,
            })
          const endpoints = input.EndpointConfigurations ?? []
          if (endpoints.some((e) => (e.Weight ?? 128) < 0 || (e.Weight ?? 128) > 255))
            throw new sdk.InvalidArgumentException({ message: 'weight out of range', ...meta })
          const g: LabEndpointGroup = {
            arn: `${l.arn}/endpoint-group/${hex(12)}`,
            listenerArn: l.arn,
            region: input.EndpointGroupRegion!,
            endpoints,
            trafficDialPercentage: input.TrafficDialPercentage ?? 100,
          }
          groups.set(g.arn, g)
          ctx.change(ctx.acc(l.acceleratorArn))
          return [g.arn, groupView(g)]
        },
      }),
    }),
    DescribeEndpointGroup: (input: Sdk.DescribeEndpointGroupRequest) => ({
      EndpointGroup: groupView(group(input.EndpointGroupArn)),
    }),
    ListEndpointGroups: (input: Sdk.ListEndpointGroupsRequest) => {
      ctx.listener(input.ListenerArn)
      const mine = [...groups.values()].filter((g) => g.listenerArn === input.ListenerArn)
      const { items, NextToken } = page(mine, input)
      return { EndpointGroups: items.map(groupView), NextToken }
    },
    DeleteEndpointGroup: (input: Sdk.DeleteEndpointGroupRequest) => {
      groups.delete(group(input.EndpointGroupArn).arn)
      return {}
    },
  }
}

function overlaps(a: Range[], b: Range[]): boolean {
  return a.some((x) => b.some((y) => x.FromPort <= y.ToPort && y.FromPort <= x.ToPort))
}
