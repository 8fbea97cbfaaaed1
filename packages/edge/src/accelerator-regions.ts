// Where an accelerator's endpoints may be, and which IP address type ferry's endpoints allow.
// "Global Accelerator is currently available in the following AWS Regions ... Adding endpoints in
// AWS Local Zones is not supported" — AWS Region availability for AWS Global Accelerator
// (https://docs.aws.amazon.com/global-accelerator/latest/dg/preserve-client-ip-address.regions.html).
// Dual-stack accelerators take only dual-stack endpoints; an EC2 instance qualifies only with an
// IPv6 address and client IP preservation ("Endpoints for standard accelerators",
// https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints.html). ferry's endpoints
// are EC2 instances and ferry launches them IPv4-only, and a pure check cannot see an instance's
// addresses, so DUAL_STACK is refused: AWS would refuse each endpoint group after the accelerator
// exists (and bills). The lab keeps its own copy of this list on purpose: it stands for AWS.
import { ValidationError } from '@ferry/core'

/**
 * The Regions an endpoint group may be in (AZ exceptions such as usw1-az2 are not checked).
 * @example
 * ACCELERATOR_ENDPOINT_REGIONS.includes('eu-west-1') // true
 */
export const ACCELERATOR_ENDPOINT_REGIONS: readonly string[] = [
  'us-east-2', 'us-east-1', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1',
  'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-northeast-3', 'ap-southeast-1',
  'ap-southeast-2', 'ap-southeast-5', 'ap-northeast-1', 'ap-northeast-2', 'ca-central-1',
  'ca-west-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-south-1', 'eu-west-3', 'eu-south-2',
  'eu-north-1', 'eu-central-2', 'il-central-1', 'me-south-1', 'me-central-1', 'sa-east-1',
] // prettier-ignore

/**
 * A Region Global Accelerator takes endpoints in, or a ValidationError naming the field.
 * @example
 * endpointRegion('eu-west-1', 'endpoints[0].region') // 'eu-west-1'
 */
export function endpointRegion(region: string, field: string): string {
  if (!ACCELERATOR_ENDPOINT_REGIONS.includes(region))
    throw new ValidationError({
      field,
      value: region,
      allowed: `a Region where Global Accelerator supports endpoints: ${ACCELERATOR_ENDPOINT_REGIONS.join(', ')}`,
    })
  return region
}

/**
 * The accelerator's IP address type for EC2 instance endpoints: IPV4 only.
 * @example
 * endpointIpAddressType('IPV4') // 'IPV4'
 */
export function endpointIpAddressType(value: unknown, field = 'ipAddressType'): 'IPV4' {
  if (value !== 'IPV4')
    throw new ValidationError({
      field,
      value,
      allowed:
        value === 'DUAL_STACK'
          ? "IPV4: a dual-stack accelerator takes an EC2 instance only when it has an IPv6 address, and ferry's servers are IPv4-only; AWS would refuse the endpoint groups after creating the accelerator"
          : 'IPV4',
    })
  return value
}
