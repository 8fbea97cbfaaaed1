import { describe, expectTypeOf, test } from 'vitest'
import { pipeline } from './pipeline.js'
import { defineStep } from './step.js'

interface Server {
  instanceId: string
  publicIp: string
}
const launch = defineStep({
  name: 'launch',
  run: async (_ctx: object): Promise<{ server: Server }> => ({
    server: { instanceId: 'i-1', publicIp: '1.2.3.4' },
  }),
})
const openPorts = defineStep({
  name: 'openPorts',
  run: async (_ctx: { server: Server }) => ({ ingress: [443] }),
})
const proxy = defineStep({
  name: 'proxy',
  run: async (_ctx: { server: Server; ingress: number[] }) => ({ proxy: { sites: 1 } }),
})

describe('pipeline type state', () => {
  test('the context grows as steps are added', () => {
    const p = pipeline().use(launch).use(openPorts).use(proxy)
    expectTypeOf(p.run)
      .returns.resolves.toHaveProperty('context')
      .toEqualTypeOf<{ server: Server; ingress: number[]; proxy: { sites: number } }>()
  })

  test('custom steps see the context so far and add to it', () => {
    const p = pipeline()
      .use(launch)
      .step('greet', (ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<{ server: Server }>()
        return { greeting: `hi ${ctx.server.publicIp}` }
      })
    expectTypeOf(p.run)
      .returns.resolves.toHaveProperty('context')
      .toEqualTypeOf<{ server: Server; greeting: string }>()
  })

  test('a later step replaces a key of the same name', () => {
    const p = pipeline()
      .use(launch)
      .step('swap', () => ({ server: 'replaced' as const }))
    expectTypeOf(p.run)
      .returns.resolves.toHaveProperty('context')
      .toEqualTypeOf<{ server: 'replaced' }>()
  })

  test('a wrongly ordered pipeline does not compile', () => {
    // @ts-expect-error openPorts needs { server } and nothing has added it yet
    pipeline().use(openPorts)
    // @ts-expect-error proxy needs { ingress } too, which only openPorts adds
    pipeline().use(launch).use(proxy)
    // @ts-expect-error a custom step cannot read what no step added
    pipeline().step('x', (ctx) => ctx.server)
    // the right order compiles
    pipeline().use(launch).use(openPorts).use(proxy)
  })

  test('a context value of the wrong type does not satisfy a step', () => {
    const wrong = defineStep({ name: 'wrong', run: async () => ({ server: 42 }) })
    // @ts-expect-error server is a number, openPorts needs a Server
    pipeline().use(wrong).use(openPorts)
  })
})
