// What runContainer takes, validated before any remote command.
import { reveal, validate, ValidationError, type Secret } from '@ferry/core'
import { imageRef } from './image-ref.js'

/** One published port. */
export interface PortMapping {
  host: number
  container: number
  protocol?: 'tcp' | 'udp'
}

/** How the new container's health is judged; default TCP on the first published port. */
export type HealthCheck =
  | { http: string; port?: number }
  | { tcp: true; port?: number }
  /** Running after a few seconds (for containers without published ports). */
  | { running: true }

/** A container to run. */
export interface ContainerSpec {
  name: string
  image: string
  /** Host port → container port (`{ 8080: 3000 }`) or a list of mappings. */
  ports?: Record<number, number> | PortMapping[]
  /** Environment; Secret values never show in commands, events or errors. */
  env?: Record<string, string | Secret>
  /** Overrides the image's command. */
  command?: string[]
  /** Default 'unless-stopped'. */
  restart?: 'unless-stopped' | 'always' | 'on-failure' | 'no'
  /** Where published ports listen: 'loopback' (default; put nginx in front) or 'all'. */
  publish?: 'loopback' | 'all'
  health?: HealthCheck
  /** Run an init process as PID 1 (`--init`). */
  init?: boolean
  labels?: Record<string, string>
}

/** A validated spec. */
export interface CheckedContainer {
  name: string
  image: string
  ports: Required<PortMapping>[]
  env: [string, string | Secret][]
  command: string[]
  restart: NonNullable<ContainerSpec['restart']>
  hostIp: string
  health: { kind: 'tcp' | 'http' | 'running'; port?: number; path?: string }
  init: boolean
  labels: [string, string][]
}

/**
 * Validates a container spec and applies defaults.
 * @example
 * checkContainer({ name: 'api', image: 'ghcr.io/acme/api:1.4', ports: { 8080: 3000 } })
 */
export function checkContainer(spec: ContainerSpec): CheckedContainer {
  const name = validate.containerName(spec.name, 'name')
  const image = imageRef(spec.image, 'image')
  const ports = checkPorts(spec.ports ?? [])
  const env = Object.entries(spec.env ?? {}).map(([key, value]): [string, string | Secret] => {
    validate.envKey(key, `env.${key}`)
    const text = reveal(value)
    // Env files are one variable per line: a line break would start another variable.
    if (typeof text !== 'string' || /[\n\r\0]/.test(text))
      throw new ValidationError({
        field: `env.${key}`,
        value: '(value hidden)',
        allowed: 'a value without line breaks or NUL',
      })
    return [key, value]
  })
  const command = spec.command ?? []
  if (!Array.isArray(command) || command.some((a) => typeof a !== 'string' || a.includes('\0')))
    throw new ValidationError({ field: 'command', value: command, allowed: 'an array of strings' })
  const restart = spec.restart ?? 'unless-stopped'
  if (!['unless-stopped', 'always', 'on-failure', 'no'].includes(restart))
    throw new ValidationError({
      field: 'restart',
      value: restart,
      allowed: 'unless-stopped, always, on-failure or no',
    })
  if (spec.publish !== undefined && spec.publish !== 'loopback' && spec.publish !== 'all')
    throw new ValidationError({
      field: 'publish',
      value: spec.publish,
      allowed: "'loopback' or 'all'",
    })
  const labels = Object.entries(spec.labels ?? {})
  for (const [key, value] of labels)
    if (
      !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(key) ||
      typeof value !== 'string' ||
      /[\n\0]/.test(value)
    )
      throw new ValidationError({
        field: `labels.${key}`,
        value,
        allowed: 'a label key of letters, digits, ".", "_", "-" and a one-line value',
      })
  return {
    name,
    image,
    ports,
    env,
    command,
    restart,
    hostIp: spec.publish === 'all' ? '0.0.0.0' : '127.0.0.1',
    health: checkHealth(spec.health, ports),
    init: spec.init === true,
    labels,
  }
}

function checkPorts(ports: NonNullable<ContainerSpec['ports']>): Required<PortMapping>[] {
  const list: PortMapping[] = Array.isArray(ports)
    ? ports
    : Object.entries(ports).map(([host, container]) => ({ host: Number(host), container }))
  const seen = new Set<string>()
  return list.map((p, i) => {
    const protocol = p.protocol ?? 'tcp'
    if (protocol !== 'tcp' && protocol !== 'udp')
      throw new ValidationError({
        field: `ports[${i}].protocol`,
        value: protocol,
        allowed: "'tcp' or 'udp'",
      })
    const mapping = {
      host: validate.port(p.host, `ports[${i}].host`),
      container: validate.port(p.container, `ports[${i}].container`),
      protocol,
    }
    const key = `${protocol}:${mapping.host}`
    if (seen.has(key))
      throw new ValidationError({
        field: `ports[${i}].host`,
        value: p.host,
        allowed: 'each host port once',
      })
    seen.add(key)
    return mapping
  })
}

function checkHealth(
  health: HealthCheck | undefined,
  ports: Required<PortMapping>[],
): CheckedContainer['health'] {
  const tcpPorts = ports.filter((p) => p.protocol === 'tcp').map((p) => p.host)
  const portOf = (port: number | undefined) => {
    const chosen = port === undefined ? tcpPorts[0] : validate.port(port, 'health.port')
    if (chosen === undefined || !tcpPorts.includes(chosen))
      throw new ValidationError({
        field: 'health.port',
        value: port,
        allowed: `a published TCP host port (${tcpPorts.join(', ') || 'none published'}), or health: { running: true }`,
      })
    return chosen
  }
  if (health === undefined)
    return tcpPorts.length ? { kind: 'tcp', port: tcpPorts[0] } : { kind: 'running' }
  if ('running' in health) return { kind: 'running' }
  if ('http' in health)
    return {
      kind: 'http',
      port: portOf(health.port),
      path: validate.urlPath(health.http, 'health.http'),
    }
  if ('tcp' in health) return { kind: 'tcp', port: portOf(health.port) }
  throw new ValidationError({
    field: 'health',
    value: health,
    allowed: "{ http: '/path' }, { tcp: true } or { running: true }",
  })
}
