// Validators for what ferry's modules take. Each returns the value (normalised where useful)
// or throws a ValidationError naming the field, the bad value and what is allowed.
import { isIP } from 'node:net'
import { ValidationError } from './errors.js'
import { AWS_REGIONS, EXTRA_REGIONS_ENV, isKnownRegion } from './regions.js'

const fail = (field: string, value: unknown, allowed: string): never => {
  throw new ValidationError({ field, value, allowed })
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)

/**
 * A TCP/UDP port, 1–65535.
 * @example
 * port(8080) // 8080
 */
export function port(value: unknown, field = 'port'): number {
  if (typeof value === 'string' && /^\d+$/.test(value)) value = Number(value)
  if (!isInt(value) || value < 1 || value > 65535)
    fail(field, value, 'an integer port from 1 to 65535')
  return value as number
}

/** An inclusive port range. */
export interface PortRange {
  from: number
  to: number
}

/**
 * A port or port range: `443`, `'8000-8100'` or `{ from, to }`, with from ≤ to.
 * @example
 * portRange('8000-8100') // { from: 8000, to: 8100 }
 */
export function portRange(value: unknown, field = 'port range'): PortRange {
  let range: { from: unknown; to: unknown }
  if (typeof value === 'string' && /^\d+-\d+$/.test(value)) {
    const [a, b] = value.split('-')
    range = { from: Number(a), to: Number(b) }
  } else if (typeof value === 'object' && value !== null && 'from' in value && 'to' in value) {
    range = value
  } else {
    const p = port(value, field)
    return { from: p, to: p }
  }
  const from = port(range.from, field)
  const to = port(range.to, field)
  if (from > to) fail(field, value, 'a range whose start is not above its end')
  return { from, to }
}

/**
 * An IPv4 or IPv6 CIDR block, normalised (a bare address becomes /32 or /128).
 * @example
 * cidr('203.0.113.7') // '203.0.113.7/32'
 */
export function cidr(value: unknown, field = 'CIDR'): string {
  const allowed = 'an IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/32'
  if (typeof value !== 'string') return fail(field, value, allowed)
  const [addr = '', bits, extra] = value.trim().split('/')
  const family = isIP(addr)
  if (family === 0 || extra !== undefined) return fail(field, value, allowed)
  const max = family === 4 ? 32 : 128
  if (bits === undefined) return `${addr}/${max}`
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max)
    return fail(field, value, `a prefix length from 0 to ${max}`)
  return `${addr}/${Number(bits)}`
}

/**
 * True for an IPv6 CIDR (after `cidr()` normalisation).
 * @example
 * validate.isIpv6Cidr('2001:db8::/32') // true
 */
export const isIpv6Cidr = (block: string): boolean => block.includes(':')

/**
 * An AWS region name such as `ap-south-1`, one AWS serves (AWS_REGIONS); a region opened after
 * this release can be added with FERRY_EXTRA_REGIONS.
 * @example
 * region('us-west-2')
 */
export function region(value: unknown, field = 'region'): string {
  if (typeof value !== 'string' || !isKnownRegion(value))
    fail(
      field,
      value,
      `an AWS region such as us-east-1 or ap-south-1 (one of AWS's ${AWS_REGIONS.length}; a newer one can be added with ${EXTRA_REGIONS_ENV})`,
    )
  return value as string
}

const awsId = (prefix: string, what: string) => {
  const pattern = new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
  return (value: unknown, field = what): string => {
    if (typeof value !== 'string' || !pattern.test(value))
      fail(field, value, `an ${what} like ${prefix}-0123456789abcdef0`)
    return value as string
  }
}

/** An EC2 instance id (`i-…`). @example instanceId('i-0123456789abcdef0') */
export const instanceId = awsId('i', 'instance id')
/** An EBS volume id (`vol-…`). @example volumeId('vol-0123456789abcdef0') */
export const volumeId = awsId('vol', 'volume id')
/** An EBS snapshot id (`snap-…`). @example snapshotId('snap-0123456789abcdef0') */
export const snapshotId = awsId('snap', 'snapshot id')
/** An AMI id (`ami-…`). @example amiId('ami-0123456789abcdef0') */
export const amiId = awsId('ami', 'AMI id')
/** A security group id (`sg-…`). @example securityGroupId('sg-0123456789abcdef0') */
export const securityGroupId = awsId('sg', 'security group id')

/**
 * A 12-digit AWS account id.
 * @example
 * accountId('123456789012')
 */
export function accountId(value: unknown, field = 'account id'): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value))
    fail(field, value, 'a 12-digit AWS account id')
  return value as string
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/

/**
 * A DNS name, lower-cased; `*.` is allowed as the first label only when `wildcard` is set.
 * @example
 * dnsName('API.Example.com') // 'api.example.com'
 */
export function dnsName(
  value: unknown,
  options: { field?: string; wildcard?: boolean } = {},
): string {
  const field = options.field ?? 'domain name'
  const allowed = `a DNS name such as api.example.com${options.wildcard ? ' (or *.example.com)' : ''}`
  if (typeof value !== 'string') return fail(field, value, allowed)
  const name = value.toLowerCase().replace(/\.$/, '')
  const labels = name.split('.')
  if (name.length > 253 || labels.length < 2) return fail(field, value, allowed)
  labels.forEach((label, i) => {
    if (label === '*' && i === 0 && options.wildcard) return
    if (!LABEL.test(label)) fail(field, value, allowed)
  })
  return name
}

/**
 * A URL path for routing: starts with `/`, no whitespace, quotes, braces or semicolons.
 * @example
 * urlPath('/api/') // '/api/'
 */
export function urlPath(value: unknown, field = 'path'): string {
  if (typeof value !== 'string' || !/^\/[^\s"'{};\\]*$/.test(value) || value.length > 1024) {
    fail(field, value, 'a URL path starting with "/" without spaces, quotes, braces or ";"')
  }
  return value as string
}

/**
 * A container name as Docker accepts it.
 * @example
 * containerName('api-1')
 */
export function containerName(value: unknown, field = 'container name'): string {
  if (typeof value !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(value)) {
    fail(field, value, 'letters, digits, "_", "." or "-", starting with a letter or digit')
  }
  return value as string
}

/**
 * An environment variable name.
 * @example
 * envKey('DATABASE_URL')
 */
export function envKey(value: unknown, field = 'environment variable name'): string {
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value))
    fail(field, value, 'a name of letters, digits and "_", not starting with a digit')
  return value as string
}

/**
 * A non-empty name for AWS resources and files: letters, digits, `._-`, at most `max` long.
 * @example
 * resourceName('web-key', 'key name')
 */
export function resourceName(value: unknown, field = 'name', max = 255): string {
  if (
    typeof value !== 'string' ||
    !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) ||
    value.length > max
  ) {
    fail(field, value, `letters, digits, ".", "_" or "-", at most ${max} characters`)
  }
  return value as string
}
