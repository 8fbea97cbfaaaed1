// The in-memory state of the lab's Global Accelerator and the helpers its handlers share: lookup
// that throws the SDK's own NotFound errors, the IN_PROGRESS countdown, paging, idempotency tokens.
import { randomUUID } from 'node:crypto'
import type * as Sdk from '@aws-sdk/client-global-accelerator'

/** The Global Accelerator SDK module (loaded lazily by createLabGlobalAccelerator). */
export type GaSdk = typeof Sdk

/** An accelerator as the lab stores it. */
export interface LabAccelerator {
  arn: string
  name: string
  enabled: boolean
  status: 'IN_PROGRESS' | 'DEPLOYED'
  /** DescribeAccelerator calls left until an IN_PROGRESS accelerator turns DEPLOYED. */
  pending: number
  ipAddressType: string
  ips: string[]
  dnsName: string
  created: Date
}

/** A listener as the lab stores it. */
export interface LabListener {
  arn: string
  acceleratorArn: string
  protocol: string
  portRanges: { FromPort: number; ToPort: number }[]
  clientAffinity: string
}

/** An endpoint group as the lab stores it. */
export interface LabEndpointGroup {
  arn: string
  listenerArn: string
  region: string
  endpoints: Sdk.EndpointConfiguration[]
  /** The share of the listener's traffic sent to this region (default 100). */
  trafficDialPercentage: number
}

/** Everything the lab's Global Accelerator holds; tests may read and change it directly. */
export interface GaState {
  accelerators: Map<string, LabAccelerator>
  listeners: Map<string, LabListener>
  groups: Map<string, LabEndpointGroup>
  /** Tags per accelerator ARN. */
  tags: Map<string, Sdk.Tag[]>
}

/** The state plus what every handler needs. */
export interface GaContext extends GaState {
  sdk: GaSdk
  /** How many DescribeAccelerator calls a change stays IN_PROGRESS for. */
  deployAfter: number
  /** The accelerator, or the SDK's AcceleratorNotFoundException. */
  acc(arn: unknown): LabAccelerator
  /** The listener, or the SDK's ListenerNotFoundException. */
  listener(arn: unknown): LabListener
  /** Marks a change: IN_PROGRESS again for `deployAfter` describes. */
  change(a: LabAccelerator): void
  /** Returns what an earlier call with the same token made, else makes it and remembers the token. */
  idempotent<T>(o: {
    kind: string
    token: string | undefined
    found: (arn: string) => T | undefined
    make: () => [string, T]
  }): T
  /** The next accelerator's number (for its fake static IPs). */
  next(): number
}

/** Response metadata the SDK's exceptions carry. */
export const meta = { $metadata: { httpStatusCode: 400, requestId: 'ferry-lab-ga' } }

/** Random hex for ARNs and DNS names. */
export const hex = (n: number): string => randomUUID().replaceAll('-', '').slice(0, n)

/**
 * A fresh, empty state with its helpers.
 * @example
 * const ctx = gaContext(await import('@aws-sdk/client-global-accelerator'), 3)
 */
export function gaContext(sdk: GaSdk, deployAfter: number): GaContext {
  const accelerators = new Map<string, LabAccelerator>()
  const listeners = new Map<string, LabListener>()
  const tokens = new Map<string, string>()
  let count = 0
  return {
    sdk,
    deployAfter,
    accelerators,
    listeners,
    groups: new Map(),
    tags: new Map(),
    acc(arn) {
      const a = accelerators.get(String(arn))
      if (!a)
        throw new sdk.AcceleratorNotFoundException({
          message: `Accelerator ${String(arn)} not found`,
          ...meta,
        })
      return a
    },
    listener(arn) {
      const l = listeners.get(String(arn))
      if (!l)
        throw new sdk.ListenerNotFoundException({
          message: `Listener ${String(arn)} not found`,
          ...meta,
        })
      return l
    },
    change(a) {
      a.status = 'IN_PROGRESS'
      a.pending = deployAfter
    },
    idempotent({ kind, token, found, make }) {
      const known = token ? tokens.get(`${kind}:${token}`) : undefined
      const existing = known ? found(known) : undefined
      if (existing) return existing
      const [arn, value] = make()
      if (token) tokens.set(`${kind}:${token}`, arn)
      return value
    },
    next: () => ++count,
  }
}

/** One page of `items` (1 item a page unless MaxResults says otherwise, so paging gets exercised). */
export function page<T>(
  items: T[],
  input: { MaxResults?: number; NextToken?: string },
): { items: T[]; NextToken: string | undefined } {
  const start = Number(input.NextToken ?? 0)
  const size = input.MaxResults ?? 1
  const next = start + size < items.length ? String(start + size) : undefined
  return { items: items.slice(start, start + size), NextToken: next }
}

/** An accelerator as the API returns it. */
export function acceleratorView(a: LabAccelerator): Sdk.Accelerator {
  return {
    AcceleratorArn: a.arn,
    Name: a.name,
    Enabled: a.enabled,
    Status: a.status,
    IpAddressType: a.ipAddressType as Sdk.IpAddressType,
    IpSets: [{ IpAddressFamily: 'IPv4', IpAddresses: [...a.ips] }],
    DnsName: a.dnsName,
    CreatedTime: a.created,
  }
}

/** A listener as the API returns it. */
export function listenerView(l: LabListener): Sdk.Listener {
  return {
    ListenerArn: l.arn,
    Protocol: l.protocol as Sdk.Protocol,
    PortRanges: l.portRanges,
    ClientAffinity: l.clientAffinity as Sdk.ClientAffinity,
  }
}

/** An endpoint group as the API returns it. */
export function groupView(g: LabEndpointGroup): Sdk.EndpointGroup {
  return {
    EndpointGroupArn: g.arn,
    EndpointGroupRegion: g.region,
    TrafficDialPercentage: g.trafficDialPercentage,
    EndpointDescriptions: g.endpoints.map((e) => ({
      EndpointId: e.EndpointId,
      Weight: e.Weight ?? 128,
      ClientIPPreservationEnabled: e.ClientIPPreservationEnabled,
      HealthState: 'HEALTHY',
    })),
  }
}
