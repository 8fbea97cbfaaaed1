// Faults leave nginx serving what it served: a config nginx -t refuses, a failed reload, a CA that
// cannot reach the challenge, bad input, a failed preflight. Each runs while requests keep
// flowing over HTTPS, and none may fail. This file breaks config on purpose, so it uses an nginx
// of its own (the lab's shared one is what pebble validates against for every test file).
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FerryError, ValidationError } from '@ferry/core'
import { startNginx, uniqueName, type NginxInstance } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  CertificateError,
  NginxError,
  configureReverseProxy,
  issueCertificate,
  type NginxOptions,
} from '../src/index.js'
import {
  fetchVia,
  keepRequesting,
  labSshHost,
  nginxOptionsOf,
  pebbleOptions,
  servedSerial,
  startBackend,
  type Seen,
} from './helpers.js'

const lab = labInfo()
const host = labSshHost(lab)
const name = uniqueName('fail')
const domain = `${name}.example.com`
let dir = ''
let own: NginxInstance
let nginx: NginxOptions
let acmeOptions: ReturnType<typeof pebbleOptions>
let a: Awaited<ReturnType<typeof startBackend>>
let b: Awaited<ReturnType<typeof startBackend>>
let firstSerial = ''
const configPath = () => `${own.confDir}/${name}.conf`
const readConfig = async () => (await host.readFile(configPath(), { sudo: true })).toString()
const https = () =>
  fetchVia({ port: own.httpsPort, host: domain, path: '/x', tls: { ca: lab.acme.rootCa } })

// Runs a failing change while requests keep flowing to backend A over HTTPS; none may fail.
async function whileServing<T>(change: () => Promise<T>): Promise<T> {
  const load = keepRequesting(
    https,
    (r) => r.status === 200 && (JSON.parse(r.body) as Seen).backend === 'a',
  )
  const result = await change()
  const { ok, failed } = await load.stop()
  expect(failed).toEqual([])
  expect(ok).toBeGreaterThan(0)
  return result
}

// Backups and staged files a change keeps beside the files it touches, while it runs.
const leftovers = async () => readdirSync(own.confDir).filter((f) => f.includes('.ferry-')).length

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`not reached in 5 s: ${check.toString()}`)
}

// Afterwards: same file, same certificate, same backend.
async function expectUnchanged(config: string) {
  expect(await readConfig()).toBe(config)
  expect(await servedSerial({ port: own.httpsPort, host: domain, ca: lab.acme.rootCa })).toBe(
    firstSerial,
  )
  expect((JSON.parse((await https()).body) as Seen).backend).toBe('a')
  expect(readdirSync(join(own.webroot, '.well-known', 'acme-challenge'))).toEqual([])
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-proxy-fail-'))
  chmodSync(dir, 0o755)
  own = await startNginx({ dir: join(dir, 'nginx') })
  nginx = nginxOptionsOf(own)
  acmeOptions = pebbleOptions(lab, dir)
  a = await startBackend('a')
  b = await startBackend('b')
  await configureReverseProxy(host, { name, nginx, routes: { [domain]: a.port } })
  // pebble validates on the lab's shared nginx, whose default server serves the lab's webroot
  // for any name: challenge files put there validate a certificate for this nginx too.
  await issueCertificate(host, {
    ...acmeOptions,
    site: name,
    domains: [domain],
    nginx: { ...nginx, webroot: lab.nginx.webroot },
  })
  firstSerial = await servedSerial({ port: own.httpsPort, host: domain, ca: lab.acme.rootCa })
})

