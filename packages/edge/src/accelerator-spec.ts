// What a Global Accelerator should look like, checked in full before any call: listeners with
// port ranges, and per region an endpoint group of EC2 instances with weights.
import { validate, ValidationError, type PortRange } from '@ferry/core'
import {
  endpointGroupsOf,
  type EndpointGroupOptions,
  type EndpointGroupSpec,
  type EndpointInput,
} from './accelerator-endpoints.js'
import { endpointIpAddressType } from './accelerator-regions.js'
import { flag, milliseconds, oneOf } from './checks.js'

/** One listener: a protocol and the ports it accepts. */
export interface ListenerInput {
  /** Default 'TCP'. */
  protocol?: 'TCP' | 'UDP'
  /** Ports or ranges: `80`, `'8000-8100'`, `{ from, to }`. Default `[80]`. */
  ports?: readonly (number | string | PortRange)[]
  /** 'SOURCE_IP' keeps a client on one endpoint. Default 'NONE'. */
  clientAffinity?: 'NONE' | 'SOURCE_IP'
}

/** What `createAccelerator` takes. */
export interface CreateAcceleratorInput {
  /** Letters, digits, `.` and `-`, at most 64, not starting or ending with `.` or `-`. */
  name: string
  /** Default: one TCP listener on port 80. */
  listeners?: readonly ListenerInput[]
  /** EC2 instances to route to; the step defaults to the servers of earlier steps. */
  endpoints?: readonly EndpointInput[]
  /** The weight of endpoints that name none (0–255). Default 128. */
  weight?: number
  /** Preserve the client's IP address at the instances. Default true. */
  clientIpPreservation?: boolean
  /** Per-region settings of the endpoint groups (traffic dial, health checks). */
  endpointGroups?: Readonly<Record<string, EndpointGroupOptions>>
  /**
   * 'IPV4', the default and the only type ferry's EC2 instance endpoints allow (they have no
   * IPv6 address, which a dual-stack accelerator needs of an instance): DUAL_STACK is refused.
   */
  ipAddressType?: 'IPV4'
  /** Default true. */
  enabled?: boolean
  /** Extra tags; `Name`, `ferry:run` and `ferry:step` are set by ferry. */
  tags?: Readonly<Record<string, string>>
  /** Wait until the accelerator is DEPLOYED. Default true. */
  wait?: boolean
  /** How long to wait, in milliseconds. Default 30 minutes. */
  maxWaitTime?: number
}

/** A checked listener. */
export interface ListenerSpec {
  protocol: 'TCP' | 'UDP'
  portRanges: PortRange[]
  clientAffinity: 'NONE' | 'SOURCE_IP'
}

/** A checked accelerator request. */
export interface AcceleratorSpec {
  name: string
  ipAddressType: 'IPV4'
  enabled: boolean
  tags: Record<string, string>
  listeners: ListenerSpec[]
  endpointGroups: EndpointGroupSpec[]
  wait: boolean
  maxWaitTime: number
}

// Global Accelerator's quotas: listeners per accelerator, port ranges per listener.
const MAX_LISTENERS = 10
const MAX_PORT_RANGES = 10
const RESERVED_TAGS = new Set(['Name', 'ferry:run', 'ferry:step'])

/**
 * Checks a `createAccelerator` input. Pure; throws a ValidationError naming the field.
 * `placeholders` lets `plan` pass endpoints like `{{server.instanceId}}` through unchecked.
 * @example
 * acceleratorSpec({ name: 'web', endpoints: [{ instanceId: 'i-0123456789abcdef0', region: 'eu-west-1' }] })
 */
