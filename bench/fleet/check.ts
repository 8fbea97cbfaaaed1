// Proof that a side did the work (checked outside the timing, from this machine, as root), and
// the reset that puts every host back to the same empty state before the next round.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import type { Lab } from '@ferry/lab'
import type { CertMaterial } from './cert.js'
import { DOMAIN, type BenchHost } from './hosts.js'

const SITE_FILE = (h: BenchHost) => `${h.nginx.confDir}/bench.conf`

/** What verify saw: hosts whose site did not answer yet when the side returned, and how late. */
export interface Verified {
  late: number
  maxLagMs: number
}

/**
 * Checks every host: the site answers through its own nginx from its own container (polled for
 * up to 5 s: a side that returns before nginx serves is counted as late, not failed), the
 * container runs on its port, the certificate and key are there with modes 644 and 600.
 * @example
 * const { late } = await verify(lab, hosts, cert) // throws, listing every problem
 */
export async function verify(
  lab: Lab,
  hosts: readonly BenchHost[],
  cert: CertMaterial,
): Promise<Verified> {
  const started = performance.now()
  const served = await Promise.all(hosts.map((h) => servedWithin(h.nginx.httpPort, 5000)))
  const ps = docker(lab, ['ps', '-a', '--format', '{{.Names}}\t{{.State}}\t{{.Ports}}'])
  const containers = new Map(ps.split('\n').map((l) => [l.split('\t')[0], l.split('\t')]))
  const problems = hosts.map((h, i) => {
    const out: string[] = []
    const reply = served[i]!
    if (!reply.ok) out.push(`nginx answered ${reply.status} ${reply.body.slice(0, 80)}`)
    const [, state, ports] = containers.get(h.container.name) ?? []
    // podman's ps shows "Up 2 seconds ago" where docker's shows "running".
    if (!/^(running|Up\b)/.test(state ?? ''))
      out.push(`container ${h.container.name} is ${state ?? 'missing'}`)
    if (!ports?.includes(`127.0.0.1:${h.container.port}->80/tcp`))
      out.push(`container not on 127.0.0.1:${h.container.port} (${ports})`)
    const site = existsSync(SITE_FILE(h)) ? readFileSync(SITE_FILE(h), 'utf8') : ''
    if (!site.includes(`127.0.0.1:${h.container.port}`))
      out.push(`no site proxying to port ${h.container.port}`)
    for (const [path, mode, text] of [
      [h.cert.certPath, 0o644, cert.cert],
      [h.cert.keyPath, 0o600, cert.key],
    ] as const) {
      const st = existsSync(path) ? statSync(path) : undefined
      if (!st) out.push(`${path} missing`)
      else if ((st.mode & 0o777) !== mode || st.uid !== 0)
        out.push(`${path} mode ${(st.mode & 0o777).toString(8)} uid ${st.uid}`)
      else if (readFileSync(path, 'utf8') !== text) out.push(`${path} content differs`)
    }
    return out.map((p) => `${h.server.name}: ${p}`)
  })
  if (problems.flat().length)
    throw new Error(`verification failed:\n  ${problems.flat().join('\n  ')}`)
  const lags = served.filter((r) => r.attempts > 1).map((r) => r.atMs - started)
  return { late: lags.length, maxLagMs: Math.max(0, ...lags) }
}

/**
 * Removes what a round made (containers, sites, certificates), reloads each nginx and waits
 * until it no longer serves the site, so the next round starts from the same state.
 * @example
 * await reset(lab, hosts)
 */
export async function reset(lab: Lab, hosts: readonly BenchHost[]): Promise<void> {
  docker(lab, ['rm', '-f', '-t', '0', ...hosts.map((h) => h.container.name)], { check: false })
  for (const h of hosts) {
    rmSync(SITE_FILE(h), { force: true })
    rmSync(h.cert.dir, { recursive: true, force: true })
    execFileSync(h.nginx.reloadCommand[0]!, h.nginx.reloadCommand.slice(1), { stdio: 'ignore' })
  }
  const deadline = Date.now() + 10_000
  for (const h of hosts) {
    while ((await get(h.nginx.httpPort).catch(() => ({ status: 0 }))).status === 200) {
      if (Date.now() > deadline) throw new Error(`${h.server.name}: nginx still serves the site`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const left = docker(lab, ['ps', '-a', '--format', '{{.Names}}']).split('\n')
  const stale = hosts.filter((h) => left.includes(h.container.name))
  if (stale.length) throw new Error(`containers left: ${stale.map((h) => h.container.name)}`)
}

function docker(lab: Lab, args: string[], o: { check?: boolean } = {}): string {
  try {
    return execFileSync(lab.docker.bin, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (error) {
    if (o.check === false) return ''
    throw error
  }
}

/** Asks nginx for the site until it answers from the container, or `withinMs` passed. */
async function servedWithin(port: number, withinMs: number) {
  const deadline = performance.now() + withinMs
  for (let attempts = 1; ; attempts++) {
    const r = await get(port).catch((e: Error) => ({ status: 0, body: e.message }))
    const ok = r.status === 200 && r.body.includes('hello from ferry-lab')
    if (ok || performance.now() > deadline) return { ...r, ok, attempts, atMs: performance.now() }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        headers: { host: DOMAIN },
        agent: false,
        timeout: 5000,
      },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}
