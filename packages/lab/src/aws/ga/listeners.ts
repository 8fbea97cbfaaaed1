// The lab's Global Accelerator: listeners and endpoint groups, plain JSON in and out. Creating or
// deleting either changes the accelerator's configuration, so it is IN_PROGRESS again until that
// deploys (Accelerator.Status, "the deployment status of the accelerator", API Reference);
// DeleteListener answers AssociatedEndpointGroupFoundException while the listener has endpoint
// groups ("The listener that you specified has an endpoint group associated with it. You must
// remove all dependent resources from a listener before you can delete it", API_DeleteListener).
import {
  GaError,
  hex,
  page,
  type GaAccount,
  type LabEndpoint,
  type LabEndpointGroup,
  type LabListener,
} from './account'
import type { Ec2Read, GaHandler } from './accelerators'
import { checkEndpoints, endpointKind } from './endpoints'
import { groupView, listenerView } from './views'

type Range = { FromPort: number; ToPort: number }

const HEALTH_CHECK = [
  'HealthCheckPort',
  'HealthCheckProtocol',
  'HealthCheckPath',
  'HealthCheckIntervalSeconds',
  'ThresholdCount',
] as const

/**
 * Handlers of the listener and endpoint-group operations, keyed by operation name.
 * @example
 * const out = await listenerHandlers(account, ec2).CreateListener!({ AcceleratorArn: arn, Protocol: 'TCP', PortRanges })
 */
export function listenerHandlers(account: GaAccount, ec2: Ec2Read): Record<string, GaHandler> {
  const { listeners, groups } = account
  // Deleting a listener or a group is a change too; with the rule off, as the lab's first
  // stand-in did, only creates and UpdateAccelerator are.
  const changedByDelete = (acceleratorArn: string) => {
    const a = account.accelerators.get(acceleratorArn)
    if (a && account.rule('inProgress')) account.change(a)
  }
  return {
    CreateListener: (input) =>
      account
        .idempotent({
          kind: 'listener',
          input,
          found: (arn) => (listeners.has(arn) ? listenerView(account.listener(arn)) : undefined),
          make: () => {
            const a = account.acc(input.AcceleratorArn)
            const ranges = (input.PortRanges ?? []) as Range[]
            for (const other of listeners.values())
              if (
                other.acceleratorArn === a.arn &&
                other.protocol === input.Protocol &&
                overlaps(other.portRanges, ranges)
              )
                throw new GaError(
                  'InvalidPortRangeException',
                  'The port ranges overlap those of another listener.',
                )
            const l: LabListener = {
              arn: `${a.arn}/listener/${hex(8)}`,
              acceleratorArn: a.arn,
              protocol: typeof input.Protocol === 'string' ? input.Protocol : 'TCP',
              portRanges: ranges,
              clientAffinity:
                typeof input.ClientAffinity === 'string' ? input.ClientAffinity : 'NONE',
            }
            listeners.set(l.arn, l)
            account.change(a)
            return [l.arn, listenerView(l)]
          },
        })
        .then((Listener) => ({ Listener })),
    DescribeListener: (input) => ({ Listener: listenerView(account.listener(input.ListenerArn)) }),
    ListListeners: (input) => {
      account.acc(input.AcceleratorArn)
      const mine = [...listeners.values()].filter((l) => l.acceleratorArn === input.AcceleratorArn)
      const { items, NextToken } = page(mine, input)
      return { Listeners: items.map(listenerView), ...(NextToken ? { NextToken } : {}) }
    },
    DeleteListener: (input) => {
      const l = account.listener(input.ListenerArn)
      if (account.rule('dependents') && [...groups.values()].some((g) => g.listenerArn === l.arn))
        throw new GaError(
          'AssociatedEndpointGroupFoundException',
          `Listener ${l.arn} has endpoint groups: delete them first.`,
        )
      for (const g of groups.values()) if (g.listenerArn === l.arn) groups.delete(g.arn)
      listeners.delete(l.arn)
      changedByDelete(l.acceleratorArn)
      return {}
    },
    CreateEndpointGroup: (input) =>
      account
        .idempotent({
          kind: 'endpoint-group',
          input,
          found: (arn) => (groups.has(arn) ? groupView(account.group(arn)) : undefined),
          make: async () => {
            const l = account.listener(input.ListenerArn)
            const a = account.acc(l.acceleratorArn)
            const region = String(input.EndpointGroupRegion)
            if ([...groups.values()].some((g) => g.listenerArn === l.arn && g.region === region))
              throw new GaError(
                'EndpointGroupAlreadyExistsException',
                `Listener ${l.arn} already has an endpoint group in ${region}.`,
              )
            const endpoints = endpointsOf(input.EndpointConfigurations)
            if (account.rule('endpoints'))
              await checkEndpoints({ accelerator: a, region, endpoints, ec2 })
            const g: LabEndpointGroup = {
              arn: `${l.arn}/endpoint-group/${hex(12)}`,
              listenerArn: l.arn,
              region,
              endpoints,
              trafficDialPercentage:
                typeof input.TrafficDialPercentage === 'number' ? input.TrafficDialPercentage : 100,
              healthCheck: Object.fromEntries(
                HEALTH_CHECK.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]),
              ),
            }
            groups.set(g.arn, g)
            account.change(a)
            return [g.arn, groupView(g)]
          },
        })
        .then((EndpointGroup) => ({ EndpointGroup })),
    DescribeEndpointGroup: (input) => ({
      EndpointGroup: groupView(account.group(input.EndpointGroupArn)),
    }),
    ListEndpointGroups: (input) => {
      account.listener(input.ListenerArn)
      const mine = [...groups.values()].filter((g) => g.listenerArn === input.ListenerArn)
      const { items, NextToken } = page(mine, input)
      return { EndpointGroups: items.map(groupView), ...(NextToken ? { NextToken } : {}) }
    },
    DeleteEndpointGroup: (input) => {
      const g = account.group(input.EndpointGroupArn)
      groups.delete(g.arn)
      const l = listeners.get(g.listenerArn)
      if (l) changedByDelete(l.acceleratorArn)
      return {}
    },
  }
}

// Weights 0–255 (default 128); client IP preservation defaults on except for Elastic IPs and NLBs.
function endpointsOf(value: unknown): LabEndpoint[] {
  const given = (Array.isArray(value) ? value : []) as Partial<LabEndpoint>[]
  return given.map((e) => {
    const id = String(e.EndpointId ?? '')
    const weight = e.Weight ?? 128
    if (!Number.isInteger(weight) || weight < 0 || weight > 255)
      throw new GaError('InvalidArgumentException', `Endpoint ${id}: Weight must be 0–255.`)
    const kind = endpointKind(id)
    return {
      EndpointId: id,
      Weight: weight,
      ClientIPPreservationEnabled:
        e.ClientIPPreservationEnabled ?? !(kind === 'elastic-ip' || kind === 'nlb'),
    }
  })
}

function overlaps(a: Range[], b: Range[]): boolean {
  return a.some((x) => b.some((y) => x.FromPort <= y.ToPort && y.FromPort <= x.ToPort))
}
