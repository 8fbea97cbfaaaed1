// The endpoint side of an accelerator: EC2 instances grouped per region, with weights, client IP
// preservation and each region's traffic dial and health check.
import { validate, ValidationError, type ServerRef } from '@ferry/core'
import { endpointRegion } from './accelerator-regions.js'
import { flag, integerIn, oneOf } from './checks.js'

/** An EC2 instance to route to. */
export interface EndpointInput {
  instanceId: string
  region: string
  /** 0–255; traffic splits by weight within a region. Default: the input's `weight`, else 128. */
  weight?: number
  /** Default: the input's `clientIpPreservation`, else true. */
  clientIpPreservation?: boolean
}

/** Health checks of an endpoint group. */
export interface HealthCheckInput {
  /** Default 'TCP'. */
  protocol?: 'TCP' | 'HTTP' | 'HTTPS'
  /** Default: the listener's port. */
  port?: number
  /** HTTP(S) only, e.g. '/healthz'. */
  path?: string
  intervalSeconds?: 10 | 30
  /** Checks in a row that flip an endpoint's health, 1–10. */
  thresholdCount?: number
}

/** Settings of one region's endpoint group. */
export interface EndpointGroupOptions {
  /** Share of the region's traffic, 0–100. Default 100. */
  trafficDialPercentage?: number
  healthCheck?: HealthCheckInput
}

/** A checked endpoint. */
export interface EndpointSpec {
  instanceId: string
  weight: number
  clientIpPreservation: boolean
}

/** A checked endpoint group: one region's endpoints and settings. */
export interface EndpointGroupSpec extends EndpointGroupOptions {
  region: string
  endpoints: EndpointSpec[]
}

// Global Accelerator's quota of endpoints per endpoint group.
const MAX_ENDPOINTS_PER_GROUP = 10
const PLACEHOLDER = /^\{\{[^{}]+\}\}$/

/**
 * Groups the endpoints by region (in order of first appearance) and checks every value.
 * @example
 * endpointGroupsOf({ endpoints: [{ instanceId: 'i-0123456789abcdef0', region: 'eu-west-1', weight: 200 }] })
 */
export function endpointGroupsOf(
  input: {
    endpoints?: readonly EndpointInput[]
    weight?: number
    clientIpPreservation?: boolean
    endpointGroups?: Readonly<Record<string, EndpointGroupOptions>>
  },
  options: { placeholders?: boolean } = {},
): EndpointGroupSpec[] {
  const { endpoints } = input
  if (!Array.isArray(endpoints) || endpoints.length === 0)
    throw new ValidationError({
      field: 'endpoints',
      value: endpoints,
      allowed:
        'at least one { instanceId, region } (the step takes them from ctx.server / ctx.servers)',
    })
  const weight = integerIn(input.weight ?? 128, [0, 255], 'weight')
  const preserve = flag(input.clientIpPreservation ?? true, 'clientIpPreservation')
  const pass = (v: unknown) =>
    options.placeholders === true && typeof v === 'string' && PLACEHOLDER.test(v)
  const groups = new Map<string, EndpointGroupSpec>()
  const seen = new Set<string>()
  endpoints.forEach((e: EndpointInput, i) => {
    const field = `endpoints[${i}]`
    if (typeof e !== 'object' || e === null)
      throw new ValidationError({
        field,
        value: e,
        allowed: 'an object { instanceId, region, weight? }',
      })
    const instanceId = pass(e.instanceId)
      ? e.instanceId
      : validate.instanceId(e.instanceId, `${field}.instanceId`)
    const region = pass(e.region)
      ? e.region
      : endpointRegion(validate.region(e.region, `${field}.region`), `${field}.region`)
    if (seen.has(instanceId) && !pass(instanceId))
      throw new ValidationError({
        field: `${field}.instanceId`,
        value: instanceId,
        allowed: 'each instance once',
      })
    seen.add(instanceId)
    const group = groups.get(region) ?? { region, endpoints: [] }
    groups.set(region, group)
    group.endpoints.push({
      instanceId,
      weight: integerIn(e.weight ?? weight, [0, 255], `${field}.weight`),
      clientIpPreservation: flag(
        e.clientIpPreservation ?? preserve,
        `${field}.clientIpPreservation`,
      ),
    })
    if (group.endpoints.length > MAX_ENDPOINTS_PER_GROUP)
      throw new ValidationError({
        field: 'endpoints',
        value: region,
        allowed: `at most ${MAX_ENDPOINTS_PER_GROUP} endpoints per region (Global Accelerator's quota)`,
      })
  })
  for (const [region, settings] of Object.entries(input.endpointGroups ?? {})) {
    validate.region(region, `endpointGroups.${region}`)
    const checked = groupSettings(settings, `endpointGroups.${region}`)
    const group = groups.get(region)
    // A placeholder region (`{{server.region}}`) may turn out to be this one: plan cannot tell.
    if (!group && options.placeholders && [...groups.keys()].some(pass)) continue
    if (!group)
      throw new ValidationError({
        field: `endpointGroups.${region}`,
        value: region,
        allowed: `a region that has endpoints: ${[...groups.keys()].join(', ')}`,
      })
    Object.assign(group, checked)
  }
  return [...groups.values()]
}

