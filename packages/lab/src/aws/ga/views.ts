// What the Global Accelerator API returns for each record, as JSON 1.1 puts it on the wire:
// timestamps are epoch seconds (the SDK turns them back into Dates).
import type { GaAccount, LabAccelerator, LabEndpointGroup, LabListener } from './account'

const seconds = (ms: number) => ms / 1000

/**
 * An accelerator as DescribeAccelerator returns it.
 * @example
 * acceleratorView(account, a).Status // 'IN_PROGRESS'
 */
export function acceleratorView(account: GaAccount, a: LabAccelerator): Record<string, unknown> {
  const ipSets = [{ IpAddressFamily: 'IPv4', IpFamily: 'IPv4', IpAddresses: [...a.ips] }]
  if (a.ipAddressType === 'DUAL_STACK')
    ipSets.push({ IpAddressFamily: 'IPv6', IpFamily: 'IPv6', IpAddresses: [...a.ipv6s] })
  return {
    AcceleratorArn: a.arn,
    Name: a.name,
    Enabled: a.enabled,
    Status: account.status(a),
    IpAddressType: a.ipAddressType,
    IpSets: ipSets,
    DnsName: a.dnsName,
    ...(a.ipAddressType === 'DUAL_STACK' ? { DualStackDnsName: a.dualStackDnsName } : {}),
    CreatedTime: seconds(a.createdMs),
    LastModifiedTime: seconds(a.modifiedMs),
  }
}

/**
 * A listener as DescribeListener returns it.
 * @example
 * listenerView(l).PortRanges // [{ FromPort: 80, ToPort: 80 }]
 */
export function listenerView(l: LabListener): Record<string, unknown> {
  return {
    ListenerArn: l.arn,
    Protocol: l.protocol,
    PortRanges: l.portRanges,
    ClientAffinity: l.clientAffinity,
  }
}

/**
 * An endpoint group as DescribeEndpointGroup returns it (every endpoint healthy).
 * @example
 * groupView(g).EndpointGroupRegion // 'eu-west-1'
 */
export function groupView(g: LabEndpointGroup): Record<string, unknown> {
  return {
    EndpointGroupArn: g.arn,
    EndpointGroupRegion: g.region,
    TrafficDialPercentage: g.trafficDialPercentage,
    ...g.healthCheck,
    EndpointDescriptions: g.endpoints.map((e) => ({
      EndpointId: e.EndpointId,
      Weight: e.Weight,
      ClientIPPreservationEnabled: e.ClientIPPreservationEnabled,
      HealthState: 'HEALTHY',
    })),
  }
}
