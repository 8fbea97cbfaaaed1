// configureReverseProxy against the lab's shared nginx over real SSH: routing by host and by path
// to two real backends, headers, limits, WebSockets, idempotency, the sites layout, and the step.
import { connect } from 'node:net'
import { uniqueName } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { configureReverseProxy, configureReverseProxyStep, parseSpec } from '../src/index.js'
import {
  fetchVia,
  labServer,
  labSshHost,
  nginxOptionsOf,
  startBackend,
  stepEnv,
  type Seen,
} from './helpers.js'

const lab = labInfo()
const host = labSshHost(lab)
const nginx = nginxOptionsOf(lab.nginx)
const name = uniqueName('rp')
const api = `api-${name}.example.com`
const www = `www-${name}.example.com`
let one: Awaited<ReturnType<typeof startBackend>>
let two: Awaited<ReturnType<typeof startBackend>>
const get = async (hostName: string, path = '/') => {
  const r = await fetchVia({ port: lab.nginx.httpPort, host: hostName, path })
  return {
    ...r,
    seen:
      r.headers['content-type'] === 'application/json' ? (JSON.parse(r.body) as Seen) : undefined,
  }
}

beforeAll(async () => {
  one = await startBackend('one')
  two = await startBackend('two')
})
afterAll(async () => {
  await host.run(['rm', '-f', `${lab.nginx.confDir}/${name}.conf`], { sudo: true })
  await host.run(lab.nginx.reloadCommand, { sudo: true })
  await host.close()
  await one.close()
  await two.close()
})

describe('configureReverseProxy on the lab nginx', () => {
  test('routes by host name and by path to two upstream ports, with forwarding headers', async () => {
    const messages: string[] = []
    const result = await configureReverseProxy(
      host,
      {
        name,
        nginx,
        routes: {
          [api]: two.port,
          [www]: {
            '/': one.port,
            '/api/': two.port,
            '/v2/': { port: two.port, stripPrefix: true },
          },
        },
      },
      { onEvent: (e) => e.type === 'info' && messages.push(e.message) },
    )
    // The event says when the reload was over (only new workers accepting), and how long it took.
    expect(messages).toContainEqual(
      expect.stringMatching(/^nginx on .* serves the new configuration \(reload \d+ ms\)$/),
    )
    expect(result).toMatchObject({
      name,
      configPath: `${lab.nginx.confDir}/${name}.conf`,
      changed: true,
    })

    const byHost = await get(api, '/hello')
    expect(byHost.status).toBe(200)
    expect(byHost.seen).toMatchObject({ backend: 'two', url: '/hello' })
    expect((await get(www, '/hello')).seen).toMatchObject({ backend: 'one', url: '/hello' })
    expect((await get(www, '/api/users')).seen).toMatchObject({ backend: 'two', url: '/api/users' })
    expect((await get(www, '/v2/users')).seen).toMatchObject({ backend: 'two', url: '/users' })

    const { headers } = byHost.seen!
    expect(headers).toMatchObject({
      host: api,
      'x-real-ip': '127.0.0.1',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': api,
      'x-forwarded-port': String(lab.nginx.httpPort),
    })
    // server_tokens off: no version in the Server header.
    expect(byHost.headers.server).toBe('nginx')

    // Read back from the host: the file holds the spec ferry wrote.
    const text = (await host.readFile(result.configPath, { sudo: true })).toString()
    expect(parseSpec(text)?.sites.map((s) => s.serverName)).toEqual([api, www])
  })

  test('the same routes again change nothing on the host', async () => {
    const path = `${lab.nginx.confDir}/${name}.conf`
    const stat = async () => (await host.run(['stat', '-c', '%i %Y', path], { sudo: true })).stdout
    const before = await stat()
    const again = await configureReverseProxy(host, {
      name,
      nginx,
      routes: {
        [api]: two.port,
        [www]: { '/': one.port, '/api/': two.port, '/v2/': { port: two.port, stripPrefix: true } },
      },
    })
    expect(again.changed).toBe(false)
    expect(await stat()).toBe(before)
  })

  test('body size limit and WebSocket upgrade', async () => {
    await configureReverseProxy(host, {
      name,
      nginx,
      clientMaxBodySize: '1k',
      routes: { [api]: { '/': one.port, '/ws/': { port: two.port, websocket: true } } },
    })
    const small = await fetchVia({
      port: lab.nginx.httpPort,
      host: api,
      method: 'POST',
      body: 'x'.repeat(500),
    })
    expect(small.status).toBe(200)
    const big = await fetchVia({
      port: lab.nginx.httpPort,
      host: api,
      method: 'POST',
      body: 'x'.repeat(4096),
    })
    expect(big.status).toBe(413)

    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(lab.nginx.httpPort, '127.0.0.1', () =>
        socket.write(
          `GET /ws/chat HTTP/1.1\r\nHost: ${api}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
        ),
      )
      let text = ''
      socket.on('data', (d: Buffer) => {
        text += d.toString()
        if (text.includes('\r\n\r\n') && !text.includes('ping')) socket.write('ping')
        if (text.endsWith('two:ping')) {
          socket.end()
          resolve(text)
        }
      })
      socket.on('error', reject)
      setTimeout(() => reject(new Error(`no upgrade: ${text}`)), 5000)
    })
    expect(reply).toMatch(/^HTTP\/1\.1 101 /)
    expect(reply).toContain('X-Backend: two')
  })
})

describe('sites layout and the step', () => {
  const siteName = uniqueName('sites')
  const available = `${lab.nginx.prefix}/sites-available-${siteName}`
  // The lab's nginx includes confDir/*.conf, so confDir stands for sites-enabled.
  const layoutOptions = {
    ...nginx,
    confDir: undefined,
    layout: 'sites' as const,
    sitesAvailable: available,
    sitesEnabled: lab.nginx.confDir,
  }
  const host2 = `s-${siteName}.example.com`

  afterAll(async () => {
    await host.run(['rm', '-rf', available, `${lab.nginx.confDir}/${siteName}.conf`], {
      sudo: true,
    })
    await host.run(lab.nginx.reloadCommand, { sudo: true })
  })

  test('writes sites-available and links it from sites-enabled', async () => {
    const r = await configureReverseProxy(host, {
      name: siteName,
      nginx: layoutOptions,
      routes: { [host2]: one.port },
    })
    expect(r.configPath).toBe(`${available}/${siteName}.conf`)
    expect(r.enabledPath).toBe(`${lab.nginx.confDir}/${siteName}.conf`)
    const link = await host.run(['readlink', r.enabledPath!], { sudo: true })
    expect(link.stdout.trim()).toBe(r.configPath)
    expect((await get(host2)).seen?.backend).toBe('one')
  })

  test('configureReverseProxyStep runs on the server, adds proxy, and undo restores the previous site', async () => {
    const env = stepEnv('configureReverseProxy')
    const step = configureReverseProxyStep({
      name: siteName,
      nginx: layoutOptions,
      routes: { [host2]: two.port },
    })
    const ctx = { server: labServer(lab) }
    const added = await step.run(ctx, env)
    expect(added.proxy).toMatchObject({
      name: siteName,
      configPath: `${available}/${siteName}.conf`,
    })
    expect((await get(host2)).seen?.backend).toBe('two')

    const message = await step.undo!({ ...ctx, ...added }, env)
    expect(message).toBe(`web-1: restored ${available}/${siteName}.conf`)
    expect((await get(host2)).seen?.backend).toBe('one')
    await env.close()
  })
})
