import { describe, expect, test } from 'vitest'
import { serversOf } from './fleet.js'
import { placeholderContext } from './placeholder.js'
import { pipeline } from './pipeline.js'
import { defineStep, Secret, type ServerRef } from './index.js'

const ssh = { username: 'u', privateKey: new Secret('k'), hostKey: { acceptAny: true as const } }
const web1: ServerRef = { name: 'web-1', instanceId: 'i-1', ssh }
const web2: ServerRef = { name: 'web-2', instanceId: 'i-2', ssh }

describe('serversOf', () => {
  test('servers when there are some, else [server]', () => {
    expect(serversOf({ server: web1, servers: [web1, web2] })).toEqual([web1, web2])
    expect(serversOf({ server: web1, servers: [] })).toEqual([web1])
    expect(serversOf({ server: web1 })).toEqual([web1])
  })

  test("a plan's placeholder context gives one placeholder server, not an empty proxy", () => {
    const servers = serversOf(placeholderContext())
    expect(Array.isArray(servers)).toBe(true)
    expect(servers.map((s) => String(s.instanceId))).toEqual(['{{server.instanceId}}'])
  })

  test('so a fleet step plans one entry per server in plan()', () => {
    const fleetStep = defineStep<{ server: ServerRef; servers?: readonly ServerRef[] }, object>({
      name: 'fleet',
      run: () => Promise.resolve({}),
      plan: (ctx) =>
        serversOf(ctx).map((s) => ({ kind: 'remote', host: String(s.name), command: 'uptime' })),
    })
    const plan = pipeline({ journal: false })
      .step('launch', () => ({ server: web1 }))
      .use(fleetStep)
      .plan()
    expect(plan[1]).toEqual({
      step: 'fleet',
      entries: [{ kind: 'remote', host: '{{server.name}}', command: 'uptime' }],
    })
  })

  test('no server at all is a PRECONDITION error that says what to add', () => {
    expect(() => serversOf({})).toThrow(/add launchWebServer/)
  })
})