afterAll(async () => {
  await own?.stop()
  await host.close()
  await a?.close()
  await b?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a refused change leaves the old routes and certificate serving', () => {
  test('a config that fails nginx -t', async () => {
    const before = await readConfig()
    const error = await whileServing(() =>
      configureReverseProxy(host, {
        name,
        nginx: { ...nginx, webroot: lab.nginx.webroot },
        routes: { [domain]: { port: b.port, host: 'no-such-host.invalid' } },
      }).catch((e: unknown) => e),
    )
    expect(NginxError.is(error)).toBe(true)
    expect(error).toMatchObject({ phase: 'test', restored: true, paths: [configPath()] })
    expect((error as NginxError).stderrTail).toContain(
      'host not found in upstream "no-such-host.invalid"',
    )
    await expectUnchanged(before)
  })

  test('a reload that fails', async () => {
    const before = await readConfig()
    const error = await whileServing(() =>
      configureReverseProxy(host, {
        name,
        nginx: {
          ...nginx,
          webroot: lab.nginx.webroot,
          reloadCommand: ['sh', '-c', 'echo reload refused >&2; exit 1'],
        },
        routes: { [domain]: b.port },
      }).catch((e: unknown) => e),
    )
    expect(error).toMatchObject({
      name: 'NginxError',
      phase: 'reload',
      restored: true,
      stderrTail: 'reload refused',
    })
    await expectUnchanged(before)
  })

  test('a reload that applied, then failed: nginx is reloaded back and serves the old routes', async () => {
    const before = await readConfig()
    // Not whileServing: the reload did apply, so B answers until the reload back.
    const error = await configureReverseProxy(host, {
      name,
      nginx: {
        ...nginx,
        webroot: lab.nginx.webroot,
        reloadCommand: [
          'sh',
          '-c',
          '"$0" "$@" && echo applied, then failed >&2; exit 1',
          ...own.reloadCommand,
        ],
      },
      routes: { [domain]: b.port },
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'NginxError',
      phase: 'reload',
      restored: true,
      serving: 'previous',
    })
    await expectUnchanged(before)
  })

  // The change is one remote script that ignores the session's end: cut the connection while
  // it waits on the reload, and the host still ends restored (reload refused) or committed.
  // The call reconnects, reads how the change ended, and reports that.
  async function cutDuringReload(reloadCommand: string[]): Promise<unknown> {
    const before = await readConfig()
    const cut = labSshHost(lab)
    const events: string[] = []
    const change = configureReverseProxy(
      cut,
      {
        name,
        nginx: { ...nginx, webroot: lab.nginx.webroot, reloadCommand },
        routes: { [domain]: b.port },
      },
      { onEvent: (e) => e.type === 'warning' && events.push(e.message) },
    ).catch((e: unknown) => e)
    await waitUntil(async () => (await readConfig()) !== before)
    await cut.close()
    const outcome = await change
    await cut.close()
    expect(events).toContainEqual(expect.stringContaining('dropped during the nginx change'))
    return outcome
  }

  test('a connection dropped during the reload: the change still ends restored, not half-way', async () => {
    const before = await readConfig()
    await whileServing(async () => {
      const outcome = await cutDuringReload([
        'sh',
        '-c',
        'sleep 1; echo reload refused >&2; exit 1',
      ])
      expect(outcome).toMatchObject({
        name: 'NginxError',
        phase: 'reload',
        restored: true,
        serving: 'previous',
      })
      expect(await readConfig()).toBe(before)
      expect(await leftovers()).toBe(0)
    })
    await expectUnchanged(before)
  })

  test('a connection dropped during a good reload: the new routes are committed and serve', async () => {
    const before = await readConfig()
    const outcome = await cutDuringReload([
      'sh',
      '-c',
      'sleep 1; exec "$0" "$@"',
      ...own.reloadCommand,
    ])
    // Committed: the call resolves as if the session had never dropped, and B serves at once.
    expect(outcome).toMatchObject({ changed: true })
    expect(await leftovers()).toBe(0)
    expect((JSON.parse((await https()).body) as Seen).backend).toBe('b')
    // Back to A for the tests that follow.
    await configureReverseProxy(host, {
      name,
      nginx: { ...nginx, webroot: lab.nginx.webroot },
      routes: { [domain]: a.port },
    })
    expect(await readConfig()).toBe(before)
  })

  test('a challenge the CA cannot reach: the order fails, challenge files are removed', async () => {
    const before = await readConfig()
    // This time the challenge goes to this nginx's own webroot, which the CA never sees. A new
    // account, because a CA may reuse the first account's valid authorization (pebble does, at
    // random) and then never asks for a challenge.
    const error = await whileServing(() =>
      issueCertificate(host, {
        ...acmeOptions,
        accountKeyPath: join(dir, 'second-account.key'),
        site: name,
        domains: [domain],
        nginx,
      }).catch((e: unknown) => e),
    )
    expect(CertificateError.is(error)).toBe(true)
    expect(error).toMatchObject({ reason: 'order', domain, code: 'PRECONDITION' })
    expect((error as Error).message).toMatch(/^The CA refused the order for .*: .*404/)
    // Neither account key appears in the error or what it wraps.
    const shown = `${(error as Error).message} ${String((error as Error).cause)} ${JSON.stringify(error)}`
    for (const file of ['account.key', 'second-account.key']) {
      const body = readFileSync(join(dir, file), 'utf8').split('\n').slice(1, -2).join('')
      expect(shown).not.toContain(body.slice(0, 32))
    }
    await expectUnchanged(before)
  })

  test('an invalid domain is refused before anything runs', async () => {
    const before = await readConfig()
    const errors = await whileServing(() =>
      Promise.all([
        issueCertificate(host, {
          ...acmeOptions,
          site: name,
          domains: ['bad_domain.example.com'],
          nginx,
        }).catch((e: unknown) => e),
        configureReverseProxy(host, { name, nginx, routes: { 'bad domain': b.port } }).catch(
          (e: unknown) => e,
        ),
      ]),
    )
    expect(errors.map((e) => ValidationError.is(e) && e.field)).toEqual(['domains', 'routes'])
    await expectUnchanged(before)
  })
})

