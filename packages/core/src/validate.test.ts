import { describe, expect, test } from 'vitest'
import { ValidationError } from './errors.js'
import * as v from './validate.js'

const refuses = (fn: () => unknown, field: string) => {
  try {
    fn()
  } catch (e) {
    expect(ValidationError.is(e) && e.field).toBe(field)
    return
  }
  throw new Error('expected a ValidationError')
}

describe('validators', () => {
  test('ports and ranges', () => {
    expect(v.port(443)).toBe(443)
    expect(v.port('8080')).toBe(8080)
    for (const bad of [0, 65536, 1.5, -1, '80a', null]) refuses(() => v.port(bad), 'port')
    expect(v.portRange('8000-8100')).toEqual({ from: 8000, to: 8100 })
    expect(v.portRange(22)).toEqual({ from: 22, to: 22 })
    expect(v.portRange({ from: 1, to: 2 })).toEqual({ from: 1, to: 2 })
    refuses(() => v.portRange('9000-8000'), 'port range')
  })

  test('CIDRs v4 and v6, normalised', () => {
    expect(v.cidr('203.0.113.7')).toBe('203.0.113.7/32')
    expect(v.cidr('10.0.0.0/08')).toBe('10.0.0.0/8')
    expect(v.cidr('2001:db8::/32')).toBe('2001:db8::/32')
    expect(v.cidr('::1')).toBe('::1/128')
    for (const bad of ['0.0.0.0/33', '1.2.3/24', '2001:db8::/129', 'x', '1.2.3.4/24/1', 5])
      refuses(() => v.cidr(bad), 'CIDR')
    expect(v.isIpv6Cidr('::/0')).toBe(true)
  })

  test('regions', () => {
    for (const ok of ['us-east-1', 'ap-south-1', 'us-gov-west-1', 'eu-central-2', 'ap-southeast-4'])
      expect(v.region(ok)).toBe(ok)
    for (const bad of ['us-east', 'mumbai', 'US-EAST-1', 'us-middle-1', ''])
      refuses(() => v.region(bad), 'region')
  })

  test('regions AWS does not serve are refused, every partition is known, one escape hatch', () => {
    for (const bad of ['us-east-9', 'eu-west-7', 'ap-north-1', 'cn-east-1', 'us-gov-central-1'])
      refuses(() => v.region(bad), 'region')
    for (const ok of ['cn-north-1', 'us-isof-south-1', 'eusc-de-east-1', 'mx-central-1'])
      expect(v.region(ok)).toBe(ok)
    const before = process.env.FERRY_EXTRA_REGIONS
    try {
      process.env.FERRY_EXTRA_REGIONS = 'us-east-9, not a region'
      expect(v.region('us-east-9')).toBe('us-east-9')
      refuses(() => v.region('not a region'), 'region')
    } finally {
      if (before === undefined) delete process.env.FERRY_EXTRA_REGIONS
      else process.env.FERRY_EXTRA_REGIONS = before
    }
    refuses(() => v.region('us-east-9'), 'region')
  })

  test('AWS ids and account ids', () => {
    expect(v.instanceId('i-0123456789abcdef0')).toBe('i-0123456789abcdef0')
    expect(v.instanceId('i-01234567')).toBe('i-01234567')
    refuses(() => v.instanceId('i-xyz'), 'instance id')
    refuses(() => v.amiId('ami-0123456789ABCDEF0'), 'AMI id')
    expect(v.snapshotId('snap-0123456789abcdef0')).toBeTruthy()
    expect(v.volumeId('vol-0123456789abcdef0')).toBeTruthy()
    refuses(() => v.securityGroupId('sg-1'), 'security group id')
    expect(v.accountId('123456789012')).toBe('123456789012')
    refuses(() => v.accountId('12345678901'), 'account id')
  })

  test('DNS names, with wildcards only when allowed', () => {
    expect(v.dnsName('API.Example.com.')).toBe('api.example.com')
    expect(v.dnsName('*.example.com', { wildcard: true })).toBe('*.example.com')
    for (const bad of [
      '*.example.com',
      'localhost',
      'a..b',
      '-a.com',
      'a_b.com',
      `${'a'.repeat(64)}.com`,
      'a.*.com',
    ])
      refuses(() => v.dnsName(bad), 'domain name')
    refuses(() => v.dnsName('a.*.com', { wildcard: true }), 'domain name')
  })

  test('paths, container names, env keys, resource names', () => {
    expect(v.urlPath('/api/v1/')).toBe('/api/v1/')
    for (const bad of ['api', '/a b', '/a;b', '/{x}', '/"']) refuses(() => v.urlPath(bad), 'path')
    expect(v.containerName('api_1.blue-2')).toBe('api_1.blue-2')
    for (const bad of ['-x', 'a b', '', 'a/b'])
      refuses(() => v.containerName(bad), 'container name')
    expect(v.envKey('DATABASE_URL')).toBe('DATABASE_URL')
    for (const bad of ['1X', 'A-B', 'A B', ''])
      refuses(() => v.envKey(bad), 'environment variable name')
    refuses(() => v.resourceName('has space', 'key name'), 'key name')
  })

  test('the message names the value and what would be right', () => {
    expect(() => v.port(70000)).toThrow(
      'Invalid port: 70000; expected an integer port from 1 to 65535.',
    )
  })
})
