import { describe, expect, it } from 'vitest'
import { fieldOf } from '../test/field-of.js'
import { addressesCovered } from './cidr.js'
import { checkPorts, desiredIngress } from './ingress.js'
import { opensSshToWorld, SSH_WORLD_PREFIX } from './ssh-reach.js'

describe('addressesCovered', () => {
  it('counts the union of a set of blocks per family, nested and repeated blocks once', () => {
    expect(addressesCovered(['0.0.0.0/1', '128.0.0.0/1'])).toEqual({ v4: 2n ** 32n, v6: 0n })
    expect(addressesCovered(['10.0.0.0/8', '10.1.0.0/16', '10.0.0.0/8'])).toEqual({
      v4: 2n ** 24n,
      v6: 0n,
    })
    expect(addressesCovered(['::/1', '8000::/1', '203.0.113.7/32'])).toEqual({
      v4: 1n,
      v6: 2n ** 128n,
    })
  })
})

describe('SSH reach is judged by what the rules cover together', () => {
  it('refuses CIDR sets that cover the whole IPv4 or IPv6 internet without allowSshFromWorld', () => {
    expect(fieldOf(() => checkPorts({ ssh: ['0.0.0.0/1', '128.0.0.0/1'] }))).toBe('ssh')
    expect(fieldOf(() => checkPorts({ ssh: ['::/1', '8000::/1'] }))).toBe('ssh')
    const halves = Array.from({ length: 16 }, (_, i) => `${i * 16}.0.0.0/4`)
    expect(fieldOf(() => checkPorts({ ssh: halves }))).toBe('ssh')
  })

  it('adds up rules on different ranges that all cover the SSH port, naming the rule that tips it', () => {
    const spec = {
      ssh: '11.0.0.0/8',
      rules: [
        { port: 443, from: '12.0.0.0/8' },
        { port: '20-30', from: '12.0.0.0/8' },
      ],
    }
    expect(fieldOf(() => checkPorts({ ssh: '11.0.0.0/8' }))).toBe('accepted')
    expect(fieldOf(() => checkPorts(spec))).toBe('rules[1]')
    expect(fieldOf(() => checkPorts({ ...spec, allowSshFromWorld: true }))).toBe('accepted')
  })

  it(`refuses any set covering a /${SSH_WORLD_PREFIX}'s worth of one family, keeps private ranges`, () => {
    expect(fieldOf(() => checkPorts({ ssh: '0.0.0.0/1' }))).toBe('ssh')
    expect(fieldOf(() => checkPorts({ ssh: '2000::/3' }))).toBe('ssh')
    expect(fieldOf(() => checkPorts({ ssh: ['11.0.0.0/8', '12.0.0.0/8'] }))).toBe('ssh')
    expect(
      fieldOf(() => checkPorts({ ssh: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] })),
    ).toBe('accepted')
    expect(fieldOf(() => checkPorts({ ssh: ['2001:db8::/32', 'fd00::/8'] }))).toBe('accepted')
    // UDP on the SSH port is not SSH.
    expect(
      fieldOf(() => checkPorts({ rules: [{ port: 22, protocol: 'udp', from: '0.0.0.0/1' }] })),
    ).toBe('accepted')
  })

  it("takes 'me' as one address only, whatever myIp answers", () => {
    const rules = checkPorts({ ssh: 'me' })
    for (const me of ['0.0.0.0/0', '::/0', '203.0.113.0/24', '2001:db8::/64', '0.0.0.0/1'])
      expect(fieldOf(() => desiredIngress(rules, { me }))).toBe('myIp')
    expect(desiredIngress(rules, { me: '203.0.113.7/32' })[0]?.source).toBe('203.0.113.7/32')
    expect(desiredIngress(rules, { me: '2001:db8::7' })[0]?.source).toBe('2001:db8::7/128')
  })

  it('reports entries (and the rules a group already holds) that together open SSH widely', () => {
    const half = desiredIngress(checkPorts({ ssh: '0.0.0.0/1', allowSshFromWorld: true }))
    expect(opensSshToWorld(half)).toBe(true)
    const small = desiredIngress(checkPorts({ ssh: '10.0.0.0/8' }))
    expect(opensSshToWorld(small)).toBe(false)
    const other = desiredIngress(checkPorts({ ssh: '128.0.0.0/2', allowSshFromWorld: true }))
    expect(opensSshToWorld([...small, ...other], 22)).toBe(true)
  })
})