/**
 * Endpoints for the servers of earlier steps: each needs an instance id and a region.
 * @example
 * endpointsFromServers(serversOf(ctx))
 */
export function endpointsFromServers(servers: readonly ServerRef[]): EndpointInput[] {
  return servers.map((s, i) => {
    if (!s.instanceId || !s.region)
      throw new ValidationError({
        field: `servers[${i}]`,
        value: s.name ?? s.instanceId ?? s.publicIp,
        allowed: 'a server with instanceId and region (as launchWebServer adds it)',
      })
    return { instanceId: s.instanceId, region: s.region }
  })
}

function groupSettings(o: EndpointGroupOptions, field: string): EndpointGroupOptions {
  const out: EndpointGroupOptions = {}
  if (o.trafficDialPercentage !== undefined) {
    const dial = o.trafficDialPercentage
    if (typeof dial !== 'number' || !Number.isFinite(dial) || dial < 0 || dial > 100)
      throw new ValidationError({
        field: `${field}.trafficDialPercentage`,
        value: dial,
        allowed: 'a number from 0 to 100',
      })
    out.trafficDialPercentage = dial
  }
  const h = o.healthCheck
  if (h === undefined) return out
  const protocol = oneOf(
    h.protocol ?? 'TCP',
    ['TCP', 'HTTP', 'HTTPS'],
    `${field}.healthCheck.protocol`,
  )
  if (h.path !== undefined && protocol === 'TCP')
    throw new ValidationError({
      field: `${field}.healthCheck.path`,
      value: h.path,
      allowed: 'no path for TCP health checks; use HTTP or HTTPS',
    })
  out.healthCheck = {
    protocol,
    ...(h.port !== undefined ? { port: validate.port(h.port, `${field}.healthCheck.port`) } : {}),
    ...(h.path !== undefined
      ? { path: validate.urlPath(h.path, `${field}.healthCheck.path`) }
      : {}),
    ...(h.intervalSeconds !== undefined
      ? { intervalSeconds: interval(h.intervalSeconds, `${field}.healthCheck.intervalSeconds`) }
      : {}),
    ...(h.thresholdCount !== undefined
      ? {
          thresholdCount: integerIn(
            h.thresholdCount,
            [1, 10],
            `${field}.healthCheck.thresholdCount`,
          ),
        }
      : {}),
  }
  return out
}

function interval(value: unknown, field: string): 10 | 30 {
  if (value !== 10 && value !== 30)
    throw new ValidationError({ field, value, allowed: '10 or 30 (seconds)' })
  return value
}
