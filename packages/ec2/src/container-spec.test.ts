import { describe, expect, it } from 'vitest'
import { Secret, ValidationError } from '@ferry/core'
import { checkContainer, type ContainerSpec } from './container-spec.js'

const fieldOf = (spec: unknown) => {
  try {
    checkContainer(spec as ContainerSpec)
  } catch (e) {
    return ValidationError.is(e) ? e.field : `not a ValidationError: ${String(e)}`
  }
  return 'accepted'
}

describe('checkContainer', () => {
  it('applies defaults: unless-stopped, loopback, TCP health on the first published port', () => {
    expect(
      checkContainer({ name: 'api', image: 'localhost/ferry-lab/httpd:1', ports: { 8080: 80 } }),
    ).toEqual({
      name: 'api',
      image: 'localhost/ferry-lab/httpd:1',
      ports: [{ host: 8080, container: 80, protocol: 'tcp' }],
      env: [],
      command: [],
      restart: 'unless-stopped',
      hostIp: '127.0.0.1',
      health: { kind: 'tcp', port: 8080 },
      init: false,
      labels: [],
    })
    expect(checkContainer({ name: 'worker', image: 'busybox' }).health).toEqual({ kind: 'running' })
    expect(
      checkContainer({
        name: 'api',
        image: 'api',
        ports: { 80: 3000, 81: 3001 },
        health: { http: '/healthz', port: 81 },
      }).health,
    ).toEqual({
      kind: 'http',
      port: 81,
      path: '/healthz',
    })
  })

  it('accepts image references with registries, ports, tags and digests', () => {
    for (const image of [
      'nginx',
      'nginx:1.27-alpine',
      'ghcr.io/acme/api:1.4',
      'registry.local:5000/team/app',
      `app@sha256:${'a'.repeat(64)}`,
    ])
      expect(fieldOf({ name: 'x', image })).toBe('accepted')
  })

  it('names the bad field', () => {
    expect(fieldOf({ name: 'a b', image: 'x' })).toBe('name')
    expect(fieldOf({ name: 'x', image: 'Bad Image' })).toBe('image')
    expect(fieldOf({ name: 'x', image: 'UPPER/case' })).toBe('image')
    expect(fieldOf({ name: 'x', image: 'x', ports: { 0: 80 } })).toBe('ports[0].host')
    expect(
      fieldOf({
        name: 'x',
        image: 'x',
        ports: [
          { host: 80, container: 80 },
          { host: 80, container: 81 },
        ],
      }),
    ).toBe('ports[1].host')
    expect(
      fieldOf({ name: 'x', image: 'x', ports: [{ host: 80, container: 80, protocol: 'sctp' }] }),
    ).toBe('ports[0].protocol')
    expect(fieldOf({ name: 'x', image: 'x', env: { '1X': 'v' } })).toBe('env.1X')
    expect(fieldOf({ name: 'x', image: 'x', env: { K: new Secret('a\nb') } })).toBe('env.K')
    expect(fieldOf({ name: 'x', image: 'x', command: ['ok', 1] })).toBe('command')
    expect(fieldOf({ name: 'x', image: 'x', restart: 'sometimes' })).toBe('restart')
    expect(fieldOf({ name: 'x', image: 'x', publish: 'public' })).toBe('publish')
    expect(fieldOf({ name: 'x', image: 'x', labels: { 'bad key': 'v' } })).toBe('labels.bad key')
    expect(
      fieldOf({ name: 'x', image: 'x', ports: { 80: 80 }, health: { http: 'no-slash' } }),
    ).toBe('health.http')
    expect(
      fieldOf({ name: 'x', image: 'x', ports: { 80: 80 }, health: { tcp: true, port: 81 } }),
    ).toBe('health.port')
  })

  it('keeps secret values out of the error', () => {
    try {
      checkContainer({ name: 'x', image: 'x', env: { K: new Secret('top\nsecret') } })
    } catch (e) {
      expect((e as Error).message).not.toContain('secret')
    }
  })
})
