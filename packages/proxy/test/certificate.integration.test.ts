// A real pebble issuance with real http-01 validation through the lab's nginx, then TLS requests
// to a backend verified against pebble's root with SNI; renewal; the pipeline step; and no secret
// in any event or file mode.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:tls'
import type { FerryEvent } from '@ferry/core'
import { uniqueName } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  certificateInfo,
  configureReverseProxy,
  issueCertificate,
  issueCertificateStep,
  renewCertificate,
} from '../src/index.js'
import {
  fetchVia,
  labServer,
  labSshHost,
  nginxOptionsOf,
  pebbleOptions,
  servedSerial,
  startBackend,
  stepEnv,
  type Seen,
} from './helpers.js'

const lab = labInfo()
const host = labSshHost(lab)
const nginx = nginxOptionsOf(lab.nginx)
const name = uniqueName('tls')
const domain = `${name}.example.com`
const events: FerryEvent[] = []
const onEvent = (e: FerryEvent) => events.push(e)
let dir = ''
let acmeOptions: ReturnType<typeof pebbleOptions>
let backend: Awaited<ReturnType<typeof startBackend>>
const tls = { ca: lab.acme.rootCa }
const certDir = `${lab.nginx.certDir}/${domain}`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-proxy-tls-'))
  chmodSync(dir, 0o755)
  acmeOptions = pebbleOptions(lab, dir)
  backend = await startBackend('app')
})

