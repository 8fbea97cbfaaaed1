// One account of the lab's Global Accelerator (one per scope, so tests never see each other's
// accelerators) and what every handler shares: lookups that answer the service's NotFound
// exceptions, the deployment clock, idempotency tokens, paging.
import { randomUUID } from 'node:crypto'
import type { GaSettings, GaRuleName } from './settings'

/** An endpoint of a group, as the API takes it. */
export interface LabEndpoint {
  EndpointId: string
  Weight: number
  ClientIPPreservationEnabled: boolean
}

/** An accelerator as the lab stores it. */
export interface LabAccelerator {
  arn: string
  name: string
  enabled: boolean
  ipAddressType: 'IPV4' | 'DUAL_STACK'
  ips: string[]
  ipv6s: string[]
  dnsName: string
  dualStackDnsName: string
  createdMs: number
  modifiedMs: number
  /** When (lab clock, ms) the last change has deployed: IN_PROGRESS until then. */
  deployedAtMs: number
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
  endpoints: LabEndpoint[]
  /** The share of the listener's traffic sent to this region (default 100). */
  trafficDialPercentage: number
  /** HealthCheck* and ThresholdCount as sent. */
  healthCheck: Record<string, unknown>
}

/** A tag. */
export interface LabGaTag {
  Key: string
  Value: string
}

/** A refusal in the service's own words: the exception name AWS documents, and a message. */
export class GaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

/** An account's state and the helpers every handler needs. */
export interface GaAccount {
  accelerators: Map<string, LabAccelerator>
  listeners: Map<string, LabListener>
  groups: Map<string, LabEndpointGroup>
  tags: Map<string, LabGaTag[]>
  /** The lab's clock, ms. */
  now(): number
  /** The scope's settings as they are now. */
  settings(): GaSettings
  rule(name: GaRuleName): boolean
  /** The accelerator, or AcceleratorNotFoundException. */
  acc(arn: unknown): LabAccelerator
  /** The listener, or ListenerNotFoundException. */
  listener(arn: unknown): LabListener
  /** The endpoint group, or EndpointGroupNotFoundException. */
  group(arn: unknown): LabEndpointGroup
  status(a: LabAccelerator): 'IN_PROGRESS' | 'DEPLOYED'
  /** A change to the accelerator's configuration: IN_PROGRESS again for `deployMs`. */
  change(a: LabAccelerator): void
  /** Returns what an earlier call with the same token made, else makes it and keeps the token. */
  idempotent<T>(o: {
    kind: string
    input: Record<string, unknown>
    found: (arn: string) => T | undefined
    make: () => Promise<[string, T]> | [string, T]
  }): Promise<T>
  /** The next accelerator's number (for its IP addresses). */
  next(): number
}

/** Random hex for ARNs and DNS names. */
export const hex = (n: number): string => randomUUID().replaceAll('-', '').slice(0, n)

/**
 * A fresh, empty account.
 * @example
 * const account = gaAccount({ now: Date.now, settings: () => defaultGaSettings() })
 */
export function gaAccount(o: { now: () => number; settings: () => GaSettings }): GaAccount {
  const tokens = new Map<string, { fingerprint: string; arn: string; value: unknown }>()
  const find =
    <T>(map: Map<string, T>, code: string, what: string) =>
    (arn: unknown) => {
      const found = map.get(String(arn))
      if (!found) throw new GaError(code, `${what} ${String(arn)} doesn't exist.`)
      return found
    }
  let count = 0
  const account: GaAccount = {
    accelerators: new Map(),
    listeners: new Map(),
    groups: new Map(),
    tags: new Map(),
    now: o.now,
    settings: o.settings,
    rule: (name) => o.settings().rules[name],
    acc: (arn) => find(account.accelerators, 'AcceleratorNotFoundException', 'Accelerator')(arn),
    listener: (arn) => find(account.listeners, 'ListenerNotFoundException', 'Listener')(arn),
    group: (arn) => find(account.groups, 'EndpointGroupNotFoundException', 'Endpoint group')(arn),
    status: (a) => (o.now() < a.deployedAtMs ? 'IN_PROGRESS' : 'DEPLOYED'),
    change(a) {
      a.modifiedMs = o.now()
      a.deployedAtMs = o.now() + o.settings().deployMs
    },
    async idempotent({ kind, input, found, make }) {
      const token = typeof input.IdempotencyToken === 'string' ? input.IdempotencyToken : undefined
      const fingerprint = canonical({ ...input, IdempotencyToken: undefined })
      const earlier = token ? tokens.get(`${kind}:${token}`) : undefined
      if (earlier) {
        if (earlier.fingerprint !== fingerprint && account.rule('idempotency'))
          throw new GaError(
            'InvalidArgumentException',
            `IdempotencyToken ${token} was used for a ${kind} with other parameters; use a new token.`,
          )
        return found(earlier.arn) ?? (earlier.value as never)
      }
      const [arn, value] = await make()
      if (token) tokens.set(`${kind}:${token}`, { fingerprint, arn, value })
      return value
    },
    next: () => ++count,
  }
  return account
}

/** JSON with sorted keys, so the same parameters in another order are the same request. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  )
}

/**
 * One page of `items`: one item a page unless MaxResults says otherwise (AWS's default is 10;
 * one makes every lister in the lab page for real).
 * @example
 * const { items, NextToken } = page(all, input)
 */
export function page<T>(
  items: T[],
  input: { MaxResults?: unknown; NextToken?: unknown },
): { items: T[]; NextToken: string | undefined } {
  const start = Number(input.NextToken ?? 0)
  const size = typeof input.MaxResults === 'number' ? input.MaxResults : 1
  const next = start + size < items.length ? String(start + size) : undefined
  return { items: items.slice(start, start + size), NextToken: next }
}
