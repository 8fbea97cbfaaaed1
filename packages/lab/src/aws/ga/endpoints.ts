// Which endpoints an endpoint group may hold, where, and on which accelerators.
// Regions: "Global Accelerator is currently available in the following AWS Regions ... Adding
// endpoints in AWS Local Zones is not supported" — AWS Region availability for AWS Global
// Accelerator (https://docs.aws.amazon.com/global-accelerator/latest/dg/preserve-client-ip-address.regions.html);
// earlier editions of the guide sent "EC2 instances are supported as endpoints in only some AWS
// Regions" to the same page. AZ exceptions (usw1-az2, apne1-az3, cac1-az3) are not modelled.
// Dual-stack: "Accelerators that you configure as dual-stack ... require that you add only
// endpoints that also support dual-stack. Network Load Balancers, Application Load Balancers, and
// Amazon EC2 instances can be added as dual-stack endpoints" (Endpoints for standard accelerators,
// https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints.html; earlier editions
// said "only Application Load Balancers") and "To add an endpoint to a dual-stack accelerator, the
// endpoint must have client IP address preservation enabled" (about-endpoints-caveats.html). An
// EC2 instance is dual-stack when it has an IPv6 address, which the lab reads from moto.
// Refusals are InvalidArgumentException, the error CreateEndpointGroup documents for them.
// Kept apart from @ferry/edge's own list on purpose: the lab stands for AWS, not for ferry.
import { xmlValues, type AwsResponse } from '../respond'
import { GaError, type LabAccelerator, type LabEndpoint } from './account'

/**
 * The Regions an endpoint group may be in (the page above, as stored).
 * @example
 * ENDPOINT_REGIONS.includes('cn-north-1') // false
 */
export const ENDPOINT_REGIONS: readonly string[] = [
  'us-east-2', 'us-east-1', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1',
  'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-northeast-3', 'ap-southeast-1',
  'ap-southeast-2', 'ap-southeast-5', 'ap-northeast-1', 'ap-northeast-2', 'ca-central-1',
  'ca-west-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-south-1', 'eu-west-3', 'eu-south-2',
  'eu-north-1', 'eu-central-2', 'il-central-1', 'me-south-1', 'me-central-1', 'sa-east-1',
] // prettier-ignore

/** What an EndpointId names. */
export type EndpointKind = 'ec2-instance' | 'elastic-ip' | 'alb' | 'nlb' | 'unknown'

/**
 * The kind of resource an EndpointId names, by its form.
 * @example
 * endpointKind('i-0123456789abcdef0') // 'ec2-instance'
 */
export function endpointKind(id: string): EndpointKind {
  if (/^i-[0-9a-f]{8,17}$/.test(id)) return 'ec2-instance'
  if (/^eipalloc-[0-9a-f]+$/.test(id)) return 'elastic-ip'
  if (/:loadbalancer\/app\//.test(id)) return 'alb'
  if (/:loadbalancer\/net\//.test(id)) return 'nlb'
  return 'unknown'
}

/**
 * Refuses endpoints the accelerator cannot take in this Region (InvalidArgumentException).
 * @example
 * await checkEndpoints({ accelerator, region: 'eu-west-1', endpoints, ec2 })
 */
export async function checkEndpoints(o: {
  accelerator: Pick<LabAccelerator, 'ipAddressType'>
  region: string
  endpoints: LabEndpoint[]
  ec2: (region: string, params: Record<string, string>) => Promise<AwsResponse>
}): Promise<void> {
  if (!ENDPOINT_REGIONS.includes(o.region))
    throw new GaError(
      'InvalidArgumentException',
      `Global Accelerator does not support endpoints in ${o.region}; supported Regions: ${ENDPOINT_REGIONS.join(', ')}.`,
    )
  if (o.accelerator.ipAddressType !== 'DUAL_STACK') return
  for (const e of o.endpoints) {
    const kind = endpointKind(e.EndpointId)
    if (!e.ClientIPPreservationEnabled)
      throw new GaError(
        'InvalidArgumentException',
        `Endpoint ${e.EndpointId}: an endpoint of a dual-stack accelerator must have client IP address preservation enabled.`,
      )
    if (kind === 'elastic-ip' || kind === 'unknown')
      throw new GaError(
        'InvalidArgumentException',
        `Endpoint ${e.EndpointId} cannot be added to a dual-stack accelerator: only Network Load Balancers, Application Load Balancers and EC2 instances support dual-stack.`,
      )
    if (kind === 'ec2-instance' && !(await hasIpv6(o.ec2, o.region, e.EndpointId)))
      throw new GaError(
        'InvalidArgumentException',
        `EC2 instance ${e.EndpointId} in ${o.region} has no IPv6 address, so it cannot be an endpoint of a dual-stack accelerator; use an IPv4 accelerator or a dual-stack instance.`,
      )
  }
}

async function hasIpv6(
  ec2: (region: string, params: Record<string, string>) => Promise<AwsResponse>,
  region: string,
  instanceId: string,
): Promise<boolean> {
  const r = await ec2(region, { Action: 'DescribeInstances', 'InstanceId.1': instanceId })
  return r.status === 200 && xmlValues(r.body, 'ipv6Address').length > 0
}
