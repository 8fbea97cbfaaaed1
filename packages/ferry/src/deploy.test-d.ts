import { describe, expectTypeOf, test } from 'vitest'
import type { WebServer } from '@ferry/ec2'
import { deploy } from './deploy.js'

describe('fluent deploy type state', () => {
  test('the seed flow compiles in order and the context grows', () => {
    const _d = deploy()
      .launchWebServer({ name: 'web' })
      .openPorts()
      .runContainer({ name: 'api', image: 'acme/api:1', ports: { 8080: 80 } })
      .configureReverseProxy({ routes: { 'api.example.com': 8080 } })
      .issueCertificate({ domains: ['api.example.com'], email: 'ops@example.com' })
      .snapshotVolume()
      .createAmi()
      .copyAmi({ regions: ['us-west-1'] })
      .shareAmi({ accountIds: ['123456789012'] })
      .invalidate({ distribution: 'E123ABCDEF', paths: ['/*'] })
      .createAccelerator({ name: 'web' })
    type Ctx = Awaited<ReturnType<typeof _d.run>>['context']
    expectTypeOf<Ctx['server']>().toEqualTypeOf<WebServer>()
    expectTypeOf<Ctx>().toHaveProperty('ingress')
    expectTypeOf<Ctx>().toHaveProperty('containers')
    expectTypeOf<Ctx>().toHaveProperty('proxy')
    expectTypeOf<Ctx>().toHaveProperty('certificate')
    expectTypeOf<Ctx>().toHaveProperty('snapshot')
    expectTypeOf<Ctx['amiCopies']>().toEqualTypeOf<Record<string, string>>()
    expectTypeOf<Ctx>().toHaveProperty('amiShares')
    expectTypeOf<Ctx>().toHaveProperty('invalidation')
    expectTypeOf<Ctx>().toHaveProperty('accelerator')
  })

  test('a step before the step that adds what it needs does not compile', () => {
    // @ts-expect-error openPorts needs { server }: launchWebServer must come first
    deploy().openPorts()
    // @ts-expect-error configureReverseProxy needs { server }
    deploy().configureReverseProxy({ routes: { 'a.example.com': 8080 } })
    // @ts-expect-error createAmi (from a snapshot) needs { snapshot }
    deploy().launchWebServer({ name: 'web' }).createAmi()
    const snapshotted = deploy().launchWebServer({ name: 'web' }).snapshotVolume()
    // @ts-expect-error copyAmi needs { ami }: createAmi must come first
    snapshotted.copyAmi({ regions: ['us-west-1'] })
    // the right order compiles
    deploy()
      .launchWebServer({ name: 'web' })
      .snapshotVolume()
      .createAmi()
      .copyAmi({ regions: ['us-west-1'] })
  })

  test('custom steps see the context so far', () => {
    deploy()
      .launchWebServer({ name: 'web' })
      .step('note', (ctx) => {
        expectTypeOf(ctx.server.instanceId).toEqualTypeOf<string>()
        return { noted: true }
      })
  })
})
