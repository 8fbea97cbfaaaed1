import { ValidationError } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { nginxSettings } from './nginx-options.js'
import { proxyLimits, proxySites } from './routes.js'
import { renderSiteConfig } from './site-config.js'
import {
  certificateFor,
  parseSpec,
  siteName,
  specLine,
  withCertificate,
  type SiteSpec,
} from './site-spec.js'

const spec: SiteSpec = {
  name: 'web',
  sites: proxySites({
    routes: {
      'a.example.com': 8080,
      'b.example.com': { '/api/': { port: 8081, websocket: true } },
    },
  }),
  limits: proxyLimits({ clientMaxBodySize: '20m' }),
  certificates: [
    { domains: ['a.example.com'], certPath: '/c/a/fullchain.pem', keyPath: '/c/a/privkey.pem' },
  ],
}

describe('spec line', () => {
  test('exact text', () => {
    expect(
      specLine({
        ...spec,
        sites: proxySites({ routes: { 'a.example.com': 1 } }),
        certificates: [],
      }),
    ).toBe(
      '# ferry-spec: {"v":1,"name":"web","routes":{"a.example.com":{"/":{"port":1,"host":"127.0.0.1","websocket":false,"stripPrefix":false}}},"limits":{"clientMaxBodySize":"20m","timeouts":{"connect":10,"read":60,"send":60}},"certificates":[]}',
    )
  })

  test('a rendered file parses back to the same spec', () => {
    expect(parseSpec(renderSiteConfig(spec, nginxSettings()))).toEqual(spec)
  })

  test('a file ferry did not write has no spec', () => {
    expect(parseSpec('server { listen 80; }\n')).toBeUndefined()
    expect(parseSpec('# ferry-spec: {not json\n')).toBeUndefined()
    expect(parseSpec('# ferry-spec: {"v":2}\n')).toBeUndefined()
  })

  test('a tampered spec is validated again', () => {
    const text = specLine(spec).replace('"port":8080', '"port":"8080; evil"')
    expect(() => parseSpec(text)).toThrow(ValidationError)
    const path = specLine(spec).replace('/c/a/privkey.pem', '/c/a/key; evil')
    expect(() => parseSpec(path)).toThrow(ValidationError)
  })
})

test('siteName', () => {
  expect(siteName('web-2')).toBe('web-2')
  for (const bad of ['', 'Web', '-web', 'a.b', 'a/b', 'x'.repeat(64)])
    expect(() => siteName(bad), bad).toThrow(ValidationError)
})

test('certificates: the last one for a name wins; replacing by path', () => {
  const newer = {
    domains: ['a.example.com', 'b.example.com'],
    certPath: '/c/ab/f.pem',
    keyPath: '/c/ab/k.pem',
  }
  const next = withCertificate(spec, newer)
  expect(certificateFor('a.example.com', next.certificates)).toBe(newer)
  expect(certificateFor('c.example.com', next.certificates)).toBeUndefined()
  const replaced = withCertificate(next, { ...newer, domains: ['b.example.com'] })
  expect(replaced.certificates.map((c) => c.certPath)).toEqual([
    '/c/a/fullchain.pem',
    '/c/ab/f.pem',
  ])
  expect(certificateFor('a.example.com', replaced.certificates)?.certPath).toBe(
    '/c/a/fullchain.pem',
  )
})
