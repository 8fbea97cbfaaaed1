// Bad input and a client in the wrong region are refused before any Global Accelerator call.
import { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator'
import { ValidationError } from '@ferry/core'
import { describe, expect, it } from 'vitest'
import {
  createAccelerator,
  createAcceleratorStep,
  deleteAccelerator,
  deleteAcceleratorsByRun,
  listAccelerators,
  type CreateAcceleratorInput,
} from '../src/index.js'

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' }
const ARN =
  'arn:aws:globalaccelerator::123456789012:accelerator/1234abcd-abcd-1234-abcd-1234abcdef00'

/** A client that fails the test if anything is sent. */
function untouchable(region: string) {
  const client = new GlobalAcceleratorClient({ region, credentials })
  const sent: unknown[] = []
  client.send = ((command: unknown) => {
    sent.push(command)
    throw new Error('no call may be made')
  }) as never
  return { client, sent }
}

const ok: CreateAcceleratorInput = {
  name: 'web',
  endpoints: [{ instanceId: 'i-0123456789abcdef0', region: 'eu-west-1' }],
}

describe('Global Accelerator input checks', () => {
  it('refuses an injected client that is not in us-west-2, before any call', async () => {
    const { client, sent } = untouchable('eu-west-1')
    const calls = [
      createAccelerator(ok, { globalAccelerator: client }),
      deleteAccelerator(ARN, { globalAccelerator: client }),
      listAccelerators({ globalAccelerator: client }),
      deleteAcceleratorsByRun({ runId: 'r1' }, { globalAccelerator: client }),
    ]
    for (const call of calls) {
      const error = await call.catch((e) => e)
      expect(ValidationError.is(error)).toBe(true)
      expect(error.message).toMatch(/us-west-2/)
      expect(error.value).toBe('eu-west-1')
    }
    expect(sent).toEqual([])
  })

  it('refuses bad accelerator input, naming the field, before any call', async () => {
    const { client, sent } = untouchable('us-west-2')
    const e = (over: Partial<CreateAcceleratorInput>): CreateAcceleratorInput => ({
      ...ok,
      ...over,
    })
    const endpoint = (over: object) => e({ endpoints: [{ ...ok.endpoints![0]!, ...over }] })
    const bad: [CreateAcceleratorInput, string][] = [
      [e({ name: '-web' }), 'name'],
      [e({ name: 'a'.repeat(65) }), 'name'],
      [e({ name: 'we b' }), 'name'],
      [e({ listeners: [{ ports: [0] }] }), 'listeners[0].ports[0]'],
      [e({ listeners: [{ ports: [70000] }] }), 'listeners[0].ports[0]'],
      [e({ listeners: [{ ports: ['90-80'] }] }), 'listeners[0].ports[0]'],
      [e({ listeners: [{ ports: [] }] }), 'listeners[0].ports'],
      [e({ listeners: [{ protocol: 'HTTP' as never }] }), 'listeners[0].protocol'],
      [e({ listeners: [{ clientAffinity: 'STICKY' as never }] }), 'listeners[0].clientAffinity'],
      [e({ listeners: [{ ports: ['80-90'] }, { ports: [85] }] }), 'listeners[1].ports[0]'],
      [e({ listeners: [] }), 'listeners'],
      [
        e({ listeners: Array.from({ length: 11 }, (_, i) => ({ ports: [1000 + i] })) }),
        'listeners',
      ],
      [endpoint({ weight: -1 }), 'endpoints[0].weight'],
      [endpoint({ weight: 256 }), 'endpoints[0].weight'],
      [endpoint({ weight: 1.5 }), 'endpoints[0].weight'],
      [e({ weight: 300 }), 'weight'],
      [endpoint({ region: 'moon-1' }), 'endpoints[0].region'],
      [endpoint({ region: 'EU-WEST-1' }), 'endpoints[0].region'],
      [endpoint({ instanceId: 'i-123' }), 'endpoints[0].instanceId'],
      [endpoint({ instanceId: 'sg-0123456789abcdef0' }), 'endpoints[0].instanceId'],
      [endpoint({ clientIpPreservation: 'yes' }), 'endpoints[0].clientIpPreservation'],
      [e({ endpoints: [] }), 'endpoints'],
      [e({ endpoints: [ok.endpoints![0]!, ok.endpoints![0]!] }), 'endpoints[1].instanceId'],
      [e({ endpointGroups: { 'us-east-1': {} } }), 'endpointGroups.us-east-1'],
      [
        e({ endpointGroups: { 'eu-west-1': { trafficDialPercentage: 101 } } }),
        'endpointGroups.eu-west-1.trafficDialPercentage',
      ],
      [
        e({ endpointGroups: { 'eu-west-1': { healthCheck: { intervalSeconds: 20 as never } } } }),
        'endpointGroups.eu-west-1.healthCheck.intervalSeconds',
      ],
      [
        e({ endpointGroups: { 'eu-west-1': { healthCheck: { path: '/h' } } } }),
        'endpointGroups.eu-west-1.healthCheck.path',
      ],
      [
        e({ endpointGroups: { 'eu-west-1': { healthCheck: { protocol: 'HTTP', port: 0 } } } }),
        'endpointGroups.eu-west-1.healthCheck.port',
      ],
      [e({ ipAddressType: 'IPV6' as never }), 'ipAddressType'],
      // ferry's endpoints are EC2 instances, and ferry launches them IPv4-only: a dual-stack
      // accelerator would refuse them at CreateEndpointGroup, after it was made and billed.
      [e({ ipAddressType: 'DUAL_STACK' as never }), 'ipAddressType'],
      // Regions where Global Accelerator takes no endpoints (China, GovCloud, not yet listed).
      [endpoint({ region: 'cn-north-1' }), 'endpoints[0].region'],
      [
        e({
          endpoints: [
            ok.endpoints![0]!,
            { instanceId: 'i-0123456789abcdef1', region: 'us-gov-west-1' },
          ],
        }),
        'endpoints[1].region',
      ],
      [e({ tags: { 'ferry:run': 'x' } }), 'tags.ferry:run'],
      [e({ maxWaitTime: 10 }), 'maxWaitTime'],
    ]
    for (const [input, field] of bad) {
      const error = await createAccelerator(input, { globalAccelerator: client }).catch((x) => x)
      expect(ValidationError.is(error), `${field}: ${String(error)}`).toBe(true)
      expect(error.field).toBe(field)
      if (input.endpoints) expect(() => createAcceleratorStep(input)).toThrow(ValidationError)
    }
    const arns = [
      '',
      'arn:aws:ec2::123456789012:instance/i-1',
      `${ARN} `,
      'arn:aws:globalaccelerator::12345:accelerator/x',
    ]
    for (const arn of arns)
      expect(
        await deleteAccelerator(arn, { globalAccelerator: client }).catch((x) => x),
      ).toBeInstanceOf(ValidationError)
    expect(
      await deleteAccelerator(ARN, { globalAccelerator: client, maxWaitTime: -5 }).catch((x) => x),
    ).toMatchObject({ field: 'maxWaitTime' })
    for (const runId of ['', 5, undefined])
      expect(
        await deleteAcceleratorsByRun({ runId } as never, { globalAccelerator: client }).catch(
          (x) => x,
        ),
      ).toMatchObject({ field: 'runId' })
    expect(sent).toEqual([])
  })
})
