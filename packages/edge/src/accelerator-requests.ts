// The exact Global Accelerator requests for a checked spec. Pure: the executor only ships them.
import type {
  CreateAcceleratorCommandInput,
  CreateEndpointGroupCommandInput,
  CreateListenerCommandInput,
} from '@aws-sdk/client-global-accelerator'
import { ferryTags } from '@ferry/core'
import type { EndpointGroupSpec } from './accelerator-endpoints.js'
import type { AcceleratorSpec, ListenerSpec } from './accelerator-spec.js'

/**
 * The idempotency token purposes of one accelerator's resources (two accelerators of one run
 * differ by name).
 * @example
 * env.token(tokenPurpose.listener('web', 0)) // stable for this run, step and listener
 */
export const tokenPurpose = {
  accelerator: (name: string) => `accelerator:${name}`,
  listener: (name: string, i: number) => `accelerator:${name}:listener:${i}`,
  endpointGroup: (name: string, i: number, region: string) =>
    `accelerator:${name}:listener:${i}:endpoint-group:${region}`,
}

/**
 * The CreateAccelerator input: name, IP type, enabled, token, and ferry's tags.
 * @example
 * createAcceleratorRequest(spec, { token: env.token('accelerator'), runId: env.runId, step: env.step })
 */
export function createAcceleratorRequest(
  spec: AcceleratorSpec,
  o: { token: string; runId?: string; step?: string },
): CreateAcceleratorCommandInput {
  return {
    Name: spec.name,
    IpAddressType: spec.ipAddressType,
    Enabled: spec.enabled,
    IdempotencyToken: o.token,
    Tags: ferryTags({ name: spec.name, runId: o.runId, step: o.step, extra: spec.tags }),
  }
}

/**
 * The CreateListener input of one listener.
 * @example
 * createListenerRequest(acceleratorArn, spec.listeners[0], token)
 */
export function createListenerRequest(
  acceleratorArn: string,
  listener: ListenerSpec,
  token: string,
): CreateListenerCommandInput {
  return {
    AcceleratorArn: acceleratorArn,
    Protocol: listener.protocol,
    PortRanges: listener.portRanges.map((r) => ({ FromPort: r.from, ToPort: r.to })),
    ClientAffinity: listener.clientAffinity,
    IdempotencyToken: token,
  }
}

/**
 * The CreateEndpointGroup input of one region's group on one listener.
 * @example
 * createEndpointGroupRequest(listenerArn, spec.endpointGroups[0], token)
 */
export function createEndpointGroupRequest(
  listenerArn: string,
  group: EndpointGroupSpec,
  token: string,
): CreateEndpointGroupCommandInput {
  const h = group.healthCheck
  return {
    ListenerArn: listenerArn,
    EndpointGroupRegion: group.region,
    EndpointConfigurations: group.endpoints.map((e) => ({
      EndpointId: e.instanceId,
      Weight: e.weight,
      ClientIPPreservationEnabled: e.clientIpPreservation,
    })),
    ...(group.trafficDialPercentage !== undefined
      ? { TrafficDialPercentage: group.trafficDialPercentage }
      : {}),
    ...(h?.protocol ? { HealthCheckProtocol: h.protocol } : {}),
    ...(h?.port !== undefined ? { HealthCheckPort: h.port } : {}),
    ...(h?.path !== undefined ? { HealthCheckPath: h.path } : {}),
    ...(h?.intervalSeconds !== undefined ? { HealthCheckIntervalSeconds: h.intervalSeconds } : {}),
    ...(h?.thresholdCount !== undefined ? { ThresholdCount: h.thresholdCount } : {}),
    IdempotencyToken: token,
  }
}
