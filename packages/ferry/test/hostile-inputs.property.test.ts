// Property: every hostile input to a public operation is either accepted (it then reaches the
// recording client or host) or refused with a ValidationError that names the field, before any
// call. With hostile-validators and hostile-ssh, over 2,000 generated inputs per run.
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { Secret } from '@ferry/core'
import { openPorts, runContainer, type ContainerSpec, type PortsSpec } from '@ferry/ec2'
import { invalidate } from '@ferry/edge'
import { copyAmi, shareAmi } from '@ferry/images'
import { configureReverseProxy, issueCertificate } from '@ferry/proxy'
import {
  expectRefusal,
  hostileString,
  hostileKey,
  mostlyHostile,
  recordingCloudFront,
  recordingEc2,
  recordingHost,
} from './hostile.js'

let inputs = 0
afterAll(() => expect(inputs).toBeGreaterThanOrEqual(700))

// Runs one call. Once a recorder saw a call, validation was over (a refusal after reading AWS
// state is fine); before that, the only way out is a typed refusal naming one of `roots`.
async function judge(
  call: () => Promise<unknown>,
  o: { roots: string[]; calls: () => unknown[] },
): Promise<void> {
  inputs++
  const outcome = await call().then(
    () => 'accepted' as const,
    (e: unknown) => e,
  )
  if (o.calls().length > 0) return
  if (outcome === 'accepted') throw new Error('accepted without a single call')
  expectRefusal(outcome, o.roots)
}

describe('hostile inputs are refused by type, naming the field, before any call', () => {
  test('openPorts: ports, protocols, sources and descriptions', async () => {
    const rule = fc.record({
      port: mostlyHostile(fc.constantFrom(8080, '8000-8100')),
      protocol: mostlyHostile(fc.constantFrom('tcp', 'udp')),
      from: mostlyHostile(fc.constantFrom('10.0.0.0/8', 'sg-0123456789abcdef0')),
      description: mostlyHostile(fc.constant('metrics')),
    })
    const spec = fc.record({
      https: mostlyHostile(fc.constant('world')),
      rules: fc.array(rule, { maxLength: 2 }),
    })
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const ec2 = recordingEc2()
        const target = { securityGroupId: 'sg-0123456789abcdef0' }
        await judge(() => openPorts(target, s as PortsSpec, { ec2, region: 'us-east-1' }), {
          roots: ['https', 'rules', 'ports'],
          calls: () => ec2.calls,
        })
      }),
      { numRuns: 120 },
    )
  })

  test('runContainer: names, images, env keys and values, ports', async () => {
    const spec = fc.record({
      name: mostlyHostile(fc.constant('api')),
      image: mostlyHostile(fc.constantFrom('nginx:1.27', 'ghcr.io/acme/api:1.4')),
      env: fc.dictionary(
        hostileKey(fc.constant('TOKEN')),
        fc.oneof(fc.constant('v'), hostileString),
        {
          maxKeys: 2,
        },
      ),
      ports: fc.dictionary(
        fc.oneof(fc.constantFrom('8080', '9000'), fc.string({ maxLength: 6 })),
        mostlyHostile(fc.constant(3000)),
        { maxKeys: 2 },
      ),
    })
    await fc.assert(
      fc.asyncProperty(spec, fc.boolean(), async (s, secret) => {
        const host = recordingHost()
        const env = Object.fromEntries(
          Object.entries(s.env).map(([k, v]) => [
            k,
            secret && typeof v === 'string' ? new Secret(v) : v,
          ]),
        )
        await judge(() => runContainer(host, { ...s, env } as ContainerSpec), {
          roots: ['name', 'image', 'env', 'ports', 'health'],
          calls: () => host.calls,
        })
      }),
      { numRuns: 120 },
    )
  })

  test('configureReverseProxy and issueCertificate: domains, paths, ports, names', async () => {
    const routes = fc.dictionary(
      hostileKey(fc.oneof(fc.constant('api.example.com'), fc.domain())),
      mostlyHostile(
        fc.dictionary(hostileKey(fc.webPath()), mostlyHostile(fc.constant(8080)), {
          maxKeys: 2,
        }),
      ),
      { minKeys: 1, maxKeys: 2 },
    )
    await fc.assert(
      fc.asyncProperty(routes, mostlyHostile(fc.constant('web')), async (r, name) => {
        const host = recordingHost()
        await judge(
          () => configureReverseProxy(host, { routes: r as never, name: name as never }),
          {
            roots: ['routes', 'name'],
            calls: () => host.calls,
          },
        )
      }),
      { numRuns: 120 },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(mostlyHostile(fc.constantFrom('example.com', 'api.example.com')), {
          minLength: 1,
          maxLength: 2,
        }),
        mostlyHostile(fc.constant('ops@example.com')),
        async (domains, email) => {
          const host = recordingHost()
          const input = {
            domains: domains as string[],
            email: email as string,
            address: '192.0.2.1',
            accountKey: new Secret('unused'),
            resolve: () => (host.calls.push('dns'), Promise.reject(new Error('reached DNS'))),
          }
          await judge(() => issueCertificate(host, input), {
            roots: ['domains', 'email', 'address'],
            calls: () => host.calls,
          })
        },
      ),
      { numRuns: 100 },
    )
  })

  test('shareAmi, copyAmi and invalidate: AMI ids, accounts, regions, paths', async () => {
    const ec2 = recordingEc2()
    const clientFor = () => ec2
    const accounts = fc.array(mostlyHostile(fc.stringMatching(/^\d{12}$/)), { maxLength: 3 })
    const region = mostlyHostile(fc.constantFrom('eu-west-1', 'us-east-9'))
    await fc.assert(
      fc.asyncProperty(
        mostlyHostile(fc.constant('ami-0123456789abcdef0')),
        accounts,
        region,
        async (imageId, accountIds, r) => {
          ec2.calls.length = 0
          await judge(() => shareAmi({ imageId, accountIds, region: r } as never, { clientFor }), {
            roots: ['imageId', 'accountIds', 'region'],
            calls: () => ec2.calls,
          })
          ec2.calls.length = 0
          await judge(
            () =>
              copyAmi({ imageId, regions: [r] } as never, {
                clientFor,
                aws: { region: 'us-east-1' },
              }),
            {
              roots: ['imageId', 'regions', 'sourceRegion'],
              calls: () => ec2.calls,
            },
          )
        },
      ),
      { numRuns: 100 },
    )
    const cloudFront = recordingCloudFront()
    const calls = cloudFront.calls
    await fc.assert(
      fc.asyncProperty(
        mostlyHostile(fc.constant('E2QWRUHAPOMQZL')),
        fc.array(mostlyHostile(fc.webPath()), { maxLength: 3 }),
        mostlyHostile(fc.constant('v1')),
        async (distribution, paths, deployId) => {
          calls.length = 0
          await judge(
            () => invalidate({ distribution, paths, deployId } as never, { cloudFront }),
            {
              roots: ['distribution', 'paths', 'deployId', 'input'],
              calls: () => calls,
            },
          )
        },
      ),
      { numRuns: 100 },
    )
  })
})
