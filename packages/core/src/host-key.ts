// SSH host-key pinning: by fingerprint, by public key, or by a known_hosts file.
import { createHash, createHmac } from 'node:crypto'
import { ValidationError } from './errors.js'

/** How a host's key is verified. `acceptAny` disables verification and must be asked for. */
export type HostKeyPolicy =
  | { fingerprint: string | string[] }
  | { publicKey: string | string[] }
  | { knownHosts: string }
  | { acceptAny: true }

/**
 * The OpenSSH SHA256 fingerprint of a raw public-key blob, as `ssh-keygen -lf` prints it.
 * @example
 * fingerprint(blob) // 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU'
 */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/**
 * The key type and raw blob of an OpenSSH public-key line (`ssh-ed25519 AAAA… comment`).
 * @example
 * parsePublicKey('ssh-ed25519 AAAAC3Nza…').type // 'ssh-ed25519'
 */
export function parsePublicKey(line: string): { type: string; blob: Buffer } {
  const [type, data] = line.trim().split(/\s+/)
  const blob = Buffer.from(data ?? '', 'base64')
  if (
    !type ||
    !data ||
    blob.length < 8 ||
    blob.readUInt32BE(0) !== type.length ||
    blob.subarray(4, 4 + type.length).toString() !== type
  ) {
    throw new ValidationError({
      field: 'host public key',
      value: line.slice(0, 60),
      allowed: 'an OpenSSH public key line such as "ssh-ed25519 AAAA…"',
    })
  }
  return { type, blob }
}

/** The outcome of checking a presented key against a policy. */
export type HostKeyVerdict =
  { ok: true } | { ok: false; expected: string; reason: 'mismatch' | 'unknown-host' }

/**
 * Checks the key a server presented against a policy; pure apart from reading nothing.
 * @example
 * verifyHostKey({ fingerprint: 'SHA256:…' }, blob, { host: '203.0.113.7', port: 22, knownHostsText: undefined })
 */
export function verifyHostKey(
  policy: HostKeyPolicy,
  blob: Buffer,
  target: { host: string; port: number; knownHostsText?: string },
): HostKeyVerdict {
  if ('acceptAny' in policy) return { ok: true }
  if ('fingerprint' in policy) {
    const wanted = [policy.fingerprint]
      .flat()
      .map((f) => (f.startsWith('SHA256:') ? f : `SHA256:${f}`).replace(/=+$/, ''))
    return wanted.includes(fingerprint(blob))
      ? { ok: true }
      : { ok: false, expected: wanted.join(' or '), reason: 'mismatch' }
  }
  if ('publicKey' in policy) {
    const keys = [policy.publicKey].flat().map((k) => parsePublicKey(k).blob)
    return keys.some((k) => k.equals(blob))
      ? { ok: true }
      : { ok: false, expected: keys.map(fingerprint).join(' or '), reason: 'mismatch' }
  }
  const entries = knownHostsEntries(target.knownHostsText ?? '', target.host, target.port)
  if (entries.length === 0)
    return {
      ok: false,
      expected: `an entry for ${hostPattern(target.host, target.port)} in ${policy.knownHosts}`,
      reason: 'unknown-host',
    }
  return entries.some((k) => k.equals(blob))
    ? { ok: true }
    : { ok: false, expected: entries.map(fingerprint).join(' or '), reason: 'mismatch' }
}

const hostPattern = (host: string, port: number) => (port === 22 ? host : `[${host}]:${port}`)

/**
 * The key blobs a known_hosts text lists for a host (plain and hashed entries; no wildcards).
 * @example
 * const keys = knownHostsEntries(readFileSync('~/.ssh/known_hosts', 'utf8'), '203.0.113.7', 22)
 */
export function knownHostsEntries(text: string, host: string, port: number): Buffer[] {
  const name = hostPattern(host, port)
  const keys: Buffer[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith('@revoked')) continue
    const [hosts = '', type, data] = line.replace(/^@cert-authority\s+/, '').split(/\s+/)
    if (!type || !data) continue
    if (hosts.split(',').some((h) => matchesHost(h, name))) keys.push(Buffer.from(data, 'base64'))
  }
  return keys
}

function matchesHost(pattern: string, name: string): boolean {
  if (!pattern.startsWith('|1|')) return pattern === name
  const [, , salt = '', hash = ''] = pattern.split('|')
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash
}
