// Shared pieces of the proxy's integration tests: the lab's SSH host and nginx as ferry options,
// tiny real backends, HTTP(S) requests without connection reuse, and a request loop that counts
// failures while a change is in flight.
import {
  request as httpRequest,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http'
import type { Duplex } from 'node:stream'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:tls'
import { readFileSync } from 'node:fs'
import { Resolver as DnsResolver } from 'node:dns/promises'
import type { AddressInfo } from 'node:net'
import {
  createSshHost,
  createStepEnv,
  Secret,
  type FerryEvent,
  type ServerRef,
  type SshHost,
  type StepEnv,
} from '@ferry/core'
import type { LabInfo, LabNginx } from '@ferry/lab'
import type { NginxOptions, Resolver } from '../src/index.js'

/** The lab's sshd as a ferry host, host key pinned. */
export function labSshHost(lab: LabInfo): SshHost {
  return createSshHost({
    host: lab.ssh.host,
    port: lab.ssh.port,
    username: lab.ssh.username,
    privateKey: lab.ssh.privateKey,
    hostKey: { fingerprint: lab.ssh.hostKeyFingerprint },
  })
}

/** The lab's sshd as a server in a pipeline context. */
export function labServer(lab: LabInfo, name = 'web-1'): ServerRef {
  return {
    name,
    publicIp: lab.ssh.host,
    ssh: {
      username: lab.ssh.username,
      port: lab.ssh.port,
      privateKey: new Secret(lab.ssh.privateKey),
      hostKey: { fingerprint: lab.ssh.hostKeyFingerprint },
    },
  }
}

/** An nginx the lab runs (shared, or from startNginx) as ferry's nginx options. */
export function nginxOptionsOf(nginx: LabNginx): NginxOptions {
  return {
    bin: nginx.bin,
    confDir: nginx.confDir,
    webroot: nginx.webroot,
    certDir: nginx.certDir,
    httpPort: nginx.httpPort,
    httpsPort: nginx.httpsPort,
    listen: ['127.0.0.1'],
    testCommand: nginx.testCommand,
    reloadCommand: nginx.reloadCommand,
    pidPath: nginx.pidPath,
  }
}

/**
 * A resolver that asks the lab's challtestsrv, the DNS server pebble validates through (it
 * answers every name with 127.0.0.1). The lab does not publish its port, so it is read from the
 * process's command line.
 */
export function labResolver(lab: LabInfo): Resolver {
  const proc = lab.processes.find((p) => p.component === 'challtestsrv')
  if (!proc) throw new Error('the lab has no challtestsrv process')
  const args = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0')
  const server = args[args.indexOf('-dns01') + 1]
  if (!server) throw new Error('cannot find challtestsrv -dns01 address')
  const resolver = new DnsResolver()
  resolver.setServers([server])
  return (name) => resolver.resolve4(name)
}

/** ACME options for pebble in the lab, with a fast poll and an account key under `dir`. */
export function pebbleOptions(lab: LabInfo, dir: string) {
  return {
    directoryUrl: lab.acme.directoryUrl,
    ca: lab.acme.listenerCa,
    accountKeyPath: `${dir}/account.key`,
    email: 'ops@example.com',
    address: '127.0.0.1',
    resolve: labResolver(lab),
    backoff: { attempts: 30, minMs: 100, maxMs: 500 },
  }
}

/** A StepEnv like the pipeline's (core's own), with an in-memory journal and every event collected. */
export function stepEnv(
  step: string,
): StepEnv & { events: FerryEvent[]; close: () => Promise<void> } {
  const events: FerryEvent[] = []
  const env = createStepEnv({ runId: `run-${process.pid}`, step, onEvent: (e) => events.push(e) })
  return { ...env, events }
}

/** What a backend saw. */
export interface Seen {
  backend: string
  url: string | undefined
  headers: IncomingHttpHeaders
}

/** A real HTTP backend on a free loopback port that answers with what it saw, and upgrades. */
export async function startBackend(
  label: string,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ backend: label, url: req.url, headers: req.headers } satisfies Seen))
    })
  })
  const upgraded = new Set<Duplex>()
  server.on('upgrade', (req, socket) => {
    upgraded.add(socket)
    socket.on('close', () => upgraded.delete(socket))
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\nX-Backend: ${label}\r\n\r\n`,
    )
    socket.on('data', (d: Buffer) => socket.write(`${label}:${d.toString()}`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of upgraded) socket.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** One response, read whole. */
export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** An HTTP or HTTPS request on a fresh connection; HTTPS verifies against `ca` with SNI. */
export function fetchVia(o: {
  port: number
  host: string
  path?: string
  tls?: { ca: string }
  method?: string
  body?: string
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port: o.port,
      path: o.path ?? '/',
      method: o.method ?? 'GET',
      headers: { host: o.host },
      agent: false as const,
      timeout: 10_000,
    }
    const done = (res: IncomingMessage) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    }
    const req = o.tls
      ? httpsRequest({ ...options, ca: o.tls.ca, servername: o.host }, done)
      : httpRequest(options, done)
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(o.body)
  })
}

/** The serial number of the certificate a TLS port serves for a name (verified against `ca`). */
export function servedSerial(o: { port: number; host: string; ca: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port: o.port, servername: o.host, ca: o.ca },
      () => {
        const serial = socket.getPeerCertificate().serialNumber
        socket.end()
        resolve(serial)
      },
    )
    socket.on('error', reject)
  })
}

/** Sends requests back to back until stopped; counts answers that are not `expect`ed. */
export function keepRequesting(
  send: () => Promise<Reply>,
  expect: (r: Reply) => boolean,
): { stop: () => Promise<{ ok: number; failed: string[] }> } {
  let running = true
  const failed: string[] = []
  let ok = 0
  const loop = (async () => {
    while (running) {
      try {
        const r = await send()
        if (expect(r)) ok++
        else failed.push(`HTTP ${r.status}: ${r.body.slice(0, 120)}`)
      } catch (e) {
        failed.push(String(e))
      }
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return { ok, failed }
    },
  }
}