afterAll(async () => {
  await host.run(['rm', '-rf', `${lab.nginx.confDir}/${name}.conf`, certDir], { sudo: true })
  await host.run(lab.nginx.reloadCommand, { sudo: true })
  await host.close()
  await backend.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('issueCertificate with pebble through the lab nginx', () => {
  test("issues, installs and serves TLS to the backend, verified against pebble's root", async () => {
    await configureReverseProxy(
      host,
      { name, nginx, routes: { [domain]: backend.port } },
      { onEvent },
    )
    const cert = await issueCertificate(
      host,
      { ...acmeOptions, site: name, domains: [domain], nginx },
      { onEvent },
    )
    expect(cert).toMatchObject({
      domains: [domain],
      certPath: `${certDir}/fullchain.pem`,
      keyPath: `${certDir}/privkey.pem`,
    })

    const reply = await fetchVia({ port: lab.nginx.httpsPort, host: domain, path: '/secure', tls })
    expect(reply.status).toBe(200)
    const seen = JSON.parse(reply.body) as Seen
    expect(seen).toMatchObject({ backend: 'app', url: '/secure' })
    expect(seen.headers).toMatchObject({
      host: domain,
      'x-forwarded-proto': 'https',
      'x-forwarded-port': String(lab.nginx.httpsPort),
    })
    expect(reply.headers['server']).toBe('nginx')

    // Read back: the served certificate is the installed one, for the name, from pebble.
    const installed = certificateInfo(
      (await host.readFile(cert.certPath, { sudo: true })).toString(),
    )
    expect(installed.domains).toEqual([domain])
    expect(installed.notAfter.toISOString()).toBe(cert.notAfter)
    expect(
      await servedSerial({ port: lab.nginx.httpsPort, host: domain, ca: lab.acme.rootCa }),
    ).toBe(installed.serialNumber)
  })

  test('HTTP redirects to HTTPS but still serves ACME challenges', async () => {
    const redirect = await fetchVia({ port: lab.nginx.httpPort, host: domain, path: '/a?b=1' })
    expect(redirect.status).toBe(301)
    expect(redirect.headers.location).toBe(`https://${domain}:${lab.nginx.httpsPort}/a?b=1`)
    const token = `probe-${name}`
    await host.writeFile(`${lab.nginx.webroot}/.well-known/acme-challenge/${token}`, 'ok', {
      sudo: true,
      mode: 0o644,
    })
    try {
      const challenge = await fetchVia({
        port: lab.nginx.httpPort,
        host: domain,
        path: `/.well-known/acme-challenge/${token}`,
      })
      expect([challenge.status, challenge.body]).toEqual([200, 'ok'])
    } finally {
      await host.run(['rm', '-f', `${lab.nginx.webroot}/.well-known/acme-challenge/${token}`], {
        sudo: true,
      })
    }
  })

  test('TLS 1.2+ only: nginx refuses a TLS 1.1 handshake, accepts 1.2', async () => {
    const handshake = (version: 'TLSv1.1' | 'TLSv1.2') =>
      new Promise<string>((resolve, reject) => {
        // SECLEVEL=0 lets this client offer TLS 1.1, so a refusal comes from the server.
        const socket = connect({
          host: '127.0.0.1',
          port: lab.nginx.httpsPort,
          servername: domain,
          ca: lab.acme.rootCa,
          minVersion: version,
          maxVersion: version,
          ciphers: 'DEFAULT@SECLEVEL=0',
        })
        socket.on('secureConnect', () => {
          resolve(String(socket.getProtocol()))
          socket.end()
        })
        socket.on('error', (e: NodeJS.ErrnoException) => reject(e))
      })
    await expect(handshake('TLSv1.2')).resolves.toBe('TLSv1.2')
    await expect(handshake('TLSv1.1')).rejects.toMatchObject({
      code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    })
  })

  test('the key is 0600 and root-owned; the account key is 0600 where ferry runs; no secret in events', async () => {
    const stat = await host.run(['stat', '-c', '%a %U', `${certDir}/privkey.pem`], { sudo: true })
    expect(stat.stdout.trim()).toBe('600 root')
    expect(statSync(acmeOptions.accountKeyPath).mode & 0o777).toBe(0o600)
    const key = (await host.readFile(`${certDir}/privkey.pem`, { sudo: true })).toString()
    const accountKey = readFileSync(acmeOptions.accountKeyPath, 'utf8')
    const text = JSON.stringify(events)
    for (const secret of [key, accountKey]) {
      const body = secret.split('\n').slice(1, -2).join('')
      expect(body.length).toBeGreaterThan(40)
      expect(text).not.toContain(body.slice(0, 40))
    }
    expect(text).not.toContain('PRIVATE KEY')
  })

  test('renewCertificate does nothing while the certificate is fresh, and reports its expiry', async () => {
    const before = (await host.readFile(`${certDir}/fullchain.pem`, { sudo: true })).toString()
    const account = readFileSync(acmeOptions.accountKeyPath, 'utf8')
    const result = await renewCertificate(host, {
      ...acmeOptions,
      site: name,
      domains: [domain],
      nginx,
    })
    expect(result.renewed).toBe(false)
    expect(result.notAfter).toBe(certificateInfo(before).notAfter.toISOString())
    expect(result.daysLeft).toBeGreaterThan(30)
    expect((await host.readFile(`${certDir}/fullchain.pem`, { sudo: true })).toString()).toBe(
      before,
    )
    expect(readFileSync(acmeOptions.accountKeyPath, 'utf8')).toBe(account)
  })

  test('renewCertificate renews within the window, reusing the account key, and nginx serves the new one', async () => {
    const before = certificateInfo(
      (await host.readFile(`${certDir}/fullchain.pem`, { sudo: true })).toString(),
    )
    const account = readFileSync(acmeOptions.accountKeyPath, 'utf8')
    const result = await renewCertificate(host, {
      ...acmeOptions,
      site: name,
      domains: [domain],
      nginx,
      renewWithinDays: 3650,
    })
    expect(result.renewed).toBe(true)
    const after = certificateInfo(
      (await host.readFile(`${certDir}/fullchain.pem`, { sudo: true })).toString(),
    )
    expect(after.serialNumber).not.toBe(before.serialNumber)
    expect(
      await servedSerial({ port: lab.nginx.httpsPort, host: domain, ca: lab.acme.rootCa }),
    ).toBe(after.serialNumber)
    expect(readFileSync(acmeOptions.accountKeyPath, 'utf8')).toBe(account)
    expect((await fetchVia({ port: lab.nginx.httpsPort, host: domain, tls })).status).toBe(200)
  })
})

describe('issueCertificateStep', () => {
  const stepName = uniqueName('step')
  const stepDomain = `${stepName}.example.com`

  afterAll(async () => {
    await host.run(
      ['rm', '-rf', `${lab.nginx.confDir}/${stepName}.conf`, `${lab.nginx.certDir}/${stepDomain}`],
      {
        sudo: true,
      },
    )
    await host.run(lab.nginx.reloadCommand, { sudo: true })
  })

  test('issues for a name with no site yet, preflighting the server address, and adds certificate', async () => {
    const env = stepEnv('issueCertificate')
    const { address: _address, ...options } = acmeOptions
    const step = issueCertificateStep({ ...options, site: stepName, domains: [stepDomain], nginx })
    const { certificate } = await step.run({ server: labServer(lab) }, env)
    expect(certificate).toMatchObject({
      domains: [stepDomain],
      certPath: `${lab.nginx.certDir}/${stepDomain}/fullchain.pem`,
    })
    // No routes for the name: HTTPS answers 404 with the new certificate.
    const reply = await fetchVia({ port: lab.nginx.httpsPort, host: stepDomain, tls })
    expect(reply.status).toBe(404)
    expect(env.events.some((e) => e.type === 'info' && e.message.startsWith('preflight'))).toBe(
      true,
    )
    await env.close()
  })
})