export function acceleratorSpec(
  input: CreateAcceleratorInput,
  options: { placeholders?: boolean } = {},
): AcceleratorSpec {
  if (typeof input !== 'object' || input === null)
    throw new ValidationError({ field: 'input', value: input, allowed: 'an object' })
  return {
    name: acceleratorName(input.name),
    ipAddressType: endpointIpAddressType(input.ipAddressType ?? 'IPV4'),
    enabled: flag(input.enabled ?? true, 'enabled'),
    tags: userTags(input.tags ?? {}),
    listeners: listenersOf(input.listeners ?? [{}]),
    endpointGroups: endpointGroupsOf(input, options),
    wait: flag(input.wait ?? true, 'wait'),
    maxWaitTime: milliseconds(input.maxWaitTime ?? 30 * 60_000, 'maxWaitTime'),
  }
}

/**
 * An accelerator name as Global Accelerator accepts it.
 * @example
 * acceleratorName('web-eu.1') // 'web-eu.1'
 */
export function acceleratorName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,62}[A-Za-z0-9])?$/.test(value))
    throw new ValidationError({
      field,
      value,
      allowed: 'letters, digits, "." and "-", at most 64, not starting or ending with "." or "-"',
    })
  return value
}

function listenersOf(listeners: readonly ListenerInput[]): ListenerSpec[] {
  if (!Array.isArray(listeners) || listeners.length < 1 || listeners.length > MAX_LISTENERS)
    throw new ValidationError({
      field: 'listeners',
      value: listeners,
      allowed: `1 to ${MAX_LISTENERS} listeners`,
    })
  const specs = listeners.map((l: ListenerInput, i) => {
    const field = `listeners[${i}]`
    if (typeof l !== 'object' || l === null)
      throw new ValidationError({
        field,
        value: l,
        allowed: 'an object { protocol?, ports?, clientAffinity? }',
      })
    const ports = l.ports ?? [80]
    if (!Array.isArray(ports) || ports.length < 1 || ports.length > MAX_PORT_RANGES)
      throw new ValidationError({
        field: `${field}.ports`,
        value: ports,
        allowed: `1 to ${MAX_PORT_RANGES} ports or port ranges`,
      })
    return {
      protocol: oneOf(l.protocol ?? 'TCP', ['TCP', 'UDP'], `${field}.protocol`),
      portRanges: ports.map((p, j) => validate.portRange(p, `${field}.ports[${j}]`)),
      clientAffinity: oneOf(
        l.clientAffinity ?? 'NONE',
        ['NONE', 'SOURCE_IP'],
        `${field}.clientAffinity`,
      ),
    }
  })
  refuseOverlaps(specs)
  return specs
}

/** Global Accelerator refuses overlapping port ranges of one protocol on an accelerator. */
function refuseOverlaps(specs: ListenerSpec[]): void {
  const seen: { protocol: string; range: PortRange; where: string }[] = []
  specs.forEach((spec, i) =>
    spec.portRanges.forEach((range, j) => {
      const where = `listeners[${i}].ports[${j}]`
      const clash = seen.find(
        (s) => s.protocol === spec.protocol && s.range.from <= range.to && range.from <= s.range.to,
      )
      if (clash)
        throw new ValidationError({
          field: where,
          value: range,
          allowed: `ports that do not overlap ${clash.where} (${clash.range.from}-${clash.range.to}, ${spec.protocol})`,
        })
      seen.push({ protocol: spec.protocol, range, where })
    }),
  )
}

function userTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags))
    throw new ValidationError({
      field: 'tags',
      value: tags,
      allowed: 'an object of tag keys to values',
    })
  for (const [key, value] of Object.entries(tags)) {
    if (RESERVED_TAGS.has(key) || key.startsWith('aws:') || key.length < 1 || key.length > 128)
      throw new ValidationError({
        field: `tags.${key}`,
        value: key,
        allowed: 'a key of 1 to 128 characters other than Name, ferry:run, ferry:step or aws:*',
      })
    if (typeof value !== 'string' || value.length > 256)
      throw new ValidationError({
        field: `tags.${key}`,
        value,
        allowed: 'a string of at most 256 characters',
      })
  }
  return { ...tags }
}
