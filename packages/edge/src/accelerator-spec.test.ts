import { describe, expect, it } from 'vitest'
import { acceleratorName, acceleratorSpec } from './accelerator-spec.js'

const I1 = 'i-0123456789abcdef0'
const I2 = 'i-0123456789abcdef1'

describe('acceleratorSpec', () => {
  it('fills the defaults', () => {
    expect(
      acceleratorSpec({ name: 'web', endpoints: [{ instanceId: I1, region: 'eu-west-1' }] }),
    ).toEqual({
      name: 'web',
      ipAddressType: 'IPV4',
      enabled: true,
      tags: {},
      listeners: [{ protocol: 'TCP', portRanges: [{ from: 80, to: 80 }], clientAffinity: 'NONE' }],
      endpointGroups: [
        {
          region: 'eu-west-1',
          endpoints: [{ instanceId: I1, weight: 128, clientIpPreservation: true }],
        },
      ],
      wait: true,
      maxWaitTime: 1_800_000,
    })
  })

  it('groups endpoints by region in order of first appearance and applies region settings', () => {
    const spec = acceleratorSpec({
      name: 'web',
      clientIpPreservation: false,
      weight: 10,
      endpoints: [
        { instanceId: I1, region: 'us-east-1', weight: 0 },
        { instanceId: I2, region: 'ap-south-1', clientIpPreservation: true },
      ],
      endpointGroups: {
        'ap-south-1': { trafficDialPercentage: 0, healthCheck: { protocol: 'HTTPS', path: '/up' } },
      },
    })
    expect(spec.endpointGroups).toEqual([
      {
        region: 'us-east-1',
        endpoints: [{ instanceId: I1, weight: 0, clientIpPreservation: false }],
      },
      {
        region: 'ap-south-1',
        endpoints: [{ instanceId: I2, weight: 10, clientIpPreservation: true }],
        trafficDialPercentage: 0,
        healthCheck: { protocol: 'HTTPS', path: '/up' },
      },
    ])
  })

  it('allows the same ports on TCP and UDP, and ranges that touch but do not overlap', () => {
    const spec = acceleratorSpec({
      name: 'dns',
      endpoints: [{ instanceId: I1, region: 'eu-west-1' }],
      listeners: [
        { ports: [53, '1000-1999'] },
        { protocol: 'UDP', ports: [53] },
        { ports: ['2000-2001'] },
      ],
    })
    expect(spec.listeners.map((l) => [l.protocol, l.portRanges])).toEqual([
      [
        'TCP',
        [
          { from: 53, to: 53 },
          { from: 1000, to: 1999 },
        ],
      ],
      ['UDP', [{ from: 53, to: 53 }]],
      ['TCP', [{ from: 2000, to: 2001 }]],
    ])
  })

  it('passes placeholders through only when asked', () => {
    const input = {
      name: 'web',
      endpoints: [{ instanceId: '{{server.instanceId}}', region: '{{server.region}}' }],
    }
    expect(acceleratorSpec(input, { placeholders: true }).endpointGroups[0]!.region).toBe(
      '{{server.region}}',
    )
    expect(() => acceleratorSpec(input)).toThrow(/instance id/)
  })
})

describe('acceleratorName', () => {
  it('takes what Global Accelerator takes', () => {
    for (const good of ['a', 'web', 'web-1.eu', 'A'.repeat(64)])
      expect(acceleratorName(good)).toBe(good)
    for (const bad of ['', '-a', 'a-', '.a', 'a.', 'a_b', 'A'.repeat(65), 'ä'])
      expect(() => acceleratorName(bad)).toThrow()
  })
})