describe('preflight, before the CA is contacted', () => {
  // A directory nothing listens on: reaching it would fail differently (ca-unreachable).
  const unreachableCa = { directoryUrl: 'https://127.0.0.1:9/dir' }
  // One certificate request for this site, refused; requests keep flowing meanwhile.
  const refusedIssue = (extra: Partial<Parameters<typeof issueCertificate>[1]>) =>
    whileServing(() =>
      issueCertificate(host, {
        ...acmeOptions,
        ...unreachableCa,
        site: name,
        domains: [domain],
        nginx: { ...nginx, webroot: lab.nginx.webroot },
        ...extra,
      }).catch((e: unknown) => e),
    )

  test('a domain that resolves elsewhere', async () => {
    const before = await readConfig()
    const error = await refusedIssue({ resolve: async () => ['192.0.2.44'] })
    expect(error).toMatchObject({ name: 'CertificateError', reason: 'dns', domain })
    expect((error as Error).message).toBe(
      `${domain} resolves to 192.0.2.44, not to the server (127.0.0.1). Point its A/AAAA record at the server, wait for DNS, then retry.`,
    )
    await expectUnchanged(before)
  })

  test('an ACME directory nothing answers at: the error names it and says what to do', async () => {
    const before = await readConfig()
    const error = await refusedIssue({ preflight: false })
    expect(error).toMatchObject({
      name: 'CertificateError',
      reason: 'ca-unreachable',
      retryable: true,
    })
    const { message } = error as Error
    expect(message).toContain(
      `The ACME directory ${unreachableCa.directoryUrl} could not be reached`,
    )
    expect(message).toContain('ECONNREFUSED')
    expect(message).toContain('check directoryUrl')
    expect(message).not.toMatch(/Cannot read properties|reading 'config'/)
    await expectUnchanged(before)
  })

  test('an HTTP port that does not answer at the server address', async () => {
    const before = await readConfig()
    const error = await refusedIssue({ address: '127.0.0.2', resolve: async () => ['127.0.0.2'] })
    expect(error).toMatchObject({ name: 'CertificateError', reason: 'http', domain })
    expect((error as Error).message).toContain(
      `does not serve ${lab.nginx.webroot} through 127.0.0.2`,
    )
    await expectUnchanged(before)
  })
})

describe('idempotence and ownership', () => {
  const workers = async () =>
    (await host.run(['ps', '-o', 'pid=', '--ppid', String(own.process.pid)])).stdout
      .trim()
      .split(/\s+/)
      .sort()

  test('the same routes again neither write nor reload', async () => {
    const wanted = {
      name,
      nginx: { ...nginx, webroot: lab.nginx.webroot },
      routes: { [domain]: a.port },
    }
    const before = { config: await readConfig(), workers: await workers() }
    const result = await configureReverseProxy(host, wanted)
    expect(result.changed).toBe(false)
    expect(await readConfig()).toBe(before.config)
    expect(await workers()).toEqual(before.workers)
  })

  // nginx keeps its old workers accepting for ~100 ms after a reload; ferry returns only once
  // they stopped, so no new connection after the call sees the old routes.
  test('when a change returns, every new connection gets the new routes', async () => {
    const site = { name, nginx: { ...nginx, webroot: lab.nginx.webroot } }
    for (const [to, port] of [
      ['b', b.port],
      ['a', a.port],
      ['b', b.port],
      ['a', a.port],
    ] as const) {
      await configureReverseProxy(host, { ...site, routes: { [domain]: port } })
      const seen = await Promise.all(
        Array.from({ length: 8 }, async () => (JSON.parse((await https()).body) as Seen).backend),
      )
      expect(seen).toEqual(Array.from({ length: 8 }, () => to))
    }
  })

  test('nginx missing with install disabled: a typed error, nothing written', async () => {
    const missing = uniqueName('missing')
    const error = await configureReverseProxy(host, {
      name: missing,
      nginx: { ...nginx, bin: `/opt/${missing}/sbin/nginx`, install: false },
      routes: { [domain]: b.port },
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'NginxError', phase: 'install', restored: false })
    expect((error as Error).message).toContain(
      `nginx is not installed at /opt/${missing}/sbin/nginx`,
    )
    expect(await host.exists(`${own.confDir}/${missing}.conf`)).toBe(false)
  })

  test('a file ferry did not write is not replaced', async () => {
    const foreign = `${own.confDir}/hand-made.conf`
    const text = '# written by hand\n'
    await host.writeFile(foreign, text, { sudo: true })
    const error = await configureReverseProxy(host, {
      name: 'hand-made',
      nginx,
      routes: { [domain]: b.port },
    }).catch((e: unknown) => e)
    expect(FerryError.is(error) && error.code).toBe('CONFLICT')
    expect((await host.readFile(foreign, { sudo: true })).toString()).toBe(text)
  })
})
