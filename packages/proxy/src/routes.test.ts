import { ValidationError } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { proxyLimits, proxySites } from './routes.js'

const fieldOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (e) {
    if (ValidationError.is(e)) return e.field
    throw e
  }
  throw new Error('no error thrown')
}

describe('proxySites', () => {
  test('normalises hosts, paths and upstreams', () => {
    expect(
      proxySites({
        routes: {
          'API.Example.com': 8080,
          'example.com': { '/': 8081, '/ws/': { port: 8082, websocket: true, host: '10.0.0.5' } },
          '*.example.org': { port: 9000, stripPrefix: false },
        },
      }),
    ).toEqual([
      {
        serverName: 'api.example.com',
        routes: [
          { path: '/', host: '127.0.0.1', port: 8080, websocket: false, stripPrefix: false },
        ],
      },
      {
        serverName: 'example.com',
        routes: [
          { path: '/', host: '127.0.0.1', port: 8081, websocket: false, stripPrefix: false },
          { path: '/ws/', host: '10.0.0.5', port: 8082, websocket: true, stripPrefix: false },
        ],
      },
      {
        serverName: '*.example.org',
        routes: [
          { path: '/', host: '127.0.0.1', port: 9000, websocket: false, stripPrefix: false },
        ],
      },
    ])
  })

  test('websocket default applies to routes without their own; "*" and {} are allowed', () => {
    const sites = proxySites({
      routes: { '*': { '/a/': 1, '/b/': { port: 2, websocket: false } }, 'x.example.com': {} },
      websocket: true,
    })
    expect(sites[0]!.routes.map((r) => r.websocket)).toEqual([true, false])
    expect(sites[1]).toEqual({ serverName: 'x.example.com', routes: [] })
  })

  test.each([
    ['no routes', () => proxySites({ routes: {} }), 'routes'],
    ['routes not an object', () => proxySites({ routes: 8080 as never }), 'routes'],
    ['bad host name', () => proxySites({ routes: { 'bad_host!': 8080 } }), 'routes'],
    ['single-label host', () => proxySites({ routes: { localhost: 8080 } }), 'routes'],
    [
      'same host twice',
      () => proxySites({ routes: { 'a.example.com': 1, 'A.example.com': 2 } }),
      'routes',
    ],
    [
      'port 0',
      () => proxySites({ routes: { 'a.example.com': 0 } }),
      'routes["a.example.com"]["/"].port',
    ],
    [
      'port too big',
      () => proxySites({ routes: { 'a.example.com': { '/x/': 70000 } } }),
      'routes["a.example.com"]["/x/"].port',
    ],
    [
      'path without /',
      () => proxySites({ routes: { 'a.example.com': { api: 1 } } }),
      'routes["a.example.com"]',
    ],
    [
      'path with ;',
      () => proxySites({ routes: { 'a.example.com': { '/a;b': 1 } } }),
      'routes["a.example.com"]',
    ],
    [
      'path with space',
      () => proxySites({ routes: { 'a.example.com': { '/a b': 1 } } }),
      'routes["a.example.com"]',
    ],
    [
      'ACME path',
      () => proxySites({ routes: { 'a.example.com': { '/.well-known/acme-challenge/x': 1 } } }),
      'routes["a.example.com"]',
    ],
    [
      'stripPrefix without /',
      () => proxySites({ routes: { 'a.example.com': { '/api': { port: 1, stripPrefix: true } } } }),
      'routes["a.example.com"]["/api"].stripPrefix',
    ],
    [
      'bad upstream host',
      () => proxySites({ routes: { 'a.example.com': { port: 1, host: 'x y' } } }),
      'routes["a.example.com"]["/"].host',
    ],
    [
      'upstream null',
      () => proxySites({ routes: { 'a.example.com': { '/': null as never } } }),
      'routes["a.example.com"]["/"]',
    ],
  ])('%s → ValidationError naming the field', (_name, fn, field) => {
    expect(fieldOf(fn)).toBe(field)
  })
})

describe('proxyLimits', () => {
  test('defaults', () => {
    expect(proxyLimits({})).toEqual({
      clientMaxBodySize: '10m',
      timeouts: { connect: 10, read: 60, send: 60 },
    })
  })

  test('bytes become nginx text; sizes and timeouts are checked', () => {
    expect(proxyLimits({ clientMaxBodySize: 1024 }).clientMaxBodySize).toBe('1024')
    expect(fieldOf(() => proxyLimits({ clientMaxBodySize: '10 MB' }))).toBe('clientMaxBodySize')
    expect(fieldOf(() => proxyLimits({ clientMaxBodySize: '1m; evil' }))).toBe('clientMaxBodySize')
    expect(fieldOf(() => proxyLimits({ timeouts: { read: 0 } }))).toBe('timeouts.read')
    expect(fieldOf(() => proxyLimits({ timeouts: { send: 1.5 } }))).toBe('timeouts.send')
  })
})
