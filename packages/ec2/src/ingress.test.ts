import { describe, expect, it } from 'vitest'
import { fieldOf } from '../test/field-of.js'
import { checkPorts, desiredIngress, ingressDiff, ipPermissions, needsMe } from './ingress.js'
import { opensSshToWorld } from './ssh-reach.js'

describe('checkPorts + desiredIngress', () => {
  it('defaults to 443 and 80 from the world (IPv4 and IPv6) and 22 from me only', () => {
    const rules = checkPorts({})
    expect(needsMe(rules)).toBe(true)
    expect(desiredIngress(rules, { me: '198.51.100.23' })).toEqual([
      {
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        source: '0.0.0.0/0',
        description: 'ferry: https',
      },
      { protocol: 'tcp', fromPort: 443, toPort: 443, source: '::/0', description: 'ferry: https' },
      {
        protocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        source: '0.0.0.0/0',
        description: 'ferry: http (redirect, ACME)',
      },
      {
        protocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        source: '::/0',
        description: 'ferry: http (redirect, ACME)',
      },
      {
        protocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        source: '198.51.100.23/32',
        description: 'ferry: ssh',
      },
    ])
  })

  it('opens only what is named when anything is named; custom rules take ranges, udp, CIDRs and groups', () => {
    const rules = checkPorts(
      {
        https: 'world',
        rules: [
          { port: '8000-8100', protocol: 'udp', from: ['10.0.0.9/8', 'sg-0123456789abcdef0'] },
          { port: 9000, from: '2001:db8::1/64', description: 'metrics' },
        ],
      },
      { sshPort: 2222 },
    )
    expect(needsMe(rules)).toBe(false)
    expect(desiredIngress(rules)).toEqual([
      {
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        source: '0.0.0.0/0',
        description: 'ferry: https',
      },
      { protocol: 'tcp', fromPort: 443, toPort: 443, source: '::/0', description: 'ferry: https' },
      {
        protocol: 'udp',
        fromPort: 8000,
        toPort: 8100,
        source: '10.0.0.0/8',
        description: 'ferry: udp 8000-8100',
      },
      {
        protocol: 'udp',
        fromPort: 8000,
        toPort: 8100,
        source: 'sg-0123456789abcdef0',
        description: 'ferry: udp 8000-8100',
      },
      {
        protocol: 'tcp',
        fromPort: 9000,
        toPort: 9000,
        source: '2001:db8::/64',
        description: 'metrics',
      },
    ])
  })

  it('refuses SSH from the world unless allowSshFromWorld, on the named port or any range covering it', () => {
    expect(fieldOf(() => checkPorts({ ssh: 'world' }))).toBe('ssh')
    expect(fieldOf(() => checkPorts({ ssh: '0.0.0.0/0' }))).toBe('ssh')
    expect(fieldOf(() => checkPorts({ rules: [{ port: '1-1024', from: '::/0' }] }))).toBe(
      'rules[0]',
    )
    expect(
      fieldOf(() => checkPorts({ rules: [{ port: 2222, from: 'world' }] }, { sshPort: 2222 })),
    ).toBe('rules[0]')
    expect(
      fieldOf(() => checkPorts({ rules: [{ port: 22, protocol: 'udp', from: 'world' }] })),
    ).toBe('accepted')
    const allowed = desiredIngress(checkPorts({ ssh: 'world', allowSshFromWorld: true }))
    expect(opensSshToWorld(allowed)).toBe(true)
  })

  it('names the bad field for bad ports, protocols, sources and descriptions', () => {
    expect(fieldOf(() => checkPorts({ rules: [{ port: 70000, from: 'world' }] }))).toBe(
      'rules[0].port',
    )
    expect(fieldOf(() => checkPorts({ rules: [{ port: '90-80', from: 'world' }] }))).toBe(
      'rules[0].port',
    )
    expect(
      fieldOf(() =>
        checkPorts({ rules: [{ port: 80, protocol: 'icmp' as 'tcp', from: 'world' }] }),
      ),
    ).toBe('rules[0].protocol')
    expect(fieldOf(() => checkPorts({ https: '10.0.0.0/40' }))).toBe('https')
    expect(fieldOf(() => checkPorts({ https: 'sg-nope' }))).toBe('https')
    expect(fieldOf(() => checkPorts({ https: [] }))).toBe('https')
    expect(
      fieldOf(() =>
        checkPorts({ rules: [{ port: 80, from: 'world', description: 'bad "quote"' }] }),
      ),
    ).toBe('rules[0].description')
    expect(fieldOf(() => desiredIngress(checkPorts({ ssh: 'me' }), { me: 'not-an-ip' }))).toBe(
      'myIp',
    )
    expect(fieldOf(() => desiredIngress(checkPorts({ ssh: 'me' })))).toBe('ssh')
  })
})

describe('ingressDiff', () => {
  it('finds missing entries and the rule ids of present ones, ignoring egress and descriptions', () => {
    const desired = desiredIngress(checkPorts({ https: 'world', ssh: '203.0.113.7' }))
    const { missing, present } = ingressDiff(desired, [
      {
        SecurityGroupRuleId: 'sgr-egress',
        IsEgress: true,
        IpProtocol: '-1',
        FromPort: -1,
        ToPort: -1,
        CidrIpv4: '0.0.0.0/0',
      },
      {
        SecurityGroupRuleId: 'sgr-1',
        IsEgress: false,
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        CidrIpv4: '0.0.0.0/0',
        Description: 'other',
      },
      {
        SecurityGroupRuleId: 'sgr-2',
        IsEgress: false,
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        CidrIpv4: '203.0.113.8/32',
      },
    ])
    expect(present).toEqual([
      {
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        source: '0.0.0.0/0',
        description: 'ferry: https',
        ruleId: 'sgr-1',
      },
    ])
    expect(missing.map((e) => e.source)).toEqual(['::/0', '203.0.113.7/32'])
  })
})

describe('ipPermissions', () => {
  it('groups entries by protocol and range into IPv4, IPv6 and group sources', () => {
    const entries = desiredIngress(
      checkPorts({
        https: ['world', 'sg-0123456789abcdef0'],
        rules: [{ port: 53, protocol: 'udp', from: '10.0.0.0/8' }],
      }),
    )
    expect(ipPermissions(entries)).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ferry: https' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0', Description: 'ferry: https' }],
        UserIdGroupPairs: [{ GroupId: 'sg-0123456789abcdef0', Description: 'ferry: https' }],
      },
      {
        IpProtocol: 'udp',
        FromPort: 53,
        ToPort: 53,
        IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'ferry: udp 53' }],
      },
    ])
  })
})
