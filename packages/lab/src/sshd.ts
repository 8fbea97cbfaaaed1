import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnDaemon, waitUntilReady, type Daemon } from './daemon'
import { LabError } from './errors'
import { tcpGreeting } from './probes'
import { renderSshdConfig } from './sshd-config'
import { ensureEd25519Key, knownHostsLine, sshFingerprint, stripKeyComment } from './ssh-keys'
import type { LabProcess } from './proc'
import type { LabSsh } from './types'

/**
 * The user scripts/setup.sh creates once, with passwordless sudo.
 *
 * @example
 * lab.ssh.username === DEPLOY_USER   // true
 */
export const DEPLOY_USER = 'ferry-deploy'

/** Where the SSH target lives and what it listens on. */
export interface SshdOptions {
  /** Directory for keys, config and pid file. */
  dir: string
  port: number
  log: string
  timeoutMs: number
  user?: string
  /** Called with each process as soon as it is spawned. */
  onSpawn?: (process: LabProcess) => void
}

/**
 * Starts an OpenSSH sshd on 127.0.0.1 with its own config and host key, logging in `user` with
 * a client key the lab generates, and waits for its SSH banner.
 *
 * @example
 * const { daemon, ssh } = await startSshd({ dir: `${labDir}/ssh`, port, log, timeoutMs: 30_000 })
 */
export async function startSshd(options: SshdOptions): Promise<{ daemon: Daemon; ssh: LabSsh }> {
  const user = options.user ?? DEPLOY_USER
  assertUserExists(user)
  const dir = options.dir
  const keysDir = join(dir, 'authorized_keys')
  mkdirSync(keysDir, { recursive: true, mode: 0o755 })
  // sshd's privilege separation directory; it lives in /run, not /etc.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })

  const hostKeyPath = join(dir, 'ssh_host_ed25519_key')
  const host = await ensureEd25519Key(hostKeyPath, 'ferry-lab-host')
  const privateKeyPath = join(dir, 'client_ed25519')
  const client = await ensureEd25519Key(privateKeyPath, 'ferry-lab-client')
  chmodSync(privateKeyPath, 0o600)
  // sshd reads authorized_keys as the user, so it must be world-readable.
  writeFileSync(join(keysDir, user), `${client.publicKey}\n`, { mode: 0o644 })
  chmodSync(join(keysDir, user), 0o644)

  const hostPublicKey = stripKeyComment(host.publicKey)
  const knownHostsPath = join(dir, 'known_hosts')
  writeFileSync(knownHostsPath, `${knownHostsLine('127.0.0.1', options.port, hostPublicKey)}\n`)
  const configPath = join(dir, 'sshd_config')
  const pidPath = join(dir, 'sshd.pid')
  writeFileSync(
    configPath,
    renderSshdConfig({
      port: options.port,
      hostKeyPath,
      pidPath,
      authorizedKeysDir: keysDir,
      user,
    }),
  )

  const daemon = await spawnDaemon({
    component: 'sshd',
    command: existsSync('/usr/sbin/sshd') ? '/usr/sbin/sshd' : 'sshd',
    // -D: stay in the foreground so the recorded pid is the server; -e: log to the log file.
    args: ['-D', '-e', '-f', configPath],
    log: options.log,
    onSpawn: options.onSpawn,
  })
  await waitUntilReady(daemon, {
    probe: async () => (await tcpGreeting(options.port)).startsWith('SSH-2.0-'),
    timeoutMs: options.timeoutMs,
  })
  const ssh: LabSsh = {
    host: '127.0.0.1',
    port: options.port,
    username: user,
    privateKeyPath,
    privateKey: client.privateKey,
    hostPublicKey,
    hostKeyFingerprint: sshFingerprint(hostPublicKey),
    knownHostsPath,
  }
  return { daemon, ssh }
}

function assertUserExists(user: string): void {
  const passwd = readFileSync('/etc/passwd', 'utf8')
  if (!passwd.split('\n').some((line) => line.startsWith(`${user}:`))) {
    throw new LabError(
      'sshd',
      `user ${user} does not exist: run scripts/setup.sh once (it creates the user with passwordless sudo)`,
    )
  }
}
