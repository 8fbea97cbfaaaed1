import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { fingerprint, knownHostsEntries, parsePublicKey, verifyHostKey } from './host-key.js'

// An ed25519 public key in OpenSSH wire format, built from a real key pair.
const sshEd25519 = () => {
  const raw = generateKeyPairSync('ed25519')
    .publicKey.export({ format: 'der', type: 'spki' })
    .subarray(-32)
  const type = Buffer.from('ssh-ed25519')
  const len = (b: Buffer) => Buffer.from([0, 0, 0, b.length])
  const blob = Buffer.concat([len(type), type, len(raw), raw])
  return { blob, line: `ssh-ed25519 ${blob.toString('base64')} test` }
}

describe('host keys', () => {
  const a = sshEd25519()
  const b = sshEd25519()
  const target = { host: '127.0.0.1', port: 2222 }

  test('fingerprint matches the OpenSSH format', () => {
    expect(fingerprint(a.blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
    expect(parsePublicKey(a.line).blob.equals(a.blob)).toBe(true)
    expect(() => parsePublicKey('ssh-rsa notbase64')).toThrow('Invalid host public key')
  })

  test('pinned fingerprint or key: match accepted, anything else refused with the expected value', () => {
    expect(verifyHostKey({ fingerprint: fingerprint(a.blob) }, a.blob, target)).toEqual({
      ok: true,
    })
    expect(verifyHostKey({ fingerprint: fingerprint(a.blob).slice(7) }, a.blob, target)).toEqual({
      ok: true,
    })
    expect(verifyHostKey({ fingerprint: fingerprint(a.blob) }, b.blob, target)).toEqual({
      ok: false,
      expected: fingerprint(a.blob),
      reason: 'mismatch',
    })
    expect(verifyHostKey({ publicKey: a.line }, a.blob, target).ok).toBe(true)
    expect(verifyHostKey({ publicKey: [b.line] }, a.blob, target).ok).toBe(false)
  })

  test('known_hosts: plain and hashed entries, [host]:port form, unknown host', () => {
    const salt = randomBytes(20)
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[127.0.0.1]:2222').digest('base64')}`
    const text = ['# comment', `other.example ${a.line}`, `[127.0.0.1]:2222,web ${a.line}`].join(
      '\n',
    )
    expect(knownHostsEntries(text, '127.0.0.1', 2222)).toHaveLength(1)
    expect(
      verifyHostKey({ knownHosts: 'kh' }, a.blob, { ...target, knownHostsText: text }).ok,
    ).toBe(true)
    expect(
      verifyHostKey({ knownHosts: 'kh' }, b.blob, { ...target, knownHostsText: text }),
    ).toMatchObject({ ok: false, reason: 'mismatch' })
    expect(
      verifyHostKey({ knownHosts: 'kh' }, a.blob, {
        ...target,
        knownHostsText: `${hashed} ${b.line}`,
      }),
    ).toMatchObject({ ok: false, reason: 'mismatch' })
    expect(
      verifyHostKey({ knownHosts: 'kh' }, b.blob, {
        ...target,
        knownHostsText: `${hashed} ${b.line}`,
      }).ok,
    ).toBe(true)
    expect(
      verifyHostKey({ knownHosts: 'kh' }, a.blob, {
        host: '10.0.0.9',
        port: 22,
        knownHostsText: text,
      }),
    ).toMatchObject({ ok: false, reason: 'unknown-host' })
  })
})
