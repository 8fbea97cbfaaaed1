import { describe, expect, it } from 'vitest'
import { ValidationError } from '@ferry/core'
import { checkLaunchInput, type LaunchWebServerInput } from './launch-spec.js'

const fieldOf = (input: unknown): string => {
  try {
    checkLaunchInput(input as LaunchWebServerInput)
  } catch (e) {
    return ValidationError.is(e) ? e.field : `not a ValidationError: ${String(e)}`
  }
  return 'accepted'
}

describe('checkLaunchInput', () => {
  it('applies secure defaults', () => {
    expect(checkLaunchInput({ name: 'web' })).toEqual({
      name: 'web',
      instanceType: 't3.micro',
      ami: { distro: 'al2023' },
      count: 1,
      keyPair: { create: {} },
      hostKey: 'console',
      ready: 'cloud-init',
      tags: {},
      sshPort: 22,
    })
  })

  it('names the bad field', () => {
    expect(fieldOf({ name: 'bad name' })).toBe('name')
    expect(fieldOf({ name: 'web', instanceType: 'T3 micro' })).toBe('instanceType')
    expect(fieldOf({ name: 'web', count: 0 })).toBe('count')
    expect(fieldOf({ name: 'web', count: 1.5 })).toBe('count')
    expect(fieldOf({ name: 'web', ami: 'ami-nope' })).toBe('ami')
    expect(fieldOf({ name: 'web', vpcId: 'vpc-1' })).toBe('vpcId')
    expect(fieldOf({ name: 'web', subnetId: 'sub-0123456789abcdef0' })).toBe('subnetId')
    expect(fieldOf({ name: 'web', sshPort: 70000 })).toBe('sshPort')
    expect(fieldOf({ name: 'web', sshUser: 'Root User' })).toBe('sshUser')
    expect(fieldOf({ name: 'web', hostKey: { acceptAny: true } })).toBe('hostKey')
    expect(fieldOf({ name: 'web', ready: 'booted' })).toBe('ready')
    expect(fieldOf({ name: 'web', tags: { 'ferry:run': 'x' } })).toBe('tags.ferry:run')
    expect(fieldOf({ name: 'web', tags: { 'aws:x': 'y' } })).toBe('tags.aws:x')
    expect(fieldOf({ name: 'web', rootVolume: { sizeGiB: 0 } })).toBe('rootVolume.sizeGiB')
    expect(fieldOf({ name: 'web', rootVolume: { iops: 100 } })).toBe('rootVolume.iops')
    expect(fieldOf({ name: 'web', userData: 'x'.repeat(16385) })).toBe('userData')
    expect(fieldOf({ name: 'web', keyPair: { create: { type: 'dsa' } } })).toBe(
      'keyPair.create.type',
    )
    expect(fieldOf({ name: 'web', keyPair: { existing: { name: 'k' } } })).toBe('keyPair.existing')
    expect(
      fieldOf({ name: 'web', keyPair: { import: { publicKey: 'nope', privateKey: 'x' } } }),
    ).toBe('keyPair.publicKey')
    expect(fieldOf({ name: 'web', keyPair: { steal: {} } })).toBe('keyPair')
  })
})

describe('sshFrom: the one way in a launch opens for its SSH rung', () => {
  it("defaults to 'me' and accepts CIDRs", () => {
    expect(checkLaunchInput({ name: 'web' }).sshFrom).toBeUndefined()
    expect(fieldOf({ name: 'web', sshFrom: ['203.0.113.0/24'] })).toBe('accepted')
  })

  it('refuses the whole internet and a launch that could never answer on SSH', () => {
    expect(fieldOf({ name: 'web', sshFrom: 'world' })).toBe('sshFrom')
    expect(fieldOf({ name: 'web', sshFrom: ['0.0.0.0/0'] })).toBe('sshFrom')
    expect(fieldOf({ name: 'web', sshFrom: false })).toBe('sshFrom')
    expect(fieldOf({ name: 'web', sshFrom: false, ready: 'status-ok' })).toBe('accepted')
  })
})
