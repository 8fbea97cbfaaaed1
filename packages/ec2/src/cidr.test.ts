import { describe, expect, it } from 'vitest'
import { ValidationError } from '@ferry/core'
import { isWorld, networkCidr } from './cidr.js'

describe('networkCidr', () => {
  it('clears host bits of IPv4 blocks and makes bare addresses /32', () => {
    expect(networkCidr('203.0.113.77/24')).toBe('203.0.113.0/24')
    expect(networkCidr('203.0.113.77')).toBe('203.0.113.77/32')
    expect(networkCidr('10.1.2.3/9')).toBe('10.0.0.0/9')
    expect(networkCidr('8.8.8.8/0')).toBe('0.0.0.0/0')
  })

  it('clears host bits of IPv6 blocks and compresses them as EC2 reports them', () => {
    expect(networkCidr('2001:DB8:0:0:0:0:0:1/64')).toBe('2001:db8::/64')
    expect(networkCidr('2001:db8::1')).toBe('2001:db8::1/128')
    expect(networkCidr('::/0')).toBe('::/0')
    expect(networkCidr('2001:db8:0:1:0:0:0:1/128')).toBe('2001:db8:0:1::1/128')
    expect(networkCidr('2001:0:0:1:0:0:0:0/127')).toBe('2001:0:0:1::/127')
    expect(networkCidr('::ffff:192.0.2.1')).toBe('::ffff:c000:201/128')
    expect(networkCidr('2001:db8:ffff::/33')).toBe('2001:db8:8000::/33')
  })

  it('refuses what is not a CIDR', () => {
    expect(() => networkCidr('300.1.1.1/8')).toThrow(ValidationError)
    expect(() => networkCidr('10.0.0.0/33')).toThrow(ValidationError)
    expect(() => networkCidr('example.com')).toThrow(ValidationError)
  })

  it('knows the world', () => {
    expect(isWorld('0.0.0.0/0')).toBe(true)
    expect(isWorld('::/0')).toBe(true)
    expect(isWorld('10.0.0.0/8')).toBe(false)
  })
})
