// createAcceleratorStep: endpoints from the servers of earlier steps, the run's tokens and
// journal, undo, and the plan.
import { FerryError, Secret, type ServerRef, type Step } from '@ferry/core'
import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest'
import {
  createAcceleratorStep,
  invalidateStep,
  type AcceleratorNeeds,
  type AcceleratorOutput,
  type InvalidationOutput,
} from '../src/index.js'
import type { LabGlobalAccelerator } from '@ferry/lab'
import { labGlobalAccelerator, quickClock } from './ga-lab.js'
import { testEnv } from './step-env.js'

const server = (name: string, instanceId: string, region: string): ServerRef => ({
  name,
  instanceId,
  region,
  publicIp: '203.0.113.10',
  ssh: { username: 'ubuntu', privateKey: new Secret('key'), hostKey: { acceptAny: true } },
})
const web1 = server('web-1', 'i-0123456789abcdef0', 'ap-south-1')
const web2 = server('web-2', 'i-0123456789abcdef1', 'eu-west-1')
let ga: LabGlobalAccelerator
beforeEach(async () => {
  ga = await labGlobalAccelerator('step')
})

const env = (runId: string) => ({
  ...testEnv({ runId, step: 'edge', aws: { ...ga.aws, region: 'ap-south-1' } }),
  clock: quickClock,
})

describe('createAcceleratorStep', () => {
  it('routes to ctx.servers, one endpoint group per region, with the run tokens and journal', async () => {
    const step = createAcceleratorStep({ name: 'web', weight: 100 })
    const e = env('run-s1')
    const out = await step.run({ servers: [web1, web2] }, e)
    expect(out.accelerator.endpointGroups.map((g) => [g.region, g.endpoints])).toEqual([
      ['ap-south-1', [{ instanceId: web1.instanceId, weight: 100, clientIpPreservation: true }]],
      ['eu-west-1', [{ instanceId: web2.instanceId, weight: 100, clientIpPreservation: true }]],
    ])
    expect(Object.keys(out.accelerator).sort()).toEqual([
      'arn',
      'dnsName',
      'endpointGroups',
      'ipAddresses',
      'listeners',
    ])
    const state = await ga.state()
    expect(out.accelerator.ipAddresses).toEqual(state.accelerators[0]!.ips)
    const calls = await ga.calls()
    expect(calls.every((c) => c.region === 'us-west-2')).toBe(true)
    const create = calls.find((c) => c.operation === 'CreateAccelerator')!.input
    expect(create.IdempotencyToken).toBe(e.token('accelerator:web'))
    expect(create.Tags).toContainEqual({ Key: 'ferry:step', Value: 'edge' })
    expect(e.journal.get('acceleratorArn')).toBe(out.accelerator.arn)

    const message = await step.undo!({ servers: [web1, web2], ...out }, e)
    expect(message).toContain(out.accelerator.arn)
    for (const ip of out.accelerator.ipAddresses) expect(message).toContain(ip)
    expect((await ga.state()).accelerators).toEqual([])
    expect((await ga.calls()).filter((c) => c.error)).toEqual([])
  })

  it('uses ctx.server when there is one server', async () => {
    const out = await createAcceleratorStep({ name: 'one' }).run({ server: web1 }, env('run-s2'))
    expect(out.accelerator.endpointGroups.map((g) => g.region)).toEqual(['ap-south-1'])
  })

  it('needs a server or explicit endpoints, and says so before any call', async () => {
    const error = await createAcceleratorStep({ name: 'none' })
      .run({}, env('run-s3'))
      .catch((x) => x)
    expect(FerryError.is(error) && error.code).toBe('PRECONDITION')
    const noId = { ...web1, instanceId: undefined }
    const error2 = await createAcceleratorStep({ name: 'none' })
      .run({ server: noId }, env('run-s3'))
      .catch((x) => x)
    expect(error2).toMatchObject({ code: 'VALIDATION', field: 'servers[0]' })
    expect(await ga.calls()).toEqual([])
  })

  it('plans the exact calls, with placeholders for what earlier steps will add', async () => {
    const step = createAcceleratorStep({ name: 'web', listeners: [{ ports: [80, 443] }] })
    const e = env('run-p')
    const placeholder = {
      ...web1,
      instanceId: '{{server.instanceId}}',
      region: '{{server.region}}',
    }
    const plan = step.plan!({ server: placeholder }, e)
    expect(plan).toEqual([
      {
        kind: 'aws',
        service: 'GlobalAccelerator',
        operation: 'CreateAccelerator',
        input: {
          Name: 'web',
          IpAddressType: 'IPV4',
          Enabled: true,
          IdempotencyToken: e.token('accelerator:web'),
          Tags: [
            { Key: 'Name', Value: 'web' },
            { Key: 'ferry:run', Value: 'run-p' },
            { Key: 'ferry:step', Value: 'edge' },
          ],
        },
      },
      {
        kind: 'aws',
        service: 'GlobalAccelerator',
        operation: 'CreateListener',
        input: {
          AcceleratorArn: '{{accelerator.arn}}',
          Protocol: 'TCP',
          PortRanges: [
            { FromPort: 80, ToPort: 80 },
            { FromPort: 443, ToPort: 443 },
          ],
          ClientAffinity: 'NONE',
          IdempotencyToken: e.token('accelerator:web:listener:0'),
        },
      },
      {
        kind: 'aws',
        service: 'GlobalAccelerator',
        operation: 'CreateEndpointGroup',
        input: {
          ListenerArn: '{{accelerator.listeners[0].arn}}',
          EndpointGroupRegion: '{{server.region}}',
          EndpointConfigurations: [
            { EndpointId: '{{server.instanceId}}', Weight: 128, ClientIPPreservationEnabled: true },
          ],
          IdempotencyToken: e.token('accelerator:web:listener:0:endpoint-group:{{server.region}}'),
        },
      },
      { kind: 'note', text: 'Poll DescribeAccelerator (us-west-2) until DEPLOYED.' },
    ])
    expect(await ga.calls()).toEqual([])
  })
})

describe('step types', () => {
  it('declare what they need and add', () => {
    const accelerator = createAcceleratorStep({ name: 'web' })
    expectTypeOf(accelerator).toEqualTypeOf<Step<AcceleratorNeeds, AcceleratorOutput>>()
    expectTypeOf<{ server: ServerRef }>().toMatchTypeOf<AcceleratorNeeds>()
    expectTypeOf<AcceleratorOutput['accelerator']['ipAddresses']>().toEqualTypeOf<string[]>()
    const invalidation = invalidateStep({ distribution: 'E2QWRUHAPOMQZL', paths: ['/*'] })
    expectTypeOf(invalidation).toEqualTypeOf<Step<object, InvalidationOutput>>()
    expectTypeOf<InvalidationOutput['invalidation']['chargedPaths']>().toEqualTypeOf<number>()
    // @ts-expect-error: servers must be ServerRefs
    const bad: AcceleratorNeeds = { servers: [{ instanceId: 'i-0123456789abcdef0' }] }
    expect(bad).toBeDefined()
  })
})
