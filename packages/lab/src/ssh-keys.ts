import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { runCommand } from './run'

/**
 * Generates an ed25519 key pair at `path` / `path.pub` (mode 0600) unless one is already there,
 * so a lab restarted in the same directory keeps its host key and client key.
 *
 * @example
 * const { privateKey, publicKey } = await ensureEd25519Key('/tmp/lab/ssh/client_ed25519', 'ferry-lab')
 */
export async function ensureEd25519Key(
  path: string,
  comment: string,
): Promise<{ privateKey: string; publicKey: string }> {
  if (!existsSync(path) || !existsSync(`${path}.pub`)) {
    await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path])
  }
  return {
    privateKey: readFileSync(path, 'utf8'),
    publicKey: readFileSync(`${path}.pub`, 'utf8').trim(),
  }
}

/**
 * The 'SHA256:…' fingerprint of an OpenSSH public key line, exactly as `ssh-keygen -lf` prints
 * it (unpadded base64 of the SHA-256 of the key blob).
 *
 * @example
 * sshFingerprint('ssh-ed25519 AAAAC3Nza… comment')   // 'SHA256:Xy…'
 */
export function sshFingerprint(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1]
  if (!blob) throw new Error('not an OpenSSH public key line')
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64')
  return `SHA256:${digest.replace(/=+$/, '')}`
}

/**
 * The known_hosts line for a server on a non-standard port: `[host]:port type key`.
 *
 * @example
 * knownHostsLine('127.0.0.1', 2222, 'ssh-ed25519 AAAA… c')   // '[127.0.0.1]:2222 ssh-ed25519 AAAA…'
 */
export function knownHostsLine(host: string, port: number, publicKeyLine: string): string {
  const [type, blob] = publicKeyLine.trim().split(/\s+/)
  return `${port === 22 ? host : `[${host}]:${port}`} ${type} ${blob}`
}

/**
 * A public key line without its comment ('ssh-ed25519 AAAA…').
 *
 * @example
 * stripKeyComment('ssh-ed25519 AAAA… root@vm')   // 'ssh-ed25519 AAAA…'
 */
export function stripKeyComment(publicKeyLine: string): string {
  return publicKeyLine.trim().split(/\s+/).slice(0, 2).join(' ')
}
