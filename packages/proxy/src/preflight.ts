// Before ordering: each domain must resolve to the server, and the server's HTTP port must serve
// a probe file from the ACME webroot for that name. Either failure is a clear error, and the CA
// is never asked (failed validations count against its rate limits).
import { randomBytes } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { request } from 'node:http'
import { isIP } from 'node:net'
import type { Host } from '@ferry/core'
import { CertificateError } from './errors.js'
import type { NginxSettings } from './nginx-options.js'
import { challengeFiles } from './challenge-files.js'

/** Resolves a name to its addresses. Inject one to use another DNS server. */
export type Resolver = (name: string) => Promise<string[]>

/**
 * The system resolver (getaddrinfo, all addresses).
 * @example
 * await systemResolver('example.com') // ['93.184.215.14', ...]
 */
export const systemResolver: Resolver = async (name) =>
  (await lookup(name, { all: true })).map((a) => a.address)

/**
 * Throws CertificateError `dns` unless every domain resolves to one of the server's addresses.
 * @example
 * await checkDns(['example.com'], '203.0.113.7', systemResolver)
 */
export async function checkDns(
  domains: readonly string[],
  address: string,
  resolve: Resolver,
): Promise<void> {
  const server = new Set(isIP(address) ? [address] : await addresses(address, resolve))
  for (const domain of domains) {
    const found = await addresses(domain, resolve)
    if (!found.some((a) => server.has(a)))
      throw new CertificateError({
        reason: 'dns',
        domain,
        message: `${domain} resolves to ${found.length ? found.join(', ') : 'nothing'}, not to the server (${[...server].join(', ')}). Point its A/AAAA record at the server, wait for DNS, then retry.`,
      })
  }
}

/**
 * Places a probe file in the webroot and fetches it for each domain through `address`; throws
 * CertificateError `http` when nginx does not serve it. The probe is removed either way.
 * @example
 * await probeHttp(host, settings, { domains: ['example.com'], address: '203.0.113.7' })
 */
export async function probeHttp(
  host: Host,
  nginx: NginxSettings,
  o: { domains: readonly string[]; address: string; timeoutMs?: number },
): Promise<void> {
  const token = `ferry-probe-${randomBytes(12).toString('hex')}`
  const files = challengeFiles(host, nginx)
  await files.put(token, token)
  try {
    for (const domain of o.domains) {
      const got = await httpGet({
        address: o.address,
        port: nginx.httpPort,
        path: `/.well-known/acme-challenge/${token}`,
        hostHeader: domain,
        timeoutMs: o.timeoutMs ?? 10_000,
      }).catch((e: Error) => ({ status: 0, body: e.message }))
      if (got.status !== 200 || got.body.trim() !== token) {
        const seen = got.status ? `HTTP ${got.status}` : got.body
        throw new CertificateError({
          reason: 'http',
          domain,
          message: `http://${domain}:${nginx.httpPort}/.well-known/acme-challenge/ does not serve ${nginx.webroot} through ${o.address} (${seen}). The CA could not validate: open port ${nginx.httpPort} and configure the proxy for ${domain} first.`,
        })
      }
    }
  } finally {
    await files.remove(token)
  }
}

async function addresses(name: string, resolve: Resolver): Promise<string[]> {
  try {
    return await resolve(name)
  } catch {
    return []
  }
}

function httpGet(o: {
  address: string
  port: number
  path: string
  hostHeader: string
  timeoutMs: number
}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: o.address,
        port: o.port,
        path: o.path,
        headers: { host: o.hostHeader },
        timeout: o.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.length < 64 && chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        )
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)))
    req.on('error', reject)
    req.end()
  })
}
