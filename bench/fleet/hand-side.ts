// The floor: what an engineer writes by hand with node-ssh — one connection per host (host key
// pinned), ONE remote command per step, the same step order and the same concurrency as the
// ferry side. No ferry code here. Two variants:
//   minimal  docker run; cat > site && nginx -t && nginx -s reload; write cert + key (umask 077).
//   careful  the same commands, each also checking its result the way one would by hand, still
//            in the same one command: wait until the container answers HTTP; remove the new site
//            again when nginx -t or the reload fails; wait until the site answers through nginx.
import { createHash } from 'node:crypto'
import { NodeSSH } from 'node-ssh'
import type { Lab } from '@ferry/lab'
import { DOMAIN, type BenchHost } from './hosts.js'
import type { CertMaterial } from './cert.js'

/** How long a side took: in all, and per step (summed over the fleet's waves). */
export interface SideResult {
  totalMs: number
  stepsMs: Record<string, number>
  /** ferry only: each host's nginx reload, until only new workers accepted (from its events). */
  reloadsMs?: number[]
}

/** The steps, in order; the ferry side's pipeline steps have the same names. */
export const STEPS = ['runContainer', 'configureReverseProxy', 'uploadCertificate'] as const

/**
 * Deploys container, reverse proxy and certificate to every host with plain node-ssh.
 * @example
 * const { totalMs } = await runHand(lab, hosts, { concurrency: 8, cert })
 */
export async function runHand(
  lab: Lab,
  hosts: readonly BenchHost[],
  o: { concurrency: number; cert: CertMaterial; careful: boolean },
): Promise<SideResult> {
  const started = performance.now()
  const connections = new Map<number, Promise<NodeSSH>>()
  const ssh = (h: BenchHost) => {
    if (!connections.has(h.index)) connections.set(h.index, connect(lab))
    return connections.get(h.index)!
  }
  const exec = async (h: BenchHost, command: string, stdin?: string) => {
    const r = await (await ssh(h)).execCommand(command, stdin === undefined ? {} : { stdin })
    if (r.code !== 0) throw new Error(`${h.server.name}: exit ${r.code}: ${command}\n${r.stderr}`)
  }
  const commands: Record<(typeof STEPS)[number], (h: BenchHost) => Promise<void>> = {
    runContainer: (h) =>
      exec(
        h,
        `sudo -n ${q(lab.docker.bin)} run -d --name ${q(h.container.name)} --restart unless-stopped -p 127.0.0.1:${h.container.port}:80 ${q(lab.docker.images.httpd)}` +
          (o.careful ? ` && ${waitFor(`http://127.0.0.1:${h.container.port}/`)}` : ''),
      ),
    configureReverseProxy: (h) => {
      const site = q(`${h.nginx.confDir}/bench.conf`)
      const [test, reload] = [h.nginx.testCommand, h.nginx.reloadCommand].map((c) =>
        c.map(q).join(' '),
      )
      const apply = o.careful
        ? `cat > ${site} && { { ${test} && ${reload}; } || { rm -f ${site}; exit 1; }; }`
        : `cat > ${site} && ${test} && ${reload}`
      return exec(
        h,
        `sudo -n sh -c ${q(apply)}` +
          (o.careful ? ` && ${waitFor(`http://127.0.0.1:${h.nginx.httpPort}/`, DOMAIN)}` : ''),
        siteText(h),
      )
    },
    // The certificate goes in the command line (it is public); the key only ever on stdin.
    uploadCertificate: (h) =>
      exec(
        h,
        `sudo -n sh -c ${q(`set -e; mkdir -p ${q(h.cert.dir)}; printf %s ${q(Buffer.from(o.cert.cert).toString('base64'))} | base64 -d > ${q(h.cert.certPath)}; chmod 644 ${q(h.cert.certPath)}; umask 077; cat > ${q(h.cert.keyPath)}`)}`,
        o.cert.key,
      ),
  }
  const stepsMs: Record<string, number> = {}
  try {
    for (const step of STEPS) {
      const t = performance.now()
      await pool(hosts, o.concurrency, commands[step])
      stepsMs[step] = performance.now() - t
    }
  } finally {
    for (const c of connections.values()) (await c.catch(() => undefined))?.dispose()
  }
  return { totalMs: performance.now() - started, stepsMs }
}

/** A shell loop: until `url` answers 2xx (as `host`), every 0.1 s, for at most 30 s. */
function waitFor(url: string, host?: string): string {
  const header = host ? ` -H ${q(`Host: ${host}`)}` : ''
  return `{ i=0; until curl -fsS -o /dev/null --max-time 2${header} ${q(url)}; do i=$((i+1)); [ $i -lt 300 ] || exit 1; sleep 0.1; done; }`
}

/** A reverse-proxy site as one writes it by hand. */
function siteText(h: BenchHost): string {
  return `server {
    listen 127.0.0.1:${h.nginx.httpPort};
    server_name ${DOMAIN};
    server_tokens off;
    location / {
        proxy_pass http://127.0.0.1:${h.container.port};
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }
}
`
}

async function connect(lab: Lab): Promise<NodeSSH> {
  const ssh = new NodeSSH()
  await ssh.connect({
    host: lab.ssh.host,
    port: lab.ssh.port,
    username: lab.ssh.username,
    privateKey: lab.ssh.privateKey,
    hostVerifier: (key: Buffer) =>
      `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}` ===
      lab.ssh.hostKeyFingerprint,
  })
  // ferry sets TCP_NODELAY (without it each command waits ~90 ms on delayed ACKs); the floor
  // does too, so it stays a floor. BENCH_HAND_NODELAY=0 measures node-ssh's default instead.
  if (process.env.BENCH_HAND_NODELAY !== '0') ssh.connection?.setNoDelay(true)
  return ssh
}

/** Runs `fn` on every item, `limit` at a time; the first failure fails the whole. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`
