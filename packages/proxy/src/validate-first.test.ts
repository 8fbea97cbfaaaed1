// Bad input is refused before any remote command: the host here fails the test if it is used.
import { Secret, ValidationError, type Host, type ServerRef } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { configureReverseProxy } from './configure-reverse-proxy.js'
import { configureReverseProxyStep } from './configure-reverse-proxy-step.js'
import { issueCertificateStep, renewCertificateStep } from './certificate-steps.js'
import { issueCertificate } from './issue-certificate.js'
import { renewCertificate } from './renew-certificate.js'

function untouchableHost(): Host & { calls: string[] } {
  const calls: string[] = []
  const refuse = (what: string) => () => {
    calls.push(what)
    return Promise.reject(new Error(`host.${what} must not be called`))
  }
  return {
    name: 'untouchable',
    calls,
    run: refuse('run'),
    writeFile: refuse('writeFile'),
    writeFiles: refuse('writeFiles'),
    readFile: refuse('readFile'),
    exists: refuse('exists'),
    close: () => Promise.resolve(),
  }
}

const expectValidation = async (promise: Promise<unknown>, field: string) => {
  const error = await promise.catch((e: unknown) => e)
  expect(ValidationError.is(error) && error.field).toBe(field)
}

describe('no remote command on bad input', () => {
  test.each([
    [{ routes: { 'bad host': 8080 } }, 'routes'],
    [{ routes: { 'a.example.com': 99999 } }, 'routes["a.example.com"]["/"].port'],
    [{ routes: { 'a.example.com': { 'no-slash': 1 } } }, 'routes["a.example.com"]'],
    [{ routes: { 'a.example.com': 1 }, name: '../etc' }, 'name'],
    [{ routes: { 'a.example.com': 1 }, nginx: { webroot: '/a b' } }, 'nginx.webroot'],
    // nginx's default server_names_hash_bucket_size (64) holds names of up to 46 characters.
    [{ routes: { [`${'a'.repeat(43)}.com`]: 1 } }, `routes["${'a'.repeat(43)}.com"]`],
    [{ routes: { [`*.${'b'.repeat(47)}.com`]: 1 } }, `routes["*.${'b'.repeat(47)}.com"]`],
    [
      { routes: { 'a.example.com': 1 }, nginx: { serverNamesHashBucketSize: 100 } },
      'nginx.serverNamesHashBucketSize',
    ],
  ])('configureReverseProxy %j', async (input, field) => {
    const host = untouchableHost()
    await expectValidation(configureReverseProxy(host, input), field)
    expect(host.calls).toEqual([])
  })

  test('issueCertificate: invalid domain, and a missing address for the preflight', async () => {
    const host = untouchableHost()
    await expectValidation(issueCertificate(host, { domains: ['in valid.example.com'] }), 'domains')
    await expectValidation(
      issueCertificate(host, { domains: [`${'a'.repeat(43)}.com`], address: '192.0.2.1' }),
      'domains',
    )
    await expectValidation(issueCertificate(host, { domains: ['a.example.com'] }), 'address')
    await expectValidation(
      renewCertificate(host, {
        domains: ['a.example.com'],
        address: '192.0.2.1',
        renewWithinDays: -1,
      }),
      'renewWithinDays',
    )
    await expectValidation(renewCertificate(host, { domains: ['a.example.com'] }), 'address')
    expect(host.calls).toEqual([])
  })

  test('step factories validate when the pipeline is built', () => {
    expect(() => configureReverseProxyStep({ routes: { 'a.example.com': 0 } })).toThrow(
      ValidationError,
    )
    expect(() => issueCertificateStep({ domains: ['*.example.com'] })).toThrow(ValidationError)
    expect(() =>
      renewCertificateStep({ domains: ['a.example.com'], renewWithinDays: 1.5 }),
    ).toThrow(ValidationError)
  })
})

// Like core's placeholderContext: every property is a proxy that renders as {{path}}.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function placeholder(path: string[] = []): any {
  const text = `{{${path.join('.')}}}`
  return new Proxy(() => undefined, {
    get(_t, prop) {
      if (prop === Symbol.toPrimitive || prop === 'toString' || prop === 'toJSON') return () => text
      if (prop === 'then' || typeof prop === 'symbol') return undefined
      return placeholder([...path, prop])
    },
  })
}

describe('plans', () => {
  test('a placeholder context (values of steps not yet run) plans without throwing', () => {
    const ctx = placeholder()
    const env = { runId: 'r', step: 's', aws: {}, token: () => 't' }
    const entries = configureReverseProxyStep({ routes: { 'a.example.com': 1 } }).plan!(ctx, env)
    expect(entries.filter((e) => e.kind === 'remote').map((e) => e.host)).toEqual([
      '{{server.name}}',
      '{{server.name}}',
      '{{server.name}}',
      '{{server.name}}',
    ])
    const cert = issueCertificateStep({ domains: ['a.example.com'] }).plan!(ctx, env)
    expect(cert).toContainEqual({
      kind: 'note',
      text: 'preflight: a.example.com resolve to {{server.publicIp}}; GET a probe on port 80',
    })
  })

  const server: ServerRef = {
    name: 'web-1',
    publicIp: '{{server.publicIp}}',
    ssh: { username: 'ec2-user', privateKey: new Secret('k'), hostKey: { acceptAny: true } },
  }
  const env = { runId: 'r', step: 's', aws: {}, token: () => 't' }

  test('configureReverseProxyStep plans the commands on every server', () => {
    const step = configureReverseProxyStep({ routes: { 'a.example.com': 8080 }, name: 'web' })
    const entries = step.plan!({ server, servers: [server, { ...server, name: 'web-2' }] }, env)
    expect(entries.filter((e) => e.kind === 'remote').map((e) => [e.host, e.command])).toEqual([
      ['web-1', "sudo -n -- sh -c 'command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]'"],
      ['web-1', 'sudo -n -- mkdir -p -m 755 -- /var/www/ferry-acme/.well-known/acme-challenge'],
      ['web-1', 'sudo -n -- nginx -t'],
      ['web-1', 'sudo -n -- systemctl reload-or-restart nginx'],
      ['web-2', "sudo -n -- sh -c 'command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]'"],
      ['web-2', 'sudo -n -- mkdir -p -m 755 -- /var/www/ferry-acme/.well-known/acme-challenge'],
      ['web-2', 'sudo -n -- nginx -t'],
      ['web-2', 'sudo -n -- systemctl reload-or-restart nginx'],
    ])
    expect(entries).toContainEqual({
      kind: 'note',
      text: 'write web.conf in conf.d or sites-available (by host) atomically when it differs; a.example.com',
    })
  })

  test('issueCertificateStep plans the preflight against the server address placeholder', () => {
    const step = issueCertificateStep({
      domains: ['a.example.com'],
      nginx: { confDir: '/srv/conf.d', bin: '/srv/nginx', sudo: false },
    })
    const entries = step.plan!({ server }, env)
    expect(entries).toContainEqual({
      kind: 'note',
      text: 'preflight: a.example.com resolve to {{server.publicIp}}; GET a probe on port 80',
    })
    expect(entries.filter((e) => e.kind === 'remote').map((e) => e.command)).toEqual([
      'mkdir -p -m 755 -- /var/www/ferry-acme/.well-known/acme-challenge',
      '/srv/nginx -t',
      '/srv/nginx -s reload',
    ])
  })
})
